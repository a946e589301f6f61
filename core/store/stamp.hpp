// SPDX-License-Identifier: GPL-3.0-or-later
// "Has anything changed since the last run?" answered without reading the
// store: a stamp lists what the last complete run was made from, as file
// metadata (device, inode, size, modification and change times), like
// make(1) or git's index. A no-op generate or sync of 20,000 groups then
// costs a directory listing instead of reading half a gigabyte of member
// lists. generate keeps its stamp in the output directory
// (core/postfix/output_stamp.hpp), sync in the store (.sync-stamp).
#pragma once

#include "core/store/store.hpp"
#include "core/util/fs.hpp"

#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailgroup {

// How long a file's timestamps stay ambiguous: a later change within this
// many seconds can leave the same times (they are only as fine as the
// kernel's clock tick, or two seconds on FAT).
constexpr std::time_t k_racy_seconds = 2;

struct StampInputs {
  std::string text; // the settings, then one line an input file
  // False when an input changed so recently that a later change could
  // leave the same metadata (timestamps are only as fine as the kernel's
  // clock tick, or a second on some filesystems): such a run writes no
  // stamp, and the next one does the whole work again.
  bool trusted = true;
};

// `settings` (a header naming the command and version, the options and
// program that shape the result, and any other input as given by the
// caller), then what every command reads: mailgroup.toml, requests.toml,
// groups/ and resolved/ (every name, so an added or removed file counts).
// Taken before the store is loaded, so a change made while it loads makes
// the stamp stale, never the result.
StampInputs stamp_inputs(const Store& store, std::string_view settings);

// One line about `path` for a stamp: its metadata, or that it is missing;
// named `name` (default: the path).
std::string file_metadata_line(const fs::path& path);
std::string file_metadata_line(const fs::path& path, std::string_view name);

// The names in `dir`, sorted (none if it is missing).
std::vector<std::string> sorted_names(const fs::path& dir);

// A stamp's text, or nullopt when `path` is missing or not a regular file.
std::optional<std::string> read_stamp(const fs::path& path);

} // namespace mailgroup
