// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/util/toml_io.hpp"

#include "core/util/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <sstream>

namespace mailgroup {

namespace {

constexpr std::size_t k_max_key_parts = 256;

// toml++ recurses once per part of a dotted key (a.b.c = 1, [a.b.c]) with
// no limit of its own, so a key of 100,000 parts overflows the stack. This
// finds such a key before the parser sees it: a run of dots joined only by
// bare-key characters, quoted parts and blanks (a float has one dot, and a
// comma, '=' or bracket ends the run). Strings and comments are skipped.
std::optional<Location> overlong_key(std::string_view text,
                                     const std::string& source) {
  std::size_t line = 1;
  std::size_t line_start = 0;
  std::size_t dots = 0;
  auto skip_string = [&](std::size_t& i) {
    char quote = text[i];
    bool multi = text.substr(i, 3) == std::string(3, quote);
    i += multi ? 3 : 1;
    while (i < text.size()) {
      char c = text[i];
      if (c == '\\' && quote == '"') {
        i += 2;
        continue;
      }
      if (c == '\n') {
        if (!multi) {
          return; // unterminated: the parser reports it
        }
        ++line;
        line_start = i + 1;
      }
      if (c == quote && (!multi || text.substr(i, 3) == std::string(3, quote))) {
        i += multi ? 3 : 1;
        return;
      }
      ++i;
    }
  };
  for (std::size_t i = 0; i < text.size();) {
    char c = text[i];
    if (c == '"' || c == '\'') {
      skip_string(i);
      continue;
    }
    if (c == '#') {
      while (i < text.size() && text[i] != '\n') {
        ++i;
      }
      continue;
    }
    if (c == '.') {
      if (++dots >= k_max_key_parts) { // parts = dots + 1
        return Location{source, line, i - line_start + 1};
      }
    } else if (c == '\n') {
      ++line;
      line_start = i + 1;
      dots = 0;
    } else if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
                 c == '-' || c == ' ' || c == '\t')) {
      dots = 0;
    }
    ++i;
  }
  return std::nullopt;
}

} // namespace

toml::table parse_toml(std::string_view text,
                       const std::string& source,
                       ErrorKind kind) {
  if (auto where = overlong_key(text, source)) {
    throw Error(kind,
                {Diagnostic{*where,
                            fmt::format("a dotted key of more than {} parts; "
                                        "no mailgroup file needs one",
                                        k_max_key_parts)}});
  }
  try {
    return toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    Location where{source,
                   static_cast<std::size_t>(e.source().begin.line),
                   static_cast<std::size_t>(e.source().begin.column)};
    throw Error(kind, {Diagnostic{where, std::string(e.description())}});
  }
}

Location location_of(const toml::node& node, const std::string& source) {
  return Location{source,
                  static_cast<std::size_t>(node.source().begin.line),
                  static_cast<std::size_t>(node.source().begin.column)};
}

TomlFields::TomlFields(const toml::table& table,
                       std::string source,
                       std::vector<Diagnostic>& diagnostics)
    : m_table(table),
      m_source(std::move(source)),
      m_diagnostics(diagnostics) {}

const toml::node* TomlFields::find(std::string_view key) {
  m_known.emplace_back(key);
  return m_table.get(key);
}

void TomlFields::report(std::string_view key, const std::string& message) {
  const toml::node* node = m_table.get(key);
  const toml::node& at = node ? *node : static_cast<const toml::node&>(m_table);
  m_diagnostics.push_back({location_of(at, m_source), message});
}

void TomlFields::wrong_type(std::string_view key, const char* expected) {
  report(key, fmt::format("'{}' must be {}", key, expected));
}

std::optional<std::string> TomlFields::string(std::string_view key) {
  const auto* node = find(key);
  if (!node) {
    return std::nullopt;
  }
  if (auto value = node->value<std::string>()) {
    return value;
  }
  wrong_type(key, "a string");
  return std::nullopt;
}

std::optional<bool> TomlFields::boolean(std::string_view key) {
  const auto* node = find(key);
  if (!node) {
    return std::nullopt;
  }
  if (node->is_boolean()) {
    return node->value<bool>();
  }
  wrong_type(key, "true or false");
  return std::nullopt;
}

std::optional<double> TomlFields::number(std::string_view key) {
  const auto* node = find(key);
  if (!node) {
    return std::nullopt;
  }
  if (node->is_number()) {
    return node->value<double>();
  }
  wrong_type(key, "a number");
  return std::nullopt;
}

