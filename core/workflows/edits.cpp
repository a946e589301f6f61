// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/workflows/edits.hpp"

#include "core/directory/rule.hpp"
#include "core/model/address.hpp"
#include "core/util/error.hpp"
#include "core/util/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

namespace mailgroup {

namespace {

bool contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool remove_entry(std::vector<std::string>& list, std::string_view value) {
  auto it = std::find(list.begin(), list.end(), value);
  if (it == list.end()) {
    return false;
  }
  list.erase(it);
  return true;
}

std::vector<std::string> addresses(const std::vector<std::string>& list) {
  std::vector<std::string> out;
  for (const auto& text : list) {
    out.push_back(require_address(text));
  }
  canonicalize(out);
  return out;
}

void apply_rule_settings(Group& group,
                         const GroupSettings& settings,
                         std::string_view separator) {
  bool touches_rule = settings.department || settings.include_subdepartments ||
                      settings.where || !settings.exclude_add.empty() ||
                      !settings.exclude_remove.empty();
  if (settings.make_static) {
    if (touches_rule) {
      throw Error(ErrorKind::usage,
                  "--static cannot be combined with department settings");
    }
    group.dynamic.reset();
    return;
  }
  if (!touches_rule) {
    return;
  }
  if (!group.dynamic) {
    if (!settings.department) {
      throw Error(ErrorKind::usage,
                  fmt::format("{} is not a department group; give "
                              "--department PATH to make it one",
                              group.address));
    }
    group.dynamic.emplace();
  }
  auto& rule = *group.dynamic;
  if (settings.department) {
    auto department = std::string(trim(*settings.department));
    require_single_line_text("department", department);
    if (auto why = department_path_error(department, separator);
        !why.empty()) {
      throw Error(ErrorKind::data,
                  fmt::format("invalid --department {}: {}", quote(department),
                              why));
    }
    rule.department = department;
  }
  if (settings.include_subdepartments) {
    rule.include_subdepartments = *settings.include_subdepartments;
  }
  if (settings.where) {
    rule.where = std::string(trim(*settings.where));
    if (!rule.where.empty()) {
      Rule::parse(rule.where);
    }
  }
  for (const auto& text : settings.exclude_add) {
    auto address = require_address(text);
    if (!contains(rule.exclude, address)) {
      rule.exclude.push_back(address);
    }
  }
  for (const auto& text : settings.exclude_remove) {
    remove_entry(rule.exclude, require_address(text));
  }
}

void apply_settings(Group& group,
                    const GroupSettings& settings,
                    std::string_view separator) {
  if (settings.name) {
    require_single_line_text("name", *settings.name);
    group.name = *settings.name;
  }
  if (settings.description) {
    require_single_line_text("description", *settings.description);
    group.description = *settings.description;
  }
  if (settings.administrators) {
    group.administrators = addresses(*settings.administrators);
  }
  if (settings.permission) {
    group.permission = *settings.permission;
  }
  if (settings.auditors) {
    group.auditors = addresses(*settings.auditors);
  }
  if (settings.audit) {
    group.audit = *settings.audit;
  }
  if (settings.show_in_contacts) {
    group.show_in_contacts = *settings.show_in_contacts;
  }
  if (settings.notify_members) {
    group.notify_members = *settings.notify_members;
  }
  if (settings.leave_needs_approval) {
    group.leave_needs_approval = *settings.leave_needs_approval;
  }
  if (settings.ignore_auto_replies) {
    group.ignore_auto_replies = *settings.ignore_auto_replies;
  }
  if (settings.require_login) {
    group.require_login = *settings.require_login;
  }
  if (settings.members_may_send_as_group) {
    group.members_may_send_as_group = *settings.members_may_send_as_group;
  }
  if (settings.refusal_text) {
    if (auto why = refusal_text_error(*settings.refusal_text); !why.empty()) {
      throw Error(ErrorKind::usage,
                  fmt::format("invalid --refusal-text {}: {}; give one line "
                              "of printable ASCII, or \"\" for the default",
                              quote(*settings.refusal_text), why));
    }
    group.refusal_text = *settings.refusal_text;
  }
  apply_rule_settings(group, settings, separator);
  if (group.administrators.empty()) {
    throw Error(ErrorKind::usage,
                fmt::format("{} needs at least one administrator: give --admin "
                            "ADDRESS (or set [defaults] administrators in "
                            "mailgroup.toml)",
                            group.address));
  }
  if (group.audit && group.auditors.empty()) {
    throw Error(ErrorKind::usage,
                fmt::format("email audit on {} needs at least one auditor: "
                            "give --auditor ADDRESS",
                            group.address));
  }
}

} // namespace

std::string require_group(const Snapshot& snapshot, std::string_view text) {
  auto address = require_address(text);
  snapshot.get(address);
  return address;
}

Notes create_group(Snapshot& snapshot,
                   std::string_view address_text,
                   const GroupSettings& settings,
                   const std::vector<std::string>& members,
                   const std::string& applicant,
                   bool exist_ok) {
  auto address = require_group_address(address_text);
  if (!snapshot.config.is_local_domain(domain_of(address))) {
    throw Error(ErrorKind::data,
                fmt::format("{} is not in a domain of this store ({}); add "
                            "the domain to mailgroup.toml first",
                            quote(address),
                            fmt::join(snapshot.config.domains, ", ")));
  }
  if (snapshot.is_group(address)) {
    if (exist_ok) {
      return {fmt::format("group {} already exists; left as it is",
                          address)};
    }
    throw Error(ErrorKind::exists,
                fmt::format("group {} already exists (use 'mailgroup set' "
                            "to change it, or --exist-ok)",
                            address));
  }
  Group group;
  group.address = address;
  group.applicant = applicant;
  require_single_line_text("applicant", applicant);
  group.created = now_rfc3339();
  group.permission = snapshot.config.default_permission;
  group.administrators = snapshot.config.default_administrators;
  apply_settings(group, settings,
                 snapshot.config.directory.department_separator);
  group.members = addresses(members);
  snapshot.groups.emplace(address, std::move(group));
  return {};
}

void change_group(Snapshot& snapshot,
                  std::string_view address,
                  const GroupSettings& settings) {
  apply_settings(snapshot.get(require_address(address)), settings,
                 snapshot.config.directory.department_separator);
}

void delete_groups(Snapshot& snapshot,
                   const std::vector<std::string>& groups) {
  std::vector<std::string> doomed;
  for (const auto& text : groups) {
    doomed.push_back(require_group(snapshot, text));
  }
  for (const auto& [address, group] : snapshot.groups) {
    if (contains(doomed, address)) {
      continue;
    }
    for (const auto& victim : doomed) {
      if (contains(group.members, victim)) {
        throw Error(ErrorKind::usage,
                    fmt::format("{} is a member of {}; remove it there first "
                                "(mailgroup member remove {} {})",
                                victim,
                                address,
                                address,
                                victim));
      }
    }
  }
  for (const auto& victim : doomed) {
    snapshot.groups.erase(victim);
  }
  // Their pending leave requests go with them.
  std::erase_if(snapshot.requests.pending,
                [&](const auto& request) { return contains(doomed, request.group); });
}

Notes freeze_group(Snapshot& snapshot,
                   std::string_view address,
                   const std::string& reason) {
  auto& group = snapshot.get(require_address(address));
  require_single_line_text("reason", reason);
  if (group.frozen) {
    if (!reason.empty()) {
      group.frozen_reason = reason;
    }
    return {fmt::format("{} is already frozen", group.address)};
  }
  group.frozen = true;
  group.frozen_reason = reason;
  group.frozen_at = now_rfc3339();
  return {};
}

Notes unfreeze_group(Snapshot& snapshot, std::string_view address) {
  auto& group = snapshot.get(require_address(address));
  if (!group.frozen) {
    return {fmt::format("{} is not frozen", group.address)};
  }
  group.frozen = false;
  group.frozen_reason.clear();
  group.frozen_at.clear();
  return {};
}

namespace {

// A few addresses get a note each; many get one note that names the first
// few, so a bulk add of 1,000 existing members prints one line, not 1,000.
void note_addresses(Notes& notes,
                    const std::vector<std::string>& addresses,
                    std::string_view singular,
                    std::string_view plural) {
  constexpr std::size_t k_named = 3;
  if (addresses.size() <= k_named) {
    for (const auto& address : addresses) {
      notes.push_back(fmt::format("{} {}", address, singular));
    }
    return;
  }
  notes.push_back(fmt::format(
      "{} addresses {}: {} and {} more", addresses.size(), plural,
      fmt::join(addresses.begin(),
                addresses.begin() + static_cast<std::ptrdiff_t>(k_named),
                ", "),
      addresses.size() - k_named));
}

// Whether sorted `list` holds `entry`.
bool sorted_contains(const std::vector<std::string>& list,
                     std::size_t size,
                     const std::string& entry) {
  auto end = list.begin() + static_cast<std::ptrdiff_t>(size);
  return std::binary_search(list.begin(), end, entry);
}

} // namespace

Notes add_members(Snapshot& snapshot,
                  std::string_view address,
                  const std::vector<std::string>& members) {
  auto& group = snapshot.get(require_address(address));
  auto wanted = addresses(members);
  canonicalize(group.members);
  auto existing = group.members.size();
  std::vector<std::string> already;
  for (const auto& member : wanted) {
    if (sorted_contains(group.members, existing, member)) {
      already.push_back(member);
      continue;
    }
    group.members.push_back(member);
  }
  Notes notes;
  note_addresses(notes, already,
                 fmt::format("is already a member of {}", group.address),
                 fmt::format("are already members of {}", group.address));
  return notes;
}

Notes remove_members(Snapshot& snapshot,
                     std::string_view address,
                     const std::vector<std::string>& members) {
  auto& group = snapshot.get(require_address(address));
  auto unwanted = addresses(members);
  canonicalize(unwanted);
  canonicalize(group.members);
  std::vector<std::string> kept;
  std::vector<std::string> missing;
  std::set_difference(group.members.begin(), group.members.end(),
                      unwanted.begin(), unwanted.end(),
                      std::back_inserter(kept));
  std::set_difference(unwanted.begin(), unwanted.end(),
                      group.members.begin(), group.members.end(),
                      std::back_inserter(missing));
  group.members = std::move(kept);
  Notes notes;
  std::vector<std::string> not_members;
  for (const auto& member : missing) {
    if (group.dynamic &&
        std::binary_search(group.dynamic->resolved.begin(),
                           group.dynamic->resolved.end(),
                           std::string_view(member))) {
      notes.push_back(fmt::format("{} is a member of {} through the "
                                  "directory; exclude it with 'mailgroup set "
                                  "{} --exclude {}'",
                                  member,
                                  group.address,
                                  group.address,
                                  member));
    } else {
      not_members.push_back(member);
    }
  }
  note_addresses(notes, not_members,
                 fmt::format("is not a member of {}", group.address),
                 fmt::format("are not members of {}", group.address));
  return notes;
}

Notes add_to_whitelist(Snapshot& snapshot,
                       std::string_view address,
                       const std::vector<std::string>& senders) {
  auto& group = snapshot.get(require_address(address));
  std::vector<std::string> wanted;
  for (const auto& text : senders) {
    wanted.push_back(require_sender_entry(text));
  }
  canonicalize(wanted);
  canonicalize(group.whitelist);
  auto existing = group.whitelist.size();
  std::vector<std::string> already;
  for (const auto& sender : wanted) {
    if (sorted_contains(group.whitelist, existing, sender)) {
      already.push_back(sender);
      continue;
    }
    group.whitelist.push_back(sender);
  }
  Notes notes;
  note_addresses(notes, already,
                 fmt::format("is already on the whitelist of {}",
                             group.address),
                 fmt::format("are already on the whitelist of {}",
                             group.address));
  return notes;
}

Notes remove_from_whitelist(Snapshot& snapshot,
                            std::string_view address,
                            const std::vector<std::string>& senders) {
  auto& group = snapshot.get(require_address(address));
  std::vector<std::string> unwanted;
  for (const auto& text : senders) {
    unwanted.push_back(require_sender_entry(text));
  }
  canonicalize(unwanted);
  std::vector<std::string> missing;
  for (const auto& sender : unwanted) {
    if (!remove_entry(group.whitelist, sender)) {
      missing.push_back(sender);
    }
  }
  Notes notes;
  note_addresses(notes, missing,
                 fmt::format("is not on the whitelist of {}", group.address),
                 fmt::format("are not on the whitelist of {}", group.address));
  return notes;
}

} // namespace mailgroup
