// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cmd/context.hpp"
#include "core/model/group.hpp"
#include "core/store/store.hpp"
#include "core/util/json_lines.hpp"

#include <fmt/format.h>

#include <string>
#include <vector>

namespace mailgroup::cli {

// Prints `value` as an indented JSON document.
void print_json(const nlohmann::ordered_json& value);

// Prints `records` as a JSON array (each by its to_json), or as text: each
// record's `text(record)`, lines that end in a newline.
template <typename Record, typename Text>
void print_records(Format format, const std::vector<Record>& records, Text text) {
  if (format == Format::json) {
    auto array = nlohmann::ordered_json::array();
    for (const auto& record : records) {
      array.push_back(record);
    }
    print_json(array);
    return;
  }
  for (const auto& record : records) {
    fmt::print("{}", text(record));
  }
}

std::string group_text(const Snapshot& snapshot, const Group& group);

std::string groups_csv(const Snapshot& snapshot);


} // namespace mailgroup::cli
