// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// generate postfix --apply: brings the live main.cf in line with
// main.cf.fragment and reloads Postfix, in two steps around the table
// writes, so that Postfix never meets a restriction class main.cf does not
// declare: first the fragment's classes are declared beside the live ones,
// then (once recipient_access names only the new ones) main.cf is set as
// the fragment says and the classes no longer named are removed.

#include "core/postfix/live_config.hpp"
#include "core/util/process.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mailgroup {

class MainCfUpdate {
public:
  // `fragment` is the text of main.cf.fragment as generated; `map_dir`
  // where Postfix reads its tables (what names mailgroup's own entry in
  // smtpd_recipient_restrictions).
  MainCfUpdate(const PostfixTools& tools, std::string_view fragment,
               std::string map_dir);

  // Before any file is written: the site's smtpd_recipient_restrictions
  // with mailgroup's entry in it, or the fragment's when main.cf sets none.
  // Error(config), changing nothing, when main.cf sets restrictions of its
  // own without mailgroup's entry. (An unreadable main.cf is
  // declare_classes()'s error.) `live` is the live main.cf as read.
  void keep_site_restrictions(const std::optional<MainCf>& live);

  // Before recipient_access is replaced. Reads the live main.cf; when it
  // already says all the fragment says, this and finish() do nothing.
  // Otherwise declares the fragment's classes (with their definitions) next
  // to those declared now, and reloads. Throws Error(io) when postconf or
  // postfix fails.
  void declare_classes();

  // After every table is in place: the fragment's settings exactly,
  // `postconf -X` for the mailgroup_ classes no longer declared, reload.
  void finish();

  // What was done, for the report; empty when nothing was.
  std::vector<std::string> changes() const { return m_changes; }

private:
  // In policy mode: refuses, before any change, a master.cf without the
  // service the fragment names.
  void require_policy_service() const;
  void merge_site_restrictions(const MainCf& live);
  void set(const std::vector<std::string>& settings);
  void reload();

  const PostfixTools& m_tools;
  std::string m_map_dir;
  std::vector<std::pair<std::string, std::string>> m_settings;
  std::vector<std::string> m_classes;      // the fragment's
  std::vector<std::string> m_live_classes; // declared before this run
  bool m_needed = false;
  bool m_reloaded = false;
  std::vector<std::string> m_changes;
};

} // namespace mailgroup
