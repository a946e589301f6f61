// SPDX-License-Identifier: GPL-3.0-or-later
// init, check, create, set, delete, list, show, freeze, unfreeze.
#include "cmd/context.hpp"
#include "cmd/output.hpp"

#include "core/model/address.hpp"
#include "core/util/fs.hpp"
#include "core/workflows/bulk_create.hpp"
#include "core/workflows/groups.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <iostream>
#include <iterator>
#include <memory>

namespace mailgroup::cli {

namespace {

// `--on` sets `*target` to true, `--off` to false; giving both is an error.
void add_switch(CLI::App* command,
                std::optional<bool>& target,
                const std::string& on,
                const std::string& off,
                const std::string& help) {
  auto* yes = command->add_flag_callback(on, [&target] { target = true; }, help);
  auto* no = command->add_flag_callback(off, [&target] { target = false; });
  yes->excludes(no);
}

// The settings `create` and `set` share; `for_set` adds the ways to turn
// things back off.
void add_settings(CLI::App* command, GroupSettings& s, bool for_set) {
  command->add_option_function<std::string>(
      "--name", [&s](const std::string& v) { s.name = v; }, "Display name");
  command->add_option_function<std::string>(
      "--description",
      [&s](const std::string& v) { s.description = v; },
      "One-line description");
  command
      ->add_option_function<std::vector<std::string>>(
          "--admin",
          [&s](const std::vector<std::string>& v) { s.administrators = v; },
          for_set ? "Administrators (replaces the list; repeatable)"
                  : "Administrator (repeatable)")
      ->type_name("ADDRESS");
  command
      ->add_option_function<std::string>(
          "--permission",
          [&s](const std::string& v) { s.permission = parse_permission(v); },
          "Who may send: domain (default), members, anyone, whitelist")
      ->check(CLI::IsMember({"domain", "members", "anyone", "whitelist"}));
  add_switch(command,
             s.audit,
             "--audit",
             "--no-audit",
             "Email audit: hold mail until an auditor approves it");
  command
      ->add_option_function<std::vector<std::string>>(
          "--auditor",
          [&s](const std::vector<std::string>& v) { s.auditors = v; },
          "Auditor (repeatable; replaces the list)")
      ->type_name("ADDRESS");
  std::optional<bool>& shown = s.show_in_contacts;
  add_switch(command, shown, "--shown", "--hidden",
             "Show in contacts (--hidden: don't)");
  add_switch(command,
             s.notify_members,
             "--notify-members",
             "--no-notify-members",
             "Send new members a notice");
  add_switch(command,
             s.leave_needs_approval,
             "--leave-approval",
             "--no-leave-approval",
             "Leaving needs an administrator's approval");
  add_switch(command,
             s.ignore_auto_replies,
             "--ignore-auto-replies",
             "--no-ignore-auto-replies",
             "Refuse automatic replies (null sender) to the group");
  add_switch(command,
             s.require_login,
             "--require-login",
             "--no-require-login",
             "Senders must log in (SASL) as a login the permission allows");
  add_switch(command,
             s.members_may_send_as_group,
             "--members-may-send-as-group",
             "--no-members-may-send-as-group",
             "Members' logins may send as the group's address");
  command
      ->add_option_function<std::string>(
          "--refusal-text",
          [&s](const std::string& v) { s.refusal_text = v; },
          "What Postfix tells a refused sender (\"\": the default)")
      ->type_name("TEXT");
  command
      ->add_option_function<std::string>(
          "--department",
          [&s](const std::string& v) { s.department = v; },
          "Make it a department group of PATH (e.g. Engineering/Platform)")
      ->type_name("PATH");
  add_switch(command,
             s.include_subdepartments,
             "--include-subdepartments",
             "--no-include-subdepartments",
             "Include everyone below the department too");
  command
      ->add_option_function<std::string>(
          "--where",
          [&s](const std::string& v) { s.where = v; },
          "Condition on employee attributes (see mailgroup-rules(7))")
      ->type_name("EXPR");
  command
      ->add_option("--exclude", s.exclude_add,
                   "Never a member, whatever the directory says (repeatable)")
      ->type_name("ADDRESS");
  if (for_set) {
    command
        ->add_option("--unexclude", s.exclude_remove,
                     "Take an address off the exclude list (repeatable)")
        ->type_name("ADDRESS");
    command->add_flag("--static", s.make_static,
                      "Turn a department group into a static one");
  }
}

struct CreateOptions {
  std::string address;
  GroupSettings settings;
  std::vector<std::string> members;
  std::string applicant; // empty: who runs the command
  bool exist_ok = false;
  bool dry_run = false;
  bool no_notify = false;
  std::string from;        // --from FILE: many groups at once
  std::string from_format; // empty: from FILE's name
};

// The definitions of `create --from`: FILE, or standard input for "-".
std::vector<GroupDefinition> read_definitions(const CreateOptions& opt) {
  bool from_stdin = opt.from == "-";
  std::optional<DefinitionFormat> format;
  if (!opt.from_format.empty()) {
    format = parse_definition_format(opt.from_format);
  } else if (!from_stdin) {
    format = definition_format_of(opt.from);
  }
  if (!format) {
    throw Error(ErrorKind::usage,
                fmt::format("cannot tell the format of {} from its name; "
                            "give --from-format toml or --from-format jsonl",
                            from_stdin ? "standard input" : quote(opt.from)));
  }
  std::optional<std::string> text;
  if (from_stdin) {
    text.emplace(std::istreambuf_iterator<char>(std::cin),
                 std::istreambuf_iterator<char>());
  } else {
    text = read_file_if_exists(opt.from);
  }
  if (!text) {
    throw Error(ErrorKind::no_input,
                fmt::format("no file {}; give the file of group definitions",
                            quote(opt.from)));
  }
  return parse_group_definitions(*text, from_stdin ? "<stdin>" : opt.from,
                                 *format);
}

void add_create(CLI::App& app, Context& context) {
  auto opt = std::make_shared<CreateOptions>();
  auto* cmd = app.add_subcommand("create", "Create a group");
  // Each group of --from has its own address and settings: the options
  // for one group are refused beside it.
  auto first_setting = cmd->get_options().size();
  auto* address = cmd->add_option("ADDRESS", opt->address, "The group's address");
  add_settings(cmd, opt->settings, false);
  cmd->add_option("--member", opt->members, "Member (repeatable; - reads stdin)")
      ->type_name("ADDRESS");
  auto one_group = cmd->get_options();
  one_group.erase(one_group.begin(),
                  one_group.begin() + static_cast<std::ptrdiff_t>(first_setting));
  auto* from = cmd->add_option("--from", opt->from,
                               "Create every group defined in FILE (TOML or "
                               "JSON Lines; - reads stdin), all or nothing")
                   ->type_name("FILE");
  for (auto* option : one_group) {
    from->excludes(option);
  }
  cmd->add_option("--from-format", opt->from_format,
                  "Format of --from: toml or jsonl (default: from the "
                  "file name)")
      ->check(CLI::IsMember({"toml", "jsonl"}))
      ->needs(from);
  cmd->add_option("--applicant", opt->applicant,
                  "Who asked for the group (default: you, as mailgroup knows "
                  "you; see DELEGATION in mailgroup(1))");
  cmd->add_flag("--exist-ok", opt->exist_ok,
                "Succeed, changing nothing, if the group exists");
  add_dry_run_option(cmd, opt->dry_run);
  add_no_notify_option(cmd, opt->no_notify);
  cmd->callback([opt, &context, address, from] {
    auto run = invocation(context, opt->dry_run, opt->no_notify);
    if (from->count() != 0) {
      if (opt->from != "-" && context.caller.elevated) {
        // Root would read the file for the caller, and its errors quote it.
        throw Error(ErrorKind::permission,
                    fmt::format("{} (uid {}) may not name files through sudo; "
                                "give the definitions on standard input: "
                                "--from - < FILE",
                                context.caller.login, context.caller.uid));
      }
      render(workflows::create_groups(run, read_definitions(*opt),
                                      opt->applicant, opt->exist_ok));
      return;
    }
    if (address->count() == 0) {
      throw Error(ErrorKind::usage,
                  "give the group's ADDRESS, or --from FILE to create many");
    }
    auto members = with_stdin(opt->members);
    render(workflows::create_group(run, opt->address,
        opt->settings, members, opt->applicant, opt->exist_ok));
  });
}

struct SetOptions {
  std::string address;
  GroupSettings settings;
  bool dry_run = false;
};

void add_set(CLI::App& app, Context& context) {
  auto opt = std::make_shared<SetOptions>();
  auto* cmd = app.add_subcommand("set", "Change a group's settings");
  cmd->add_option("ADDRESS", opt->address, "The group's address")->required();
  add_settings(cmd, opt->settings, true);
  add_dry_run_option(cmd, opt->dry_run);
  cmd->callback([opt, &context] {
    render(workflows::change_group(invocation(context, opt->dry_run),
                                   opt->address, opt->settings));
  });
}

struct AddressesOptions {
  std::vector<std::string> addresses;
  std::string reason;
  bool dry_run = false;
};

void add_delete(CLI::App& app, Context& context) {
  auto opt = std::make_shared<AddressesOptions>();
  auto* cmd = app.add_subcommand("delete", "Delete groups");
  cmd->add_option("ADDRESS", opt->addresses, "The groups' addresses")
      ->required();
  add_dry_run_option(cmd, opt->dry_run);
  cmd->callback([opt, &context] {
    render(workflows::delete_groups(invocation(context, opt->dry_run),
                                    opt->addresses));
  });
}

void add_freeze(CLI::App& app, Context& context) {
  auto opt = std::make_shared<AddressesOptions>();
  auto* cmd = app.add_subcommand(
      "freeze", "Freeze a group: its mail is refused as mailbox unavailable");
  cmd->add_option("ADDRESS", opt->addresses, "The group's address")
      ->required()
      ->expected(1);
  cmd->add_option("--reason", opt->reason, "Why (kept with the group)");
  add_dry_run_option(cmd, opt->dry_run);
  cmd->callback([opt, &context] {
    render(workflows::freeze_group(invocation(context, opt->dry_run),
                                   opt->addresses[0], opt->reason));
  });

  auto opt2 = std::make_shared<AddressesOptions>();
  auto* un = app.add_subcommand("unfreeze", "Let a frozen group receive mail");
  un->add_option("ADDRESS", opt2->addresses, "The group's address")
      ->required()
      ->expected(1);
  add_dry_run_option(un, opt2->dry_run);
  un->callback([opt2, &context] {
    render(workflows::unfreeze_group(invocation(context, opt2->dry_run),
                                     opt2->addresses[0]));
  });
}

struct ReadOptions {
  std::string address;
  Format format = Format::text;
};

void add_list_and_show(CLI::App& app, Context& context) {
  auto opt = std::make_shared<ReadOptions>();
  auto* list = app.add_subcommand("list", "List the groups");
  add_format_option(list, opt->format, {Format::text, Format::json, Format::csv});
  list->callback([opt, &context] {
    auto store = context.store();
    auto snapshot = store.load();
    auto actor = reader(context, store, snapshot.config);
    // A delegated caller sees the groups shown in contacts and their own.
    std::erase_if(snapshot.groups, [&](const auto& entry) {
      return !has_right(actor, snapshot.config, entry.second, GroupRight::read);
    });
    if (opt->format == Format::csv) {
      fmt::print("{}", groups_csv(snapshot));
    } else if (opt->format == Format::json) {
      auto groups = nlohmann::ordered_json::array();
      for (const auto& [address, group] : snapshot.groups) {
        groups.push_back(group);
      }
      print_json(groups);
    } else {
      for (const auto& [address, group] : snapshot.groups) {
        fmt::print("{}\n", address);
      }
    }
  });

  auto show_opt = std::make_shared<ReadOptions>();
  auto* show = app.add_subcommand("show", "Show a group's settings and members");
  show->add_option("ADDRESS", show_opt->address, "The group's address")
      ->required();
  add_format_option(show, show_opt->format, {Format::text, Format::json});
  show->callback([show_opt, &context] {
    auto store = context.store();
    auto snapshot = store.load_on_demand();
    const auto& group = snapshot.get(require_address(show_opt->address));
    require_right(reader(context, store, snapshot.config), snapshot.config,
                  group, GroupRight::read, "show " + group.address);
    if (show_opt->format == Format::json) {
      print_json(group);
    } else {
      fmt::print("{}", group_text(snapshot, group));
    }
  });
}

struct InitOptions {
  std::vector<std::string> domains;
  std::vector<std::string> admins;
  std::string permission = "domain";
  bool dry_run = false;
};

void add_init(CLI::App& app, Context& context) {
  auto opt = std::make_shared<InitOptions>();
  auto* cmd = app.add_subcommand("init", "Create a store");
  cmd->add_option("--domain", opt->domains, "A local domain (repeatable)")
      ->required();
  cmd->add_option("--admin", opt->admins,
                  "Default administrator of new groups (repeatable)")
      ->type_name("ADDRESS");
  cmd->add_option("--permission", opt->permission,
                  "Default sending permission of new groups")
      ->check(CLI::IsMember({"domain", "members", "anyone", "whitelist"}));
  add_dry_run_option(cmd, opt->dry_run);
  cmd->callback([opt, &context] {
    require_not_elevated(context, "create a store");
    StoreConfig config;
    for (const auto& domain : opt->domains) {
      config.domains.push_back(require_domain(domain));
    }
    for (const auto& admin : opt->admins) {
      config.default_administrators.push_back(require_address(admin));
    }
    canonicalize(config.domains);
    canonicalize(config.default_administrators);
    config.default_permission = parse_permission(opt->permission);
    if (opt->dry_run) {
      fmt::print("would create a store at {}\n", context.store_dir);
      return;
    }
    Store::init(context.store_dir, config);
  });
}

void add_check(CLI::App& app, Context& context) {
  auto opt = std::make_shared<ReadOptions>();
  auto* cmd = app.add_subcommand(
      "check", "Validate every file of the store; list every problem");
  add_format_option(cmd, opt->format, {Format::text, Format::json});
  cmd->callback([opt, &context] {
    require_store_administrator(context, "check the store");
    std::vector<Diagnostic> problems;
    auto leftovers = context.store().leftovers();
    try {
      context.store().load();
    } catch (const Error& e) {
      if (opt->format != Format::json || e.diagnostics().empty()) {
        for (const auto& leftover : leftovers) {
          print_warning(leftover.to_string());
        }
        throw;
      }
      problems = e.diagnostics();
    }
    if (opt->format != Format::json) {
      for (const auto& leftover : leftovers) {
        print_warning(leftover.to_string());
      }
    }
    if (opt->format == Format::json) {
      print_json({{"ok", problems.empty()},
                  {"problems", problems},
                  {"warnings", leftovers}});
      if (!problems.empty()) {
        throw Error(ErrorKind::data,
                    fmt::format("{} problem(s) found", problems.size()));
      }
    }
  });
}

} // namespace

void add_group_commands(CLI::App& app, Context& context) {
  add_init(app, context);
  add_check(app, context);
  add_create(app, context);
  add_set(app, context);
  add_delete(app, context);
  add_list_and_show(app, context);
  add_freeze(app, context);
}

} // namespace mailgroup::cli
