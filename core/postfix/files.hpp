// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/postfix/maps.hpp"
#include "core/util/fs.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace mailgroup {

struct WriteOptions {
  bool check_only = false; // compare, write nothing
  bool postmap = false;    // build the indexed tables too
  // Also bring the live main.cf in line with main.cf.fragment and reload
  // Postfix when it differs (needs postmap); see MainCfUpdate.
  bool apply = false;
  std::string table_type = "hash";
  std::string postfix_config_dir; // postmap -c; empty: Postfix's default
  // Where main.cf names the tables (PostfixOptions::map_dir): a sender table
  // no longer used is removed once the live main.cf stops naming it.
  std::string map_dir;
  // How long to wait for another run's lock on the output directory.
  std::chrono::milliseconds lock_timeout{10000};
  // What the output is made from (stamp_inputs): when set, a run that
  // leaves nothing pending writes it as the directory's stamp (stamp.hpp).
  std::string stamp_inputs;
};

struct WriteReport {
  // One line a changed file, e.g. "virtual: 3 entries changed"; empty when
  // nothing changed.
  std::vector<std::string> changes;
  // A database here was not what its source as wanted says (missing, not
  // built from it, or its source changed): only --postmap mends that.
  bool stale_databases = false;
};

// Brings `dir` up to date with `output`: files are rewritten (atomically)
// only when their content changes, sender tables no longer used are
// removed, and with `postmap` each changed table is built aside (under a
// unique name) and renamed into place so Postfix never opens a half-built
// database. One run at a time: it holds an exclusive flock on
// `dir/.mailgroup.lock` (Error(locked) after `lock_timeout`), and removes
// the work files of runs that died. With `check_only`, the report says what
// differs and nothing is written (a shared lock, if the lock file exists).
// Databases are compared with what they should hold through the manifest
// `dir/.mailgroup-manifest` (what each was built from, written after the
// builds): with `postmap`, and by a check where a manifest exists. One that
// is missing or not built from its source as wanted is reported, and with
// `postmap` rebuilt.
WriteReport write_postfix_output(const PostfixOutput& output,
                                 const fs::path& dir,
                                 const WriteOptions& options);

} // namespace mailgroup
