// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/postfix/apply.hpp"

#include "core/util/error.hpp"
#include "core/util/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

namespace mailgroup {

namespace {

constexpr std::string_view k_classes = "smtpd_restriction_classes";
constexpr std::string_view k_restrictions = "smtpd_recipient_restrictions";
constexpr std::string_view k_policy_service = "unix:private/mailgroup-policy";

// A word of a main.cf list and where it is: a {...} group is one word.
struct Word {
  std::string_view text;
  std::size_t begin = 0;
  std::size_t end = 0;
};

std::vector<Word> words_of(std::string_view value) {
  constexpr std::string_view separators = ", \t\r\n";
  std::vector<Word> words;
  std::size_t i = 0;
  while (i < value.size()) {
    if (separators.find(value[i]) != std::string_view::npos) {
      ++i;
      continue;
    }
    std::size_t end = i;
    if (value[i] == '{') {
      end = value.find('}', i);
      end = end == std::string_view::npos ? value.size() : end + 1;
    } else {
      while (end < value.size() &&
             separators.find(value[end]) == std::string_view::npos) {
        ++end;
      }
    }
    words.push_back({value.substr(i, end - i), i, end});
    i = end;
  }
  return words;
}

// Where mailgroup's entries are in a restriction list: check_recipient_access
// with a table of `map_dir`'s recipient_access (any type), or the policy
// service. [begin, end) of the two words of each.
std::vector<std::pair<std::size_t, std::size_t>>
our_entries(std::string_view value, std::string_view map_dir) {
  std::vector<std::pair<std::size_t, std::size_t>> found;
  auto words = words_of(value);
  auto table = fmt::format("{}/recipient_access", map_dir);
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    auto next = words[i + 1].text;
    auto colon = next.find(':');
    bool ours =
        (words[i].text == "check_recipient_access" &&
         colon != std::string_view::npos && next.substr(colon + 1) == table) ||
        (words[i].text == "check_policy_service" && next == k_policy_service);
    if (ours) {
      found.emplace_back(words[i].begin, words[i + 1].end);
    }
  }
  return found;
}

// One argument of execve(2) holds at most 128 KiB (MAX_ARG_STRLEN), and
// postconf takes settings as arguments only.
constexpr std::size_t k_longest_argument = 128 * 1024 - 1;

bool too_long_for_postconf(std::string_view name, std::string_view value) {
  return name.size() + 1 + value.size() > k_longest_argument;
}

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
                           std::string_view fragment, std::string map_dir)
    : m_tools(tools), m_map_dir(std::move(map_dir)) {
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

// The site's anti-spam checks (RBLs, policy services, reject_unknown_*)
// live in the same list and must come before mailgroup's entry (an OK ends
// the list): a cron job's --apply must never drop them. So mailgroup sets
// the list only when main.cf has none, and otherwise changes nothing but
// its own entry, in place (a change of mode or of table type).
void MainCfUpdate::keep_site_restrictions(const std::optional<MainCf>& live) {
  // Past about 3,650 classes, smtpd_restriction_classes alone is longer.
  for (const auto& [name, value] : m_settings) {
    if (too_long_for_postconf(name, value)) {
      throw Error(
          ErrorKind::config,
          fmt::format("main.cf.fragment's {} is {} bytes, more than postconf "
                      "-e takes in one argument (128 KiB): at this many "
                      "members-only and whitelist groups ({} classes) use the "
                      "policy service ([postfix] mode = \"policy\" in "
                      "mailgroup.toml, see POLICY SERVICE in mailgroup(1)), "
                      "or put the fragment into main.cf by hand (nothing was "
                      "applied)",
                      name, value.size(), m_classes.size()));
    }
  }
  if (!live) {
    return;
  }
  merge_site_restrictions(*live);
  // What will be passed, the site's words merged in: the list, and the
  // classes declared beside the site's own.
  std::vector<std::string> classes = m_classes;
  if (auto it = live->find(k_classes); it != live->end()) {
    for (const auto& name : main_cf_list(it->second)) {
      if (!contains(classes, name)) {
        classes.push_back(name);
      }
    }
  }
  std::vector<std::pair<std::string, std::string>> merged = {
      {std::string(k_classes), fmt::format("{}", fmt::join(classes, ", "))}};
  for (const auto& [name, value] : m_settings) {
    if (name == k_restrictions) {
      merged.emplace_back(name, value);
    }
  }
  for (const auto& [name, value] : merged) {
    if (too_long_for_postconf(name, value)) {
      throw Error(ErrorKind::config,
                  fmt::format("{} would be {} bytes with main.cf's own "
                              "entries, more than postconf -e takes in one "
                              "argument (128 KiB): shorten it in main.cf, or "
                              "use the policy service (nothing was applied)",
                              name, value.size()));
    }
  }
}

void MainCfUpdate::merge_site_restrictions(const MainCf& live) {
  auto wanted = std::find_if(m_settings.begin(), m_settings.end(),
                             [](const auto& s) { return s.first == k_restrictions; });
  auto it = live.find(k_restrictions);
  if (wanted == m_settings.end() || it == live.end() ||
      trim(it->second).empty()) {
    return;
  }
  std::string_view site = it->second;
  auto entries = our_entries(site, m_map_dir);
  if (entries.size() > 1) {
    // Only one can be rewritten in place: the others would name a table
    // no longer built, or classes no longer declared.
    throw Error(ErrorKind::config,
                fmt::format("main.cf's {} names mailgroup's table or service "
                            "{} times: keep one entry, then run again (nothing "
                            "was applied)",
                            k_restrictions, entries.size()));
  }
  auto ours = entries.empty()
                  ? std::optional<std::pair<std::size_t, std::size_t>>()
                  : std::optional(entries.front());
  if (!ours) {
    throw Error(
        ErrorKind::config,
        fmt::format("main.cf sets {} = {} without mailgroup's entry, and "
                    "--apply does not rewrite a site's restrictions: add "
                    "'{}' to it where it belongs (after the anti-spam "
                    "checks: an OK ends the list), e.g. with postconf -e, "
                    "then run again (nothing was applied)",
                    k_restrictions, site, wanted->second));
  }
  auto fragment_entries = our_entries(wanted->second, m_map_dir);
  auto entry = std::string_view(wanted->second);
  if (!fragment_entries.empty()) {
    auto [begin, end] = fragment_entries.front();
    entry = entry.substr(begin, end - begin);
  }
  // The policy service sees a bare RCPT TO:<team> before Postfix appends
  // its domain: the fragment rejects those first, and so must the list.
  std::string_view guard;
  if (entry.find(k_policy_service) != std::string_view::npos) {
    auto before = words_of(site.substr(0, ours->first));
    if (std::none_of(before.begin(), before.end(), [](const Word& w) {
          return w.text == "reject_non_fqdn_recipient";
        })) {
      guard = "reject_non_fqdn_recipient, ";
    }
  }
  wanted->second = fmt::format("{}{}{}{}", site.substr(0, ours->first), guard,
                               entry, site.substr(ours->second));
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
  // postconf answers an unmatched -M with a warning and status 0: the
  // service counts only as a line of its own.
  bool listed = false;
  for (auto line : split(result.output, '\n')) {
    auto words = words_of(line);
    listed |= words.size() > 1 && words[0].text == service &&
              words[1].text == "unix";
  }
  if (result.status != 0 || !listed) {
    throw Error(ErrorKind::config,
                fmt::format("master.cf has no {} service: Postfix would answer "
                            "451 to every recipient. Add master.cf.fragment's "
                            "entry to master.cf first (nothing was applied)",
                            service));
  }
}

void MainCfUpdate::set(const std::vector<std::string>& settings) {
  // Several postconf -e calls when needed: at thousands of classes the
  // definitions together pass what execve(2) takes at once (ARG_MAX).
  constexpr std::size_t k_batch_bytes = 512 * 1024;
  auto argv = m_tools.command("postconf");
  argv.push_back("-e");
  const auto fixed = argv.size();
  std::size_t bytes = 0;
  for (const auto& setting : settings) {
    if (argv.size() > fixed && bytes + setting.size() > k_batch_bytes) {
      run_checked(argv, "postconf -e");
      argv.resize(fixed);
      bytes = 0;
    }
    argv.push_back(setting);
    bytes += setting.size() + 1;
  }
  if (argv.size() > fixed) {
    run_checked(argv, "postconf -e");
  }
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
