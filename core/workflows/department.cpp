// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/workflows/department.hpp"

#include "core/directory/rule.hpp"
#include "core/model/group_diff.hpp"
#include "core/util/error.hpp"
#include "core/util/fs.hpp"
#include "core/util/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <iterator>
#include <thread>

namespace mailgroup {

namespace {

struct Job {
  const Group* group = nullptr;
  std::vector<std::uint32_t> people; // directory indices, sorted by email
  std::exception_ptr error;
  // Why the group cannot be evaluated against this directory (its
  // department is not there): eval warns, sync holds the group back.
  std::string missing;
  // For sync: the group's resolved file as it is (kept only if it
  // differs), the new text, and who joined and left. Views point into
  // `old_text`, the Group and the Directory.
  std::unique_ptr<std::string> old_text;
  bool changed = false;
  std::string new_text;
  std::vector<std::string_view> joined;
  std::vector<std::string_view> left;
  std::size_t members_before = 0;
};

// True if `text` is exactly the resolved file for `people`: compared in
// place, so an unchanged group costs no copy.
bool same_resolved(std::string_view text, const std::string& header,
                   const std::vector<std::uint32_t>& people,
                   const Directory& directory) {
  if (!text.starts_with(header)) {
    return false;
  }
  std::size_t at = header.size();
  for (auto i : people) {
    auto email = directory.email(i);
    if (text.size() < at + email.size() + 1 ||
        text.compare(at, email.size(), email) != 0 ||
        text[at + email.size()] != '\n') {
      return false;
    }
    at += email.size() + 1;
  }
  return at == text.size();
}

std::string department_hint(const Directory& directory,
                            const std::string& department) {
  auto hint = closest_match(department, directory.department_paths());
  return hint.empty() ? "" : fmt::format("; did you mean {}?", quote(hint));
}

void evaluate(Job& job,
              const Directory& directory,
              const std::vector<unsigned char>& group_rows) {
  const auto& rule_spec = *job.group->dynamic;
  auto department = directory.find_department(rule_spec.department);
  if (department == Directory::npos) {
    job.missing = fmt::format("department {} is not in the directory{}",
                              quote(rule_spec.department),
                              department_hint(directory, rule_spec.department));
    return;
  }
  std::optional<Rule> rule;
  if (!rule_spec.where.empty()) {
    try {
      rule.emplace(Rule::parse(rule_spec.where));
      rule->bind(directory);
    } catch (const Error& e) {
      throw Error(e.kind(), fmt::format("{}: {}", job.group->address, e.what()));
    }
  }
  const auto& d = directory.departments()[department];
  auto end = rule_spec.include_subdepartments ? d.subtree_end : d.own_end;
  for (auto i = d.first; i < end; ++i) {
    if (directory.active(i) && group_rows[i] == 0 &&
        (!rule || rule->matches(directory, i))) {
      job.people.push_back(static_cast<std::uint32_t>(i));
    }
  }
  std::sort(job.people.begin(), job.people.end(),
            [&](std::uint32_t a, std::uint32_t b) {
              return directory.rank(a) < directory.rank(b);
            });
}

} // namespace

void validate_rule(const Group& group, const Directory& directory) {
  const auto& rule_spec = *group.dynamic;
  if (directory.find_department(rule_spec.department) == Directory::npos) {
    throw Error(ErrorKind::data,
                fmt::format("department {} is not in the directory {}{}",
                            quote(rule_spec.department), directory.source(),
                            department_hint(directory, rule_spec.department)));
  }
  if (!rule_spec.where.empty()) {
    Rule::parse(rule_spec.where).bind(directory);
  }
}

namespace {

// Sorted, duplicate-free `a` minus `b` (both sorted).
std::vector<std::string_view> minus(const std::vector<std::string_view>& a,
                                    const std::vector<std::string_view>& b) {
  std::vector<std::string_view> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(),
                      std::back_inserter(out));
  return out;
}

// Group::effective_members over views: static members plus resolved ones
// not excluded.
std::vector<std::string_view> effective(const Group& group,
                                        const std::vector<std::string_view>& resolved) {
  std::vector<std::string_view> excluded(group.dynamic->exclude.begin(),
                                         group.dynamic->exclude.end());
  auto kept = minus(resolved, excluded);
  std::vector<std::string_view> members(group.members.begin(),
                                        group.members.end());
  std::vector<std::string_view> out;
  std::set_union(kept.begin(), kept.end(), members.begin(), members.end(),
                 std::back_inserter(out));
  return out;
}

std::vector<std::string_view> resolved_lines(std::string_view text) {
  std::vector<std::string_view> out;
  for (auto line : split(text, '\n')) {
    if (!line.empty() && line.front() != '#') {
      out.push_back(line);
    }
  }
  // Hand edits may have broken the order.
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// Compares a job's result with the group's resolved file; for a group that
// changed, makes the new text and who joined and left.
void compare(Job& job, const Store& store, const Directory& directory) {
  const auto& address = job.group->address;
  auto old_text = store.read_resolved_text(address);
  auto header = resolved_header(address);
  if (same_resolved(old_text, header, job.people, directory)) {
    return;
  }
  job.changed = true;
  job.old_text = std::make_unique<std::string>(std::move(old_text));
  // Sized first: growing by doubling copied and faulted in twice the
  // 650 MB that a first sync of the bench writes (perf: a fifth of it).
  auto size = header.size();
  for (auto i : job.people) {
    size += directory.email(i).size() + 1;
  }
  job.new_text = std::move(header);
  job.new_text.reserve(size);
  std::vector<std::string_view> now;
  now.reserve(job.people.size());
  for (auto i : job.people) {
    job.new_text += directory.email(i);
    job.new_text += '\n';
    now.emplace_back(directory.email(i));
  }
  auto before = effective(*job.group, resolved_lines(*job.old_text));
  auto after = effective(*job.group, now);
  job.joined = minus(after, before);
  job.left = minus(before, after);
  job.members_before = before.size();
}

// Evaluates the department groups named (all when `groups` is empty), in
// parallel; jobs come back in address order.
std::vector<Job> run_jobs(const Snapshot& snapshot,
                          const Directory& directory,
                          const std::vector<std::string>& groups,
                          std::vector<std::string>& warnings,
                          const Store* compare_with = nullptr) {
  std::vector<Job> jobs;
  for (const auto& [address, group] : snapshot.groups) {
    if (!group.dynamic) {
      continue;
    }
    if (!groups.empty() &&
        std::find(groups.begin(), groups.end(), address) == groups.end()) {
      continue;
    }
    jobs.emplace_back();
    jobs.back().group = &group;
  }
  // A department group's directory members are people: a row with a
  // group's address would nest that group behind the cycle check (and could
  // nest a group in itself), so it is left out of every group.
  std::vector<unsigned char> group_rows(directory.size(), 0);
  if (!jobs.empty()) {
    for (const auto& [address, group] : snapshot.groups) {
      auto i = directory.find(address);
      if (i != Directory::npos) {
        group_rows[i] = 1;
        warnings.push_back(fmt::format(
            "{}:{}: {} is a group, not a person; left out of every department "
            "group (nest it as a static member instead)",
            directory.source(), directory.line_of(i), address));
      }
    }
    // A group's sub-address nests that group just the same (team+x@
    // reaches team@, as with Postfix's recipient_delimiter).
    for (std::size_t i = 0; i < directory.size(); ++i) {
      auto email = directory.email(i);
      if (group_rows[i] || email.find('+') == std::string_view::npos) {
        continue;
      }
      if (const auto* nested = snapshot.group_of(email)) {
        group_rows[i] = 1;
        warnings.push_back(fmt::format(
            "{}:{}: {} is the group {} (a sub-address), not a person; left "
            "out of every department group (nest it as a static member "
            "instead)",
            directory.source(), directory.line_of(i), email, nested->address));
      }
    }
  }
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (auto i = next++; i < jobs.size(); i = next++) {
      try {
        evaluate(jobs[i], directory, group_rows);
        if (compare_with && jobs[i].missing.empty()) {
          compare(jobs[i], *compare_with, directory);
        }
      } catch (...) {
        jobs[i].error = std::current_exception();
      }
    }
  };
  auto threads = std::min<std::size_t>(
      std::max(1u, std::thread::hardware_concurrency()), jobs.size());
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < threads; ++t) {
    pool.emplace_back(worker);
  }
  worker();
  for (auto& thread : pool) {
    thread.join();
  }
  for (auto& job : jobs) {
    // The first failing group in address order, whatever thread saw it.
    if (job.error) {
      std::rethrow_exception(job.error);
    }
    if (!job.missing.empty() && !compare_with) {
      warnings.push_back(fmt::format("{}: {}", job.group->address, job.missing));
    }
  }
  return jobs;
}

