// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The group commands as whole workflows: each takes the lock, applies its
// edit (edits.hpp), checks, commits (or describes, on a dry run) and sends
// the notices it causes.

#include "core/workflows/command.hpp"
#include "core/workflows/edits.hpp"

#include <string>
#include <vector>

namespace mailgroup::workflows {

Outcome create_group(const Invocation& invocation,
                     const std::string& address,
                     const GroupSettings& settings,
                     const std::vector<std::string>& members,
                     const std::string& applicant,
                     bool exist_ok);

Outcome change_group(const Invocation& invocation,
                     const std::string& address,
                     const GroupSettings& settings);

Outcome delete_groups(const Invocation& invocation,
                      const std::vector<std::string>& addresses);

Outcome freeze_group(const Invocation& invocation,
                     const std::string& address,
                     const std::string& reason);
Outcome unfreeze_group(const Invocation& invocation,
                       const std::string& address);

// member add|remove, whitelist add|remove.
enum class ListEdit { add_members, remove_members, allow_senders, drop_senders };
Outcome edit_list(const Invocation& invocation,
                  ListEdit edit,
                  const std::string& group,
                  const std::vector<std::string>& entries);

// When mailgroup.toml names a directory, checks the department and rule of
// department group `address` against it (unknown department or attribute:
// Error(data)); otherwise only the rule's syntax was checked.
void check_against_directory(const Store& store,
                             const Snapshot& snapshot,
                             const std::string& address);

} // namespace mailgroup::workflows
