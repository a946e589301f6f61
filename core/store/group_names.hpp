// SPDX-License-Identifier: GPL-3.0-or-later
// The addresses of the files in groups/, kept between commands in the
// store's .group-names: a command on one group tells which of its
// thousands of members are groups from that file instead of listing
// groups/ (20,000 names: most of what `show` spent of its own, see
// bench/README.md). It is a cache, believed only while groups/ still has
// the inode, modification and change times it records: creating, removing
// or renaming a file in groups/ changes both times, and a change time
// cannot be set back. Anything else (missing, cut short, edited) is
// rebuilt from a listing.
#pragma once

#include "core/store/store.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailgroup {

// The address of each file in groups/ (hidden files and names other than
// ADDRESS.toml left out), sorted; views into one buffer, so that reading
// 20,000 of them allocates twice.
class GroupNames {
public:
  GroupNames() = default;
  const std::vector<std::string_view>& addresses() const { return m_addresses; }
  bool contains(std::string_view address) const;

  // Names as listed (sorted, unique), kept as they are.
  explicit GroupNames(std::vector<std::string> listed);

private:
  friend std::optional<GroupNames> parse_group_names(std::string text,
                                                     std::string_view);
  std::shared_ptr<const std::string> m_text;
  std::shared_ptr<const std::vector<std::string>> m_listed;
  std::vector<std::string_view> m_addresses; // into one of the two
};

// From .group-names when it describes groups/ as it is; else from a
// listing, which then replaces .group-names if groups/ did not change
// while it was listed nor in the 2 seconds before (stamp.hpp on the clock
// tick) and the caller may write the store.
GroupNames read_group_names(const Store& store);

// The cache's text for `addresses` (sorted, unique) listed from a groups/
// with metadata `groups_metadata`; and its addresses if `text` is such a
// text for that metadata (nullopt otherwise). Apart for the tests.
std::string group_names_text(const std::vector<std::string>& addresses,
                             std::string_view groups_metadata);
std::optional<GroupNames> parse_group_names(std::string text,
                                            std::string_view groups_metadata);

} // namespace mailgroup
