// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Department groups against an employee directory: who belongs, why, and
// what a refresh changes.

#include "core/directory/index.hpp"
#include "core/directory/source.hpp"
#include "core/store/store.hpp"

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace mailgroup {

// The directory members of each department group in `groups` (all of them
// when empty): active people of the department (and its subtree when asked)
// who satisfy the rule; sorted. Evaluated in parallel, each group over its
// own department's range only.
std::map<std::string, std::vector<std::string>> resolve_groups(
    const Snapshot& snapshot,
    const Directory& directory,
    const std::vector<std::string>& groups,
    std::vector<std::string>& warnings);

// Checks a department group's rule and department against `directory`;
// throws Error(data) naming what is unknown.
void validate_rule(const Group& group, const Directory& directory);

struct Explanation {
  bool member = false;
  std::vector<std::string> lines;
};

// Why `email` is or is not a member of department group `group`.
Explanation explain(const Group& group,
                    const Directory& directory,
                    const std::string& email);

// Who joined and who left one group (effective members). The addresses
// point into the SyncPlan, the Snapshot and the Directory it was made from:
// a first sync of a large store joins millions, and a string each would
// cost more than the evaluation.
struct MembershipChange {
  std::string group;
  std::vector<std::string_view> joined;
  std::vector<std::string_view> left;
};

// A group sync leaves as it is, keeping its last good members, and why.
struct HeldGroup {
  std::string group;
  std::string reason; // a full sentence, naming the group and the fix
};

struct SyncPlan {
  std::vector<MembershipChange> changes;
  std::vector<std::unique_ptr<std::string>> old_texts; // what `left` points into
  // The new resolved/ADDRESS.members text of each group whose file changes.
  std::map<std::string, std::string> texts;
  // Groups held back, in address order: none of their changes is in
  // `changes` or `texts`, and every other group refreshes regardless.
  std::vector<HeldGroup> held;
};

// Evaluates every department group of `snapshot` (loaded without resolved
// members) and compares the result with each group's resolved file, as
// text: only groups whose file differs are parsed, so an unchanged store of
// millions of memberships costs one read and compare a group. Held back:
// each group whose department is not in the directory (a renamed
// department must not empty it), and, unless `force`, each group that
// would lose more than [sync] max_removal_share of its members (and at
// least removal_threshold of them).
SyncPlan plan_sync(const Store& store,
                   const Snapshot& snapshot,
                   const Directory& directory,
                   bool force,
                   std::vector<std::string>& warnings);

} // namespace mailgroup
