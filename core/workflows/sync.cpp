// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/workflows/sync.hpp"

#include "core/directory/source.hpp"
#include "core/store/stamp.hpp"
#include "core/util/digest.hpp"
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

// What a sync's result depends on besides the store (stamp.hpp): this
// program, the options, and the directory by content (a nightly export
// rewritten with the same rows is the same input).
std::string stamp_settings(const SyncOptions& options,
                           const fs::path& directory_path,
                           std::string_view directory_text) {
  std::error_code ec;
  auto program = fs::read_symlink("/proc/self/exe", ec);
  auto path = directory_path.string();
  return fmt::format("mailgroup sync stamp 1\nprogram {}skip_invalid {}\n"
                     "force {}\ndirectory {}:{} {} sha256 {}\n",
                     file_metadata_line(program), options.skip_invalid,
                     options.force, path.size(), path, directory_text.size(),
                     sha256_hex(directory_text));
}

// The directory's text, with sync's own refusal: with no readable
// directory the last good membership stays in force (eval reports the
// plain cause).
std::string read_directory_or_refuse(const fs::path& file) {
  try {
    return read_directory_text(file);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::no_input && e.kind() != ErrorKind::io) {
      throw;
    }
    throw Error(ErrorKind::refused,
                fmt::format("{} (nothing was changed)", e.what()));
  }
}

} // namespace

SyncResult sync(const Invocation& invocation, const SyncOptions& options) {
  auto store = invocation.store();
  invocation.report("loading the store");
  // Opened loading nothing but the settings: when the stamp of the last
  // sync still matches, nothing is read but the directory and a listing.
  Transaction t(store, invocation.lock_timeout, {"sync"}, false,
                Loading::on_demand);
  require_store_administrator(identify(t, invocation), t.state().config,
                              "sync");
  SyncResult result;
  invocation.report("reading the employee directory");
  auto file =
      directory_file(store.root(), t.state().config, options.directory);
  auto directory_text = read_directory_or_refuse(file);
  auto inputs =
      stamp_inputs(store, stamp_settings(options, file, directory_text));
  if (read_stamp(store.sync_stamp_path()) == inputs.text) {
    invocation.report("nothing changed since the last sync (.sync-stamp)");
    Outcome outcome;
    send_notices(t, invocation, {}, outcome);
    result.notices = std::move(outcome.notices);
    return result;
  }
  invocation.report("loading every group");
  t.load_everything();
  std::vector<std::string> warnings;
  DirectoryLoadOptions load_options;
  load_options.skip_invalid = options.skip_invalid;
  auto directory = load_directory(std::move(directory_text), file.string(),
                                  t.state().config.directory, load_options,
                                  warnings);
  bool warned = !warnings.empty();
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
  warned = warned || !warnings.empty();
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
  // Only a run that found nothing to do and nothing to say is stamped: the
  // next one with the same inputs would do and say the same. (A run that
  // wrote files leaves inputs too new to trust; the next one stamps.)
  if (plan.texts.empty() && plan.changes.empty() && plan.held.empty() &&
      !warned && inputs.trusted) {
    write_file_atomic(store.sync_stamp_path(), inputs.text);
  }
  invocation.report("sending notices");
  Outcome outcome;
  send_notices(t, invocation, joins_to_notify(t.state(), plan.changes),
               outcome);
  result.notices = std::move(outcome.notices);
  invocation.report("done");
  return result;
}

} // namespace mailgroup::workflows
