// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/workflows/bulk_create.hpp"

#include "core/directory/source.hpp"
#include "core/util/text.hpp"
#include "core/workflows/department.hpp"
#include "core/workflows/notices.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>

namespace mailgroup::workflows {

namespace {

// The directory department groups are checked against, read once for all
// of them (check_against_directory reads it for its one group); nullptr
// when no definition makes a department group or the store names no
// directory (then only the rule's syntax is checked, as for one group).
std::unique_ptr<Directory> directory_for(
    const Invocation& invocation,
    const Snapshot& snapshot,
    const std::vector<GroupDefinition>& definitions) {
  bool departments = std::any_of(
      definitions.begin(), definitions.end(),
      [](const auto& definition) { return definition.settings.department; });
  if (!departments || snapshot.config.directory.path.empty()) {
    return nullptr;
  }
  std::vector<std::string> warnings;
  return open_directory(invocation.store().root(), snapshot.config, "", true,
                        warnings);
}

// Where the file defines a group of `cycle` ("a -> b -> a"): any cycle the
// new groups close runs through one of them.
Location where_in_file(std::string_view cycle,
                       const std::map<std::string_view, Location>& defined) {
  std::size_t start = 0;
  while (start < cycle.size()) {
    auto end = cycle.find(" -> ", start);
    auto address = cycle.substr(start, end - start);
    if (auto it = defined.find(address); it != defined.end()) {
      return it->second;
    }
    if (end == std::string_view::npos) {
      break;
    }
    start = end + 4;
  }
  return {};
}

// One note for the groups --exist-ok left as they were, naming the first
// few: re-applying a file of 20,000 prints one line, not 20,000.
std::string kept_note(const std::vector<std::string>& kept) {
  constexpr std::size_t k_named = 3;
  if (kept.size() == 1) {
    return fmt::format("group {} already exists; left as it is", kept[0]);
  }
  if (kept.size() <= k_named) {
    return fmt::format("groups {} already exist; left as they are",
                       fmt::join(kept, ", "));
  }
  return fmt::format(
      "{} groups already exist; left as they are: {} and {} more",
      kept.size(),
      fmt::join(kept.begin(), kept.begin() + k_named, ", "),
      kept.size() - k_named);
}

} // namespace

Outcome create_groups(const Invocation& invocation,
                      const std::vector<GroupDefinition>& definitions,
                      const std::string& applicant,
                      bool exist_ok) {
  Transaction t(invocation.store(), invocation.lock_timeout, {"create"}, true,
                Loading::on_demand);
  auto actor = identify(t, invocation);
  require_store_administrator(actor, t.state().config, "create groups");
  const auto& default_applicant = applicant.empty() ? actor.log_name() : applicant;
  auto& state = t.state();
  auto directory = directory_for(invocation, state, definitions);
  std::vector<Diagnostic> problems;
  std::optional<ErrorKind> kind; // of the first problem: the exit status
  std::vector<std::string> kept;
  std::map<std::string_view, Location> defined;
  for (const auto& definition : definitions) {
    defined.emplace(definition.address, definition.where);
    try {
      bool existed = state.is_group(definition.address);
      mailgroup::create_group(state, definition.address, definition.settings,
                              definition.members,
                              definition.applicant.value_or(default_applicant),
                              exist_ok);
      if (existed) {
        kept.push_back(definition.address);
        continue;
      }
      const auto& group = std::as_const(state).get(definition.address);
      if (group.dynamic && directory) {
        validate_rule(group, *directory);
      }
    } catch (const Error& e) {
      kind = kind.value_or(e.kind());
      for (const auto& line : e.lines()) {
        problems.push_back({definition.where, line});
      }
    }
  }
  if (problems.empty()) {
    // Checked here rather than left to commit() to say where: the same
    // search, over the groups of the file and what they reach.
    if (auto cycle = find_cycle(state); !cycle.empty()) {
      kind = ErrorKind::data;
      problems.push_back({where_in_file(cycle, defined),
                          fmt::format("nested groups form a cycle: {}",
                                      cycle)});
    }
  }
  if (!problems.empty()) {
    throw Error(*kind, std::move(problems));
  }
  Outcome outcome;
  if (!kept.empty()) {
    outcome.notes.push_back(kept_note(kept));
  }
  finish(t, invocation, outcome);
  send_notices(t, invocation,
               joins_to_notify(t.original(), t.state(), "create"), outcome);
  return outcome;
}

} // namespace mailgroup::workflows
