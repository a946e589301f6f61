// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Reading and writing the store's TOML files. Internal to core: cmd/ never
// sees toml++ types.

#include "core/util/error.hpp"

#include <toml++/toml.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailgroup {

// Parses `text`; a syntax error throws Error(kind) with `source:line:col`.
toml::table parse_toml(std::string_view text,
                       const std::string& source,
                       ErrorKind kind);

Location location_of(const toml::node& node, const std::string& source);

// Reads the keys of one TOML table, collecting every problem as a Diagnostic
// (wrong type, unknown key, invalid value) instead of stopping at the first,
// so `mailgroup check` can list them all.
class TomlFields {
public:
  TomlFields(const toml::table& table,
             std::string source,
             std::vector<Diagnostic>& diagnostics);

  std::optional<std::string> string(std::string_view key);
  std::optional<bool> boolean(std::string_view key);
  std::optional<double> number(std::string_view key);
  // A date-time written natively or as a string, returned in RFC 3339 form.
  std::optional<std::string> timestamp(std::string_view key);
  // Each element goes through `normalize`, which throws Error(data) to refuse
  // it; duplicates (after normalising) are reported too.
  std::vector<std::string> string_list(
      std::string_view key,
      const std::function<std::string(std::string_view)>& normalize);
  const toml::table* table(std::string_view key);
  // A list of tables ([[key]]), or nullptr if absent or wrong.
  const toml::array* tables(std::string_view key);
  bool has(std::string_view key) const { return m_table.contains(key); }

  // Reports a problem at `key`'s value (or the table if `key` is absent).
  void report(std::string_view key, const std::string& message);
  // Reports every key not looked up so far, with a hint for likely typos.
  void report_unknown_keys();

  const std::string& source() const { return m_source; }

private:
  const toml::node* find(std::string_view key);
  void wrong_type(std::string_view key, const char* expected);

  const toml::table& m_table;
  std::string m_source;
  std::vector<Diagnostic>& m_diagnostics;
  std::vector<std::string> m_known;
};

// Writes canonical TOML: one `key = value` a line, string lists one element a
// line so that adding a member is a one-line diff.
class TomlWriter {
public:
  void string(std::string_view key, std::string_view value);
  void boolean(std::string_view key, bool value);
  void number(std::string_view key, double value);
  void raw(std::string_view key, std::string_view value);
  void string_list(std::string_view key, const std::vector<std::string>& list);
  void table(std::string_view name);
  void comment(std::string_view text);
  void raw_line(std::string_view line);

  const std::string& text() const { return m_text; }

private:
  std::string m_text;
};

// `value` as a TOML basic string, quotes included.
std::string toml_quote(std::string_view value);

} // namespace mailgroup
