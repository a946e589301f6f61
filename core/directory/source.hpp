// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Where the employee directory comes from: the file given, or the one
// mailgroup.toml's [directory] names.

#include "core/directory/index.hpp"
#include "core/model/config.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace mailgroup {

namespace fs = std::filesystem;

// The file named by `path`, or by mailgroup.toml when `path` is empty
// (relative to `store_root`); Error(usage) if neither names one.
fs::path directory_file(const fs::path& store_root, const StoreConfig& config,
                        const std::string& path);

// The text of `file`; Error(no_input) if it is missing.
std::string read_directory_text(const fs::path& file);

// Reads the directory named by `path`, or by mailgroup.toml when `path` is
// empty (relative to `store_root`). Error(usage) if neither names one;
// Error(no_input) if the file is missing.
std::unique_ptr<Directory> open_directory(const fs::path& store_root,
                                          const StoreConfig& config,
                                          const std::string& path,
                                          bool skip_invalid,
                                          std::vector<std::string>& warnings);

} // namespace mailgroup
