// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/util/error.hpp"
#include "core/util/fs.hpp"

#include "tests/unit/scratch_store.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>

using namespace mailgroup;
using mailgroup::testing::TempDir;

namespace {

const std::chrono::milliseconds k_short{20};

// Sets the umask for one test and puts the old one back.
struct Umask {
  mode_t old;
  explicit Umask(mode_t mask) : old(::umask(mask)) {}
  ~Umask() { ::umask(old); }
};

fs::perms permissions(const fs::path& path) {
  return fs::symlink_status(path).permissions();
}

constexpr auto k_0644 = fs::perms::owner_read | fs::perms::owner_write |
                        fs::perms::group_read | fs::perms::others_read;

// What an error says, for the checks that compare it whole.
template <typename F> std::string error_of(F&& f, ErrorKind expected) {
  try {
    f();
  } catch (const Error& e) {
    CHECK(e.kind() == expected);
    return e.what();
  }
  FAIL("no error");
  return {};
}

const std::string k_loop = ": Too many levels of symbolic links";

} // namespace

TEST_SUITE("fs") {
  TEST_CASE("a new file is never written through a planted symbolic link") {
    TempDir dir;
    auto outside = dir.path / "outside";
    write_file_atomic(outside, "secret\n");
    auto link = dir.path / "new";
    fs::create_symlink(outside, link);
    CHECK(error_of([&] { write_new_file(link, "planted\n"); },
                   ErrorKind::cant_create) ==
          "cannot create " + link.string() + ": File exists");
    CHECK(read_file(outside) == "secret\n");

    // A dangling link would make the file where it points.
    auto nowhere = dir.path / "nowhere";
    fs::remove(link);
    fs::create_symlink(nowhere, link);
    CHECK_THROWS_AS(write_new_file(link, "planted\n"), Error);
    CHECK_FALSE(fs::exists(fs::symlink_status(nowhere)));
    CHECK(fs::is_symlink(link));
  }

  TEST_CASE("a new file never replaces an existing one") {
    TempDir dir;
    auto path = dir.path / "file";
    write_new_file(path, "first\n");
    CHECK(error_of([&] { write_new_file(path, "second\n"); },
                   ErrorKind::cant_create) ==
          "cannot create " + path.string() + ": File exists");
    CHECK(read_file(path) == "first\n");
  }

  TEST_CASE("an atomic write replaces a link at its target, not the file it "
            "points to") {
    TempDir dir;
    auto outside = dir.path / "outside";
    write_file_atomic(outside, "secret\n");
    auto target = dir.path / "file";
    fs::create_symlink(outside, target);
    write_file_atomic(target, "new\n");
    CHECK_FALSE(fs::is_symlink(target));
    CHECK(read_file(target) == "new\n");
    CHECK(read_file(outside) == "secret\n");
    // The temporary file is gone once renamed.
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir.path)) {
      ++entries;
    }
    CHECK(entries == 2);
  }

  TEST_CASE("files and folders get the mode asked for, whatever the umask") {
    TempDir dir;
    Umask mask(077);
    write_file_atomic(dir.path / "file", "x\n");
    CHECK(permissions(dir.path / "file") == k_0644);
    write_file_atomic(dir.path / "private", "x\n", 0600);
    CHECK(permissions(dir.path / "private") ==
          (fs::perms::owner_read | fs::perms::owner_write));
    make_directory(dir.path / "folder", 0755);
    CHECK(permissions(dir.path / "folder") ==
          (k_0644 | fs::perms::owner_exec | fs::perms::group_exec |
           fs::perms::others_exec));
    // An existing folder keeps the mode its owner gave it.
    fs::permissions(dir.path / "folder", fs::perms::owner_all);
    make_directory(dir.path / "folder", 0755);
    CHECK(permissions(dir.path / "folder") == fs::perms::owner_all);
  }

  TEST_CASE("the store's files are read, appended and rewritten only as "
            "regular files") {
    TempDir dir;
    auto outside = dir.path / "outside";
    write_file_atomic(outside, "secret\n");
    auto link = dir.path / "log.jsonl";
    fs::create_symlink(outside, link);

    CHECK(error_of([&] { read_store_file_if_exists(link); }, ErrorKind::data) ==
          link.string() +
              ": is a symbolic link; the store's files must be regular files "
              "(replace the link with the file it points to)");
    CHECK(read_file_if_exists(link) == "secret\n"); // not a store file
    CHECK(error_of([&] { append_file_durable(link, "x\n"); },
                   ErrorKind::cant_create) ==
          "cannot open " + link.string() + k_loop);
    bool ends_with_newline = false;
    CHECK(error_of([&] { reserve_append(link, 2, &ends_with_newline); },
                   ErrorKind::cant_create) ==
          "cannot open " + link.string() + k_loop);
    CHECK(error_of([&] { write_at_durable(link, 0, "x\n"); },
                   ErrorKind::cant_create) ==
          "cannot open " + link.string() + k_loop);
    CHECK(read_file(outside) == "secret\n");
  }

  TEST_CASE("appends land at the end; a cut-short line is noticed") {
    TempDir dir;
    auto log = dir.path / "log";
    append_file_durable(log, "one\n");
    append_file_durable(log, "two\n");
    CHECK(read_file(log) == "one\ntwo\n");
    bool ends_with_newline = false;
    CHECK(reserve_append(log, 10, &ends_with_newline) == 8);
    CHECK(ends_with_newline);
    write_at_durable(log, 8, "thr");
    CHECK(reserve_append(log, 10, &ends_with_newline) == 11);
    CHECK_FALSE(ends_with_newline);
    // A second attempt cuts off what the first one left.
    write_at_durable(log, 8, "three\n");
    CHECK(read_file(log) == "one\ntwo\nthree\n");
  }

  TEST_CASE("a lock file that is a symbolic link is refused") {
    TempDir dir;
    auto nowhere = dir.path / "nowhere";
    auto link = dir.path / ".lock";
    fs::create_symlink(nowhere, link);
    CHECK(error_of([&] { FileLock lock(link, k_short); }, ErrorKind::io) ==
          "cannot open lock file " + link.string() + k_loop);
    // Followed, the link would have created the file it points to.
    CHECK_FALSE(fs::exists(fs::symlink_status(nowhere)));
    write_file_atomic(nowhere, "");
    CHECK(error_of([&] { FileLock lock(link, k_short, "x", LockMode::shared); },
                   ErrorKind::io) ==
          "cannot open lock file " + link.string() + k_loop);
  }

  TEST_CASE("readers share the lock; a writer waits for them") {
    TempDir dir;
    auto path = dir.path / ".lock";
    // Nobody ever took it: a reader neither waits nor creates the file.
    {
      FileLock reader(path, k_short, "the store", LockMode::shared);
    }
    CHECK_FALSE(fs::exists(path));
    FileLock writer(path, k_short);
    CHECK(error_of(
              [&] {
                FileLock reader(path, k_short, "the store", LockMode::shared);
              },
              ErrorKind::locked) ==
          "the store is locked by another mailgroup process (" +
              path.string() +
              "); gave up after 0.02 s (raise it with --wait SECONDS)");
  }

  TEST_CASE("two readers at once; a writer times out while one reads") {
    TempDir dir;
    auto path = dir.path / ".lock";
    write_file_atomic(path, "");
    FileLock first(path, k_short, "the output", LockMode::shared);
    FileLock second(path, k_short, "the output", LockMode::shared);
    CHECK_THROWS_WITH_AS(FileLock(path, k_short, "the output"),
                         doctest::Contains("the output is locked"), Error);
  }

  TEST_CASE("only names write_temporary makes count as temporary") {
    CHECK(is_temporary_name(".virtual.tmp-0123456789abcdef"));
    CHECK(is_temporary_name(".virtual.tmp-0123456789abcdef.db"));
    CHECK(is_temporary_name(".a.tmp-b.tmp-0123456789abcdef"));
    CHECK_FALSE(is_temporary_name("virtual.tmp-0123456789abcdef"));
    CHECK_FALSE(is_temporary_name(".tmp-0123456789abcdef"));
    CHECK_FALSE(is_temporary_name(".virtual.tmp-0123456789abcde"));
    CHECK_FALSE(is_temporary_name(".virtual.tmp-0123456789ABCDEF"));
    CHECK_FALSE(is_temporary_name(".virtual.tmp-0123456789abcdefx"));
    CHECK_FALSE(is_temporary_name(".virtual.tmp-"));
  }

  TEST_CASE("a temporary file sits beside its target under a name of that "
            "shape") {
    TempDir dir;
    auto aside = write_temporary(dir.path / "virtual", "x\n", 0600);
    CHECK(aside.parent_path() == dir.path);
    CHECK(is_temporary_name(aside.filename().string()));
    CHECK(aside.filename().string().starts_with(".virtual.tmp-"));
    CHECK(read_file(aside) == "x\n");
    CHECK(permissions(aside) ==
          (fs::perms::owner_read | fs::perms::owner_write));
  }
}
