// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/directory/index.hpp"

#include "core/model/address.hpp"
#include "core/util/csv.hpp"
#include "core/util/error.hpp"
#include "core/util/text.hpp"
#include "core/util/toml_io.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>
#include <thread>
#include <unordered_set>

namespace mailgroup {

namespace {
constexpr std::size_t k_max_listed_errors = 20;

std::string lower_key(const std::vector<std::string_view>& parts) {
  std::string key;
  for (auto part : parts) {
    key += '/';
    key += ascii_lower(part);
  }
  return key;
}
} // namespace

std::vector<std::string_view> department_parts(std::string_view path,
                                               std::string_view separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto end = path.find(separator, start);
    if (end == std::string_view::npos) {
      end = path.size();
    }
    auto part = trim(path.substr(start, end - start));
    if (!part.empty()) {
      parts.push_back(part);
    }
    start = end + separator.size();
  }
  return parts;
}

std::size_t Directory::attribute_index(std::string_view name) const {
  for (std::size_t i = 0; i < m_attributes.size(); ++i) {
    if (iequals(m_attributes[i], name)) {
      return i;
    }
  }
  return npos;
}

std::size_t Directory::find(std::string_view email) const {
  auto it = std::lower_bound(
      m_sorted.begin(), m_sorted.end(), email,
      [&](std::uint32_t i, std::string_view key) { return this->email(i) < key; });
  return it != m_sorted.end() && this->email(*it) == email ? *it : npos;
}

const Directory::Column& Directory::column(std::size_t index) const {
  std::call_once(m_column_once[index], [&] {
    auto column = std::make_unique<Column>();
    const auto width = m_attributes.size();
    // By person, in department order: a group's department is one range of
    // people, so evaluating it reads `ids` in sequence (by source row it
    // was a cache miss a person, a quarter of a first sync's profile).
    const auto people = m_rows.size();
    column->ids.resize(people);
    std::unordered_map<std::string_view, std::uint32_t> seen;
    for (std::size_t i = 0; i < people; ++i) {
      auto value = m_cells[m_rows[i] * width + index];
      auto [it, fresh] = seen.emplace(
          value, static_cast<std::uint32_t>(column->values.size()));
      if (fresh) {
        column->values.push_back(value);
      }
      column->ids[i] = it->second;
    }
    m_columns[index] = std::move(column);
  });
  return *m_columns[index];
}

std::size_t Directory::find_department(std::string_view path) const {
  if (is_root_department(path, m_separator)) {
    return 0;
  }
  auto parts = department_parts(path, m_separator);
  if (parts.empty()) {
    return npos; // "" or "//" names nothing
  }
  auto it = m_department_index.find(lower_key(parts));
  return it == m_department_index.end() ? npos : it->second;
}

std::string_view Directory::display_path(std::size_t department) const {
  return department == 0 ? trim(m_separator)
                         : std::string_view(m_departments[department].path);
}

std::vector<std::string> Directory::department_paths() const {
  std::vector<std::string> paths;
  for (std::size_t i = 1; i < m_departments.size(); ++i) {
    paths.push_back(m_departments[i].path);
  }
  return paths;
}

bool Directory::is_under(std::size_t department, std::size_t ancestor) const {
  // Depth-first numbering: a subtree is a contiguous range of numbers, and
  // its people a contiguous range too.
  const auto& a = m_departments[ancestor];
  const auto& d = m_departments[department];
  return d.first >= a.first && d.subtree_end <= a.subtree_end &&
         department >= ancestor;
}

std::size_t Directory::active_count() const {
  return static_cast<std::size_t>(
      std::count(m_active.begin(), m_active.end(), 1));
}

// Builds a Directory from rows of cells, whatever their source format.
class DirectoryBuilder {
public:
  DirectoryBuilder(std::string source,
                   const DirectoryConfig& config,
                   const DirectoryLoadOptions& options,
                   std::vector<std::string>& warnings)
      : m_config(config), m_options(options), m_warnings(warnings) {
    m_dir = std::make_unique<Directory>();
    m_dir->m_source = std::move(source);
    m_dir->m_separator = config.department_separator;
    m_dir->m_departments.push_back(Department{});
  }

  Directory& dir() { return *m_dir; }

