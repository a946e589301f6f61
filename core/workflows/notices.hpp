// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Notices mailgroup sends through the sendmail(1) interface: a welcome for
// people who join a group with notify_members on, and word to a group's
// administrators that someone asks to leave it. Each notice goes into the store's
// outbox first (one JSON Lines file a run, written atomically, so writers
// need no lock); delivery then tries everything there and keeps what failed
// for the next run. Delivery is at least once: a crash between sendmail and
// the outbox rewrite sends that notice again.

#include "core/store/store.hpp"
#include "core/workflows/department.hpp"

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

// The outbox files' text (JSON Lines), and back; a bad line throws
// Error(data) with `source:line`.
std::string format_notices(const std::vector<Notice>& notices);
std::vector<Notice> parse_notices(std::string_view text,
                                  const std::string& source);

struct DeliveryReport {
  std::size_t sent = 0;
  std::size_t dropped = 0;  // no longer a member, group gone or quiet now
  std::vector<Notice> kept; // failed; still in the outbox
  bool busy = false;        // another run holds the outbox; nothing tried
};

class Outbox {
public:
  explicit Outbox(const Store& store);

  // Queues `notices` in a new file of the outbox.
  void add(const std::vector<Notice>& notices) const;
  // Every queued notice, oldest first.
  std::vector<Notice> list() const;
  // Sends every queued notice still due (checked against `snapshot` and the
  // resolved members on disk) with `config.notify.sendmail`. Gives up at
  // once if another run is delivering (it, or the next run, sends ours).
  DeliveryReport deliver(const Snapshot& snapshot) const;

private:
  std::vector<fs::path> files() const;

  Store m_store;
  fs::path m_dir;
};

} // namespace mailgroup