std::vector<std::string> emails_of(const Job& job, const Directory& directory) {
  std::vector<std::string> emails;
  emails.reserve(job.people.size());
  for (auto i : job.people) {
    emails.emplace_back(directory.email(i));
  }
  return emails;
}

} // namespace

std::map<std::string, std::vector<std::string>> resolve_groups(
    const Snapshot& snapshot,
    const Directory& directory,
    const std::vector<std::string>& groups,
    std::vector<std::string>& warnings) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& job : run_jobs(snapshot, directory, groups, warnings)) {
    out.emplace(job.group->address, emails_of(job, directory));
  }
  return out;
}

Explanation explain(const Group& group,
                    const Directory& directory,
                    const std::string& email) {
  Explanation out;
  const auto& rule_spec = *group.dynamic;
  bool excluded = std::binary_search(rule_spec.exclude.begin(),
                                     rule_spec.exclude.end(), email);
  bool is_static = std::binary_search(group.members.begin(),
                                      group.members.end(), email);
  auto person = directory.find(email);
  bool from_directory = false;
  if (person == Directory::npos) {
    out.lines.push_back(fmt::format("directory: {} is not in {}", email,
                                    directory.source()));
  } else {
    out.lines.push_back(fmt::format("directory: {}:{}", directory.source(),
                                    directory.line_of(person)));
    auto department = directory.find_department(rule_spec.department);
    bool in_department = false;
    if (department == Directory::npos) {
      out.lines.push_back(fmt::format("department: {} is not in the "
                                      "directory: no",
                                      quote(rule_spec.department)));
    } else {
      auto own_index = directory.department_of(person);
      in_department = rule_spec.include_subdepartments
                          ? directory.is_under(own_index, department)
                          : own_index == department;
      out.lines.push_back(fmt::format(
          "department: {} {} {} {}: {}",
          quote(directory.display_path(own_index)),
          in_department ? "is" : "is not",
          rule_spec.include_subdepartments ? "in or under" : "in",
          quote(directory.display_path(department)),
          in_department ? "yes" : "no"));
    }
    bool active = directory.active(person);
    out.lines.push_back(fmt::format("active: {}", active ? "yes" : "no"));
    bool rule_ok = true;
    if (!rule_spec.where.empty()) {
      auto rule = Rule::parse(rule_spec.where);
      rule.bind(directory);
      rule_ok = rule.matches(directory, person);
      out.lines.push_back(fmt::format("rule: {}", rule_ok ? "yes" : "no"));
      for (const auto& line : rule.explain(directory, person)) {
        out.lines.push_back("  " + line);
      }
    } else {
      out.lines.push_back("rule: none (everyone in the department)");
    }
    from_directory = in_department && active && rule_ok;
  }
  out.lines.push_back(fmt::format("excluded: {}", excluded ? "yes" : "no"));
  out.lines.push_back(fmt::format("static member: {}",
                                  is_static ? "yes" : "no"));
  out.member = is_static || (from_directory && !excluded);
  out.lines.insert(out.lines.begin(),
                   fmt::format("{} {} a member of {}", email,
                               out.member ? "is" : "is not", group.address));
  return out;
}


