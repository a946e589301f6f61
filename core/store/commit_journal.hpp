// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The store's redo journal: what makes a change and its change-log entry
// one commit. A transaction writes every new file aside, makes them durable,
// then writes the journal (atomically) naming each rename, each removal and
// the log lines with the offset they go to. That write is the commit point:
// before it nothing has changed; after it, the renames, the removals and
// the log append are finished either by the transaction itself or, after a
// crash, by the next writer, which finds the journal under the lock and
// rolls it forward. Each step can be repeated, so a crash during recovery
// is harmless too.

#include "core/util/fs.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mailgroup {

struct CommitJournal {
  // Paths relative to the store's root.
  std::vector<std::pair<std::string, std::string>> renames; // aside -> final
  std::vector<std::string> removals;
  std::uint64_t log_offset = 0;
  std::string log_lines;

  bool operator==(const CommitJournal&) const = default;
};

std::string format_journal(const CommitJournal& journal);

// Throws Error(data) at `source` for a journal that is not one: a path that
// is absolute or climbs out with "..", a missing field.
CommitJournal parse_journal(std::string_view text, const std::string& source);

// The journal of a store at `root`.
fs::path journal_path(const fs::path& root);

// Carries out `journal` in the store at `root` (renames whose aside file is
// still there, removals, the log lines at their offset of `log`), then
// removes the journal. Idempotent.
void roll_forward(const fs::path& root,
                  const CommitJournal& journal,
                  const fs::path& log);

// If an interrupted commit left a journal at `root`, finishes it; returns
// whether there was one. Call with the store lock held.
bool recover_commit(const fs::path& root, const fs::path& log);

} // namespace mailgroup
