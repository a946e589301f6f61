// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/directory/source.hpp"

#include "core/util/error.hpp"
#include "core/util/fs.hpp"

#include <fmt/format.h>

namespace mailgroup {

fs::path directory_file(const fs::path& store_root, const StoreConfig& config,
                        const std::string& path) {
  fs::path file = path;
  if (file.empty()) {
    if (config.directory.path.empty()) {
      throw Error(ErrorKind::usage,
                  "no employee directory: give --directory FILE or set "
                  "[directory] path in mailgroup.toml");
    }
    file = config.directory.path;
    if (file.is_relative()) {
      file = store_root / file;
    }
  }
  return file;
}

std::string read_directory_text(const fs::path& file) {
  auto text = read_file_if_exists(file);
  if (!text) {
    throw Error(ErrorKind::no_input,
                fmt::format("cannot read the employee directory {}: no such "
                            "file",
                            file.string()));
  }
  return std::move(*text);
}

std::unique_ptr<Directory> open_directory(const fs::path& store_root,
                                          const StoreConfig& config,
                                          const std::string& path,
                                          bool skip_invalid,
                                          std::vector<std::string>& warnings) {
  auto file = directory_file(store_root, config, path);
  DirectoryLoadOptions options;
  options.skip_invalid = skip_invalid;
  return load_directory(read_directory_text(file), file.string(),
                        config.directory, options, warnings);
}

} // namespace mailgroup
