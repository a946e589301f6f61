// SPDX-License-Identifier: GPL-3.0-or-later
// held list|release|drop: mail for audited groups in Postfix's hold queue.
#include "cmd/context.hpp"

#include "core/workflows/held.hpp"
#include "core/util/json.hpp"

#include <fmt/format.h>

#include <memory>

namespace mailgroup::cli {

namespace {

void add_postfix_config_option(CLI::App* command, std::string& directory) {
  command
      ->add_option("--postfix-config", directory,
                   "Postfix's configuration directory (default: Postfix's own)")
      ->type_name("DIR");
}

struct HeldListOptions {
  std::string group;
  std::string as;
  std::string postfix_config;
  Format format = Format::text;
};

void run_held_list(const HeldListOptions& opt, const Context& context) {
  auto snapshot = context.store().load(false);
  std::string group;
  if (!opt.group.empty()) {
    group = require_group(snapshot, opt.group);
  }
  std::string auditor = opt.as.empty() ? "" : require_address(opt.as);
  JsonWriter json;
  json.begin_array();
  for (const auto& message :
       held_for_audit(snapshot, PostfixQueue(opt.postfix_config))) {
    auto has = [](const std::vector<std::string>& list, const std::string& x) {
      return std::find(list.begin(), list.end(), x) != list.end();
    };
    if ((!group.empty() && !has(message.groups, group)) ||
        (!auditor.empty() && !has(message.auditors, auditor))) {
      continue;
    }
    if (opt.format == Format::text) {
      // Tab-separated for cut(1); control characters were replaced.
      fmt::print("{}\t{}\t{}\t{}\t{}\n", message.id, message.arrival,
                 message.sender, fmt::join(message.groups, ","),
                 message.subject);
      continue;
    }
    json.begin_object();
    json.key("id").value(std::string_view(message.id));
    json.key("arrival").value(std::string_view(message.arrival));
    json.key("sender").value(std::string_view(message.sender));
    json.key("from").value(std::string_view(message.from));
    json.key("subject").value(std::string_view(message.subject));
    json.key("size").value(message.size);
    json.key("recipients").value(static_cast<long long>(message.recipients));
    json.key("groups").value(message.groups);
    json.key("auditors").value(message.auditors);
    json.end_object();
  }
  json.end_array();
  if (opt.format == Format::json) {
    fmt::print("{}", json.str());
  }
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
  add_postfix_config_option(cmd, opt->postfix_config);
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
  add_postfix_config_option(list, list_opt->postfix_config);
  add_format_option(list, list_opt->format, {Format::text, Format::json});
  list->callback([list_opt, &context] { run_held_list(*list_opt, context); });
  add_held_action(held, context, true);
  add_held_action(held, context, false);
}

} // namespace mailgroup::cli
