// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/group.hpp"

#include <string>
#include <vector>

namespace mailgroup {

// One setting that differs between two versions of a group, worded for a
// person: `members: +a@example.com -b@example.com`, `permission: domain ->
// members`. Used by --dry-run and the reports of sync.
std::vector<std::string> describe_changes(const Group& before,
                                          const Group& after);

// The elements of `after` not in `before`; both sorted.
std::vector<std::string> added(const std::vector<std::string>& before,
                               const std::vector<std::string>& after);

} // namespace mailgroup
