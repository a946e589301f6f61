// SPDX-License-Identifier: GPL-3.0-or-later
// generate's answer to "has anything changed since the last run?" without
// reading the store: a stamp in the output directory lists what the last
// complete run was made from and what it left, as file metadata (device,
// inode, size, modification and change times), like make(1) or git's
// index. A no-op generate of 20,000 groups then costs a directory listing
// instead of reading half a gigabyte of member lists.
#pragma once

#include "core/store/store.hpp"
#include "core/util/fs.hpp"

#include <string>
#include <string_view>

namespace mailgroup {

struct StampInputs {
  std::string text; // the settings, then one line an input file
  // False when an input changed so recently that a later change could
  // leave the same metadata (timestamps are only as fine as the kernel's
  // clock tick, or a second on some filesystems): such a run writes no
  // stamp, and the next one does the whole work again.
  bool trusted = true;
};

// What generate reads: mailgroup.toml, requests.toml, groups/ and
// resolved/ (every name, so an added or removed file counts), plus
// `settings` (the options and program that shape the output, and any
// other file they name, as given by the caller). Taken before the store
// is loaded, so a change made while it loads makes the stamp stale, never
// the output.
StampInputs stamp_inputs(const Store& store, std::string_view settings);

// One line about `path` for a stamp: its metadata, or that it is missing.
std::string file_metadata_line(const fs::path& path);

// True if `dir` holds a stamp for exactly `inputs` and its files are still
// the ones that run left (none changed, added or removed).
bool stamp_is_current(const fs::path& dir, std::string_view inputs);

// Called by write_postfix_output under the output directory's lock: the
// stamp goes before anything in `dir` changes, and is written after
// everything did, so an interrupted run leaves none.
void remove_stamp(const fs::path& dir);
void write_stamp(const fs::path& dir, std::string_view inputs);

} // namespace mailgroup
