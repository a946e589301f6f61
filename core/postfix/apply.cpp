// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/postfix/apply.hpp"

#include "core/util/error.hpp"
#include "core/util/text.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace mailgroup {

namespace {

constexpr std::string_view k_classes = "smtpd_restriction_classes";

bool contains(const std::vector<std::string>& list, std::string_view name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

ProcessResult run_checked(std::vector<std::string> argv,
                          std::string_view what) {
  auto result = run_process(argv);
  if (result.status != 0) {
    throw Error(ErrorKind::io,
                fmt::format("{} failed (exit status {}): {}", what,
                            result.status, trim(result.output)));
  }
  return result;
}

} // namespace

MainCfUpdate::MainCfUpdate(const PostfixTools& tools,
                           std::string_view fragment)
    : m_tools(tools) {
  for (auto line : split(fragment, '\n')) {
    auto equals = line.find(" = ");
    if (line.empty() || line.front() == '#' ||
        equals == std::string_view::npos) {
      continue;
    }
    m_settings.emplace_back(line.substr(0, equals), line.substr(equals + 3));
    if (m_settings.back().first == k_classes) {
      m_classes = main_cf_list(m_settings.back().second);
    }
  }
}

void MainCfUpdate::declare_classes() {
  std::string why;
  auto live = read_main_cf(m_tools, &why);
  if (!live) {
    throw Error(ErrorKind::io,
                fmt::format("cannot read Postfix's main.cf (postconf -n): {}",
                            why));
  }
  if (auto it = live->find(k_classes); it != live->end()) {
    m_live_classes = main_cf_list(it->second);
  }
  // Only mailgroup_ classes are ours: the site's own stay declared, and in
  // policy mode (no classes in the fragment) ours leave the list too.
  auto wanted = m_classes;
  for (const auto& name : m_live_classes) {
    if (!name.starts_with("mailgroup_") && !contains(wanted, name)) {
      wanted.push_back(name);
    }
  }
  auto joined = fmt::format("{}", fmt::join(wanted, ", "));
  auto setting = std::find_if(m_settings.begin(), m_settings.end(),
                              [](const auto& s) { return s.first == k_classes; });
  if (setting != m_settings.end()) {
    setting->second = joined;
  } else if (!m_live_classes.empty()) {
    m_settings.emplace_back(std::string(k_classes), joined);
  }
  for (const auto& [name, value_wanted] : m_settings) {
    auto it = live->find(name);
    m_needed |= it == live->end() ? !value_wanted.empty()
                                  : it->second != value_wanted;
  }
  if (!m_needed) {
    return;
  }
  require_policy_service();
  // The union: the tables Postfix reads now still name the old classes.
  auto declared = m_classes;
  for (const auto& name : m_live_classes) {
    if (!contains(declared, name)) {
      declared.push_back(name);
    }
  }
  std::vector<std::string> settings{
      fmt::format("{}={}", k_classes, fmt::join(declared, ", "))};
  for (const auto& [name, value] : m_settings) {
    if (contains(m_classes, name)) {
      settings.push_back(fmt::format("{}={}", name, value));
    }
  }
  set(settings);
  if (declared != m_live_classes) {
    reload();
  }
}

void MainCfUpdate::finish() {
  if (!m_needed) {
    return;
  }
  std::vector<std::string> settings;
  for (const auto& [name, value] : m_settings) {
    settings.push_back(fmt::format("{}={}", name, value));
  }
  set(settings);
  std::vector<std::string> gone;
  for (const auto& name : m_live_classes) {
    if (name.starts_with("mailgroup_") && !contains(m_classes, name)) {
      gone.push_back(name);
    }
  }
  if (!gone.empty()) {
    auto argv = m_tools.command("postconf");
    argv.push_back("-X");
    argv.insert(argv.end(), gone.begin(), gone.end());
    run_checked(argv, "postconf -X");
  }
  reload();
  m_changes.push_back(fmt::format(
      "main.cf: {} applied{}, {}", m_settings.size() == 1 ? "1 setting"
                                   : fmt::format("{} settings",
                                                 m_settings.size()),
      gone.empty() ? ""
                   : fmt::format(", {} old {} removed", gone.size(),
                                 gone.size() == 1 ? "class" : "classes"),
      m_reloaded ? "Postfix reloaded"
                 : "Postfix not running (it reads main.cf when it starts)"));
}

void MainCfUpdate::require_policy_service() const {
  constexpr std::string_view service = "mailgroup-policy";
  bool named = std::any_of(m_settings.begin(), m_settings.end(), [&](const auto& s) {
    return s.second.find(fmt::format("check_policy_service unix:private/{}",
                                     service)) != std::string::npos;
  });
  if (!named) {
    return;
  }
  auto argv = m_tools.command("postconf");
  argv.push_back("-M");
  argv.push_back(fmt::format("{}/unix", service));
  auto result = run_process(argv);
  if (result.status != 0 || trim(result.output).empty()) {
    throw Error(ErrorKind::config,
                fmt::format("master.cf has no {} service: Postfix would answer "
                            "451 to every recipient. Add master.cf.fragment's "
                            "entry to master.cf first (nothing was applied)",
                            service));
  }
}

void MainCfUpdate::set(const std::vector<std::string>& settings) {
  auto argv = m_tools.command("postconf");
  argv.push_back("-e");
  argv.insert(argv.end(), settings.begin(), settings.end());
  run_checked(argv, "postconf -e");
}

void MainCfUpdate::reload() {
  // A stopped Postfix reads main.cf when it starts; reload would fail.
  auto status = m_tools.command("postfix");
  status.push_back("status");
  if (run_process(status).status != 0) {
    return;
  }
  auto argv = m_tools.command("postfix");
  argv.push_back("reload");
  run_checked(argv, "postfix reload");
  m_reloaded = true;
}

} // namespace mailgroup
