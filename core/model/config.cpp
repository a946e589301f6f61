// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/config.hpp"

#include "core/model/address.hpp"
#include "core/directory/rule.hpp"
#include "core/util/text.hpp"
#include "core/util/toml_io.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace mailgroup {

bool StoreConfig::is_local_domain(std::string_view domain) const {
  return std::find(domains.begin(), domains.end(), domain) != domains.end();
}

namespace {

std::string non_empty_argument(std::string_view text) {
  if (text.empty()) {
    throw Error(ErrorKind::data, "an empty argument is not allowed");
  }
  require_single_line_text("argument", text);
  return std::string(text);
}

std::string non_empty(std::string_view text) {
  if (text.empty()) {
    throw Error(ErrorKind::data, "an empty string is not allowed here");
  }
  return std::string(text);
}

void read_directory(TomlFields& fields, DirectoryConfig& directory) {
  auto text = [&](std::string_view key, std::string& target) {
    if (auto value = fields.string(key)) {
      if (value->empty()) {
        fields.report(key, fmt::format("'{}' must not be empty", key));
      } else {
        target = *value;
      }
    }
  };
  if (auto path = fields.string("path")) {
    directory.path = *path;
  }
  text("email_column", directory.email_column);
  text("department_column", directory.department_column);
  text("status_column", directory.status_column);
  directory.status_column_optional =
      fields.boolean("status_column_optional").value_or(false);
  text("department_separator", directory.department_separator);
  auto active = fields.string_list("active_values", non_empty);
  if (!active.empty()) {
    directory.active_values = active;
  }
  fields.report_unknown_keys();
}

void read_notify(TomlFields& fields, NotifyConfig& notify) {
  if (auto from = fields.string("from")) {
    try {
      notify.from = require_address(*from);
    } catch (const Error& e) {
      fields.report("from", fmt::format("'from': {}", e.what()));
    }
  }
  if (fields.has("sendmail")) {
    auto command = fields.string_list("sendmail", non_empty_argument);
    if (command.empty()) {
      fields.report("sendmail",
                    "'sendmail' must name a command, e.g. sendmail = "
                    "[\"/usr/sbin/sendmail\", \"-t\", \"-oi\"]");
    } else if (!command.front().starts_with('/')) {
      // PATH is whoever runs mailgroup's to set, not the store's owner's.
      fields.report("sendmail",
                    fmt::format("'sendmail' must start with an absolute path: "
                                "mailgroup does not search PATH for {}; "
                                "write e.g. \"/usr/sbin/sendmail\"",
                                quote(command.front())));
    } else {
      notify.sendmail = std::move(command);
    }
  }
  fields.report_unknown_keys();
}

void read_users(const toml::table& table,
                const std::string& source,
                std::vector<Diagnostic>& diagnostics,
                std::map<std::string, std::string, std::less<>>& users) {
  for (const auto& [key, node] : table) {
    std::string login(key.str());
    auto text = node.value<std::string>();
    if (!text) {
      diagnostics.push_back(
          {location_of(node, source),
           fmt::format("[users] maps login names to addresses: write {} = "
                       "\"ADDRESS\"",
                       toml_quote(login))});
      continue;
    }
    try {
      require_single_line_text("login name", login);
      users[login] = require_address(*text);
    } catch (const Error& e) {
      diagnostics.push_back({location_of(node, source), e.what()});
    }
  }
}

} // namespace

std::string acting_address(const StoreConfig& config,
                           std::string_view as,
                           std::string_view login) {
  if (!as.empty()) {
    return require_address(as);
  }
  auto it = config.users.find(login);
  if (it != config.users.end()) {
    return it->second;
  }
  throw Error(ErrorKind::permission,
              fmt::format("cannot tell whom you act as: login {} has no "
                          "address under [users] in mailgroup.toml; pass "
                          "--as ADDRESS, or add {} = \"ADDRESS\" there",
                          quote(login), toml_quote(login)));
}

