// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/changelog.hpp"

#include "core/error.hpp"
#include "core/json.hpp"
#include "core/text.hpp"

#include <fmt/format.h>

namespace mailgroup {

std::string format_log_entry(const LogEntry& entry) {
  JsonWriter json(JsonWriter::Style::line);
  write_log_entry(json, entry);
  return json.str();
}

void write_log_entry(JsonWriter& json, const LogEntry& entry) {
  json.begin_object();
  json.key("time").value(std::string_view(entry.time));
  json.key("actor").value(std::string_view(entry.actor));
  json.key("command").value(std::string_view(entry.command));
  json.key("group").value(std::string_view(entry.group));
  json.key("action").value(std::string_view(entry.action));
  json.key("changes").value(entry.changes);
  json.end_object();
}

namespace {

// A reader for the one shape the log is written in: an object of strings
// and arrays of strings, with JSON string escapes.
class LineReader {
public:
  LineReader(std::string_view text) : m_text(text) {}

  LogEntry entry() {
    LogEntry e;
    expect('{');
    bool first = true;
    while (!peek('}')) {
      if (!first) {
        expect(',');
      }
      first = false;
      auto key = string();
      expect(':');
      if (key == "changes") {
        expect('[');
        bool first_item = true;
        while (!peek(']')) {
          if (!first_item) {
            expect(',');
          }
          first_item = false;
          e.changes.push_back(string());
        }
        expect(']');
        continue;
      }
      auto value = string();
      if (key == "time") {
        e.time = value;
      } else if (key == "actor") {
        e.actor = value;
      } else if (key == "command") {
        e.command = value;
      } else if (key == "group") {
        e.group = value;
      } else if (key == "action") {
        e.action = value;
      }
    }
    expect('}');
    skip_space();
    if (m_pos != m_text.size()) {
      throw Error(ErrorKind::data, "text after the object");
    }
    return e;
  }

private:
  void skip_space() {
    while (m_pos < m_text.size() && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t')) {
      ++m_pos;
    }
  }
  bool peek(char c) {
    skip_space();
    return m_pos < m_text.size() && m_text[m_pos] == c;
  }
  void expect(char c) {
    if (!peek(c)) {
      throw Error(ErrorKind::data, fmt::format("expected '{}'", c));
    }
    ++m_pos;
  }
  std::string string() {
    expect('"');
    std::string out;
    while (true) {
      if (m_pos >= m_text.size()) {
        throw Error(ErrorKind::data, "unterminated string");
      }
      char c = m_text[m_pos++];
      if (c == '"') {
        return out;
      }
      if (c != '\\') {
        out += c;
        continue;
      }
      if (m_pos >= m_text.size()) {
        throw Error(ErrorKind::data, "unterminated string");
      }
      char e = m_text[m_pos++];
      switch (e) {
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'u': {
        if (m_pos + 4 > m_text.size()) {
          throw Error(ErrorKind::data, "bad \\u escape");
        }
        auto code = std::stoul(std::string(m_text.substr(m_pos, 4)), nullptr, 16);
        m_pos += 4;
        if (code >= 0x80) {
          throw Error(ErrorKind::data, "unexpected \\u escape");
        }
        out += static_cast<char>(code);
        break;
      }
      default:
        out += e;
      }
    }
  }

  std::string_view m_text;
  std::size_t m_pos = 0;
};

} // namespace

std::vector<LogEntry> parse_log(std::string_view text, const std::string& source) {
  std::vector<LogEntry> entries;
  std::size_t number = 0;
  for (auto line : split(text, '\n')) {
    ++number;
    if (trim(line).empty()) {
      continue;
    }
    try {
      entries.push_back(LineReader(line).entry());
    } catch (const std::exception& e) {
      throw Error(ErrorKind::data,
                  {Diagnostic{Location{source, number},
                              fmt::format("not a log entry: {}", e.what())}});
    }
  }
  return entries;
}

} // namespace mailgroup
