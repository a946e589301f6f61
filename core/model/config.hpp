// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/group.hpp"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace mailgroup {

// Where the employee directory is and how to read it (mailgroup.toml's
// [directory] table).
struct DirectoryConfig {
  std::string path; // relative paths are relative to the store
  std::string email_column = "email";
  std::string department_column = "department";
  std::string status_column = "status";
  // A directory without the status column is an error (a renamed column
  // would make everyone active) unless this says the column is optional;
  // then, without it, everyone in the directory is active.
  bool status_column_optional = false;
  std::vector<std::string> active_values = {"active"};
  std::string department_separator = "/";

  bool operator==(const DirectoryConfig&) const = default;
};

// How welcome notices are sent (mailgroup.toml's [notify] table).
struct NotifyConfig {
  // The sendmail(1) command line, run without a shell; the message on its
  // standard input names its recipient in To:.
  std::vector<std::string> sendmail = {"/usr/sbin/sendmail", "-t", "-oi"};
  std::string from; // parse_config fills in postmaster@FIRST-DOMAIN

  bool operator==(const NotifyConfig&) const = default;
};

// How `generate postfix` has Postfix check who may post (mailgroup.toml's
// [postfix] mode): restriction classes in main.cf, or the policy service.
enum class PostfixMode { maps, policy };

// The store's own settings: mailgroup.toml.
struct StoreConfig {
  std::vector<std::string> domains;
  Permission default_permission = Permission::domain;
  std::vector<std::string> default_administrators;
  DirectoryConfig directory;
  // sync refuses to remove more than this share of a group without --force,
  // for groups losing at least `removal_threshold` members: a partial
  // directory export empties big groups, while a group of one losing its
  // member is an ordinary day (and with 20,000 groups, there is one daily).
  double max_removal_share = 0.5;
  std::size_t removal_threshold = 3;
  NotifyConfig notify;
  PostfixMode postfix_mode = PostfixMode::maps;
  // [postfix] config_directory: the Postfix instance whose hold queue the
  // held commands read (absolute; empty: Postfix's own default). In the
  // store, so that auditors running through sudo need not name it.
  std::string postfix_config_directory;
  // [delegation] administrators_may_delete: a group's administrators may
  // delete it (otherwise only store administrators may).
  bool administrators_may_delete = false;
  // Login name -> address: whom a caller is (mailgroup(1), DELEGATION).
  std::map<std::string, std::string, std::less<>> users;

  bool operator==(const StoreConfig&) const = default;

  bool is_local_domain(std::string_view domain) const;
};

// Parses mailgroup.toml; every problem is reported as Error(config) with
// `source:line:col`.
StoreConfig parse_config(std::string_view text, const std::string& source);

std::string format_config(const StoreConfig& config);

} // namespace mailgroup
