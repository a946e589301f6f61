// SPDX-License-Identifier: GPL-3.0-or-later
// The TOML directory reader: loads or fails with mailgroup::Error.
#include "core/directory.hpp"
#include "core/error.hpp"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> warnings;
  try {
    mailgroup::load_directory(text, "fuzz.toml", mailgroup::DirectoryConfig{},
                              {}, warnings);
  } catch (const mailgroup::Error&) {
  }
  return 0;
}