SyncPlan plan_sync(const Store& store,
                   const Snapshot& snapshot,
                   const Directory& directory,
                   bool force,
                   std::vector<std::string>& warnings) {
  const double max_removal_share = snapshot.config.max_removal_share;
  const std::size_t removal_threshold = snapshot.config.removal_threshold;
  SyncPlan plan;
  for (auto& job : run_jobs(snapshot, directory, {}, warnings, &store)) {
    const auto& address = job.group->address;
    if (!job.missing.empty()) {
      plan.held.push_back(
          {address, fmt::format("{} held back, keeping its last members: {}. "
                                "Fix the directory, or the group with "
                                "'mailgroup set {} --department PATH'",
                                address, job.missing, address)});
      continue;
    }
    if (!job.changed) {
      continue;
    }
    auto before = job.members_before;
    auto lost = job.left.size();
    if (!force && before > 0 && lost >= removal_threshold &&
        static_cast<double>(lost) >
            max_removal_share * static_cast<double>(before)) {
      plan.held.push_back(
          {address,
           fmt::format("{} held back, keeping its last members: it would lose "
                       "{} of its {} members ({:.0f}%, more than the {:.0f}% "
                       "allowed). Check the directory, or run again with "
                       "--force to apply",
                       address, lost, before,
                       100.0 * static_cast<double>(lost) /
                           static_cast<double>(before),
                       100.0 * max_removal_share)});
      continue;
    }
    plan.old_texts.push_back(std::move(job.old_text));
    plan.texts.emplace(address, std::move(job.new_text));
    if (job.joined.empty() && job.left.empty()) {
      continue;
    }
    plan.changes.push_back(
        MembershipChange{address, std::move(job.joined), std::move(job.left)});
  }
  return plan;
}

} // namespace mailgroup
