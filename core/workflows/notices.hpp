// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Notices mailgroup sends through the sendmail(1) interface: a welcome for
// people who join a group with notify_members on, and word to a group's
// administrators that someone asks to leave it: who gets one, and its text.
// outbox.hpp queues and sends them.

#include "core/store/store.hpp"
#include "core/workflows/department.hpp"

#include <nlohmann/json_fwd.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mailgroup {

// (Every member has a default, so designated initializers may skip any.)
struct Notice {
  std::string time{};
  std::string group{};
  std::string member{};  // who joined, or who asks to leave
  std::string source{};  // the command that made them join
  unsigned attempts = 0; // failed sends so far
  std::string error{};   // why the last one failed
  // A leave request for an administrator (`recipient`) to decide; 0 for a
  // welcome, whose recipient is the member.
  std::uint64_t request = 0;
  std::string recipient{};

  bool operator==(const Notice&) const = default;

  const std::string& to() const { return request ? recipient : member; }
};

// The shape of `outbox list --format json` (the outbox file has its own:
// format_notices).
void to_json(nlohmann::ordered_json& json, const Notice& notice);

// Who joined a group that notifies: each address in a group's effective
// members after but not before, that is not itself a group (a nested group's
// members did not join this one).
std::vector<Notice> joins_to_notify(const Snapshot& before,
                                    const Snapshot& after,
                                    const std::string& source);
// The same for the joins sync found (source "sync").
std::vector<Notice> joins_to_notify(const Snapshot& snapshot,
                                    const std::vector<MembershipChange>& changes);

// One notice for each administrator of `request`'s group.
std::vector<Notice> leave_request_notices(const Snapshot& snapshot,
                                          const LeaveRequest& request);

// The message for `notice`, a complete RFC 5322 message for `sendmail -t`
// (headers in ASCII; the body in UTF-8).
std::string compose_notice(const Snapshot& snapshot,
                           const Group& group,
                           const Notice& notice);

} // namespace mailgroup
