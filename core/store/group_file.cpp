// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/group_file.hpp"

#include "core/directory/rule.hpp"
#include "core/model/address.hpp"
#include "core/util/text.hpp"
#include "core/util/toml_io.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace mailgroup {

namespace {

std::string text_setting(std::string_view text) {
  require_single_line_text("text", text);
  return std::string(text);
}

void read_dynamic(TomlFields& fields,
                  DynamicRule& rule,
                  std::string_view separator) {
  if (auto department = fields.string("department")) {
    if (auto why = department_path_error(*department, separator);
        !why.empty()) {
      fields.report("department", fmt::format("invalid 'department' {}: {}",
                                              quote(*department), why));
    }
    rule.department = *department;
  } else {
    fields.report("department", "[dynamic] needs 'department'");
  }
  rule.include_subdepartments =
      fields.boolean("include_subdepartments").value_or(false);
  rule.where = fields.string("where").value_or("");
  if (!rule.where.empty()) {
    try {
      Rule::parse(rule.where);
    } catch (const Error& e) {
      fields.report("where", fmt::format("'where': {}", e.what()));
    }
  }
  rule.exclude = fields.string_list("exclude", require_address);
  fields.report_unknown_keys();
}

} // namespace

Group parse_group(std::string_view text,
                  const std::string& source,
                  std::string_view department_separator) {
  auto table = parse_toml(text, source, ErrorKind::data);
  std::vector<Diagnostic> diagnostics;
  TomlFields fields(table, source, diagnostics);
  Group group;
  if (auto address = fields.string("address")) {
    try {
      group.address = require_group_address(*address);
    } catch (const Error& e) {
      fields.report("address", e.what());
    }
  } else {
    fields.report("address", "missing 'address'");
  }
  auto text_field = [&](std::string_view key, std::string& target) {
    if (auto value = fields.string(key)) {
      try {
        target = text_setting(*value);
      } catch (const Error& e) {
        fields.report(key, fmt::format("'{}': {}", key, e.what()));
      }
    }
  };
  text_field("name", group.name);
  text_field("description", group.description);
  text_field("applicant", group.applicant);
  text_field("frozen_reason", group.frozen_reason);
  group.created = fields.timestamp("created").value_or("");
  group.frozen_at = fields.timestamp("frozen_at").value_or("");
  group.administrators = fields.string_list("administrators", require_address);
  group.audit = fields.boolean("audit").value_or(false);
  group.auditors = fields.string_list("auditors", require_address);
  if (auto permission = fields.string("permission")) {
    try {
      group.permission = parse_permission(*permission);
    } catch (const Error& e) {
      fields.report("permission", e.what());
    }
  }
  group.whitelist = fields.string_list("whitelist", require_sender_entry);
  if (auto refusal = fields.string("refusal_text")) {
    if (auto why = refusal_text_error(*refusal); !why.empty()) {
      fields.report("refusal_text",
                    fmt::format("invalid 'refusal_text' {}: {}; write one "
                                "line of printable ASCII, or remove the key "
                                "for the default",
                                quote(*refusal), why));
    } else {
      group.refusal_text = *refusal;
    }
  }
  group.show_in_contacts = fields.boolean("show_in_contacts").value_or(true);
  group.notify_members = fields.boolean("notify_members").value_or(false);
  group.leave_needs_approval =
      fields.boolean("leave_needs_approval").value_or(false);
  group.ignore_auto_replies =
      fields.boolean("ignore_auto_replies").value_or(false);
  group.require_login = fields.boolean("require_login").value_or(false);
  group.members_may_send_as_group =
      fields.boolean("members_may_send_as_group").value_or(false);
  group.frozen = fields.boolean("frozen").value_or(false);
  group.members = fields.string_list("members", require_address);
  if (const auto* dynamic = fields.table("dynamic")) {
    TomlFields inner(*dynamic, source, diagnostics);
    group.dynamic.emplace();
    read_dynamic(inner, *group.dynamic, department_separator);
  }
  fields.report_unknown_keys();

  if (group.administrators.empty()) {
    fields.report("administrators",
                  "a group needs at least one administrator in "
                  "'administrators'");
  }
  if (group.audit && group.auditors.empty()) {
    fields.report("auditors",
                  "'audit' is on but 'auditors' is empty: name at least one "
                  "auditor");
  }
  if (!diagnostics.empty()) {
    std::stable_sort(diagnostics.begin(),
                     diagnostics.end(),
                     [](const Diagnostic& a, const Diagnostic& b) {
                       return a.where.line < b.where.line;
                     });
    throw Error(ErrorKind::data, std::move(diagnostics));
  }
  canonicalize(group);
  return group;
}

std::string format_group(const Group& group) {
  TomlWriter out;
  out.string("address", group.address);
  out.string_list("administrators", group.administrators);
  out.string("applicant", group.applicant);
  out.boolean("audit", group.audit);
  out.string_list("auditors", group.auditors);
  if (!group.created.empty()) {
    out.raw("created", group.created);
  }
  out.string("description", group.description);
  out.boolean("frozen", group.frozen);
  if (!group.frozen_at.empty()) {
    out.raw("frozen_at", group.frozen_at);
  }
  if (!group.frozen_reason.empty()) {
    out.string("frozen_reason", group.frozen_reason);
  }
  out.boolean("ignore_auto_replies", group.ignore_auto_replies);
  out.boolean("leave_needs_approval", group.leave_needs_approval);
  out.string_list("members", group.members);
  // Written only when on: files from before these settings stay as they are.
  if (group.members_may_send_as_group) {
    out.boolean("members_may_send_as_group", true);
  }
  out.string("name", group.name);
  out.boolean("notify_members", group.notify_members);
  out.string("permission", to_string(group.permission));
  if (!group.refusal_text.empty()) {
    out.string("refusal_text", group.refusal_text);
  }
  if (group.require_login) {
    out.boolean("require_login", true);
  }
  out.boolean("show_in_contacts", group.show_in_contacts);
  out.string_list("whitelist", group.whitelist);
  if (group.dynamic) {
    const auto& rule = *group.dynamic;
    out.table("dynamic");
    out.string("department", rule.department);
    out.string_list("exclude", rule.exclude);
    out.boolean("include_subdepartments", rule.include_subdepartments);
    out.string("where", rule.where);
  }
  return out.text();
}

} // namespace mailgroup
