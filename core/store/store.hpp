// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/config.hpp"
#include "core/model/group.hpp"
#include "core/model/requests.hpp"
#include "core/util/error.hpp"
#include "core/util/fs.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mailgroup {

class GroupLoader;

// What a load reads: every group (for what sees the whole store: check,
// generate, sync, delete), or only the groups a command looks up (a
// command on one group of 20,000 reads one file; see GroupLoader).
enum class Loading { everything, on_demand };

// Everything in a store at one moment: its settings and its groups by
// address.
struct Snapshot {
  StoreConfig config;
  // Every group; loaded on demand, only those changed or created so far
  // (find() and get() read the others from their files as they are looked
  // up). std::less<>: lookups by view.
  std::map<std::string, Group, std::less<>> groups;
  Requests requests;
  // Set when loaded on demand; shared by a transaction's two snapshots, so
  // each file is read once. Groups are never erased from such a snapshot.
  std::shared_ptr<GroupLoader> loader;

  const Group* find(std::string_view address) const;
  // The group whose mail `address` gets: the group itself, or for a
  // sub-address (team+x@) that is no group of its own, the group Postfix
  // delivers it to (team@); else nullptr.
  const Group* group_of(std::string_view address) const;
  // Throws Error(not_found) with a "did you mean" hint.
  const Group& get(std::string_view address) const;
  // Loaded on demand, the group is copied into `groups` to be changed.
  Group& get(std::string_view address);
  bool is_group(std::string_view address) const;
  // Every group's address, sorted.
  std::vector<std::string> addresses() const;
};

// Snapshot::group_of by hash, for passes that ask it of every membership
// (the cycle check, the Postfix expansion): a map lookup was 15 string
// compares a member, a quarter of generate's profile at 20,000 groups.
// The snapshot must not gain or lose groups while the index lives; one
// loaded on demand is asked directly.
class GroupIndex {
public:
  explicit GroupIndex(const Snapshot& snapshot);
  const Group* group_of(std::string_view address) const;

private:
  const Group* find(std::string_view address) const;
  const Snapshot& m_snapshot;
  std::unordered_map<std::string_view, const Group*> m_groups;
  // A bit for each group address's hash (its low bits): nearly every
  // member is a person, and a clear bit in these few hundred KiB, which
  // stay cached, answers without the table, whose lookups at 21 million
  // members were a cache miss each.
  std::vector<std::uint64_t> m_filter;
  std::size_t m_filter_mask = 0;
};

// Snapshot::get's "did you mean" names another group: not for a caller
// who may not know which groups exist (delegated through sudo).
void hide_group_name_hints();

// Problems that need the whole store to see: a group outside the store's
// domains, a file named after another address, a cycle of nested groups.
std::vector<Diagnostic> validate_snapshot(const Snapshot& snapshot,
                                          const std::string& groups_dir);

// The first cycle of nested groups, as `a -> b -> a`, or empty.
std::string find_cycle(const Snapshot& snapshot);

// A group and one of its members.
using Edge = std::pair<std::string_view, std::string_view>;

// The first cycle that runs through one of `edges`, as `a -> b -> a`, or
// empty. A change closes a cycle only through a member it adds, so a
// commit searches from those, not from every group and member.
std::string find_cycle_through(const Snapshot& snapshot,
                               const std::vector<Edge>& edges);

// A store directory: mailgroup.toml plus groups/ADDRESS.toml.
class Store {
public:
  explicit Store(fs::path root);

  // Creates a store at `root`; Error(exists) if one is there already.
  static void init(const fs::path& root, const StoreConfig& config);

  const fs::path& root() const { return m_root; }
  fs::path config_path() const { return m_root / "mailgroup.toml"; }
  fs::path groups_dir() const { return m_root / "groups"; }
  fs::path group_path(std::string_view address) const;
  fs::path resolved_dir() const { return m_root / "resolved"; }
  fs::path resolved_path(std::string_view address) const;
  fs::path log_path() const { return m_root / "log.jsonl"; }
  fs::path requests_path() const { return m_root / "requests.toml"; }
  fs::path outbox_dir() const { return m_root / "outbox"; }
  // What the last sync that changed nothing was made from (stamp.hpp).
  fs::path sync_stamp_path() const { return m_root / ".sync-stamp"; }
  fs::path group_names_path() const { return m_root / ".group-names"; }

