// SPDX-License-Identifier: GPL-3.0-or-later
// eval, sync: department groups against the employee directory.
#include "cmd/context.hpp"
#include "cmd/exit_codes.hpp"
#include "cmd/output.hpp"

#include "core/model/address.hpp"
#include "core/util/fs.hpp"
#include "core/util/text.hpp"
#include "core/workflows/department.hpp"
#include "core/workflows/sync.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace mailgroup::cli {

namespace {

void progress(const std::string& text) {
  // Only a person watching a terminal wants this; cron mails any output.
  // MAILGROUP_TIMING=1 adds the seconds since start, for benchmarks.
  static const auto start = std::chrono::steady_clock::now();
  static const bool timing = std::getenv("MAILGROUP_TIMING") != nullptr;
  if (timing) {
    std::chrono::duration<double> elapsed =
        std::chrono::steady_clock::now() - start;
    fmt::print(stderr, "mailgroup: [{:.3f} s] {}\n", elapsed.count(), text);
  } else if (::isatty(STDERR_FILENO)) {
    fmt::print(stderr, "mailgroup: {}\n", text);
  }
}

struct DirectoryOptions {
  std::string path;
  bool skip_invalid = false;
};

void add_directory_options(CLI::App* command,
                           DirectoryOptions& options,
                           const Context& context) {
  command->add_option("--directory", options.path,
                      "Employee directory, CSV or TOML (default: [directory] "
                      "path in mailgroup.toml)")
      ->type_name("FILE")
      ->check(refused_when_elevated(context));
  command->add_flag("--skip-invalid", options.skip_invalid,
                    "Leave bad directory rows out, with a warning each");
}

std::unique_ptr<Directory> read_directory(const Store& store,
                                          const StoreConfig& config,
                                          const DirectoryOptions& options) {
  progress("reading the employee directory");
  std::vector<std::string> warnings;
  auto directory = open_directory(store.root(), config, options.path,
                                  options.skip_invalid, warnings);
  print_warnings(warnings);
  progress(fmt::format("read {} people in {} departments", directory->size(),
                       directory->departments().size() - 1));
  return directory;
}

struct EvalOptions {
  std::vector<std::string> groups;
  DirectoryOptions directory;
  std::string explain_email;
  Format format = Format::text;
};

// True if the person is a member.
bool run_explain(const EvalOptions& opt, const Snapshot& snapshot,
                 const Directory& directory) {
  if (opt.groups.size() != 1) {
    throw Error(ErrorKind::usage, "--explain takes exactly one group ADDRESS");
  }
  const auto& group = snapshot.get(require_address(opt.groups[0]));
  if (!group.dynamic) {
    throw Error(ErrorKind::usage,
                fmt::format("{} is not a department group", group.address));
  }
  auto result = explain(group, directory,
                        require_address(opt.explain_email));
  if (opt.format == Format::json) {
    print_json({{"address", group.address},
                {"email", ascii_lower(opt.explain_email)},
                {"member", result.member},
                {"reasons", result.lines}});
  } else {
    for (const auto& line : result.lines) {
      fmt::print("{}\n", line);
    }
  }
  return result.member;
}

void run_eval(const EvalOptions& opt, Context& context) {
  require_store_administrator(context, "evaluate department groups");
  auto store = context.store();
  // eval computes members afresh: the recorded ones are not needed.
  auto snapshot = store.load(false);
  std::vector<std::string> wanted;
  for (const auto& text : opt.groups) {
    auto address = require_address(text);
    if (!snapshot.get(address).dynamic) {
      throw Error(ErrorKind::usage,
                  fmt::format("{} is not a department group", address));
    }
    wanted.push_back(address);
  }
  auto directory = read_directory(store, snapshot.config, opt.directory);
  if (!opt.explain_email.empty()) {
    if (!run_explain(opt, snapshot, *directory)) {
      context.exit_status = exit_differs; // not a member: a clean "no"
    }
    return;
  }
  std::vector<std::string> warnings;
  progress("evaluating department groups");
  auto resolved = resolve_groups(snapshot, *directory, wanted, warnings);
  print_warnings(warnings);
  auto json = nlohmann::ordered_json::array();
  for (const auto& [address, members] : resolved) {
    auto group = snapshot.get(address);
    group.dynamic->set_resolved(members);
    auto effective = group.effective_members();
    if (opt.format == Format::json) {
      json.push_back({{"address", address},
                      {"members", effective},
                      {"directory_members", members}});
    } else if (opt.groups.size() == 1) {
      for (const auto& member : effective) {
        fmt::print("{}\n", member);
      }
    } else {
      for (const auto& member : effective) {
        fmt::print("{}\t{}\n", address, member);
      }
    }
  }
  if (opt.format == Format::json) {
    print_json(json);
  }
}

struct SyncOptions {
  DirectoryOptions directory;
  bool dry_run = false;
  bool force = false;
  bool summary = false;
  bool no_notify = false;
};

void run_sync(const SyncOptions& opt, Context& context) {
  auto run = invocation(context, opt.dry_run, opt.no_notify);
  run.progress = progress;
  auto result = workflows::sync(
      run, {opt.directory.path, opt.directory.skip_invalid, opt.force,
            opt.summary});
  if (!result.held.empty()) {
    context.exit_status = exit_held_back;
  }
  fmt::print("{}", result.report);
  report_notices(result.notices);
}

} // namespace

void add_department_commands(CLI::App& app, Context& context) {
  auto eval_opt = std::make_shared<EvalOptions>();
  auto* eval = app.add_subcommand(
      "eval", "Show who the directory puts in department groups (changes "
              "nothing)");
  eval->add_option("ADDRESS", eval_opt->groups,
                   "Department groups (default: all)");
  add_directory_options(eval, eval_opt->directory, context);
  eval->add_option("--explain", eval_opt->explain_email,
                   "Say why EMAIL is or is not a member (exit 1 if not)")
      ->type_name("EMAIL");
  add_format_option(eval, eval_opt->format, {Format::text, Format::json});
  eval->callback([eval_opt, &context] { run_eval(*eval_opt, context); });

  auto sync_opt = std::make_shared<SyncOptions>();
  auto* sync = app.add_subcommand(
      "sync", "Refresh every department group from the directory (for cron)");
  add_directory_options(sync, sync_opt->directory, context);
  add_dry_run_option(sync, sync_opt->dry_run);
  sync->add_flag("--force", sync_opt->force,
                 "Apply even when a group would lose more than "
                 "[sync] max_removal_share of its members");
  sync->add_flag("--summary", sync_opt->summary,
                 "One line a changed group instead of one a person");
  add_no_notify_option(sync, sync_opt->no_notify);
  sync->callback([sync_opt, &context] { run_sync(*sync_opt, context); });
}

} // namespace mailgroup::cli