  // The source text; cells point into it.
  std::string_view keep_text(std::string text) {
    m_dir->m_text = std::move(text);
    return m_dir->m_text;
  }

  // A reader's storage of unescaped fields (moving a deque moves its blocks,
  // so fields pointing into it stay valid).
  void adopt(std::deque<std::string>&& arena) {
    m_dir->m_reader_arena = std::move(arena);
  }

  // Keeps `text` alive as long as the directory; cells may point into it.
  std::string_view keep(std::string text) {
    m_dir->m_arena.push_back(std::move(text));
    return m_dir->m_arena.back();
  }

  void set_attributes(std::vector<std::string> names, std::size_t line) {
    // A hash set, not a pairwise check: a hostile header may have a
    // million columns.
    std::unordered_set<std::string> seen;
    for (const auto& name : names) {
      if (!seen.insert(ascii_lower(name)).second) {
        throw Error(ErrorKind::data,
                    {Diagnostic{Location{m_dir->m_source, line},
                                fmt::format("column {} appears twice in the "
                                            "header",
                                            quote(name))}});
      }
    }
    m_dir->m_attributes = std::move(names);
    m_email = require_column(m_config.email_column, "email_column", line);
    m_department =
        require_column(m_config.department_column, "department_column", line);
    m_status = m_dir->attribute_index(m_config.status_column);
    if (m_status == Directory::npos && !m_config.status_column_optional) {
      // A renamed column (employment_status) must not make every row
      // active: terminated people would join groups.
      throw Error(
          ErrorKind::data,
          {Diagnostic{Location{m_dir->m_source, line},
                      fmt::format("no {} column (the header has: {}); name "
                                  "the status column in mailgroup.toml, "
                                  "[directory] status_column, or set "
                                  "status_column_optional = true there if "
                                  "the directory has none (then everyone in "
                                  "it is active)",
                                  quote(m_config.status_column),
                                  fmt::join(m_dir->m_attributes, ", "))}});
    }
  }

  // Adds one row; `cells` has one value per attribute.
  void add(const std::vector<std::string_view>& cells, std::size_t line) {
    const auto width = m_dir->m_attributes.size();
    if (cells.size() != width) {
      return row_error(line, fmt::format("{} fields, but the header has {}",
                                         cells.size(), width));
    }
    auto email = trim(cells[m_email]);
    if (!is_normal_address(email)) {
      std::string why;
      auto normal = normalize_address(email, &why);
      if (!normal) {
        return row_error(line, fmt::format("invalid email {}: {}",
                                           quote(cells[m_email]), why));
      }
      email = keep(std::move(*normal));
    }

    // Values are compared trimmed; trimming once here keeps it off the
    // evaluation loop.
    for (auto cell : cells) {
      m_dir->m_cells.push_back(trim(cell));
    }
    m_dir->m_emails.push_back(email);
    m_lines.push_back(line);
    m_active.push_back(is_active(cells) ? 1 : 0);
    m_nodes.push_back(department_node(cells[m_department]));
  }

  std::unique_ptr<Directory> finish() {
    // Sorting by address finds duplicates (neighbours) and gives the ranks,
    // with no hash table of a million addresses.
    auto order = rows_by_email();
    drop_duplicates(order);
    if (!m_errors.empty()) {
      std::stable_sort(m_errors.begin(), m_errors.end(),
                       [](const Diagnostic& a, const Diagnostic& b) {
                         return a.where.line < b.where.line;
                       });
      if (m_errors.size() > k_max_listed_errors) {
        auto more = m_errors.size() - k_max_listed_errors;
        m_errors.resize(k_max_listed_errors);
        m_errors.push_back(
            {Location{m_dir->m_source},
             fmt::format("... and {} more bad rows (--skip-invalid leaves "
                         "bad rows out)",
                         more)});
      }
      throw Error(ErrorKind::data, std::move(m_errors));
    }
    remove_dropped(order);
    number_departments(order);
    return std::move(m_dir);
  }

private:
  std::size_t require_column(const std::string& name,
                             const char* setting,
                             std::size_t line) {
    auto index = m_dir->attribute_index(name);
    if (index == Directory::npos) {
      throw Error(ErrorKind::data,
                  {Diagnostic{Location{m_dir->m_source, line},
                              fmt::format("no {} column (the header has: {}); "
                                          "name it in mailgroup.toml, "
                                          "[directory] {}",
                                          quote(name),
                                          fmt::join(m_dir->m_attributes, ", "),
                                          setting)}});
    }
    return index;
  }

