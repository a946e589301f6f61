// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// JSON text: reading JSON Lines (log.jsonl, the outbox, postqueue -j: one
// object a line) and writing documents and lines. Headers that only declare
// a type's to_json include <nlohmann/json_fwd.hpp> instead.

#include "core/util/error.hpp"
#include "core/util/text.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace mailgroup {

// `value` indented by two spaces for people, ending in a newline. Bytes that
// are not UTF-8 become U+FFFD: the output stays valid JSON.
inline std::string json_document(const nlohmann::ordered_json& value) {
  auto text =
      value.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  text += '\n';
  return text;
}

// `value` on one line, newline included: a line of a JSON Lines file.
inline std::string json_line(const nlohmann::ordered_json& value) {
  auto text =
      value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  text += '\n';
  return text;
}

// The whole number at `key` (0 if absent). A float, or an integer past
// long long's range, is Error(data) rather than converted (undefined
// behaviour for floats out of range).
inline long long whole_number(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end()) {
    return 0;
  }
  if (it->is_number_integer() && !it->is_number_unsigned()) {
    return it->get<long long>();
  }
  if (it->is_number_unsigned() &&
      it->get<unsigned long long>() <=
          static_cast<unsigned long long>(std::numeric_limits<long long>::max())) {
    return static_cast<long long>(it->get<unsigned long long>());
  }
  throw Error(ErrorKind::data, fmt::format("'{}' is not a whole number", key));
}

// Calls `read(object)` for each non-blank line of `text`. Invalid JSON, a
// line that is not an object, or an exception from `read` (a missing key,
// a wrong type, an invalid address) becomes Error(data) at `source:line`
// (and the column, for JSON syntax), as "not WHAT: why". With `skipped`,
// such a line is recorded there instead and reading goes on.
template <typename Read>
void read_json_lines(std::string_view text,
                     const std::string& source,
                     std::string_view what,
                     Read&& read,
                     std::vector<Diagnostic>* skipped = nullptr) {
  auto problem = [&](Diagnostic diagnostic) {
    if (!skipped) {
      throw Error(ErrorKind::data, {std::move(diagnostic)});
    }
    skipped->push_back(std::move(diagnostic));
  };
  std::size_t number = 0;
  for (auto line : split(text, '\n')) {
    ++number;
    if (trim(line).empty()) {
      continue;
    }
    try {
      auto object = nlohmann::json::parse(line);
      if (!object.is_object()) {
        throw Error(ErrorKind::data, "not a JSON object");
      }
      read(object);
    } catch (const nlohmann::json::parse_error& e) {
      problem(Diagnostic{Location{source, number, e.byte},
                         fmt::format("not {}: invalid JSON here", what)});
    } catch (const std::exception& e) {
      problem(Diagnostic{Location{source, number},
                         fmt::format("not {}: {}", what, e.what())});
    }
  }
}

} // namespace mailgroup