std::optional<std::string> TomlFields::timestamp(std::string_view key) {
  const auto* node = find(key);
  if (!node) {
    return std::nullopt;
  }
  if (node->is_date_time()) {
    std::ostringstream out;
    out << *node->as_date_time();
    return out.str();
  }
  if (auto text = node->value<std::string>()) {
    // Written back unquoted, so it must be a TOML date-time and nothing
    // more: "...Z\nfrozen = true" would parse too, as a second key.
    try {
      auto probe = toml::parse("t = " + *text);
      if (probe.size() == 1 && probe["t"].is_date_time()) {
        std::ostringstream out;
        out << *probe["t"].as_date_time();
        return out.str();
      }
    } catch (const toml::parse_error&) {
    }
  }
  wrong_type(key, "a date-time such as 2026-01-31T09:00:00Z");
  return std::nullopt;
}

std::vector<std::string> TomlFields::string_list(
    std::string_view key,
    const std::function<std::string(std::string_view)>& normalize) {
  std::vector<std::string> list;
  const auto* node = find(key);
  if (!node) {
    return list;
  }
  const auto* array = node->as_array();
  if (!array) {
    wrong_type(key, "a list of strings");
    return list;
  }
  for (const auto& element : *array) {
    auto text = element.value<std::string>();
    if (!text) {
      m_diagnostics.push_back(
          {location_of(element, m_source),
           fmt::format("'{}' must hold strings only", key)});
      continue;
    }
    try {
      auto value = normalize(*text);
      if (std::find(list.begin(), list.end(), value) != list.end()) {
        m_diagnostics.push_back(
            {location_of(element, m_source),
             fmt::format("{} is listed twice in '{}'", quote(value), key)});
        continue;
      }
      list.push_back(std::move(value));
    } catch (const Error& e) {
      m_diagnostics.push_back({location_of(element, m_source), e.what()});
    }
  }
  return list;
}

const toml::table* TomlFields::table(std::string_view key) {
  const auto* node = find(key);
  if (!node) {
    return nullptr;
  }
  if (const auto* table = node->as_table()) {
    return table;
  }
  wrong_type(key, "a table");
  return nullptr;
}

const toml::array* TomlFields::tables(std::string_view key) {
  const auto* node = find(key);
  if (!node) {
    return nullptr;
  }
  if (const auto* array = node->as_array(); array && array->is_array_of_tables()) {
    return array;
  }
  report(key, fmt::format("'{}' must be a list of tables, written [[{}]]", key, key));
  return nullptr;
}

void TomlFields::report_unknown_keys() {
  for (const auto& [key, node] : m_table) {
    std::string name(key.str());
    if (std::find(m_known.begin(), m_known.end(), name) != m_known.end()) {
      continue;
    }
    auto hint = closest_match(name, m_known);
    m_diagnostics.push_back(
        {Location{m_source,
                  static_cast<std::size_t>(key.source().begin.line),
                  static_cast<std::size_t>(key.source().begin.column)},
         hint.empty()
             ? fmt::format("unknown key '{}'", name)
             : fmt::format("unknown key '{}'; did you mean '{}'?", name,
                           hint)});
  }
}

std::string toml_quote(std::string_view value) {
  return escape_quoted(
      value, [](unsigned char b) { return fmt::format("\\u{:04X}", b); },
      false);
}

void TomlWriter::string(std::string_view key, std::string_view value) {
  raw(key, toml_quote(value));
}

void TomlWriter::boolean(std::string_view key, bool value) {
  raw(key, value ? "true" : "false");
}

void TomlWriter::number(std::string_view key, double value) {
  raw(key, fmt::format("{}", value));
}

void TomlWriter::raw(std::string_view key, std::string_view value) {
  m_text += fmt::format("{} = {}\n", key, value);
}

void TomlWriter::string_list(std::string_view key,
                             const std::vector<std::string>& list) {
  if (list.empty()) {
    raw(key, "[]");
    return;
  }
  m_text += fmt::format("{} = [\n", key);
  for (const auto& element : list) {
    m_text += fmt::format("  {},\n", toml_quote(element));
  }
  m_text += "]\n";
}

void TomlWriter::table(std::string_view name) {
  m_text += fmt::format("\n[{}]\n", name);
}

void TomlWriter::raw_line(std::string_view line) {
  m_text += fmt::format("{}\n", line);
}

void TomlWriter::comment(std::string_view text) {
  m_text += fmt::format("# {}\n", text);
}

} // namespace mailgroup