StoreConfig parse_config(std::string_view text, const std::string& source) {
  auto table = parse_toml(text, source, ErrorKind::config);
  std::vector<Diagnostic> diagnostics;
  StoreConfig config;
  TomlFields fields(table, source, diagnostics);
  config.domains = fields.string_list("domains", require_domain);
  if (config.domains.empty()) {
    fields.report("domains",
                  "'domains' must list at least one local domain, e.g. "
                  "domains = [\"example.com\"]");
  }
  if (const auto* defaults = fields.table("defaults")) {
    TomlFields inner(*defaults, source, diagnostics);
    if (auto permission = inner.string("permission")) {
      try {
        config.default_permission = parse_permission(*permission);
      } catch (const Error& e) {
        inner.report("permission", e.what());
      }
    }
    config.default_administrators =
        inner.string_list("administrators", require_address);
    inner.report_unknown_keys();
  }
  if (const auto* directory = fields.table("directory")) {
    TomlFields inner(*directory, source, diagnostics);
    read_directory(inner, config.directory);
  }
  if (const auto* sync = fields.table("sync")) {
    TomlFields inner(*sync, source, diagnostics);
    if (auto share = inner.number("max_removal_share")) {
      if (!(*share >= 0.0 && *share <= 1.0)) { // nan fails both
        inner.report("max_removal_share",
                     "'max_removal_share' must be between 0 and 1");
      } else {
        config.max_removal_share = *share;
      }
    }
    if (auto threshold = inner.number("removal_threshold")) {
      if (*threshold < 1 || *threshold > 1e9 ||
          *threshold != static_cast<double>(static_cast<long>(*threshold))) {
        inner.report("removal_threshold",
                     "'removal_threshold' must be a whole number, 1 or more");
      } else {
        config.removal_threshold = static_cast<std::size_t>(*threshold);
      }
    }
    inner.report_unknown_keys();
  }
  if (const auto* notify = fields.table("notify")) {
    TomlFields inner(*notify, source, diagnostics);
    read_notify(inner, config.notify);
  }
  if (const auto* users = fields.table("users")) {
    read_users(*users, source, diagnostics, config.users);
  }
  fields.report_unknown_keys();
  if (!diagnostics.empty()) {
    throw Error(ErrorKind::config, std::move(diagnostics));
  }

  canonicalize(config.domains);
  if (config.notify.from.empty()) {
    config.notify.from = "postmaster@" + config.domains.front();
  }
  canonicalize(config.default_administrators);
  return config;
}

std::string format_config(const StoreConfig& config) {
  TomlWriter out;
  out.comment("mailgroup store settings; see mailgroup.toml(5).");
  out.string_list("domains", config.domains);
  out.table("defaults");
  out.string_list("administrators", config.default_administrators);
  out.string("permission", to_string(config.default_permission));
  const auto& d = config.directory;
  out.table("directory");
  out.string_list("active_values", d.active_values);
  out.string("department_column", d.department_column);
  out.string("department_separator", d.department_separator);
  out.string("email_column", d.email_column);
  out.string("path", d.path);
  out.string("status_column", d.status_column);
  out.boolean("status_column_optional", d.status_column_optional);
  out.table("sync");
  out.number("max_removal_share", config.max_removal_share);
  out.raw("removal_threshold", fmt::format("{}", config.removal_threshold));
  out.table("notify");
  out.string("from", config.notify.from.empty()
                         ? "postmaster@" + config.domains.front()
                         : config.notify.from);
  out.string_list("sendmail", config.notify.sendmail);
  out.table("users");
  out.comment("login = \"address\": whom commands act as without --as");
  for (const auto& [login, address] : config.users) {
    out.string(toml_quote(login), address);
  }
  return out.text();
}

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
  group.show_in_contacts = fields.boolean("show_in_contacts").value_or(true);
  group.notify_members = fields.boolean("notify_members").value_or(false);
  group.leave_needs_approval =
      fields.boolean("leave_needs_approval").value_or(false);
  group.ignore_auto_replies =
      fields.boolean("ignore_auto_replies").value_or(false);
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
  out.string("name", group.name);
  out.boolean("notify_members", group.notify_members);
  out.string("permission", to_string(group.permission));
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
