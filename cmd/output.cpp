// SPDX-License-Identifier: GPL-3.0-or-later
#include "cmd/output.hpp"

#include "core/util/csv.hpp"
#include "core/util/text.hpp"

#include <fmt/format.h>

namespace mailgroup::cli {

namespace {

std::string list_or_none(const std::vector<std::string>& list) {
  return list.empty() ? "(none)" : fmt::format("{}", fmt::join(list, ", "));
}

} // namespace

void print_json(const nlohmann::ordered_json& value) {
  fmt::print("{}", json_document(value));
}

std::string group_text(const Snapshot& snapshot, const Group& group) {
  std::string out;
  auto line = [&](std::string_view label, const std::string& value) {
    out += fmt::format("{:<22}{}\n", fmt::format("{}:", label), value);
  };
  line("address", group.address);
  line("name", group.name);
  line("description", group.description);
  line("applicant", group.applicant);
  line("created", group.created);
  line("administrators", list_or_none(group.administrators));
  line("email audit",
       group.audit ? fmt::format("on (auditors: {})",
                                 list_or_none(group.auditors))
                   : "off");
  line("sending permission", std::string(to_string(group.permission)));
  line("whitelist", list_or_none(group.whitelist));
  if (!group.refusal_text.empty()) {
    line("refusal text", group.refusal_text);
  }
  line("show in contacts", yes_no(group.show_in_contacts));
  line("notify new members", yes_no(group.notify_members));
  line("leave needs approval", yes_no(group.leave_needs_approval));
  line("ignore auto-replies", yes_no(group.ignore_auto_replies));
  line("require login", yes_no(group.require_login));
  line("send as group", yes_no(group.members_may_send_as_group));
  if (group.frozen) {
    line("frozen",
         fmt::format("yes, since {}{}",
                     group.frozen_at,
                     group.frozen_reason.empty()
                         ? ""
                         : fmt::format(" ({})", group.frozen_reason)));
  } else {
    line("frozen", "no");
  }
  if (group.dynamic) {
    const auto& rule = *group.dynamic;
    line("department",
         rule.department + (rule.include_subdepartments
                                ? " (with sub-departments)"
                                : ""));
    line("where", rule.where.empty() ? "(no condition)" : rule.where);
    line("excluded", list_or_none(rule.exclude));
    line("from directory", fmt::format("{} (at the last sync)",
                                       rule.resolved.size()));
  }
  // Views and plain appends: a department group lists tens of thousands.
  auto members = group.effective_member_views();
  out += fmt::format("members ({}):\n", members.size());
  out.reserve(out.size() + members.size() * 40);
  for (auto member : members) {
    out += "  ";
    out += member;
    out += snapshot.is_group(member) ? " (group)\n" : "\n";
  }
  return out;
}

std::string groups_csv(const Snapshot& snapshot) {
  std::string out = "address,name,description,permission,members,frozen,"
                    "audit,show_in_contacts,department\n";
  for (const auto& [address, group] : snapshot.groups) {
    out += fmt::format(
        "{},{},{},{},{},{},{},{},{}\n",
        csv_cell(address),
        csv_cell(group.name),
        csv_cell(group.description),
        to_string(group.permission),
        group.effective_members().size(),
        yes_no(group.frozen),
        yes_no(group.audit),
        yes_no(group.show_in_contacts),
        csv_cell(group.dynamic ? group.dynamic->department : ""));
  }
  return out;
}

} // namespace mailgroup::cli
