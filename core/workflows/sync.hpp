// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// sync: every department group refreshed from the employee directory, under
// the store lock, with its refusals and change-log entries.

#include "core/workflows/command.hpp"

#include <string>
#include <vector>

namespace mailgroup::workflows {

struct SyncOptions {
  std::string directory; // empty: mailgroup.toml's [directory] path
  bool skip_invalid = false;
  bool force = false;   // apply mass removals too
  bool summary = false; // one report line a changed group
};

// Warnings (directory rows left out, evaluation, groups held back) go to
// `invocation.warning` as they arise.
struct SyncResult {
  // The groups held back (they keep their last good members; the others
  // refreshed): the command then exits with its own status.
  std::vector<std::string> held;
  std::string report; // "GROUP: joined X" lines (or the summary's)
  NoticeDelivery notices;
};

// Refuses the whole run, changing nothing, with Error(refused) when the
// directory cannot be read or has no active employee.
SyncResult sync(const Invocation& invocation, const SyncOptions& options);

} // namespace mailgroup::workflows
