// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Leaving a group, and the approval a group with leave_needs_approval asks
// for: who may do what is decided here, so every front end refuses alike.

#include "core/model/requests.hpp"
#include "core/store/store.hpp"
#include "core/workflows/command.hpp"
#include "core/workflows/edits.hpp"
#include "core/workflows/rights.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace mailgroup {

struct LeaveResult {
  Notes notes;
  bool left = false;                   // taken out at once
  std::optional<LeaveRequest> request; // recorded, waiting for approval
};

// `actor` asks for `member` to leave `group`. The member may ask for
// themself, who may change the group (rights.hpp) for anyone; anyone else
// gets Error(permission).
// Where the group needs no approval, or an administrator asks, the member is
// taken out at once; otherwise a pending request is recorded (once).
LeaveResult leave_group(Snapshot& snapshot,
                        std::string_view group,
                        std::string_view member,
                        const Actor& actor,
                        const std::string& reason);

// Decides pending request `id` (Error(not_found) if there is none); only an
// administrator of its group may (Error(permission)). Approving takes the
// member out; both drop the request. Returns the decided request.
LeaveRequest approve_request(Snapshot& snapshot,
                             std::uint64_t id,
                             const Actor& actor,
                             Notes& notes);
LeaveRequest deny_request(Snapshot& snapshot,
                          std::uint64_t id,
                          const Actor& actor,
                          const std::string& reason);

namespace workflows {

// member leave: out at once, or a request recorded (its id in `output`,
// the administrators notified).
Outcome leave(const Invocation& invocation,
              const std::string& group,
              const std::string& member,
              const std::string& reason);

// request approve|deny ID, by an administrator of the request's group.
Outcome decide_request(const Invocation& invocation,
                       std::uint64_t id,
                       bool approve,
                       const std::string& reason);

} // namespace workflows

} // namespace mailgroup
