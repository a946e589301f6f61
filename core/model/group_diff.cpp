// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/group_diff.hpp"

#include "core/util/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

namespace mailgroup {

std::vector<std::string> added(const std::vector<std::string>& before,
                               const std::vector<std::string>& after) {
  std::vector<std::string> out;
  std::set_difference(after.begin(),
                      after.end(),
                      before.begin(),
                      before.end(),
                      std::back_inserter(out));
  return out;
}

namespace {

std::string shown(const std::string& text) {
  return text.empty() ? "(none)" : quote(text);
}

class Differ {
public:
  explicit Differ(std::vector<std::string>& out) : m_out(out) {}

  void text(std::string_view name, const std::string& a, const std::string& b) {
    if (a != b) {
      m_out.push_back(fmt::format("{}: {} -> {}", name, shown(a), shown(b)));
    }
  }
  void flag(std::string_view name, bool a, bool b) {
    if (a != b) {
      m_out.push_back(fmt::format("{}: {} -> {}", name, yes_no(a), yes_no(b)));
    }
  }
  void list(std::string_view name,
            const std::vector<std::string>& a,
            const std::vector<std::string>& b) {
    std::string change;
    for (const auto& x : added(a, b)) {
      change += fmt::format(" +{}", x);
    }
    for (const auto& x : added(b, a)) {
      change += fmt::format(" -{}", x);
    }
    if (!change.empty()) {
      m_out.push_back(fmt::format("{}:{}", name, change));
    }
  }

private:
  std::vector<std::string>& m_out;
};

} // namespace

std::vector<std::string> describe_changes(const Group& before,
                                          const Group& after) {
  std::vector<std::string> out;
  Differ d(out);
  d.text("name", before.name, after.name);
  d.text("description", before.description, after.description);
  d.list("administrators", before.administrators, after.administrators);
  d.flag("audit", before.audit, after.audit);
  d.list("auditors", before.auditors, after.auditors);
  d.text("permission",
         std::string(to_string(before.permission)),
         std::string(to_string(after.permission)));
  d.list("whitelist", before.whitelist, after.whitelist);
  d.flag("show_in_contacts", before.show_in_contacts, after.show_in_contacts);
  d.flag("notify_members", before.notify_members, after.notify_members);
  d.flag("leave_needs_approval",
         before.leave_needs_approval,
         after.leave_needs_approval);
  d.flag("ignore_auto_replies",
         before.ignore_auto_replies,
         after.ignore_auto_replies);
  d.flag("require_login", before.require_login, after.require_login);
  d.flag("members_may_send_as_group",
         before.members_may_send_as_group,
         after.members_may_send_as_group);
  d.text("refusal_text", before.refusal_text, after.refusal_text);
  d.flag("frozen", before.frozen, after.frozen);
  d.text("frozen_reason", before.frozen_reason, after.frozen_reason);
  d.list("members", before.members, after.members);
  DynamicRule none;
  const auto& a = before.dynamic ? *before.dynamic : none;
  const auto& b = after.dynamic ? *after.dynamic : none;
  d.text("department", a.department, b.department);
  d.flag("include_subdepartments",
         a.include_subdepartments,
         b.include_subdepartments);
  d.text("where", a.where, b.where);
  d.list("exclude", a.exclude, b.exclude);
  d.list("directory members",
         std::vector<std::string>(a.resolved.begin(), a.resolved.end()),
         std::vector<std::string>(b.resolved.begin(), b.resolved.end()));
  return out;
}

} // namespace mailgroup
