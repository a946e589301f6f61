// SPDX-License-Identifier: GPL-3.0-or-later
// The CSV reader and the directory built on it: any input either loads or
// fails with mailgroup::Error, and a loaded directory is consistent.
#include "core/directory/index.hpp"
#include "core/util/error.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  mailgroup::DirectoryLoadOptions options;
  options.skip_invalid = size % 2 == 1;
  mailgroup::DirectoryConfig config;
  config.status_column_optional = size % 4 < 2;
  std::vector<std::string> warnings;
  try {
    auto directory = mailgroup::load_directory(text, "fuzz.csv", config,
                                               options, warnings);
    const auto& root = directory->departments()[0];
    if (root.subtree_end != directory->size()) {
      std::abort(); // everyone is under the root
    }
    for (std::size_t i = 0; i < directory->size(); ++i) {
      if (directory->find(directory->email(i)) != i) {
        std::abort();
      }
    }
    // Rows left out under skip_invalid are out of every index.
    for (std::size_t c = 0; c < directory->attributes().size(); ++c) {
      const auto& column = directory->column(c);
      for (std::size_t i = 0; i < directory->size(); ++i) {
        if (i >= column.ids.size() ||
            column.values[column.ids[i]] != directory->value(i, c)) {
          std::abort();
        }
      }
    }
  } catch (const mailgroup::Error&) {
  }
  return 0;
}
