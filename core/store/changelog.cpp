// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/changelog.hpp"

#include "core/util/error.hpp"
#include "core/util/json_lines.hpp"
#include "core/util/text.hpp"

#include <fmt/format.h>

namespace mailgroup {

std::string format_log_entry(const LogEntry& entry) {
  return json_line(entry);
}

void to_json(nlohmann::ordered_json& json, const LogEntry& entry) {
  json = {{"time", entry.time}, {"actor", entry.actor}};
  if (!entry.login.empty()) {
    json["login"] = entry.login;
  }
  if (entry.uid) {
    json["uid"] = *entry.uid;
  }
  json["command"] = entry.command;
  json["group"] = entry.group;
  json["action"] = entry.action;
  json["changes"] = entry.changes;
}

namespace {

std::string string_field(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end()) {
    return {};
  }
  if (!it->is_string()) {
    throw Error(ErrorKind::data, fmt::format("'{}' is not a string", key));
  }
  return it->get<std::string>();
}

LogEntry parse_entry(const nlohmann::json& object) {
  LogEntry e;
  e.time = string_field(object, "time");
  e.actor = string_field(object, "actor");
  e.login = string_field(object, "login");
  if (auto it = object.find("uid"); it != object.end()) {
    if (!it->is_number_unsigned() || it->get<std::uint64_t>() > 0xffffffffu) {
      throw Error(ErrorKind::data, "'uid' is not a uid");
    }
    e.uid = it->get<unsigned>();
  }
  e.command = string_field(object, "command");
  e.group = string_field(object, "group");
  e.action = string_field(object, "action");
  if (auto it = object.find("changes"); it != object.end()) {
    if (!it->is_array()) {
      throw Error(ErrorKind::data, "'changes' is not a list");
    }
    for (const auto& change : *it) {
      if (!change.is_string()) {
        throw Error(ErrorKind::data, "'changes' holds a non-string");
      }
      e.changes.push_back(change.get<std::string>());
    }
  }
  return e;
}

} // namespace

std::vector<LogEntry> parse_log(std::string_view text,
                                const std::string& source,
                                std::vector<Diagnostic>* skipped) {
  std::vector<LogEntry> entries;
  read_json_lines(
      text, source, "a log entry",
      [&](const nlohmann::json& object) {
        entries.push_back(parse_entry(object));
      },
      skipped);
  return entries;
}

} // namespace mailgroup
