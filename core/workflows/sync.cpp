// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/workflows/sync.hpp"

#include "core/workflows/department.hpp"

#include <fmt/format.h>

namespace mailgroup::workflows {

namespace {

// "joined: 2 (a@x, b@x)"; past 20 addresses only the count, or a first
// sync of a large store would copy every membership into the log.
std::string log_line(std::string_view what,
                     const std::vector<std::string_view>& who) {
  if (who.empty() || who.size() > 20) {
    return fmt::format("{}: {}", what, who.size());
  }
  return fmt::format("{}: {} ({})", what, who.size(), fmt::join(who, ", "));
}

std::string report(const SyncPlan& plan, bool summary) {
  std::string out;
  for (const auto& change : plan.changes) {
    if (summary) {
      out += fmt::format("{}: {} joined, {} left\n", change.group,
                         change.joined.size(), change.left.size());
      continue;
    }
    for (const auto& member : change.joined) {
      out += fmt::format("{}: joined {}\n", change.group, member);
    }
    for (const auto& member : change.left) {
      out += fmt::format("{}: left {}\n", change.group, member);
    }
  }
  return out;
}

} // namespace

SyncResult sync(const Invocation& invocation, const SyncOptions& options) {
  auto store = invocation.store();
  invocation.report("loading the store");
  Transaction t(store, invocation.lock_timeout, {"sync"}, false);
  require_store_administrator(identify(t, invocation), t.state().config,
                              "sync");
  SyncResult result;
  std::unique_ptr<Directory> directory;
  invocation.report("reading the employee directory");
  std::vector<std::string> warnings;
  try {
    directory = open_directory(store.root(), t.state().config, options.directory,
                               options.skip_invalid, warnings);
  } catch (const Error& e) {
    // sync's own refusal: with no readable directory the last good
    // membership stays in force (eval reports the plain cause).
    if (e.kind() != ErrorKind::no_input && e.kind() != ErrorKind::io) {
      throw;
    }
    throw Error(ErrorKind::refused,
                fmt::format("{} (nothing was changed)", e.what()));
  }
  invocation.warning(warnings);
  warnings.clear();
  invocation.report(fmt::format("read {} people in {} departments",
                                directory->size(),
                                directory->departments().size() - 1));
  if (directory->active_count() == 0) {
    throw Error(ErrorKind::refused,
                fmt::format("{} has no active employees; refusing to empty "
                            "every department group (nothing was changed)",
                            directory->source()));
  }
  invocation.report("evaluating department groups");
  auto plan = plan_sync(store, t.state(), *directory, options.force, warnings);
  invocation.warning(warnings);
  warnings.clear();
  for (const auto& group : plan.held) {
    result.held.push_back(group.group);
    warnings.push_back(group.reason);
  }
  invocation.warning(warnings);
  result.report = report(plan, options.summary);
  if (invocation.dry_run) {
    return result;
  }
  invocation.report(fmt::format("writing the store ({} groups changed)",
                                plan.texts.size()));
  for (auto& [address, text] : plan.texts) {
    t.set_resolved_text(address, std::move(text));
  }
  for (const auto& change : plan.changes) {
    t.log_event({change.group, "changed",
                 {log_line("joined", change.joined),
                  log_line("left", change.left)}});
  }
  t.commit(false);
  invocation.report("sending notices");
  Outcome outcome;
  send_notices(t, invocation, joins_to_notify(t.state(), plan.changes),
               outcome);
  result.notices = std::move(outcome.notices);
  invocation.report("done");
  return result;
}

} // namespace mailgroup::workflows