  void row_error(std::size_t line, std::string message) {
    if (m_options.skip_invalid) {
      m_warnings.push_back(fmt::format("{}:{}: {}; row skipped",
                                       m_dir->m_source, line, message));
      return;
    }
    m_errors.push_back({Location{m_dir->m_source, line}, std::move(message)});
  }

  bool is_active(const std::vector<std::string_view>& cells) const {
    if (m_status == Directory::npos) {
      return true;
    }
    auto status = trim(cells[m_status]);
    return std::any_of(m_config.active_values.begin(),
                       m_config.active_values.end(),
                       [&](const std::string& v) { return iequals(v, status); });
  }

  std::size_t department_node(std::string_view raw) {
    if (auto it = m_raw_cache.find(raw); it != m_raw_cache.end()) {
      return it->second;
    }
    auto parts = department_parts(raw, m_config.department_separator);
    std::size_t node = 0;
    std::string key;
    std::string path;
    for (auto part : parts) {
      key += '/';
      key += ascii_lower(part);
      if (!path.empty()) {
        path += m_config.department_separator;
      }
      path += part;
      auto [it, fresh] =
          m_dir->m_department_index.emplace(key, m_dir->m_departments.size());
      if (fresh) {
        Department d;
        d.path = path;
        d.parent = node;
        m_dir->m_departments[node].children.push_back(it->second);
        m_dir->m_departments.push_back(std::move(d));
      }
      node = it->second;
    }
    m_raw_cache.emplace(raw, node);
    return node;
  }

  // Renumbers departments depth-first (children by path) and sorts people
  // by department number, so each subtree is a contiguous range of both.
  // Source rows sorted by (address, row), on two threads.
  std::vector<std::uint32_t> rows_by_email() const {
    const auto& emails = m_dir->m_emails;
    std::vector<std::uint32_t> order(emails.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
      order[i] = static_cast<std::uint32_t>(i);
    }
    auto less = [&](std::uint32_t a, std::uint32_t b) {
      auto c = emails[a].compare(emails[b]);
      return c < 0 || (c == 0 && a < b);
    };
    auto middle = order.begin() + static_cast<long>(order.size() / 2);
    std::thread half([&] { std::sort(order.begin(), middle, less); });
    std::sort(middle, order.end(), less);
    half.join();
    std::inplace_merge(order.begin(), middle, order.end(), less);
    return order;
  }

  void drop_duplicates(const std::vector<std::uint32_t>& order) {
    const auto& emails = m_dir->m_emails;
    m_dropped.assign(emails.size(), 0);
    for (std::size_t k = 1; k < order.size(); ++k) {
      std::size_t first = k - 1;
      while (k < order.size() && emails[order[k]] == emails[order[first]]) {
        row_error(m_lines[order[k]],
                  fmt::format("duplicate email {} (first on line {})",
                              emails[order[k]], m_lines[order[first]]));
        m_dropped[order[k]] = 1;
        ++k;
      }
    }
  }

  // Takes the duplicates left out under skip_invalid out of every per-row
  // table (cells, emails, lines, ...), so that a row number means the same
  // row in all of them and in the column indexes built from them later.
  // Costs nothing when no row was dropped.
  void remove_dropped(std::vector<std::uint32_t>& by_email) {
    if (std::find(m_dropped.begin(), m_dropped.end(), 1) == m_dropped.end()) {
      return;
    }
    auto& cells = m_dir->m_cells;
    auto& emails = m_dir->m_emails;
    const auto width = m_dir->m_attributes.size();
    const auto rows = m_lines.size();
    std::vector<std::uint32_t> renumber(rows);
    std::size_t kept = 0;
    for (std::size_t row = 0; row < rows; ++row) {
      renumber[row] = static_cast<std::uint32_t>(kept);
      if (m_dropped[row]) {
        continue;
      }
      if (kept != row) {
        std::copy_n(cells.begin() + static_cast<long>(row * width), width,
                    cells.begin() + static_cast<long>(kept * width));
        emails[kept] = emails[row];
        m_lines[kept] = m_lines[row];
        m_active[kept] = m_active[row];
        m_nodes[kept] = m_nodes[row];
      }
      ++kept;
    }
    cells.resize(kept * width);
    emails.resize(kept);
    m_lines.resize(kept);
    m_active.resize(kept);
    m_nodes.resize(kept);
    std::erase_if(by_email, [&](std::uint32_t row) { return m_dropped[row]; });
    for (auto& row : by_email) {
      row = renumber[row];
    }
  }

