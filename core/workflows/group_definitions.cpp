// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/workflows/group_definitions.hpp"

#include "core/model/address.hpp"
#include "core/util/text.hpp"
#include "core/util/toml_io.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <map>

namespace mailgroup {

namespace {

// Reads one definition's keys, named as in a group file (mailgroup.toml(5))
// with the department group's rule at the top level (department,
// include_subdepartments, where, exclude), as `create`'s options give it.
GroupDefinition read_definition(const toml::table& table,
                                const std::string& source,
                                Location where,
                                std::vector<Diagnostic>& diagnostics) {
  TomlFields fields(table, source, diagnostics);
  GroupDefinition definition;
  definition.where = std::move(where);
  if (auto address = fields.string("address")) {
    try {
      definition.address = require_group_address(*address);
    } catch (const Error& e) {
      fields.report("address", e.what());
    }
  } else if (!fields.has("address")) {
    fields.report("address", "missing 'address'");
  }
  auto& s = definition.settings;
  s.name = fields.string("name");
  s.description = fields.string("description");
  definition.applicant = fields.string("applicant");
  auto list = [&](std::string_view key,
                  std::optional<std::vector<std::string>>& target) {
    if (fields.has(key)) {
      target = fields.string_list(key, require_address);
    }
  };
  list("administrators", s.administrators);
  list("auditors", s.auditors);
  if (auto permission = fields.string("permission")) {
    try {
      s.permission = parse_permission(*permission);
    } catch (const Error& e) {
      fields.report("permission", e.what());
    }
  }
  s.audit = fields.boolean("audit");
  s.show_in_contacts = fields.boolean("show_in_contacts");
  s.notify_members = fields.boolean("notify_members");
  s.leave_needs_approval = fields.boolean("leave_needs_approval");
  s.ignore_auto_replies = fields.boolean("ignore_auto_replies");
  s.require_login = fields.boolean("require_login");
  s.members_may_send_as_group = fields.boolean("members_may_send_as_group");
  s.refusal_text = fields.string("refusal_text");
  s.department = fields.string("department");
  s.include_subdepartments = fields.boolean("include_subdepartments");
  s.where = fields.string("where");
  s.exclude_add = fields.string_list("exclude", require_address);
  definition.members = fields.string_list("members", require_address);
  fields.report_unknown_keys();
  return definition;
}

// JSON values as TOML nodes, so that one reader (TomlFields: types, unknown
// keys with hints, address lists) serves both formats. A null becomes an
// empty table: no key takes one, so it is reported as of the wrong type.
toml::array array_of(const nlohmann::json& json);
toml::table table_of(const nlohmann::json& json);

template <typename Add>
void add_value(const nlohmann::json& value, Add&& add) {
  if (value.is_string()) {
    add(value.get<std::string>());
  } else if (value.is_boolean()) {
    add(value.get<bool>());
  } else if (value.is_number_integer() && !value.is_number_unsigned()) {
    add(value.get<std::int64_t>());
  } else if (value.is_number()) {
    add(value.get<double>());
  } else if (value.is_array()) {
    add(array_of(value));
  } else if (value.is_object()) {
    add(table_of(value));
  } else {
    add(toml::table{});
  }
}

toml::array array_of(const nlohmann::json& json) {
  toml::array out;
  for (const auto& element : json) {
    add_value(element, [&](auto&& v) { out.push_back(std::move(v)); });
  }
  return out;
}

toml::table table_of(const nlohmann::json& json) {
  toml::table out;
  for (const auto& item : json.items()) {
    // Not a structured binding: clang 14 cannot capture one in a lambda.
    const std::string& key = item.key();
    add_value(item.value(), [&](auto&& v) { out.insert(key, std::move(v)); });
  }
  return out;
}

struct Parsed {
  std::vector<GroupDefinition> definitions;
  std::vector<Location> address_at; // where each definition names its address
};

void parse_toml_definitions(std::string_view text,
                            const std::string& source,
                            Parsed& parsed,
                            std::vector<Diagnostic>& diagnostics) {
  auto root = parse_toml(text, source, ErrorKind::data);
  TomlFields fields(root, source, diagnostics);
  const auto* groups = fields.tables("group");
  fields.report_unknown_keys();
  if (!groups) {
    return;
  }
  for (const auto& node : *groups) {
    const auto& table = *node.as_table();
    parsed.definitions.push_back(read_definition(
        table, source, location_of(table, source), diagnostics));
    const auto* address = table.get("address");
    parsed.address_at.push_back(location_of(address ? *address : node, source));
  }
}

void parse_json_lines_definitions(std::string_view text,
                                  const std::string& source,
                                  Parsed& parsed,
                                  std::vector<Diagnostic>& diagnostics) {
  std::size_t number = 0;
  for (auto line : split(text, '\n')) {
    ++number;
    if (trim(line).empty()) {
      continue;
    }
    Location where{source, number};
    nlohmann::json object;
    try {
      object = nlohmann::json::parse(line);
    } catch (const nlohmann::json::parse_error& e) {
      diagnostics.push_back({Location{source, number, e.byte},
                             "invalid JSON here; each line must be one "
                             "JSON object"});
      continue;
    }
    if (!object.is_object()) {
      diagnostics.push_back(
          {where, "not a JSON object; each line must be one JSON object"});
      continue;
    }
    auto first = diagnostics.size();
    parsed.definitions.push_back(
        read_definition(table_of(object), source, where, diagnostics));
    parsed.address_at.push_back(where);
    // Nodes made from JSON have no position: they are all on this line.
    for (auto i = first; i < diagnostics.size(); ++i) {
      diagnostics[i].where = where;
    }
  }
}

// A second definition of one address is a mistake (which one was meant?),
// not a group that "already exists".
void report_repeats(const Parsed& parsed,
                    std::vector<Diagnostic>& diagnostics) {
  std::map<std::string_view, const Location*> first;
  for (std::size_t i = 0; i < parsed.definitions.size(); ++i) {
    const auto& address = parsed.definitions[i].address;
    if (address.empty()) {
      continue; // already reported
    }
    auto [it, added] = first.emplace(address, &parsed.address_at[i]);
    if (!added) {
      diagnostics.push_back(
          {parsed.address_at[i],
           fmt::format("group {} is defined twice (first at {}); keep one "
                       "definition",
                       address, it->second->to_string())});
    }
  }
}

} // namespace

std::optional<DefinitionFormat> definition_format_of(std::string_view path) {
  if (path.ends_with(".toml")) {
    return DefinitionFormat::toml;
  }
  if (path.ends_with(".jsonl") || path.ends_with(".ndjson")) {
    return DefinitionFormat::json_lines;
  }
  return std::nullopt;
}

DefinitionFormat parse_definition_format(std::string_view name) {
  if (name == "toml") {
    return DefinitionFormat::toml;
  }
  if (name == "jsonl") {
    return DefinitionFormat::json_lines;
  }
  throw Error(ErrorKind::usage,
              fmt::format("unknown definition format {}; give toml or jsonl",
                          quote(name)));
}

std::vector<GroupDefinition> parse_group_definitions(std::string_view text,
                                                     const std::string& source,
                                                     DefinitionFormat format) {
  Parsed parsed;
  std::vector<Diagnostic> diagnostics;
  if (format == DefinitionFormat::toml) {
    parse_toml_definitions(text, source, parsed, diagnostics);
  } else {
    parse_json_lines_definitions(text, source, parsed, diagnostics);
  }
  report_repeats(parsed, diagnostics);
  if (!diagnostics.empty()) {
    std::stable_sort(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& a, const Diagnostic& b) {
                       return a.where.line < b.where.line;
                     });
    throw Error(ErrorKind::data, std::move(diagnostics));
  }
  return std::move(parsed.definitions);
}

} // namespace mailgroup
