// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The employee directory: people with attributes, in a department tree.
// Laid out for evaluating tens of thousands of groups over a million people:
// departments are numbered in depth-first order and people sorted by their
// department's number, so everyone in a department's subtree is one
// contiguous range.

#include "core/model/config.hpp"

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mailgroup {

struct Department {
  std::string path;  // as first seen, parts joined by the separator
  std::size_t parent = 0; // the root is its own parent
  std::vector<std::size_t> children;
  // People sorted by department: [first, own_end) are in this department
  // itself, [first, subtree_end) in it and everything below.
  std::size_t first = 0;
  std::size_t own_end = 0;
  std::size_t subtree_end = 0;
};

class Directory {
public:
  // Column names as in the source; `email` and `department` columns are
  // found through DirectoryConfig.
  const std::vector<std::string>& attributes() const { return m_attributes; }
  // The column of `name` (ASCII case-insensitive), or npos.
  std::size_t attribute_index(std::string_view name) const;

  std::size_t size() const { return m_rows.size(); }
  // Person `i` in department order.
  std::string_view email(std::size_t i) const { return m_emails[m_rows[i]]; }
  std::string_view value(std::size_t i, std::size_t column) const {
    return m_cells[m_rows[i] * m_attributes.size() + column];
  }

  // One attribute's values interned: `ids[i]` indexes `values`, so a
  // predicate can be computed once per distinct value (a column of twenty
  // cities costs twenty evaluations, not a million). Built on first use;
  // safe to call from several threads.
  struct Column {
    std::vector<std::uint32_t> ids; // by person, in department order
    std::vector<std::string_view> values;
  };
  const Column& column(std::size_t index) const;
  bool active(std::size_t i) const { return m_active[i] != 0; }
  std::size_t department_of(std::size_t i) const { return m_department[i]; }
  std::size_t line_of(std::size_t i) const { return m_lines[i]; }
  // Person `i`'s position in address order.
  std::uint32_t rank(std::size_t i) const { return m_rank[i]; }
  // The person with `email`, or npos.
  std::size_t find(std::string_view email) const;

  // Index 0 is the root (path ""), above every top-level department: the
  // organisation, whose own people are those filed with no department.
  const std::vector<Department>& departments() const { return m_departments; }
  // The department with `path` (separator-split, trimmed, ASCII
  // case-insensitive), or npos. The separator alone is the root.
  std::size_t find_department(std::string_view path) const;
  // A department's path for messages: the separator for the root.
  std::string_view display_path(std::size_t department) const;
  std::vector<std::string> department_paths() const;
  bool is_under(std::size_t department, std::size_t ancestor) const;

  const std::string& source() const { return m_source; }
  std::size_t active_count() const;

  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

private:
  friend class DirectoryBuilder;

  std::string m_source;
  std::string m_separator;
  std::string m_text; // the source text the cells point into
  std::deque<std::string> m_arena;        // values made while loading
  std::deque<std::string> m_reader_arena; // the CSV reader's unescaped fields
  std::vector<std::string> m_attributes;
  // Per stored row: every row kept from the source, in source order.
  std::vector<std::string_view> m_cells; // by stored row
  std::vector<std::size_t> m_rows;       // department order -> stored row
  std::vector<std::size_t> m_positions;  // stored row -> department order
  // By stored row: views into the text, or into m_arena where an address had
  // to be lower-cased.
  std::vector<std::string_view> m_emails;
  std::vector<unsigned char> m_active;
  std::vector<std::size_t> m_department;
  std::vector<std::size_t> m_lines;
  std::vector<std::uint32_t> m_rank;
  std::vector<Department> m_departments;
  std::unordered_map<std::string, std::size_t> m_department_index;
  std::vector<std::uint32_t> m_sorted; // department order, by address
  mutable std::vector<std::unique_ptr<Column>> m_columns;
  mutable std::unique_ptr<std::once_flag[]> m_column_once;
};

struct DirectoryLoadOptions {
  bool skip_invalid = false;
};

// Reads a directory from `text`: CSV (RFC 4180) unless `source` ends in
// ".toml", then `[[employee]]` tables. Bad rows (invalid or duplicate email,
// wrong number of fields) fail the whole load with `source:line: message`,
// every one listed; with `skip_invalid` they are left out, each with a
// warning in `warnings`.
std::unique_ptr<Directory> load_directory(std::string text,
                                          const std::string& source,
                                          const DirectoryConfig& config,
                                          const DirectoryLoadOptions& options,
                                          std::vector<std::string>& warnings);

// Splits a department path into trimmed, non-empty parts.
std::vector<std::string_view> department_parts(std::string_view path,
                                               std::string_view separator);
} // namespace mailgroup
