// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mailgroup {

namespace fs = std::filesystem;

// The whole content of `path`; throws Error(no_input) if it does not exist
// and Error(io) if it cannot be read.
std::string read_file(const fs::path& path);

// nullopt if `path` does not exist.
std::optional<std::string> read_file_if_exists(const fs::path& path);

// Like read_file_if_exists, for the store's own files: a symbolic link in
// place of the file is refused (Error(data)), so a link planted in the
// store cannot make mailgroup read, and report or copy, a file elsewhere.
std::optional<std::string> read_store_file_if_exists(const fs::path& path);

// Creates `path`, which must not exist, with `content` and permission bits
// `mode` whatever the umask; with `durable`, fsyncs it. Opened with
// O_EXCL|O_NOFOLLOW: an existing file, or a symbolic link planted there
// (dangling or not), is neither followed nor replaced but refused with
// Error(cant_create).
void write_new_file(const fs::path& path,
                    std::string_view content,
                    unsigned mode = 0644,
                    bool durable = true);

// The names in directory `dir` (not "." and ".."), unsorted; empty if it
// does not exist. One readdir(3) pass without a path object per entry:
// a store's groups/ holds 20,000 names.
std::vector<std::string> names_in(const fs::path& dir);

// Replaces `path` with `content` so that a crash at any moment leaves either
// the old or the new file, never a torn one: write a temporary file in the
// same directory (O_EXCL|O_NOFOLLOW, so a planted symlink cannot redirect it),
// fsync it, rename it over `path`, fsync the directory. `mode` is the new
// file's permission bits.
void write_file_atomic(const fs::path& path,
                       std::string_view content,
                       unsigned mode = 0644);

// Many atomic replacements made durable together: every new file is written
// aside, then made durable (a few by an fsync(2) each, many by one
// syncfs(2)), then they are renamed into place and their directories
// synced. A crash leaves each file old or new, like write_file_atomic.
// syncfs for many: sync refreshing thousands of groups would otherwise
// spend minutes in fsync. fsync for a few: syncfs flushes every dirty page
// of the filesystem, other programs' too, and 50 administrators' one-group
// commands queued on the store lock would each wait for that.
class AtomicBatch {
public:
  explicit AtomicBatch(fs::path sync_root) : m_root(std::move(sync_root)) {}
  ~AtomicBatch();
  AtomicBatch(const AtomicBatch&) = delete;
  AtomicBatch& operator=(const AtomicBatch&) = delete;

  void write(const fs::path& path, std::string_view content,
             unsigned mode = 0644);
  void remove(const fs::path& path);
  // Takes on a file already written aside (and durable) as the new `path`.
  void adopt(const fs::path& aside, const fs::path& path) {
    m_renames.emplace_back(aside, path);
  }
  // prepare() makes every file written aside durable; apply()
  // renames them into place and removes what is to go. Between the two a
  // caller can record renames() and removals() in a journal, so that a
  // crash during apply() is rolled forward (see commit_journal.hpp).
  void prepare();
  void apply();
  void commit() {
    prepare();
    apply();
  }
  // Temporary -> final path of each file written aside.
  const std::vector<std::pair<fs::path, fs::path>>& renames() const {
    return m_renames;
  }
  const std::vector<fs::path>& removals() const { return m_removals; }

private:
  fs::path m_root;
  std::vector<std::pair<fs::path, fs::path>> m_renames; // temp -> final
  std::vector<fs::path> m_removals;
  std::size_t m_written = 0; // of m_renames, by write(): not durable yet
};

// Appends `content` to `path` (created if missing) with one write(2) and
// fsyncs it, so concurrent appenders under the store lock never interleave.
void append_file_durable(const fs::path& path, std::string_view content);

// Where an append of `length` bytes to `path` (created if missing) will go:
// its current size. The space is reserved (fallocate, keeping the size), so
// that once the caller has committed to the append, a full disk cannot cut
// it short; Error(io) if it cannot be reserved. `*ends_with_newline` is false
// when the file ends in a line cut short by an older crash.
std::uint64_t reserve_append(const fs::path& path,
                             std::size_t length,
                             bool* ends_with_newline);

// Writes `content` at `offset` of `path`, first cutting off whatever lies
// beyond `offset` (an earlier attempt cut short), and fsyncs it.
void write_at_durable(const fs::path& path,
                      std::uint64_t offset,
                      std::string_view content);

// Removes `path` and fsyncs its directory; a missing file is not an error.
void remove_file_durable(const fs::path& path);

// Creates `path` (one level) with `mode`, whatever the umask, if it is
// missing; an existing directory is left as it is.
void make_directory(const fs::path& path, unsigned mode = 0755);

// Writes `content` to a new file beside `path`, named `.NAME.tmp-RANDOM`
// (O_EXCL|O_NOFOLLOW, fsynced, `mode`), and returns its name: a work file
// no other process picks the same name for.
fs::path write_temporary(const fs::path& path,
                         std::string_view content,
                         unsigned mode = 0644);

// True if `name` is one write_temporary or write_file_atomic makes (the
// file left behind when a process dies before renaming it), or one a tool
// derives from it by appending (`.virtual.tmp-RANDOM.db`).
bool is_temporary_name(std::string_view name);

enum class LockMode {
  exclusive, // creates the lock file if it is missing
  shared,    // for readers; a missing lock file means nobody holds it
};

// A flock(2) on a lock file, held for the object's lifetime. Waits up to
// `timeout` for a conflicting holder, then throws Error(locked) naming
// `what` ("the store") as locked.
class FileLock {
public:
  FileLock(const fs::path& path, std::chrono::milliseconds timeout,
           std::string_view what = "the store",
           LockMode mode = LockMode::exclusive);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

private:
  int m_fd = -1;
};

} // namespace mailgroup
