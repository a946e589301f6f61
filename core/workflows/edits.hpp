// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The semantics of each store-changing command, applied to a Snapshot in
// memory. Transaction::commit validates and writes the result. Each function
// returns notes for the user (e.g. "already a member") rather than printing.

#include "core/model/group.hpp"
#include "core/store/store.hpp"

#include <optional>
#include <string>
#include <vector>

namespace mailgroup {

// Settings given on the command line; unset fields stay as they are (set) or
// take their defaults (create). Address lists replace the old list.
struct GroupSettings {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::vector<std::string>> administrators;
  std::optional<Permission> permission;
  std::optional<bool> audit;
  std::optional<std::vector<std::string>> auditors;
  std::optional<bool> show_in_contacts;
  std::optional<bool> notify_members;
  std::optional<bool> leave_needs_approval;
  std::optional<bool> ignore_auto_replies;
  std::optional<bool> require_login;
  std::optional<bool> members_may_send_as_group;
  std::optional<std::string> refusal_text; // empty: back to the default
  // Department groups.
  std::optional<std::string> department;
  std::optional<bool> include_subdepartments;
  std::optional<std::string> where;
  std::vector<std::string> exclude_add;
  std::vector<std::string> exclude_remove;
  bool make_static = false;
};

using Notes = std::vector<std::string>;

// Creates `address`. With `exist_ok`, an existing group is left as it is.
Notes create_group(Snapshot& snapshot,
                   std::string_view address,
                   const GroupSettings& settings,
                   const std::vector<std::string>& members,
                   const std::string& applicant,
                   bool exist_ok);

void change_group(Snapshot& snapshot,
                  std::string_view address,
                  const GroupSettings& settings);

// Refuses to delete a group another (surviving) group has as a member.
void delete_groups(Snapshot& snapshot, const std::vector<std::string>& groups);

Notes freeze_group(Snapshot& snapshot,
                   std::string_view address,
                   const std::string& reason);
Notes unfreeze_group(Snapshot& snapshot, std::string_view address);

Notes add_members(Snapshot& snapshot,
                  std::string_view address,
                  const std::vector<std::string>& members);
Notes remove_members(Snapshot& snapshot,
                     std::string_view address,
                     const std::vector<std::string>& members);

Notes add_to_whitelist(Snapshot& snapshot,
                       std::string_view address,
                       const std::vector<std::string>& senders);
Notes remove_from_whitelist(Snapshot& snapshot,
                            std::string_view address,
                            const std::vector<std::string>& senders);

// Normalises a group address given by a user: a valid address (Error(data))
// naming a group of the store (Error(not_found) with a hint).
std::string require_group(const Snapshot& snapshot, std::string_view text);

} // namespace mailgroup
