// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/util/json.hpp"

#include "core/util/text.hpp"

#include <fmt/format.h>

namespace mailgroup {

std::string json_quote(std::string_view text) {
  return escape_quoted(
      text, [](unsigned char b) { return fmt::format("\\u{:04x}", b); },
      false);
}

void JsonWriter::newline() {
  if (m_style == Style::line) {
    return;
  }
  m_text += '\n';
  m_text.append(m_has_element.size() * 2, ' ');
}

void JsonWriter::before_value() {
  if (m_after_key) {
    m_after_key = false;
    return;
  }
  if (!m_has_element.empty()) {
    if (m_has_element.back()) {
      m_text += ',';
    }
    m_has_element.back() = true;
    newline();
  }
}

JsonWriter& JsonWriter::begin_object() {
  before_value();
  m_text += '{';
  m_has_element.push_back(false);
  return *this;
}

JsonWriter& JsonWriter::end_object() { return close('}'); }

JsonWriter& JsonWriter::close(char bracket) {
  bool had = m_has_element.back();
  m_has_element.pop_back();
  if (had) {
    newline();
  }
  m_text += bracket;
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  before_value();
  m_text += '[';
  m_has_element.push_back(false);
  return *this;
}

JsonWriter& JsonWriter::end_array() { return close(']'); }

JsonWriter& JsonWriter::key(std::string_view name) {
  before_value();
  m_text += json_quote(name);
  m_text += m_style == Style::line ? ":" : ": ";
  m_after_key = true;
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
  before_value();
  m_text += json_quote(text);
  return *this;
}

JsonWriter& JsonWriter::value(bool flag) {
  before_value();
  m_text += flag ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::value(long long number) {
  before_value();
  m_text += fmt::format("{}", number);
  return *this;
}

JsonWriter& JsonWriter::value(double number) {
  before_value();
  m_text += fmt::format("{}", number);
  return *this;
}

JsonWriter& JsonWriter::null() {
  before_value();
  m_text += "null";
  return *this;
}

JsonWriter& JsonWriter::value(const std::vector<std::string_view>& list) {
  begin_array();
  for (auto element : list) {
    value(element);
  }
  return end_array();
}

JsonWriter& JsonWriter::value(const std::vector<std::string>& list) {
  begin_array();
  for (const auto& element : list) {
    value(std::string_view(element));
  }
  return end_array();
}

} // namespace mailgroup
