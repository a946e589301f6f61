// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace mailgroup {

// One record of a CSV text: its fields and the line it starts on.
struct CsvRecord {
  std::vector<std::string_view> fields;
  std::size_t line = 0;
};

// An RFC 4180 reader over text held in memory: quoted fields with embedded
// commas, doubled quotes and line breaks; LF or CRLF; a UTF-8 byte order mark
// is skipped; blank lines are skipped. Fields point into the text, or into
// `arena()` where a doubled quote had to be undone, so the reader must
// outlive them.
class CsvReader {
public:
  CsvReader(std::string_view text, std::string source);

  // The next record, or false at the end. A quote left open or a stray quote
  // throws Error(data) with `source:line:col`: such an error cannot be
  // skipped, since where the next record starts is unknown.
  bool next(CsvRecord& record);

  // Storage for unescaped fields; moved out by whoever keeps the fields.
  std::deque<std::string>& arena() { return m_arena; }

private:
  [[noreturn]] void fail(std::size_t line, std::size_t offset,
                         const std::string& message) const;

  std::string_view m_text;
  std::string m_source;
  std::size_t m_pos = 0;
  std::size_t m_line = 1;
  std::size_t m_line_start = 0;
  std::deque<std::string> m_arena;
};

// One cell of a CSV file mailgroup writes (RFC 4180: quoted when it holds
// a comma, a quote or a line break). A cell that starts with '=', '+', '-',
// '@', a tab or a carriage return gets a leading "'", the OWASP rule
// against CSV injection: a spreadsheet would run it as a formula.
std::string csv_cell(std::string_view text);

} // namespace mailgroup