  void number_departments(const std::vector<std::uint32_t>& by_email) {
    auto& old = m_dir->m_departments;
    std::vector<std::size_t> renumber(old.size());
    std::vector<std::size_t> order;
    order.reserve(old.size());
    std::vector<std::size_t> stack = {0};
    while (!stack.empty()) {
      auto node = stack.back();
      stack.pop_back();
      renumber[node] = order.size();
      order.push_back(node);
      auto children = old[node].children;
      std::sort(children.begin(), children.end(),
                [&](std::size_t a, std::size_t b) {
                  return ascii_lower(old[a].path) < ascii_lower(old[b].path);
                });
      for (auto it = children.rbegin(); it != children.rend(); ++it) {
        stack.push_back(*it);
      }
    }
    std::vector<Department> fresh(old.size());
    for (std::size_t n = 0; n < old.size(); ++n) {
      auto& d = fresh[renumber[n]];
      d.path = std::move(old[n].path);
      d.parent = renumber[old[n].parent];
      for (auto child : old[n].children) {
        d.children.push_back(renumber[child]);
      }
      std::sort(d.children.begin(), d.children.end());
    }
    for (auto& [key, index] : m_dir->m_department_index) {
      index = renumber[index];
    }

    // Counting sort of people by department number (stable: input order
    // within a department).
    const auto rows = m_lines.size();
    std::vector<std::size_t> count(fresh.size() + 1, 0);
    for (std::size_t row = 0; row < rows; ++row) {
      ++count[renumber[m_nodes[row]] + 1];
    }
    for (std::size_t i = 1; i < count.size(); ++i) {
      count[i] += count[i - 1];
    }
    for (std::size_t n = 0; n < fresh.size(); ++n) {
      fresh[n].first = count[n];
      fresh[n].own_end = count[n + 1];
    }
    // A subtree ends where the next department that is not below it starts:
    // compute bottom-up (children have higher numbers).
    for (std::size_t n = fresh.size(); n-- > 0;) {
      fresh[n].subtree_end = fresh[n].own_end;
      for (auto child : fresh[n].children) {
        fresh[n].subtree_end =
            std::max(fresh[n].subtree_end, fresh[child].subtree_end);
      }
    }
    auto& dir = *m_dir;
    const std::size_t kept = count.back();
    dir.m_rows.resize(kept);
    dir.m_positions.assign(rows, Directory::npos);
    dir.m_active.resize(kept);
    dir.m_department.resize(kept);
    dir.m_lines.resize(kept);
    auto next = count;
    for (std::size_t row = 0; row < rows; ++row) {
      auto node = renumber[m_nodes[row]];
      auto at = next[node]++;
      dir.m_rows[at] = row;
      dir.m_positions[row] = at;
      dir.m_active[at] = m_active[row];
      dir.m_department[at] = node;
      dir.m_lines[at] = m_lines[row];
    }
    dir.m_departments = std::move(fresh);
    dir.m_columns.resize(dir.m_attributes.size());
    dir.m_column_once =
        std::make_unique<std::once_flag[]>(dir.m_attributes.size());
    // Ranks in address order let each group sort its members by integer.
    dir.m_rank.resize(kept);
    dir.m_sorted.reserve(kept);
    for (auto row : by_email) {
      auto at = dir.m_positions[row];
      dir.m_rank[at] = static_cast<std::uint32_t>(dir.m_sorted.size());
      dir.m_sorted.push_back(static_cast<std::uint32_t>(at));
    }
  }

