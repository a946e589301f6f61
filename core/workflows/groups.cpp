// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/workflows/groups.hpp"

#include "core/model/address.hpp"
#include "core/workflows/department.hpp"
#include "core/workflows/rights.hpp"

#include <fmt/format.h>

#include <utility>

namespace mailgroup::workflows {

namespace {

// Commands on one group read the groups they look up, not the store's
// 20,000 (Loading::on_demand).
Transaction open(const Invocation& invocation, const std::string& command) {
  return Transaction(invocation.store(), invocation.lock_timeout,
                     {command}, true, Loading::on_demand);
}

// The group `text` names, checked that `actor` has `right` on it; `verb`
// says what was refused ("change", "freeze").
std::string require_group_right(Transaction& t,
                                const Actor& actor,
                                std::string_view text,
                                GroupRight right,
                                std::string_view verb) {
  auto address = require_group(t.state(), text);
  require_right(actor, t.state().config, std::as_const(t.state()).get(address),
                right, fmt::format("{} {}", verb, address));
  return address;
}

// Putting group `member` into another routes that group's mail to it
// without Postfix checking `member`'s own sending rule (it checks only the
// address given at RCPT TO): only who may change `member` may nest it.
void require_nesting_rights(Transaction& t,
                            const Actor& actor,
                            const std::string& group,
                            const std::vector<std::string>& entries) {
  if (actor.owner || actor.store_administrator) {
    return;
  }
  for (const auto& entry : entries) {
    std::string address;
    try {
      address = require_address(entry);
    } catch (const Error&) {
      continue; // the edit itself reports it
    }
    // group_of: team+x@ is delivered to team@ just the same.
    const auto* nested = std::as_const(t.state()).group_of(address);
    if (nested && nested->address != group) {
      require_right(actor, t.state().config, *nested, GroupRight::change,
                    fmt::format("put group {} into {}", nested->address,
                                group));
    }
  }
}

void append(Notes& to, Notes notes) {
  to.insert(to.end(), std::make_move_iterator(notes.begin()),
            std::make_move_iterator(notes.end()));
}

} // namespace

Outcome create_group(const Invocation& invocation,
                     const std::string& address,
                     const GroupSettings& settings,
                     const std::vector<std::string>& members,
                     const std::string& applicant,
                     bool exist_ok) {
  auto t = open(invocation, "create");
  auto actor = identify(t, invocation);
  require_store_administrator(actor, t.state().config,
                              fmt::format("create {}", address));
  Outcome outcome;
  outcome.notes = mailgroup::create_group(
      t.state(), address, settings, members,
      applicant.empty() ? actor.log_name() : applicant, exist_ok);
  check_against_directory(invocation.store(), t.state(),
                          require_address(address));
  finish(t, invocation, outcome);
  send_notices(t, invocation, joins_to_notify(t.original(), t.state(), "create"),
               outcome);
  return outcome;
}

Outcome change_group(const Invocation& invocation,
                     const std::string& address,
                     const GroupSettings& settings) {
  auto t = open(invocation, "set");
  auto actor = identify(t, invocation);
  auto canonical =
      require_group_right(t, actor, address, GroupRight::change, "change");
  // A department and a condition are questions put to the employee
  // directory, which only store administrators may read (eval): its
  // answers show in the members, in error messages and in hidden groups'
  // memberships copied over.
  if (settings.department || settings.include_subdepartments ||
      settings.where || settings.make_static) {
    require_store_administrator(
        actor, t.state().config,
        fmt::format("change the department or condition of {}", canonical));
  }
  Outcome outcome;
  mailgroup::change_group(t.state(), address, settings);
  check_against_directory(invocation.store(), t.state(),
                          require_address(address));
  finish(t, invocation, outcome);
  return outcome;
}

Outcome delete_groups(const Invocation& invocation,
                      const std::vector<std::string>& addresses) {
  // Every group, to refuse deleting one that another has as a member; but
  // not their resolved members (a department's members are people, never
  // groups), which at 20,000 groups are most of the store's bytes.
  Transaction t(invocation.store(), invocation.lock_timeout, {"delete"},
                false, Loading::everything);
  auto actor = identify(t, invocation);
  for (const auto& address : addresses) {
    require_group_right(t, actor, address, GroupRight::delete_group, "delete");
  }
  Outcome outcome;
  mailgroup::delete_groups(t.state(), addresses);
  finish(t, invocation, outcome);
  return outcome;
}

Outcome freeze_group(const Invocation& invocation,
                     const std::string& address,
                     const std::string& reason) {
  auto t = open(invocation, "freeze");
  auto actor = identify(t, invocation);
  require_group_right(t, actor, address, GroupRight::change, "freeze");
  Outcome outcome;
  outcome.notes = mailgroup::freeze_group(t.state(), address, reason);
  finish(t, invocation, outcome);
  return outcome;
}

Outcome unfreeze_group(const Invocation& invocation,
                       const std::string& address) {
  auto t = open(invocation, "unfreeze");
  auto actor = identify(t, invocation);
  require_group_right(t, actor, address, GroupRight::change, "unfreeze");
  Outcome outcome;
  outcome.notes = mailgroup::unfreeze_group(t.state(), address);
  finish(t, invocation, outcome);
  return outcome;
}

Outcome edit_list(const Invocation& invocation,
                  ListEdit edit,
                  const std::string& group,
                  const std::vector<std::string>& entries) {
  static constexpr const char* commands[] = {"member add", "member remove",
                                             "whitelist add",
                                             "whitelist remove"};
  const std::string command = commands[static_cast<int>(edit)];
  auto t = open(invocation, command);
  auto actor = identify(t, invocation);
  auto address =
      require_group_right(t, actor, group, GroupRight::change, "change");
  if (edit == ListEdit::add_members) {
    require_nesting_rights(t, actor, address, entries);
  }
  Outcome outcome;
  auto& state = t.state();
  switch (edit) {
  case ListEdit::add_members:
    append(outcome.notes, add_members(state, group, entries));
    break;
  case ListEdit::remove_members:
    append(outcome.notes, remove_members(state, group, entries));
    break;
  case ListEdit::allow_senders:
    append(outcome.notes, add_to_whitelist(state, group, entries));
    break;
  case ListEdit::drop_senders:
    append(outcome.notes, remove_from_whitelist(state, group, entries));
    break;
  }
  finish(t, invocation, outcome);
  if (edit == ListEdit::add_members) {
    send_notices(t, invocation, joins_to_notify(t.original(), t.state(), command),
                 outcome);
  }
  return outcome;
}

void check_against_directory(const Store& store,
                             const Snapshot& snapshot,
                             const std::string& address) {
  const auto& group = snapshot.get(address);
  if (!group.dynamic || snapshot.config.directory.path.empty()) {
    return;
  }
  std::vector<std::string> warnings;
  auto directory = open_directory(store.root(), snapshot.config, "", true, warnings);
  validate_rule(group, *directory);
}

} // namespace mailgroup::workflows
