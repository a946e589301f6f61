// SPDX-License-Identifier: GPL-3.0-or-later
// member add|remove|list, whitelist add|remove|list.
#include "cmd/context.hpp"
#include "cmd/output.hpp"

#include "core/model/address.hpp"
#include "core/workflows/groups.hpp"

#include <fmt/format.h>

#include <memory>
#include <utility>

namespace mailgroup::cli {

namespace {

struct ListChange {
  std::string group;
  std::vector<std::string> entries;
  bool dry_run = false;
  bool no_notify = false;
};

// `add` and `remove` of members and whitelists share one shape: a group, some
// entries (or '-' for stdin), --dry-run.
void add_list_change(CLI::App* parent,
                     Context& context,
                     const std::string& name,
                     const std::string& help,
                     const std::string& what,
                     workflows::ListEdit edit,
                     std::string (*check)(std::string_view),
                     bool joins = false) {
  auto opt = std::make_shared<ListChange>();
  auto* cmd = parent->add_subcommand(name, help);
  cmd->add_option("ADDRESS", opt->group, "The group's address")->required();
  cmd->add_option(what, opt->entries,
                  fmt::format("{}s ('-' reads one a line from stdin)", what))
      ->required();
  add_dry_run_option(cmd, opt->dry_run);
  if (joins) {
    add_no_notify_option(cmd, opt->no_notify);
  }
  cmd->callback([opt, &context, edit, check] {
    auto entries = with_stdin(opt->entries, check);
    render(workflows::edit_list(
               invocation(context, opt->dry_run, opt->no_notify), edit,
               opt->group, entries));
  });
}

struct ListRead {
  std::string group;
  Format format = Format::text;
};

void print_list(const ListRead& opt,
                std::string_view key,
                const std::vector<std::string>& list,
                const Group& group) {
  if (opt.format == Format::json) {
    nlohmann::ordered_json json = {{"address", group.address},
                                   {std::string(key), list}};
    if (key == "members") {
      json["static_members"] = group.members;
      json["directory_members"] =
          group.dynamic ? nlohmann::ordered_json(group.dynamic->resolved)
                        : nlohmann::ordered_json::array();
      json["excluded"] = group.dynamic
                             ? nlohmann::ordered_json(group.dynamic->exclude)
                             : nlohmann::ordered_json::array();
    }
    print_json(json);
    return;
  }
  for (const auto& entry : list) {
    fmt::print("{}\n", entry);
  }
}

// Prints list `key` of group `opt.group`, if the caller may read it.
void run_list_read(const ListRead& opt,
                   const Context& context,
                   std::string_view key) {
  auto store = context.store();
  auto snapshot = store.load_on_demand();
  const auto& group = std::as_const(snapshot).get(require_address(opt.group));
  require_right(reader(context, store, snapshot.config), snapshot.config,
                group, GroupRight::read,
                fmt::format("list the {} of {}", key, group.address));
  print_list(opt, key,
             key == "members" ? group.effective_members() : group.whitelist,
             group);
}

} // namespace

void add_member_commands(CLI::App& app, Context& context) {
  auto* member = app.add_subcommand("member", "Add, remove and list members");
  member->require_subcommand(1);
  add_list_change(member, context, "add", "Add members to a group", "MEMBER",
                  workflows::ListEdit::add_members, require_address, true);
  add_list_change(member, context, "remove", "Remove members from a group",
                  "MEMBER", workflows::ListEdit::remove_members, require_address);
  add_leave_command(member, context);
  auto members = std::make_shared<ListRead>();
  auto* list = member->add_subcommand(
      "list", "List everyone who gets the group's mail (nested groups as "
              "addresses)");
  list->add_option("ADDRESS", members->group, "The group's address")
      ->required();
  add_format_option(list, members->format, {Format::text, Format::json});
  list->callback(
      [members, &context] { run_list_read(*members, context, "members"); });

  auto* whitelist = app.add_subcommand(
      "whitelist", "Manage who may send to a group with --permission whitelist");
  whitelist->require_subcommand(1);
  add_list_change(whitelist, context, "add",
                  "Allow senders (addresses or @domain)", "SENDER",
                  workflows::ListEdit::allow_senders, require_sender_entry);
  add_list_change(whitelist, context, "remove", "Take senders off the list",
                  "SENDER", workflows::ListEdit::drop_senders,
                  require_sender_entry);
  auto senders = std::make_shared<ListRead>();
  auto* wlist = whitelist->add_subcommand("list", "List the allowed senders");
  wlist->add_option("ADDRESS", senders->group, "The group's address")
      ->required();
  add_format_option(wlist, senders->format, {Format::text, Format::json});
  wlist->callback(
      [senders, &context] { run_list_read(*senders, context, "whitelist"); });
}

} // namespace mailgroup::cli
