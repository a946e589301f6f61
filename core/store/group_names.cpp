// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/group_names.hpp"

#include "core/store/stamp.hpp"
#include "core/util/error.hpp"
#include "core/util/fs.hpp"

#include <fmt/format.h>

#include <sys/stat.h>

#include <algorithm>
#include <charconv>

namespace mailgroup {

namespace {

constexpr std::string_view k_header = "mailgroup group names 1\n";
constexpr std::string_view k_group_suffix = ".toml";

// What identifies this state of the folder: the same folder (device,
// inode), nothing created, removed or renamed in it since (both times).
std::string folder_metadata(const struct stat& info) {
  return fmt::format("{}:{} {}.{:09} {}.{:09}", info.st_dev, info.st_ino,
                     info.st_mtim.tv_sec, info.st_mtim.tv_nsec,
                     info.st_ctim.tv_sec, info.st_ctim.tv_nsec);
}

std::optional<struct stat> folder_status(const fs::path& dir) {
  struct stat info {};
  if (::lstat(dir.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
    return std::nullopt;
  }
  return info;
}

// The next line of `rest` without its newline; nullopt if none is
// complete.
std::optional<std::string_view> next_line(std::string_view& rest) {
  auto end = rest.find('\n');
  if (end == std::string_view::npos) {
    return std::nullopt;
  }
  auto line = rest.substr(0, end);
  rest.remove_prefix(end + 1);
  return line;
}

std::optional<std::string_view> field(std::string_view& rest,
                                      std::string_view name) {
  auto line = next_line(rest);
  if (!line || !line->starts_with(name) ||
      line->substr(name.size(), 1) != " ") {
    return std::nullopt;
  }
  return line->substr(name.size() + 1);
}

std::vector<std::string> listed_addresses(const fs::path& dir) {
  auto names = names_in(dir);
  std::erase_if(names, [](const std::string& name) {
    return name.starts_with('.') || !name.ends_with(k_group_suffix);
  });
  for (auto& name : names) {
    name.resize(name.size() - k_group_suffix.size());
  }
  std::sort(names.begin(), names.end());
  return names;
}

} // namespace

GroupNames::GroupNames(std::vector<std::string> listed)
    : m_listed(std::make_shared<const std::vector<std::string>>(
          std::move(listed))),
      m_addresses(m_listed->begin(), m_listed->end()) {}

bool GroupNames::contains(std::string_view address) const {
  return std::binary_search(m_addresses.begin(), m_addresses.end(), address);
}

std::string group_names_text(const std::vector<std::string>& addresses,
                             std::string_view groups_metadata) {
  std::string text = fmt::format("{}groups {}\ncount {}\n", k_header,
                                 groups_metadata, addresses.size());
  for (const auto& address : addresses) {
    text += address;
    text += '\n';
  }
  return text;
}

std::optional<GroupNames> parse_group_names(std::string text,
                                            std::string_view groups_metadata) {
  GroupNames names;
  names.m_text = std::make_shared<const std::string>(std::move(text));
  std::string_view rest = *names.m_text;
  if (!rest.starts_with(k_header)) {
    return std::nullopt;
  }
  rest.remove_prefix(k_header.size());
  auto metadata = field(rest, "groups");
  auto count_text = field(rest, "count");
  if (!metadata || *metadata != groups_metadata || !count_text) {
    return std::nullopt;
  }
  std::size_t count = 0;
  const char* last = count_text->data() + count_text->size();
  auto [end, error] = std::from_chars(count_text->data(), last, count);
  if (error != std::errc() || end != last || count > rest.size()) {
    return std::nullopt;
  }
  names.m_addresses.reserve(count);
  while (!rest.empty()) {
    auto line = next_line(rest);
    // Each line complete, not empty and after the one before, as written:
    // a file cut short or edited is not believed.
    if (!line || line->empty() ||
        (!names.m_addresses.empty() && names.m_addresses.back() >= *line)) {
      return std::nullopt;
    }
    names.m_addresses.push_back(*line);
  }
  if (names.m_addresses.size() != count) {
    return std::nullopt;
  }
  return names;
}

GroupNames read_group_names(const Store& store) {
  auto dir = store.groups_dir();
  auto before = folder_status(dir);
  if (before) {
    try {
      if (auto text = read_store_file_if_exists(store.group_names_path())) {
        if (auto cached = parse_group_names(std::move(*text),
                                            folder_metadata(*before))) {
          return std::move(*cached);
        }
      }
    } catch (const Error&) {
      // A link or an unreadable file in its place: listed instead.
    }
  }
  auto addresses = listed_addresses(dir);
  auto after = folder_status(dir);
  auto metadata = after ? folder_metadata(*after) : std::string();
  bool one_a_line = std::none_of(
      addresses.begin(), addresses.end(), [](const std::string& address) {
        return address.empty() || address.find('\n') != std::string::npos;
      });
  auto text = group_names_text(addresses, metadata);
  auto changed =
      after ? std::max(after->st_mtim.tv_sec, after->st_ctim.tv_sec) : 0;
  if (before && after && folder_metadata(*before) == metadata && one_a_line &&
      changed + k_racy_seconds <= std::time(nullptr)) {
    try {
      // Made durable, so that a crash leaves the old text or the new one,
      // never one cut short: it is written again only after groups/
      // changes.
      write_file_atomic(store.group_names_path(), text);
    } catch (const Error&) {
      // A store this caller may read but not write: listed every time.
    }
  }
  if (!one_a_line) {
    // A name with a line break in it cannot be one line of the text.
    return GroupNames(std::move(addresses));
  }
  return std::move(*parse_group_names(std::move(text), metadata));
}

} // namespace mailgroup
