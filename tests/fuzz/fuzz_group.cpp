// SPDX-License-Identifier: GPL-3.0-or-later
// The group-file loader: an accepted file writes back canonically, and the
// canonical text reads back to the same group (a fixed point).
#include "core/model/config.hpp"
#include "core/store/group_file.hpp"
#include "core/util/error.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  mailgroup::Group group;
  try {
    group = mailgroup::parse_group(text, "fuzz.toml");
  } catch (const mailgroup::Error&) {
    return 0;
  }
  auto canonical = mailgroup::format_group(group);
  auto again = mailgroup::parse_group(canonical, "canonical.toml");
  if (!(again == group) || mailgroup::format_group(again) != canonical) {
    std::abort();
  }
  return 0;
}
