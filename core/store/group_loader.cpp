// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/group_loader.hpp"

#include "core/model/address.hpp"
#include "core/store/group_file.hpp"
#include "core/util/text.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace mailgroup {

namespace {

constexpr std::string_view k_group_suffix = ".toml";

// Reads resolved/ADDRESS.members into `group`, reporting bad lines.
void load_resolved(const Store& store,
                   Group& group,
                   std::vector<Diagnostic>& problems) {
  auto path = store.resolved_path(group.address);
  auto text = read_store_file_if_exists(path);
  if (!text) {
    return;
  }
  // Checked without allocating: sync writes addresses in normal form, so
  // anything else is a hand edit to report.
  std::size_t number = 0;
  for (auto line : split(*text, '\n')) {
    ++number;
    if (line.empty() || line.front() == '#' || is_normal_address(line)) {
      continue;
    }
    std::string why;
    auto address = normalize_address(line, &why);
    problems.push_back(
        {Location{path.string(), number, 1},
         address ? fmt::format("{} is not in lower case", quote(line))
                 : fmt::format("invalid address {}: {}", quote(line), why)});
  }
  group.dynamic->set_resolved_text(std::move(*text));
}

} // namespace

Diagnostic group_symlink_problem(const fs::path& link) {
  return {Location{link.string()},
          "is a symbolic link; a group file must be a regular file in "
          "groups/ (replace the link with the file)"};
}

std::optional<Group> read_group_file(const Store& store,
                                     const fs::path& file,
                                     std::string_view department_separator,
                                     bool with_resolved,
                                     std::vector<Diagnostic>& problems) {
  auto source = file.string();
  // A group of 100,000 static members is 3 MiB; anything near the limit
  // is a mistake or an attack on the parser.
  constexpr std::uintmax_t k_max_group_file = 16u << 20;
  std::error_code size_error;
  if (fs::file_size(file, size_error) > k_max_group_file && !size_error) {
    problems.push_back({Location{source},
                        "larger than 16 MiB; a group file is never that big"});
    return std::nullopt;
  }
  try {
    auto text = read_store_file_if_exists(file);
    if (!text) {
      return std::nullopt; // removed by hand since the listing
    }
    auto group = parse_group(*text, source, department_separator);
    auto expected = fmt::format("{}{}", group.address, k_group_suffix);
    if (file.filename().string() != expected) {
      problems.push_back(
          {Location{source, 1, 1},
           fmt::format("file name does not match its address {}; rename "
                       "it to {}",
                       quote(group.address),
                       expected)});
      return std::nullopt;
    }
    if (group.dynamic && with_resolved) {
      load_resolved(store, group, problems);
    }
    return group;
  } catch (const Error& e) {
    if (e.diagnostics().empty()) {
      problems.push_back({Location{source}, e.what()});
    }
    problems.insert(problems.end(), e.diagnostics().begin(),
                    e.diagnostics().end());
    return std::nullopt;
  }
}

GroupListing list_group_files(const Store& store) {
  GroupListing listing;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(store.groups_dir(), ec)) {
    auto name = entry.path().filename().string();
    // Hidden files are our own temporary files (or an editor's).
    if (name.starts_with('.') || !name.ends_with(k_group_suffix)) {
      continue;
    }
    std::error_code link_error;
    if (entry.is_symlink(link_error)) {
      listing.symlinks.push_back(entry.path());
      continue;
    }
    listing.files.push_back(entry.path());
  }
  if (ec && ec != std::errc::no_such_file_or_directory) {
    throw Error(ErrorKind::io,
                fmt::format("cannot read {}: {}", store.groups_dir().string(),
                            ec.message()));
  }
  std::sort(listing.files.begin(), listing.files.end());
  std::sort(listing.symlinks.begin(), listing.symlinks.end());
  return listing;
}

GroupLoader::GroupLoader(const Store& store,
                         std::string department_separator,
                         bool with_resolved)
    : m_store(store),
      m_separator(std::move(department_separator)),
      m_with_resolved(with_resolved) {}

const Group* GroupLoader::read(std::string_view address) {
  if (auto it = m_read.find(address); it != m_read.end()) {
    return it->second ? &*it->second : nullptr;
  }
  // Most lookups are of members that are people: answered by the listing,
  // and not kept.
  if (!listed(address)) {
    return nullptr;
  }
  auto file = m_store.group_path(address);
  std::error_code ec;
  if (fs::is_symlink(fs::symlink_status(file, ec))) {
    throw Error(ErrorKind::data, std::vector{group_symlink_problem(file)});
  }
  std::vector<Diagnostic> problems;
  auto group = read_group_file(m_store, file, m_separator, m_with_resolved,
                               problems);
  if (!problems.empty()) {
    throw Error(ErrorKind::data, std::move(problems));
  }
  auto [it, added] = m_read.emplace(std::string(address), std::move(group));
  return it->second ? &*it->second : nullptr;
}

bool GroupLoader::listed(std::string_view address) {
  if (m_listing) {
    return m_listing->contains(address);
  }
  if (auto it = m_stat_cache.find(address); it != m_stat_cache.end()) {
    return it->second;
  }
  // A few lookups (a group's static members) are a stat each; many (the
  // members of a department group) are cheaper from one listing.
  constexpr std::size_t k_stats_before_listing = 64;
  if (m_stat_cache.size() >= k_stats_before_listing) {
    listing();
    return listed(address);
  }
  bool found = false;
  if (!address.empty() && address.front() != '.' &&
      address.find_first_of(std::string_view("/\0", 2)) ==
          std::string_view::npos) {
    std::error_code ec;
    auto status = fs::symlink_status(m_store.group_path(address), ec);
    found = !ec && (fs::is_regular_file(status) || fs::is_symlink(status));
  }
  m_stat_cache.emplace(std::string(address), found);
  return found;
}

const std::vector<std::string_view>& GroupLoader::listing() {
  if (!m_listing) {
    // The names alone, as list_group_files finds them (symbolic links
    // included: reading one is refused).
    m_listing = read_group_names(m_store);
  }
  return m_listing->addresses();
}

} // namespace mailgroup
