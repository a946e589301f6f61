// SPDX-License-Identifier: GPL-3.0-or-later
// The TOML directory reader: loads or fails with mailgroup::Error.
#include "core/directory/index.hpp"
#include "core/util/error.hpp"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> warnings;
  mailgroup::DirectoryConfig config;
  config.status_column_optional = size % 2 == 1;
  try {
    mailgroup::load_directory(text, "fuzz.toml", config, {}, warnings);
  } catch (const mailgroup::Error&) {
  }
  return 0;
}
