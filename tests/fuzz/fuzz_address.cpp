// SPDX-License-Identifier: GPL-3.0-or-later
// The address validator: the fast check agrees with the full one, and an
// accepted address is in normal form, idempotent, and free of anything that
// could break a map line.
#include "core/model/address.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  std::string why;
  auto normal = mailgroup::normalize_address(text, &why);
  bool fast = mailgroup::is_normal_address(text);
  if (fast != (normal && *normal == text)) {
    std::abort();
  }
  if (!normal) {
    if (why.empty()) {
      std::abort();
    }
    return 0;
  }
  if (!mailgroup::is_normal_address(*normal) ||
      normal->find_first_of(" \t\r\n,#\"'\\") != std::string::npos ||
      normal->front() == '@' || normal->size() > 254) {
    std::abort();
  }
  return 0;
}
