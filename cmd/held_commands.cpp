// SPDX-License-Identifier: GPL-3.0-or-later
// held list|release|drop: mail for audited groups in Postfix's hold queue.
#include "cmd/context.hpp"
#include "cmd/output.hpp"

#include "core/workflows/held.hpp"

#include <fmt/format.h>

#include <memory>

namespace mailgroup::cli {

namespace {

void add_postfix_config_option(CLI::App* command,
                               std::string& directory,
                               const Context& context) {
  command
      ->add_option("--postfix-config", directory,
                   "Postfix's configuration directory (default: [postfix] "
                   "config_directory in mailgroup.toml, else Postfix's own)")
      ->type_name("DIR")
      ->check(refused_when_elevated(context));
}

// --postfix-config, else mailgroup.toml's [postfix] config_directory.
std::string postfix_config(const std::string& given, const Snapshot& snapshot) {
  return given.empty() ? snapshot.config.postfix_config_directory : given;
}

struct HeldListOptions {
  std::string group;
  std::string as;
  std::string postfix_config;
  Format format = Format::text;
};

void run_held_list(const HeldListOptions& opt, const Context& context) {
  auto store = context.store();
  auto snapshot = store.load(false);
  // --as (the owner's only) shows what that address may act on, as a
  // delegated caller sees only that.
  auto actor = reader(context, store, snapshot.config, opt.as);
  std::string group;
  if (!opt.group.empty()) {
    group = require_group(snapshot, opt.group);
  }
  auto held = held_for_audit(
      snapshot, PostfixQueue(postfix_config(opt.postfix_config, snapshot)));
  std::erase_if(held, [&](const HeldMessage& message) {
    return (!group.empty() &&
            std::find(message.groups.begin(), message.groups.end(), group) ==
                message.groups.end()) ||
           !may_audit(actor, message);
  });
  // Tab-separated for cut(1); control characters were replaced.
  print_records(opt.format, held, [](const HeldMessage& message) {
    return fmt::format("{}\t{}\t{}\t{}\t{}\n", message.id, message.arrival,
                       message.sender, fmt::join(message.groups, ","),
                       message.subject);
  });
}

struct HeldActionOptions {
  std::string id;
  std::string as;
  std::string postfix_config;
  bool dry_run = false;
};

void run_held_action(const HeldActionOptions& opt,
                     const Context& context,
                     bool release) {
  render(workflows::act_on_held(invocation(context, opt.dry_run, false, opt.as),
                                opt.postfix_config, opt.id, release));
}

void add_held_action(CLI::App* held, Context& context, bool release) {
  auto opt = std::make_shared<HeldActionOptions>();
  auto* cmd = held->add_subcommand(
      release ? "release" : "drop",
      release ? "Deliver a held message (its groups' auditors only)"
              : "Delete a held message unsent (its groups' auditors only)");
  cmd->add_option("ID", opt->id, "The Postfix queue ID (see held list)")
      ->required();
  add_as_option(cmd, opt->as);
  add_postfix_config_option(cmd, opt->postfix_config, context);
  add_dry_run_option(cmd, opt->dry_run);
  cmd->callback([opt, &context, release] {
    run_held_action(*opt, context, release);
  });
}

} // namespace

void add_held_commands(CLI::App& app, Context& context) {
  auto* held = app.add_subcommand(
      "held", "Mail for audited groups waiting in Postfix's hold queue");
  held->require_subcommand(1);
  auto list_opt = std::make_shared<HeldListOptions>();
  auto* list = held->add_subcommand("list", "List held mail for audited groups");
  list->add_option("ADDRESS", list_opt->group, "Only mail for this group");
  list->add_option("--as", list_opt->as,
                   "Only mail ADDRESS may release or drop")
      ->type_name("ADDRESS");
  add_postfix_config_option(list, list_opt->postfix_config, context);
  add_format_option(list, list_opt->format, {Format::text, Format::json});
  list->callback([list_opt, &context] { run_held_list(*list_opt, context); });
  add_held_action(held, context, true);
  add_held_action(held, context, false);
}

} // namespace mailgroup::cli
