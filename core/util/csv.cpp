// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/util/csv.hpp"

#include "core/util/error.hpp"

#include <fmt/format.h>

#include <cstring>

namespace mailgroup {

CsvReader::CsvReader(std::string_view text, std::string source)
    : m_text(text), m_source(std::move(source)) {
  if (m_text.starts_with("\xEF\xBB\xBF")) {
    m_pos = 3;
    m_line_start = 3;
  }
}

void CsvReader::fail(std::size_t line,
                     std::size_t offset,
                     const std::string& message) const {
  throw Error(ErrorKind::data,
              {Diagnostic{Location{m_source, line, offset - m_line_start + 1},
                          message}});
}

bool CsvReader::next(CsvRecord& record) {
  record.fields.clear();
  // Blank lines between records carry no data.
  while (m_pos < m_text.size() &&
         (m_text[m_pos] == '\n' ||
          (m_text[m_pos] == '\r' && m_pos + 1 < m_text.size() &&
           m_text[m_pos + 1] == '\n'))) {
    m_pos += m_text[m_pos] == '\r' ? 2u : 1u;
    ++m_line;
    m_line_start = m_pos;
  }
  if (m_pos >= m_text.size()) {
    return false;
  }
  record.line = m_line;
  const char* data = m_text.data();
  const std::size_t size = m_text.size();
  while (true) {
    if (m_pos < size && data[m_pos] == '"') {
      // A quoted field.
      std::size_t open_line = m_line;
      std::size_t open_at = m_pos;
      std::size_t open_line_start = m_line_start;
      std::size_t start = ++m_pos;
      bool doubled = false;
      while (true) {
        const void* hit = std::memchr(data + m_pos, '"', size - m_pos);
        // Count the line breaks we jump over, for positions after this.
        std::size_t end = hit ? static_cast<std::size_t>(
                                    static_cast<const char*>(hit) - data)
                              : size;
        for (std::size_t i = m_pos; i < end; ++i) {
          if (data[i] == '\n') {
            ++m_line;
            m_line_start = i + 1;
          }
        }
        if (!hit) {
          m_line_start = open_line_start;
          fail(open_line, open_at,
               "unbalanced quote: this quoted field never ends");
        }
        m_pos = end + 1;
        if (m_pos < size && data[m_pos] == '"') {
          doubled = true;
          ++m_pos;
          continue;
        }
        break;
      }
      std::string_view raw(data + start, m_pos - 1 - start);
      if (doubled) {
        std::string unescaped;
        unescaped.reserve(raw.size());
        for (std::size_t i = 0; i < raw.size(); ++i) {
          unescaped += raw[i];
          if (raw[i] == '"') {
            ++i;
          }
        }
        m_arena.push_back(std::move(unescaped));
        record.fields.emplace_back(m_arena.back());
      } else {
        record.fields.push_back(raw);
      }
      if (m_pos < size && data[m_pos] != ',' && data[m_pos] != '\n' &&
          !(data[m_pos] == '\r' && m_pos + 1 < size && data[m_pos + 1] == '\n')) {
        fail(m_line, m_pos,
             "unexpected character after a closing quote (a quote inside a "
             "quoted field is written \"\")");
      }
    } else {
      std::size_t start = m_pos;
      while (m_pos < size && data[m_pos] != ',' && data[m_pos] != '\n') {
        if (data[m_pos] == '"') {
          fail(m_line, m_pos,
               "stray quote in an unquoted field (quote the whole field and "
               "write the quote as \"\")");
        }
        ++m_pos;
      }
      std::size_t end = m_pos;
      // The CR of a CRLF line end is not data.
      bool at_line_end = end == size || data[end] == '\n';
      if (at_line_end && end > start && data[end - 1] == '\r') {
        --end;
      }
      record.fields.emplace_back(data + start, end - start);
    }
    if (m_pos >= size) {
      return true;
    }
    if (data[m_pos] == ',') {
      ++m_pos;
      continue;
    }
    if (data[m_pos] == '\r') {
      ++m_pos;
    }
    // data[m_pos] == '\n'
    ++m_pos;
    ++m_line;
    m_line_start = m_pos;
    return true;
  }
}

std::string csv_cell(std::string_view text) {
  std::string cell;
  if (!text.empty() && std::strchr("=+-@\t\r", text.front()) != nullptr) {
    cell += '\'';
  }
  cell += text;
  if (cell.find_first_of(",\"\r\n") == std::string::npos) {
    return cell;
  }
  std::string quoted = "\"";
  for (char c : cell) {
    quoted += c;
    if (c == '"') {
      quoted += '"';
    }
  }
  return quoted + '"';
}

} // namespace mailgroup
