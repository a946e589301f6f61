// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The change log: one JSON object a line in log.jsonl in the store, appended
// under the store lock by every change (who, when, which command, which
// group, what changed), so "who changed this group, and when?" has an
// answer.

#include "core/util/error.hpp"

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailgroup {

struct LogEntry {
  std::string time;
  std::string actor;
  std::string command;
  std::string group;
  std::string action; // created, changed, deleted
  std::vector<std::string> changes;
  // The real caller behind `actor` (identity.hpp); absent in entries
  // written before mailgroup recorded them.
  std::string login;
  std::optional<unsigned> uid;

  bool operator==(const LogEntry&) const = default;
};

// `entry` as a JSON object, the shape of log.jsonl and of `log --format
// json`.
void to_json(nlohmann::ordered_json& json, const LogEntry& entry);

// One line of log.jsonl, newline included.
std::string format_log_entry(const LogEntry& entry);

// Reads log.jsonl text; a malformed line throws Error(data) with
// `source:line`, or, with `skipped`, is left out and recorded there (a line
// cut short by a crash must not make the whole log unreadable).
std::vector<LogEntry> parse_log(std::string_view text,
                                const std::string& source,
                                std::vector<Diagnostic>* skipped = nullptr);

} // namespace mailgroup
