// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/fs.hpp"
#include "core/postfix.hpp"

#include <string>
#include <vector>

namespace mailgroup {

struct WriteOptions {
  bool check_only = false; // compare, write nothing
  bool postmap = false;    // build the indexed tables too
  std::string table_type = "hash";
  std::string postfix_config_dir; // postmap -c; empty: Postfix's default
};

struct WriteReport {
  // One line a changed file, e.g. "virtual: 3 entries changed"; empty when
  // nothing changed.
  std::vector<std::string> changes;
};

// Brings `dir` up to date with `output`: files are rewritten (atomically)
// only when their content changes, sender tables no longer used are
// removed, and with `postmap` each changed table is built aside and renamed
// into place so Postfix never opens a half-built database. With
// `check_only`, the report says what differs and nothing is written.
WriteReport write_postfix_output(const PostfixOutput& output,
                                 const fs::path& dir,
                                 const WriteOptions& options);

} // namespace mailgroup
