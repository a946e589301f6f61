// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/group.hpp"
#include "core/store/group_names.hpp"
#include "core/store/store.hpp"
#include "core/util/error.hpp"
#include "core/util/fs.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailgroup {

// Reads groups/ADDRESS.toml (and for a department group with
// `with_resolved`, resolved/ADDRESS.members) as Store::load does, adding
// each problem to `problems`; nullopt if the file is gone or has problems.
std::optional<Group> read_group_file(const Store& store,
                                     const fs::path& file,
                                     std::string_view department_separator,
                                     bool with_resolved,
                                     std::vector<Diagnostic>& problems);

// Why a symbolic link in groups/ is refused.
Diagnostic group_symlink_problem(const fs::path& link);

// The files of groups/ a load reads: sorted, hidden files (temporary ones)
// left out, symbolic links apart (they are refused).
struct GroupListing {
  std::vector<fs::path> files;
  std::vector<fs::path> symlinks;
};
GroupListing list_group_files(const Store& store);

// Reads groups one at a time as a command looks them up, for a snapshot
// that holds only what the command touches (Store::load_on_demand): a
// command on one group of 20,000 reads one file, not 20,000. Each file is
// read once; what it said is kept while the loader lives (the store's lock,
// or a read-only command's run).
class GroupLoader {
public:
  GroupLoader(const Store& store,
              std::string department_separator,
              bool with_resolved);

  // The group as its file says, or nullptr if there is no such file.
  // Throws Error(data) with the file's problems.
  const Group* read(std::string_view address);

  // Whether groups/ has a file for `address`, without reading it.
  bool listed(std::string_view address);
  // The address of every file in groups/, sorted.
  const std::vector<std::string_view>& listing();

private:
  Store m_store;
  std::string m_separator;
  bool m_with_resolved;
  std::map<std::string, std::optional<Group>, std::less<>> m_read;
  std::map<std::string, bool, std::less<>> m_stat_cache;
  std::optional<GroupNames> m_listing;
};

} // namespace mailgroup
