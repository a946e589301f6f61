// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// `create --from FILE`: many groups in one transaction, all or nothing.

#include "core/workflows/command.hpp"
#include "core/workflows/group_definitions.hpp"

#include <string>
#include <vector>

namespace mailgroup::workflows {

// Creates every group of `definitions` as create_group creates one (the
// same checks, each problem reported at its definition's FILE:LINE:COL),
// then commits them together; any problem (a bad value, a group that
// exists unless `exist_ok`, a cycle of nested groups) throws Error with
// every problem found and writes nothing. What is O(store) per group in
// the one-group path (the transaction, the listing of groups/, the
// directory for department groups, the cycle check) is done once.
Outcome create_groups(const Invocation& invocation,
                      const std::vector<GroupDefinition>& definitions,
                      const std::string& applicant,
                      bool exist_ok);

} // namespace mailgroup::workflows
