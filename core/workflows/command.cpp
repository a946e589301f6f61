// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/workflows/command.hpp"

#include "core/model/group_diff.hpp"

#include <fmt/format.h>

namespace mailgroup {

Actor identify(const Store& store,
               const StoreConfig& config,
               const Invocation& invocation) {
  // A store whose owner cannot be read has none but root.
  auto owner = owner_uid(store.root().string()).value_or(0);
  return identify(config, invocation.caller, owner, invocation.as);
}

Actor identify(Transaction& transaction, const Invocation& invocation) {
  auto actor = identify(Store(transaction.store_root()),
                        transaction.state().config, invocation);
  transaction.set_actor(actor.log_name(), actor.caller.login,
                        actor.caller.uid);
  return actor;
}

void finish(Transaction& transaction,
            const Invocation& invocation,
            Outcome& outcome) {
  auto changes = transaction.commit(invocation.dry_run);
  if (!invocation.dry_run) {
    return;
  }
  auto& out = outcome.planned;
  if (changes.empty() && transaction.events().empty()) {
    out.push_back("no changes");
  }
  for (const auto& change : changes) {
    switch (change.kind) {
    case FileChange::Kind::created:
      out.push_back(fmt::format("would create group {}", change.address));
      break;
    case FileChange::Kind::deleted:
      out.push_back(fmt::format("would delete group {}", change.address));
      break;
    case FileChange::Kind::modified:
      for (const auto& line :
           describe_changes(transaction.original().get(change.address),
                            transaction.state().get(change.address))) {
        out.push_back(
            fmt::format("would change group {}: {}", change.address, line));
      }
      break;
    }
  }
  for (const auto& event : transaction.events()) {
    for (const auto& detail : event.details) {
      out.push_back(fmt::format("would log for {}: {}", event.group, detail));
    }
  }
}

void send_notices(Transaction& transaction,
                  const Invocation& invocation,
                  const std::vector<Notice>& notices,
                  Outcome& outcome) {
  if (invocation.dry_run) {
    return;
  }
  transaction.unlock();
  try {
    Outbox outbox(Store(transaction.store_root()));
    outbox.add(invocation.notify ? notices : std::vector<Notice>{});
    outcome.notices.report = outbox.deliver(transaction.state());
  } catch (const Error& e) {
    outcome.notices.errors = e.lines();
  }
}

} // namespace mailgroup
