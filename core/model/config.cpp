// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/config.hpp"

#include "core/model/address.hpp"
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
    if (auto why = login_name_error(login); !why.empty()) {
      // Logins go into Postfix maps (require_login): see login_name_error.
      diagnostics.push_back(
          {Location{source, static_cast<std::size_t>(key.source().begin.line),
                    static_cast<std::size_t>(key.source().begin.column)},
           fmt::format("[users]: invalid login name {}: {}", quote(login),
                       why)});
      continue;
    }
    try {
      users[login] = require_address(*text);
    } catch (const Error& e) {
      diagnostics.push_back({location_of(node, source), e.what()});
    }
  }
}

// A login without '@' that names a domain, or a domain's parent, that
// logins or the store use: Postfix's check_sasl_access looks a login
// user@domain up by its domain and parent domains too, so such a key would
// let every login of that domain through as this one.
void check_domain_like_logins(const toml::table& table,
                              const std::string& source,
                              const StoreConfig& config,
                              std::vector<Diagnostic>& diagnostics) {
  std::vector<std::string_view> domains(config.domains.begin(),
                                        config.domains.end());
  for (const auto& [login, address] : config.users) {
    if (auto domain = domain_of(login); !domain.empty()) {
      domains.push_back(domain);
    }
    domains.push_back(domain_of(address));
  }
  for (const auto& [login, address] : config.users) {
    if (login.find('@') != std::string::npos) {
      continue;
    }
    for (auto domain : domains) {
      if (domain == login ||
          (domain.size() > login.size() && domain.ends_with(login) &&
           domain[domain.size() - login.size() - 1] == '.')) {
        Location where{source, 0, 0};
        for (const auto& [key, node] : table) {
          if (key.str() == login) {
            where.line = static_cast<std::size_t>(key.source().begin.line);
            where.column = static_cast<std::size_t>(key.source().begin.column);
          }
        }
        diagnostics.push_back(
            {where,
             fmt::format("[users]: login name {} is also the domain {} or "
                         "its parent: Postfix would take every login "
                         "@{} for it; use another login name",
                         quote(login), quote(domain), domain)});
        break;
      }
    }
  }
}

} // namespace

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
      // nan fails the range before the cast, which it would make undefined.
      if (!(*threshold >= 1 && *threshold <= 1e9) ||
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
  if (const auto* postfix = fields.table("postfix")) {
    TomlFields inner(*postfix, source, diagnostics);
    if (auto mode = inner.string("mode")) {
      if (*mode == "maps" || *mode == "policy") {
        config.postfix_mode =
            *mode == "maps" ? PostfixMode::maps : PostfixMode::policy;
      } else {
        inner.report("mode", fmt::format("'mode' must be \"maps\" or "
                                         "\"policy\", not {}",
                                         toml_quote(*mode)));
      }
    }
    if (auto directory = inner.string("config_directory")) {
      if (directory->empty() || directory->front() != '/' ||
          directory->find('\n') != std::string::npos) {
        inner.report("config_directory",
                     "'config_directory' must be an absolute path, such as "
                     "\"/etc/postfix\"");
      } else {
        config.postfix_config_directory = *directory;
      }
    }
    inner.report_unknown_keys();
  }
  if (const auto* delegation = fields.table("delegation")) {
    TomlFields inner(*delegation, source, diagnostics);
    config.administrators_may_delete =
        inner.boolean("administrators_may_delete").value_or(false);
    inner.report_unknown_keys();
  }
  if (const auto* users = fields.table("users")) {
    read_users(*users, source, diagnostics, config.users);
    check_domain_like_logins(*users, source, config, diagnostics);
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
  if (config.postfix_mode == PostfixMode::policy ||
      !config.postfix_config_directory.empty()) {
    out.table("postfix");
    if (!config.postfix_config_directory.empty()) {
      out.string("config_directory", config.postfix_config_directory);
    }
    if (config.postfix_mode == PostfixMode::policy) {
      out.string("mode", "policy");
    }
  }
  if (config.administrators_may_delete) {
    out.table("delegation");
    out.boolean("administrators_may_delete", true);
  }
  out.table("users");
  out.comment("login = \"address\": who a login is (mailgroup(1), DELEGATION)");
  for (const auto& [login, address] : config.users) {
    out.string(toml_quote(login), address);
  }
  return out.text();
}

} // namespace mailgroup