  // Reads and validates every file. Throws Error with every problem found,
  // each as `file:line:col: message`. Without `with_resolved`, department
  // groups' resolved members are left empty (sync compares their files as
  // bytes instead of reading millions of addresses).
  Snapshot load(bool with_resolved = true) const;
  // Reads mailgroup.toml and requests.toml only; groups are read as they are
  // looked up, each checked as load() checks it. What needs every group
  // (a cycle of nesting) is checked by Transaction::commit for what it
  // changes; 'check' still sees everything.
  Snapshot load_on_demand(bool with_resolved = true) const;
  // mailgroup.toml alone (Error(no_input) if there is no store).
  StoreConfig load_config() const;

  // What an interrupted writer left, put right; call with the lock held: a
  // commit journal is rolled forward (commit_journal.hpp), then temporary
  // files are removed (only writers under the lock make them, so any that
  // are left are a killed writer's). Without `every_folder`, groups/ and
  // resolved/ are searched only if a writer was interrupted while writing.
  void finish_interrupted_writes(bool every_folder = true) const;

  // What an interrupted writer left, or anything else that needs a look but
  // does not stop the store from working: an unfinished commit, temporary
  // files, malformed lines in the change log. As warnings for 'check'.
  std::vector<Diagnostic> leftovers() const;

  // The current text of resolved/ADDRESS.members, or empty if none.
  std::string read_resolved_text(std::string_view address) const;

private:
  fs::path m_root;
};

// The text of resolved/ADDRESS.members: a header, then one address a line,
// sorted.
std::string resolved_header(std::string_view address);
std::string format_resolved(const Group& group);


// What a transaction did or would do to one group file.
struct FileChange {
  enum class Kind { created, modified, deleted };
  Kind kind;
  std::string address;
};

// A read-modify-write of the store under its exclusive lock: the snapshot is
// loaded after the lock is taken, so concurrent writers never lose updates.
// commit() validates the whole new state before it writes anything, so a
// change that breaks any rule leaves every file as it was.
class Transaction {
public:
  // With a `command`, commit() appends what it changed to the change log
  // (log.jsonl) as done by `actor`.
  struct LogAs {
    LogAs() = default;
    LogAs(std::string command_run, std::string actor_name = {})
        : command(std::move(command_run)), actor(std::move(actor_name)) {}

    std::string command;
    std::string actor;
    std::string login;
    std::optional<unsigned> uid;
  };
  Transaction(const Store& store,
              std::chrono::milliseconds lock_timeout,
              LogAs log = {},
              bool with_resolved = true,
              Loading loading = Loading::everything);

  // A change-log entry beyond the group-file diffs commit() logs itself:
  // resolved members changed by sync ("changed", "joined: 3 (a@x, ...)"),
  // a leave request recorded or decided, held mail released.
  struct Event {
    std::string group;
    std::string action;
    std::vector<std::string> details;
  };
  // Who the change log names, once known (commands that act as someone
  // learn it from the store's [users] after the lock is taken).
  void set_actor(std::string actor, std::string login, unsigned uid) {
    m_log.actor = std::move(actor);
    m_log.login = std::move(login);
    m_log.uid = uid;
  }
  void log_event(Event event) { m_events.push_back(std::move(event)); }
  const std::vector<Event>& events() const { return m_events; }

  // Replaces resolved/ADDRESS.members with `text` at commit (sync's way of
  // recording members without holding them all as strings).
  void set_resolved_text(const std::string& address, std::string text);

  // For a transaction opened with Loading::on_demand that learns under
  // the lock that it needs every group after all (sync, when its stamp is
  // stale): reads the store as Loading::everything would have. Only
  // before any change.
  void load_everything();

  Snapshot& state() { return m_state; }
  const fs::path& store_root() const { return m_store.root(); }
  const Snapshot& original() const { return m_original; }

  // Writes every changed group file (atomically, one by one) unless
  // `dry_run`; returns the changes in address order.
  std::vector<FileChange> commit(bool dry_run);

  // Lets other writers in while this one goes on with what follows a
  // commit (sending notices); state() stays readable.
  void unlock() { m_lock.reset(); }

private:
  // The change-log lines of `changes` and the logged events.
  std::string log_lines(const std::vector<FileChange>& changes);
  // Why the new state breaks a rule of the whole store, if it does; loaded
  // on demand, checked from the groups changed, named as a load of
  // everything would name it.
  std::vector<Diagnostic> problems_of_state();
  // Each group changed and a member it gained (all its members if it is new
  // or its department rule changed).
  std::vector<Edge> added_edges() const;
  // Applies `batch` and appends `lines` as one commit (commit_journal.hpp).
  void write_through_journal(AtomicBatch& batch, std::string lines);

  Store m_store;
  std::optional<FileLock> m_lock;
  bool m_with_resolved;
  LogAs m_log;
  std::map<std::string, std::string> m_resolved_texts;
  std::vector<Event> m_events;
  Snapshot m_original;
  Snapshot m_state;
};

} // namespace mailgroup
