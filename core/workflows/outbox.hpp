// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The store's outbox: each notice (notices.hpp) goes there first (one JSON
// Lines file a run, written atomically, so writers need no lock); delivery
// then tries everything there and keeps what failed for the next run.
// Delivery is at least once: a crash between sendmail and the outbox
// rewrite sends that notice again.

#include "core/store/store.hpp"
#include "core/workflows/notices.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace mailgroup {

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
