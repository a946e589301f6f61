// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Postfix maps from a store: virtual(5) aliases, an access(5) map for
// check_recipient_access, sender tables for restriction classes, and the
// main.cf lines that tie them together. Pure: text in memory, no I/O.

#include "core/store/store.hpp"

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace mailgroup {

struct PostfixOptions {
  std::string table_type = "hash"; // hash, lmdb or cdb
  // Where Postfix will find the tables (written into main.cf.fragment).
  std::string map_dir;
  // Postfix's virtual_alias_expansion_limit; bigger groups get a warning.
  std::size_t expansion_limit = 1000;
};

struct GeneratedFile {
  std::string name;    // relative to the output directory
  std::string content; // byte-stable: sorted, no timestamps
  bool is_table = false; // an input for postmap(1)
};

struct PostfixOutput {
  std::vector<GeneratedFile> files; // sorted by name
  std::vector<std::string> warnings;
};

// Nested groups are expanded by mailgroup, deduplicated. A nested group
// that is frozen, or audited while its parent is not, contributes nothing:
// Postfix checks restrictions only for the address given at RCPT TO, so
// reaching it through a parent would bypass them.
PostfixOutput generate_postfix(const Snapshot& snapshot,
                               const PostfixOptions& options);

// A group and its members as generate_postfix expands them (views into the
// snapshot; the vector is valid during the call).
using ExpandedVisitor = std::function<void(
    const Group&, const std::vector<std::string_view>&)>;

// What both modes write alike, from one expansion of every group: the
// virtual map, the sender_logins table when a group needs logins, and the
// warnings. `visit` sees each group, in address order, as it is expanded,
// so a mode builds the rest of its output in the same pass.
PostfixOutput generate_shared_output(const Snapshot& snapshot,
                                     const PostfixOptions& options,
                                     const ExpandedVisitor& visit);

// Calls `visit` with each group, in address order, and its members as
// generate_postfix expands them: what the policy index is built from.
void for_each_expanded(const Snapshot& snapshot, const ExpandedVisitor& visit);

// The main.cf.fragment lines, with their comment, that name `table`
// (`hash:/etc/postfix/mailgroup/sender_logins`) as smtpd_sender_login_maps:
// the same in maps and policy mode.
std::string sender_login_maps_lines(std::string_view table);

// Throws Error(usage) unless `path` can be written into main.cf as it is: an
// absolute path of ASCII letters, digits and / . _ - + @ only. main.cf splits
// lists at whitespace and commas, expands $, groups with { }, ends a setting
// at a newline and starts a comment with #; a path with any of them (or
// anything else unusual) would mean something else to Postfix, up to a
// setting of its own. `what` names the path in the message (`--map-dir`).
void require_main_cf_path(std::string_view path, std::string_view what);

// Throws Error(usage) unless `type` is hash, lmdb or cdb.
void require_table_type(const std::string& type);

// The file postmap(1) makes from a table source of `type` (`virtual.db`).
std::string database_name(const std::string& source, const std::string& type);

} // namespace mailgroup
