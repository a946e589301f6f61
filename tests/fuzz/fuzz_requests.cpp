// SPDX-License-Identifier: GPL-3.0-or-later
// requests.toml: an accepted file writes back to text that reads back to
// the same requests (a fixed point).
#include "core/model/requests.hpp"
#include "core/util/error.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  mailgroup::Requests requests;
  try {
    requests = mailgroup::parse_requests(text, "fuzz.toml");
  } catch (const mailgroup::Error&) {
    return 0;
  }
  auto canonical = mailgroup::format_requests(requests);
  auto again = mailgroup::parse_requests(canonical, "canonical.toml");
  if (!(again == requests) || mailgroup::format_requests(again) != canonical) {
    std::abort();
  }
  return 0;
}
