// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What every write workflow shares: who runs it on which store (Invocation),
// the transaction it runs in, and what it hands back to the front end to
// render (Outcome). A workflow opens the transaction, applies the change,
// records its log entries, commits and sends its notices; the front end only
// parses options and prints.

#include "core/store/store.hpp"
#include "core/workflows/edits.hpp"
#include "core/workflows/outbox.hpp"
#include "core/workflows/rights.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace mailgroup {

struct Invocation {
  std::string store_dir;
  std::chrono::milliseconds lock_timeout{10000};
  // Who started the command (identity.hpp): the change log names them,
  // and rights.hpp decides what they may do.
  ProcessCaller caller;
  std::string as; // --as: the address the owner acts as, if given
  bool dry_run = false;
  bool notify = true; // false: --no-notify
  // Steps of a long run, for a person watching (sync); may be empty.
  std::function<void(const std::string&)> progress;
  // Warnings as they arise, a batch at a time, so that they are seen even
  // when the command then fails; may be empty.
  std::function<void(const std::vector<std::string>&)> warn;

  Store store() const { return Store(store_dir); }
  void report(const std::string& step) const {
    if (progress) {
      progress(step);
    }
  }
  void warning(const std::vector<std::string>& batch) const {
    if (warn && !batch.empty()) {
      warn(batch);
    }
  }
};

// The notices a command queued, and how sending them went. A failure here
// never fails the command: its change is committed.
struct NoticeDelivery {
  std::optional<DeliveryReport> report;
  std::vector<std::string> errors; // why the outbox could not be used
};

struct Outcome {
  Notes notes;                       // for the user, in order
  std::vector<std::string> planned;  // dry run: what would change, a line each
  std::vector<std::string> output;   // data lines for stdout (a request's id)
  NoticeDelivery notices;
};

// Who runs `invocation` on `store`, with the rights rights.hpp gives.
Actor identify(const Store& store,
               const StoreConfig& config,
               const Invocation& invocation);
// The same for the transaction's store; the change log then names the
// actor, their login and uid.
Actor identify(Transaction& transaction, const Invocation& invocation);

// Commits, or with `dry_run` describes what would change ("would create
// group x", ...; "no changes") into `outcome.planned`.
void finish(Transaction& transaction,
            const Invocation& invocation,
            Outcome& outcome);

// After a commit: lets other writers in, queues `notices` in the outbox and
// tries to send everything there (nothing when `invocation.notify` is off
// or this is a dry run).
void send_notices(Transaction& transaction,
                  const Invocation& invocation,
                  const std::vector<Notice>& notices,
                  Outcome& outcome);

} // namespace mailgroup
