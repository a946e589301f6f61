// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/store.hpp"

#include "core/model/address.hpp"
#include "core/model/group_diff.hpp"
#include "core/store/changelog.hpp"
#include "core/store/commit_journal.hpp"
#include "core/store/group_file.hpp"
#include "core/store/group_loader.hpp"
#include "core/util/error.hpp"
#include "core/util/text.hpp"
#include "core/util/toml_io.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <deque>
#include <functional>
#include <set>
#include <utility>

namespace mailgroup {

namespace {
constexpr std::string_view k_group_suffix = ".toml";
// Postfix's virtual_alias_recursion_limit: deeper nesting never delivers.
constexpr std::size_t k_deepest_nesting = 1000;

} // namespace

const Group* Snapshot::find(std::string_view address) const {
  if (auto it = groups.find(address); it != groups.end()) {
    return &it->second;
  }
  return loader ? loader->read(address) : nullptr;
}

bool Snapshot::is_group(std::string_view address) const {
  return groups.find(address) != groups.end() ||
         (loader && loader->listed(address));
}

std::vector<std::string> Snapshot::addresses() const {
  std::vector<std::string> all;
  for (const auto& [address, group] : groups) {
    all.push_back(address);
  }
  if (loader) {
    const auto& listed = loader->listing();
    all.insert(all.end(), listed.begin(), listed.end());
    canonicalize(all);
  }
  return all;
}

const Group* Snapshot::group_of(std::string_view address) const {
  if (const auto* group = find(address)) {
    return group;
  }
  // Postfix's recipient_delimiter (+): team+x@ reaches team@.
  auto plus = address.find('+');
  auto at = address.rfind('@');
  if (plus == std::string_view::npos || at == std::string_view::npos ||
      plus > at) {
    return nullptr;
  }
  return find(fmt::format("{}{}", address.substr(0, plus), address.substr(at)));
}

GroupIndex::GroupIndex(const Snapshot& snapshot) : m_snapshot(snapshot) {
  if (snapshot.loader) {
    return;
  }
  m_groups.reserve(snapshot.groups.size());
  // About 32 bits a group: one member in 30 or so that is no group still
  // reaches the table.
  auto bits = std::bit_ceil(std::max<std::size_t>(
      4096, 32 * snapshot.groups.size()));
  m_filter.assign(bits / 64, 0);
  m_filter_mask = bits - 1;
  for (const auto& [address, group] : snapshot.groups) {
    m_groups.emplace(address, &group);
    auto bit = std::hash<std::string_view>{}(address) & m_filter_mask;
    m_filter[bit / 64] |= std::uint64_t{1} << (bit % 64);
  }
}

const Group* GroupIndex::find(std::string_view address) const {
  auto bit = std::hash<std::string_view>{}(address) & m_filter_mask;
  if ((m_filter[bit / 64] & (std::uint64_t{1} << (bit % 64))) == 0) {
    return nullptr;
  }
  auto it = m_groups.find(address);
  return it == m_groups.end() ? nullptr : it->second;
}

const Group* GroupIndex::group_of(std::string_view address) const {
  if (m_snapshot.loader) {
    return m_snapshot.group_of(address);
  }
  if (const auto* group = find(address)) {
    return group;
  }
  // As Snapshot::group_of: team+x@ reaches team@.
  auto plus = address.find('+');
  auto at = address.rfind('@');
  if (plus == std::string_view::npos || at == std::string_view::npos ||
      plus > at) {
    return nullptr;
  }
  return find(fmt::format("{}{}", address.substr(0, plus), address.substr(at)));
}

namespace {
bool name_hints = true;
}

void hide_group_name_hints() { name_hints = false; }

const Group& Snapshot::get(std::string_view address) const {
  if (const auto* group = find(address)) {
    return *group;
  }
  auto hint = name_hints ? closest_match(address, addresses()) : std::string();
  throw Error(ErrorKind::not_found,
              hint.empty() ? fmt::format("no group {}", quote(address))
                           : fmt::format("no group {}; did you mean {}?",
                                         quote(address),
                                         quote(hint)));
}

Group& Snapshot::get(std::string_view address) {
  if (auto it = groups.find(address); it != groups.end()) {
    return it->second;
  }
  const auto& group = std::as_const(*this).get(address);
  return groups.emplace(group.address, group).first->second;
}

namespace {

// One level of a depth-first walk of the nesting, kept on a stack of its
// own: a chain of groups 40,000 deep, written by hand or by a careless
// script, must get an error, not overflow the call stack.
struct NestingFrame {
  std::string_view address;
  std::vector<std::string_view> members;
  std::size_t next = 0;
  std::size_t height = 1; // levels of groups from here down, this one too
};

struct NestingWalk {
  std::string cycle;          // "a -> b -> a", or empty
  std::size_t deepest = 0;    // the most levels from one group down
  std::string_view deepest_from;
};

NestingWalk walk_nesting(const Snapshot& snapshot) {
  // Depth-first search with colours; the path on the stack names the cycle.
  enum class Colour { white, grey, black };
  std::map<std::string_view, Colour> colour;
  std::map<std::string_view, std::size_t> height;
  GroupIndex index(snapshot);
  NestingWalk walk;
  std::vector<NestingFrame> stack;
  auto enter = [&](std::string_view address) {
    colour[address] = Colour::grey;
    stack.push_back(
        {address, snapshot.find(address)->effective_member_views(), 0, 1});
  };
  for (const auto& [root, group] : snapshot.groups) {
    if (colour[root] != Colour::white) {
      continue;
    }
    enter(root);
    while (!stack.empty()) {
      auto& top = stack.back();
      if (top.next == top.members.size()) {
        colour[top.address] = Colour::black;
        height[top.address] = top.height;
        if (top.height > walk.deepest) {
          walk.deepest = top.height;
          walk.deepest_from = top.address;
        }
        auto finished = top.height;
        stack.pop_back();
        if (!stack.empty()) {
          stack.back().height = std::max(stack.back().height, finished + 1);
        }
        continue;
      }
      const auto* nested = index.group_of(top.members[top.next++]);
      if (!nested) {
        continue;
      }
      std::string_view member = nested->address;
      auto state = colour[member];
      if (state == Colour::grey) {
        auto start = std::find_if(stack.begin(), stack.end(), [&](auto& f) {
          return f.address == member;
        });
        for (auto it = start; it != stack.end(); ++it) {
          walk.cycle += fmt::format("{} -> ", it->address);
        }
        walk.cycle += member;
        return walk;
      }
      if (state == Colour::black) {
        top.height = std::max(top.height, height[member] + 1);
        continue;
      }
      enter(member); // `top` is not used again: the push may move it
    }
  }
  return walk;
}

} // namespace

std::string find_cycle(const Snapshot& snapshot) {
  return walk_nesting(snapshot).cycle;
}

std::string find_cycle_through(const Snapshot& snapshot,
                               const std::vector<Edge>& edges) {
  for (const auto& edge : edges) {
    std::string_view from = edge.first;
    const Group* first = snapshot.group_of(edge.second);
    if (!first) {
      continue;
    }
    // Depth-first from the member, for a way back to the group, on a stack
    // of its own (walk_nesting says why).
    std::set<std::string_view> seen;
    std::vector<NestingFrame> stack;
    auto enter = [&](const Group& group) {
      stack.push_back({group.address, {}, 0, 1});
      if (group.address != from && seen.insert(group.address).second) {
        stack.back().members = group.effective_member_views();
      }
    };
    enter(*first);
    while (!stack.empty()) {
      auto& top = stack.back();
      if (top.address == from) {
        std::vector<std::string_view> path{from};
        for (const auto& frame : stack) {
          path.push_back(frame.address);
        }
        return fmt::format("{}", fmt::join(path, " -> "));
      }
      if (top.next == top.members.size()) {
        stack.pop_back();
        continue;
      }
      if (const auto* nested = snapshot.group_of(top.members[top.next++])) {
        enter(*nested); // `top` is not used again: the push may move it
      }
    }
  }
  return {};
}

namespace {

std::vector<Diagnostic> domain_problems(const Snapshot& snapshot,
                                        const std::string& groups_dir) {
  std::vector<Diagnostic> problems;
  for (const auto& [address, group] : snapshot.groups) {
    Location where{fmt::format("{}/{}{}", groups_dir, address, k_group_suffix)};
    auto domain = domain_of(address);
    if (!snapshot.config.is_local_domain(domain)) {
      problems.push_back(
          {where,
           fmt::format("group {} is not in a domain of this store ({}); add "
                       "the domain to mailgroup.toml or fix the address",
                       quote(address),
                       fmt::join(snapshot.config.domains, ", "))});
    }
  }
  return problems;
}

} // namespace

std::vector<Diagnostic> validate_snapshot(const Snapshot& snapshot,
                                          const std::string& groups_dir) {
  auto problems = domain_problems(snapshot, groups_dir);
  auto nesting = walk_nesting(snapshot);
  if (!nesting.cycle.empty()) {
    problems.push_back(
        {Location{groups_dir},
         fmt::format("nested groups form a cycle: {}", nesting.cycle)});
  } else if (nesting.deepest > k_deepest_nesting) {
    problems.push_back(
        {Location{fmt::format("{}/{}{}", groups_dir, nesting.deepest_from,
                              k_group_suffix)},
         fmt::format("{} nests groups {} levels deep; Postfix expands at most "
                     "{} (virtual_alias_recursion_limit): make the chain "
                     "shorter",
                     quote(nesting.deepest_from), nesting.deepest,
                     k_deepest_nesting)});
  }
  return problems;
}

Store::Store(fs::path root) : m_root(std::move(root)) {}

namespace {

// The one way an address becomes a path: one plain name directly inside
// `dir`. Addresses are validated long before they get here; this is the
// last guard, so that no address, however it got into a snapshot, names a
// file outside the store or in a folder of its own.
fs::path entry_in(const fs::path& dir,
                  std::string_view address,
                  std::string_view suffix) {
  if (address.empty() || address.front() == '.' ||
      address.find_first_of(std::string_view("/\0", 2)) !=
          std::string_view::npos) {
    throw Error(ErrorKind::data,
                fmt::format("refusing to use {} as a file name in {}: a group "
                            "address must be one plain name",
                            quote(address),
                            dir.string()));
  }
  return dir / fmt::format("{}{}", address, suffix);
}

} // namespace

fs::path Store::group_path(std::string_view address) const {
  return entry_in(groups_dir(), address, k_group_suffix);
}

fs::path Store::resolved_path(std::string_view address) const {
  return entry_in(resolved_dir(), address, ".members");
}

std::string resolved_header(std::string_view address) {
  return fmt::format(
      "# Members of {} from the directory at the last 'mailgroup sync'.\n"
      "# Written by sync; edits here are overwritten.\n",
      address);
}

std::string format_resolved(const Group& group) {
  std::string out = resolved_header(group.address);
  for (const auto& address : group.dynamic->resolved) {
    out += address;
    out += '\n';
  }
  return out;
}

void Store::init(const fs::path& root, const StoreConfig& config) {
  Store store(root);
  if (fs::exists(store.config_path())) {
    throw Error(ErrorKind::exists,
                fmt::format("a store already exists at {} (it has "
                            "mailgroup.toml)",
                            root.string()));
  }
  std::error_code ec;
  // Missing parents as the umask says; the store itself like its folders.
  if (!fs::exists(root)) {
    auto clean = root.lexically_normal();
    if (clean.filename().empty()) { // "store/"
      clean = clean.parent_path();
    }
    if (clean.has_parent_path()) {
      fs::create_directories(clean.parent_path(), ec);
    }
    if (!ec) {
      make_directory(clean);
    }
  }
  if (ec) {
    throw Error(ErrorKind::cant_create,
                fmt::format("cannot create directory {}: {}", root.string(),
                            ec.message()));
  }
  make_directory(store.groups_dir());
  write_file_atomic(store.config_path(), format_config(config));
  // A store is meant to live in git: keep the lock and temporary files out.
  write_file_atomic(root / ".gitignore", "/.lock\n/.commit\n/.sync-stamp\n"
                                        "/.group-names\n.*.tmp-*\n/outbox/\n");
}

namespace {

// Temporary files of write_file_atomic and AtomicBatch: ".NAME.tmp-HEX".
bool is_temporary_name(std::string_view name) {
  return name.starts_with('.') && name.find(".tmp-") != std::string_view::npos;
}

// Set in the store's folder while a commit writes files aside, so that the
// next writer knows whether a killed one may have left temporary files in
// groups/ and resolved/: listing those (20,000 names each) on every write
// would be most of a one-group command's time under the lock. Named as a
// temporary file, so that the listing of the store's folder, which is
// always made (it is small), removes it, git ignores it and 'check'
// reports it. Not made durable: after a power loss, files left aside
// without it stay (hidden, never read) until a writer that loads every
// group lists every folder.
fs::path writing_marker(const Store& store) {
  return store.root() / ".writing.tmp-0000000000000000";
}

// The temporary files in the folders only writers under the lock write to
// (not outbox/, which is written without it): the store's folder, and
// groups/ and resolved/ when `every_folder`.
std::vector<fs::path> temporary_files(const Store& store,
                                      bool every_folder = true) {
  std::vector<fs::path> found;
  std::vector<fs::path> dirs{store.root()};
  if (every_folder) {
    dirs.push_back(store.groups_dir());
    dirs.push_back(store.resolved_dir());
  }
  for (const auto& dir : dirs) {
    try {
      for (const auto& name : names_in(dir)) {
        if (is_temporary_name(name)) {
          found.push_back(dir / name);
        }
      }
    } catch (const Error&) {
      // Unreadable: nothing to remove there; 'check' reports the folder.
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

} // namespace

void Store::finish_interrupted_writes(bool every_folder) const {
  recover_commit(m_root, log_path());
  auto marker = writing_marker(*this);
  std::error_code ec;
  every_folder = every_folder || fs::exists(fs::symlink_status(marker, ec));
  for (const auto& path : temporary_files(*this, every_folder)) {
    if (path == marker) {
      continue; // last: if this is killed too, the next writer looks again
    }
    std::error_code ignored; // gone already, or to be reported by 'check'
    fs::remove(path, ignored);
  }
  fs::remove(marker, ec);
}

std::vector<Diagnostic> Store::leftovers() const {
  std::vector<Diagnostic> found;
  if (fs::exists(fs::symlink_status(journal_path(m_root)))) {
    found.push_back({Location{journal_path(m_root).string()},
                     "a commit was interrupted; the next mailgroup write "
                     "finishes it"});
  }
  std::error_code ec;
  bool marked = fs::exists(fs::symlink_status(writing_marker(*this), ec));
  for (const auto& path : temporary_files(*this)) {
    // Without the marker, a command on one group does not look in
    // groups/ and resolved/ (finish_interrupted_writes).
    bool next_write = marked || path.parent_path() == m_root;
    found.push_back(
        {Location{path.string()},
         next_write ? "a temporary file left by an interrupted write; the "
                      "next mailgroup write removes it"
                    : "a temporary file left by an interrupted write; the "
                      "next mailgroup sync or delete removes it"});
  }
  if (auto text = read_store_file_if_exists(log_path())) {
    std::vector<Diagnostic> skipped;
    parse_log(*text, log_path().string(), &skipped);
    for (auto& line : skipped) {
      line.message += " (cut short by a crash, or edited by hand); 'mailgroup "
                      "log' skips it";
      found.push_back(std::move(line));
    }
  }
  return found;
}

std::string Store::read_resolved_text(std::string_view address) const {
  return read_store_file_if_exists(resolved_path(address)).value_or("");
}

namespace {

// validate_snapshot names a group's file; where in it the address stands is
// found only when there is a problem to report, so loading 20,000 files
// keeps no positions.
void point_at_address(Location& where) {
  if (where.line != 0 || !where.path.ends_with(k_group_suffix)) {
    return;
  }
  try {
    auto text = read_store_file_if_exists(where.path);
    if (!text) {
      return;
    }
    auto table = parse_toml(*text, where.path, ErrorKind::data);
    if (const auto* node = table.get("address")) {
      where = location_of(*node, where.path);
    }
  } catch (const Error&) {
    // Reported without a position, as before.
  }
}

} // namespace

namespace {

StoreConfig read_store_config(const Store& store);

} // namespace

StoreConfig Store::load_config() const { return read_store_config(*this); }

namespace {

StoreConfig read_store_config(const Store& store) {
  auto text = read_file_if_exists(store.config_path());
  if (!text) {
    throw Error(ErrorKind::no_input,
                fmt::format("no store at {} (no mailgroup.toml there); create "
                            "one with 'mailgroup init --domain DOMAIN' or "
                            "point --store or MAILGROUP_STORE at one",
                            store.root().string()));
  }
  return parse_config(*text, store.config_path().string());
}

void read_requests(const Store& store,
                   Snapshot& snapshot,
                   std::vector<Diagnostic>& problems) {
  auto text = read_file_if_exists(store.requests_path());
  if (!text) {
    return;
  }
  try {
    snapshot.requests = parse_requests(*text, store.requests_path().string());
    // A request for a group that is gone (its file removed by hand or by
    // git) is moot: nobody could decide it. The next write drops it.
    std::erase_if(snapshot.requests.pending, [&](const auto& request) {
      return !snapshot.is_group(request.group);
    });
  } catch (const Error& e) {
    problems.insert(problems.end(), e.diagnostics().begin(),
                    e.diagnostics().end());
  }
}

} // namespace

Snapshot Store::load(bool with_resolved) const {
  Snapshot snapshot;
  snapshot.config = read_store_config(*this);
  auto listing = list_group_files(*this);
  std::vector<Diagnostic> problems;
  for (const auto& link : listing.symlinks) {
    problems.push_back(group_symlink_problem(link));
  }
  const auto& separator = snapshot.config.directory.department_separator;
  for (const auto& file : listing.files) {
    if (auto group = read_group_file(*this, file, separator, with_resolved,
                                     problems)) {
      auto address = group->address;
      snapshot.groups.emplace(std::move(address), std::move(*group));
    }
  }
  read_requests(*this, snapshot, problems);
  if (problems.empty()) {
    problems = validate_snapshot(snapshot, groups_dir().string());
    for (auto& problem : problems) {
      point_at_address(problem.where);
    }
  }
  if (!problems.empty()) {
    throw Error(ErrorKind::data, std::move(problems));
  }
  return snapshot;
}

Snapshot Store::load_on_demand(bool with_resolved) const {
  Snapshot snapshot;
  snapshot.config = read_store_config(*this);
  snapshot.loader = std::make_shared<GroupLoader>(
      *this, snapshot.config.directory.department_separator, with_resolved);
  std::vector<Diagnostic> problems;
  read_requests(*this, snapshot, problems);
  if (!problems.empty()) {
    throw Error(ErrorKind::data, std::move(problems));
  }
  return snapshot;
}

namespace {

Snapshot load_for(const Store& store, bool with_resolved, Loading loading) {
  // Loaded on demand, groups/ and resolved/ are listed for temporary
  // files only if a writer was interrupted (writing_marker).
  store.finish_interrupted_writes(loading == Loading::everything);
  return loading == Loading::on_demand ? store.load_on_demand(with_resolved)
                                       : store.load(with_resolved);
}

} // namespace

Transaction::Transaction(const Store& store,
                         std::chrono::milliseconds lock_timeout,
                         LogAs log,
                         bool with_resolved,
                         Loading loading)
    : m_store(store),
      m_lock(std::in_place, store.root() / ".lock", lock_timeout),
      m_with_resolved(with_resolved),
      m_log(std::move(log)),
      m_original(load_for(store, with_resolved, loading)),
      m_state(m_original) {}

void Transaction::load_everything() {
  m_original = load_for(m_store, m_with_resolved, Loading::everything);
  m_state = m_original;
}

void Transaction::set_resolved_text(const std::string& address,
                                    std::string text) {
  m_resolved_texts[address] = std::move(text);
}

std::string Transaction::log_lines(const std::vector<FileChange>& changes) {
  std::string lines;
  if (m_log.command.empty()) {
    return lines;
  }
  auto now = now_rfc3339();
  auto entry = [&](const std::string& group, std::string action,
                   std::vector<std::string> details) {
    lines += format_log_entry(LogEntry{now, m_log.actor, m_log.command, group,
                                       std::move(action), std::move(details),
                                       m_log.login, m_log.uid});
  };
  for (const auto& change : changes) {
    switch (change.kind) {
    case FileChange::Kind::created:
      entry(change.address, "created", {});
      break;
    case FileChange::Kind::deleted:
      entry(change.address, "deleted", {});
      break;
    case FileChange::Kind::modified:
      entry(change.address, "changed",
            describe_changes(*m_original.find(change.address),
                             *m_state.find(change.address)));
      break;
    }
  }
  for (const auto& event : m_events) {
    entry(event.group, event.action, event.details);
  }
  return lines;
}

std::vector<Edge> Transaction::added_edges() const {
  std::vector<Edge> edges;
  for (const auto& [address, after] : m_state.groups) {
    const Group* before = m_original.find(address);
    if (!before || before->dynamic != after.dynamic) {
      // New, or its department, conditions or excludes changed: any member
      // may be new (rare; a sync loads everything anyway).
      for (auto member : after.effective_member_views()) {
        edges.emplace_back(after.address, member);
      }
      continue;
    }
    std::vector<std::string_view> had(before->members.begin(),
                                      before->members.end());
    std::sort(had.begin(), had.end());
    for (const auto& member : after.members) {
      if (!std::binary_search(had.begin(), had.end(),
                              std::string_view(member))) {
        edges.emplace_back(after.address, member);
      }
    }
  }
  return edges;
}

std::vector<Diagnostic> Transaction::problems_of_state() {
  auto groups_dir = m_store.groups_dir().string();
  if (!m_state.loader) {
    return validate_snapshot(m_state, groups_dir);
  }
  // Loaded on demand, every group changed is in m_state.groups, and a cycle
  // the change closes runs through a member one of them gained: the search
  // starts there and reads only the groups it reaches (a member that is a
  // person costs one stat), not every member of the group changed.
  auto problems = domain_problems(m_state, groups_dir);
  if (problems.empty() && find_cycle_through(m_state, added_edges()).empty()) {
    return problems;
  }
  // Which cycle, and from where, as the whole store names it.
  auto everything = m_store.load(m_with_resolved);
  for (const auto& [address, group] : m_state.groups) {
    everything.groups.insert_or_assign(address, group);
  }
  return validate_snapshot(everything, groups_dir);
}

void Transaction::write_through_journal(AtomicBatch& batch,
                                        std::string lines) {
  const auto& root = m_store.root();
  auto log = m_store.log_path();
  batch.prepare();
  CommitJournal journal;
  if (!lines.empty()) {
    bool ends_with_newline = true;
    journal.log_offset = reserve_append(log, lines.size() + 1,
                                        &ends_with_newline);
    // A line an older crash cut short stays as it was, on a line of its
    // own, where 'check' reports it and 'log' skips it.
    journal.log_lines = ends_with_newline ? std::move(lines) : "\n" + lines;
  }
  for (const auto& [aside, final_path] : batch.renames()) {
    journal.renames.emplace_back(aside.lexically_relative(root).string(),
                                 final_path.lexically_relative(root).string());
  }
  for (const auto& path : batch.removals()) {
    journal.removals.push_back(path.lexically_relative(root).string());
  }
  // The commit point: once the journal is on disk, the change and its log
  // entry happen together, now or in the next writer's recovery.
  write_file_atomic(journal_path(root), format_journal(journal));
  try {
    batch.apply();
    if (!journal.log_lines.empty()) {
      write_at_durable(log, journal.log_offset, journal.log_lines);
    }
    remove_file_durable(journal_path(root));
  } catch (const Error& e) {
    throw Error(e.kind(),
                fmt::format("{}; the change is committed and the next "
                            "mailgroup write will finish it",
                            e.what()));
  }
}

std::vector<FileChange> Transaction::commit(bool dry_run) {
  if (!m_lock) {
    throw Error(ErrorKind::internal, "a transaction committed after unlock()");
  }
  // Lists may have been edited in any order; the files hold them sorted.
  for (auto& [address, group] : m_state.groups) {
    canonicalize(group);
  }
  auto problems = problems_of_state();
  if (!problems.empty()) {
    std::vector<Diagnostic> plain;
    for (auto& problem : problems) {
      plain.push_back({Location{}, std::move(problem.message)});
    }
    throw Error(ErrorKind::data, std::move(plain));
  }

  std::vector<FileChange> changes;
  for (const auto& [address, group] : m_state.groups) {
    const auto* before = m_original.find(address);
    if (!before) {
      changes.push_back({FileChange::Kind::created, address});
    } else if (!(*before == group)) {
      changes.push_back({FileChange::Kind::modified, address});
    }
  }
  for (const auto& [address, group] : m_original.groups) {
    if (!m_state.is_group(address)) {
      changes.push_back({FileChange::Kind::deleted, address});
    }
  }
  std::sort(changes.begin(), changes.end(), [](const auto& a, const auto& b) {
    return a.address < b.address;
  });
  if (dry_run) {
    return changes;
  }
  write_new_file(writing_marker(m_store), "", 0644, false);
  // Taken away once the batch is (its destructor removes what it wrote
  // aside if it did not commit): after a commit, and after a failure
  // before the commit point, which leaves the store as it was. A commit
  // point passed but not finished (the journal there) keeps it, for the
  // next writer.
  struct Marker {
    const Store& store;
    ~Marker() {
      std::error_code ec;
      if (!fs::exists(fs::symlink_status(journal_path(store.root()), ec))) {
        fs::remove(writing_marker(store), ec);
      }
    }
  } marker{m_store};
  AtomicBatch batch(m_store.root());
  std::deque<std::string> texts; // alive until the batch commits
  for (const auto& change : changes) {
    const Group* before = m_original.find(change.address);
    const Group* after = m_state.find(change.address);
    auto resolved = m_store.resolved_path(change.address);
    if (!after) {
      batch.remove(m_store.group_path(change.address));
      batch.remove(resolved);
      continue;
    }
    const auto& text = texts.emplace_back(format_group(*after));
    if (!before || format_group(*before) != text) {
      batch.write(m_store.group_path(change.address), text);
    }
    bool had = before && before->dynamic;
    if (!m_with_resolved) {
      continue;
    }
    if (!after->dynamic) {
      if (had) {
        batch.remove(resolved);
      }
    } else if (!had || before->dynamic->resolved != after->dynamic->resolved) {
      make_directory(m_store.resolved_dir());
      batch.write(resolved, texts.emplace_back(format_resolved(*after)));
    }
  }
  if (!m_resolved_texts.empty()) {
    make_directory(m_store.resolved_dir());
  }
  for (const auto& [address, text] : m_resolved_texts) {
    batch.write(m_store.resolved_path(address), text);
  }
  if (m_state.requests != m_original.requests) {
    batch.write(m_store.requests_path(),
                texts.emplace_back(format_requests(m_state.requests)));
  }
  auto lines = log_lines(changes);
  if (!batch.renames().empty() || !batch.removals().empty() ||
      !lines.empty()) {
    write_through_journal(batch, std::move(lines));
  }
  return changes;
}

} // namespace mailgroup
