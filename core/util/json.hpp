// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mailgroup {

// Builds compact-but-readable JSON text (two-space indentation) with correct
// escaping; keys come out in the order they are written, which callers keep
// fixed so the output is stable.
class JsonWriter {
public:
  // `pretty` indents for people; `line` puts a document on one line (JSON
  // Lines files).
  enum class Style { pretty, line };
  explicit JsonWriter(Style style = Style::pretty) : m_style(style) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view name);
  JsonWriter& value(std::string_view text);
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(bool flag);
  JsonWriter& value(long long number);
  JsonWriter& value(double number);
  JsonWriter& null();
  JsonWriter& value(const std::vector<std::string>& list);
  JsonWriter& value(const std::vector<std::string_view>& list);

  // The text, ending in a newline.
  std::string str() const { return m_text + "\n"; }

private:
  void before_value();
  JsonWriter& close(char bracket);
  void newline();

  Style m_style;
  std::string m_text;
  // One entry per open container: whether it has an element yet.
  std::vector<bool> m_has_element;
  bool m_after_key = false;
};

std::string json_quote(std::string_view text);

} // namespace mailgroup