  const DirectoryConfig& m_config;
  const DirectoryLoadOptions& m_options;
  std::vector<std::string>& m_warnings;
  std::unique_ptr<Directory> m_dir;
  std::size_t m_email = 0;
  std::size_t m_department = 0;
  std::size_t m_status = Directory::npos;
  std::vector<Diagnostic> m_errors;
  std::unordered_map<std::string_view, std::size_t> m_raw_cache;
  std::vector<std::size_t> m_lines;
  std::vector<unsigned char> m_active;
  std::vector<std::size_t> m_nodes;
  std::vector<unsigned char> m_dropped; // duplicates, until remove_dropped
};

namespace {

void check_utf8(std::string_view text, const std::string& source) {
  auto bad = utf8_error_offset(text);
  if (bad == std::string_view::npos) {
    return;
  }
  auto line = 1 + static_cast<std::size_t>(
                      std::count(text.begin(),
                                 text.begin() + static_cast<long>(bad), '\n'));
  auto line_start = text.rfind('\n', bad);
  auto column = bad - (line_start == std::string_view::npos ? 0 : line_start + 1) + 1;
  throw Error(ErrorKind::data,
              {Diagnostic{Location{source, line, column},
                          "not valid UTF-8 (export the directory as UTF-8)"}});
}

void load_toml_directory(DirectoryBuilder& builder,
                         std::string_view text,
                         const std::string& source) {
  auto table = parse_toml(text, source, ErrorKind::data);
  const auto* employees = table["employee"].as_array();
  if (!employees || employees->empty()) {
    throw Error(ErrorKind::refused,
                fmt::format("{}: the directory is empty (no [[employee]] "
                            "tables)",
                            source));
  }
  std::vector<std::string> names;
  for (const auto& node : *employees) {
    const auto* row = node.as_table();
    if (!row) {
      throw Error(ErrorKind::data,
                  {Diagnostic{location_of(node, source),
                              "'employee' must be an array of tables"}});
    }
    for (const auto& [key, value] : *row) {
      std::string name(key.str());
      if (std::find(names.begin(), names.end(), name) == names.end()) {
        names.push_back(name);
      }
    }
  }
  std::sort(names.begin(), names.end());
  builder.set_attributes(names, 1);
  std::vector<std::string_view> cells(names.size());
  for (const auto& node : *employees) {
    const auto& row = *node.as_table();
    for (std::size_t i = 0; i < names.size(); ++i) {
      const auto* value = row.get(names[i]);
      std::string text_value;
      if (!value) {
        text_value.clear();
      } else if (auto s = value->value<std::string>()) {
        text_value = *s;
      } else if (value->is_array() || value->is_table()) {
        throw Error(ErrorKind::data,
                    {Diagnostic{location_of(*value, source),
                                fmt::format("'{}' must be a plain value",
                                            names[i])}});
      } else {
        std::ostringstream out;
        value->visit([&out](const auto& v) { out << v; });
        text_value = out.str();
      }
      cells[i] = builder.keep(std::move(text_value));
    }
    builder.add(cells, static_cast<std::size_t>(row.source().begin.line));
  }
}

} // namespace

std::unique_ptr<Directory> load_directory(std::string text,
                                          const std::string& source,
                                          const DirectoryConfig& config,
                                          const DirectoryLoadOptions& options,
                                          std::vector<std::string>& warnings) {
  check_utf8(text, source);
  DirectoryBuilder builder(source, config, options, warnings);
  auto kept = builder.keep_text(std::move(text));
  if (source.ends_with(".toml")) {
    load_toml_directory(builder, kept, source);
  } else {
    CsvReader reader(kept, source);
    CsvRecord record;
    if (!reader.next(record)) {
      throw Error(ErrorKind::refused,
                  fmt::format("{}: the directory is empty", source));
    }
    std::vector<std::string> header;
    for (auto field : record.fields) {
      header.emplace_back(trim(field));
    }
    builder.set_attributes(std::move(header), record.line);
    while (reader.next(record)) {
      builder.add(record.fields, record.line);
    }
    // The unescaped fields live in the reader's arena: keep it (moving a
    // deque moves its blocks, so the fields stay valid).
    builder.adopt(std::move(reader.arena()));
  }
  return builder.finish();
}

} // namespace mailgroup
