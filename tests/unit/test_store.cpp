// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/store.hpp"
#include "core/util/error.hpp"
#include "core/util/fs.hpp"
#include "core/workflows/edits.hpp"

#include "tests/unit/scratch_store.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <unistd.h>

using namespace mailgroup;
using mailgroup::testing::make_store;
using mailgroup::testing::TempDir;

namespace {

const std::chrono::milliseconds k_wait{1000};
} // namespace

TEST_SUITE("store") {
  TEST_CASE("a transaction writes only what changed") {
    TempDir dir;
    auto store = make_store(dir);
    {
      Transaction t(store, k_wait);
      create_group(t.state(), "a@example.com", {}, {"x@example.com"}, "me",
                   false);
      create_group(t.state(), "b@example.com", {}, {}, "me", false);
      auto changes = t.commit(false);
      REQUIRE(changes.size() == 2);
      CHECK(changes[0].kind == FileChange::Kind::created);
    }
    auto before = fs::last_write_time(store.group_path("b@example.com"));
    {
      Transaction t(store, k_wait);
      add_members(t.state(), "a@example.com", {"y@example.com"});
      auto changes = t.commit(false);
      REQUIRE(changes.size() == 1);
      CHECK(changes[0].address == "a@example.com");
      CHECK(changes[0].kind == FileChange::Kind::modified);
    }
    CHECK(fs::last_write_time(store.group_path("b@example.com")) == before);
    auto snapshot = store.load();
    CHECK(snapshot.get("a@example.com").members ==
          std::vector<std::string>{"x@example.com", "y@example.com"});
  }

  TEST_CASE("dry run writes nothing; a cycle writes nothing") {
    TempDir dir;
    auto store = make_store(dir);
    {
      Transaction t(store, k_wait);
      create_group(t.state(), "a@example.com", {}, {}, "me", false);
      CHECK(t.commit(true).size() == 1);
    }
    CHECK(store.load().groups.empty());
    {
      Transaction t(store, k_wait);
      create_group(t.state(), "a@example.com", {}, {"b@example.com"}, "me",
                   false);
      create_group(t.state(), "b@example.com", {}, {"a@example.com"}, "me",
                   false);
      CHECK_THROWS_WITH(t.commit(false),
                        "nested groups form a cycle: a@example.com -> "
                        "b@example.com -> a@example.com");
    }
    CHECK(store.load().groups.empty());
  }

  TEST_CASE("the lock times out with Error(locked)") {
    TempDir dir;
    auto store = make_store(dir);
    FileLock held(store.root() / ".lock", k_wait);
    // flock locks belong to the open file description, so a second open in
    // this process conflicts just as another process would.
    try {
      FileLock second(store.root() / ".lock", std::chrono::milliseconds(50));
      FAIL("second lock succeeded");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::locked);
    }
  }

  TEST_CASE("atomic write refuses a planted symlink as its temp name and "
            "replaces the target whole") {
    TempDir dir;
    auto target = dir.path / "file";
    write_file_atomic(target, "one\n");
    write_file_atomic(target, "two\n");
    CHECK(read_file(target) == "two\n");
    CHECK(fs::status(target).permissions() ==
          (fs::perms::owner_read | fs::perms::owner_write |
           fs::perms::group_read | fs::perms::others_read));
  }

  TEST_CASE("no address names a path outside the store's folders") {
    Store store("/srv/store");
    CHECK(store.group_path("team@example.com") ==
          "/srv/store/groups/team@example.com.toml");
    for (std::string bad : std::vector<std::string>{"/tmp/x/evil@example.com", "a/b@example.com",
                            "../../etc/evil@example.com", "..", ".hidden@x.com",
                            "", std::string("a\0b@x.com", 9)}) {
      CAPTURE(bad);
      CHECK_THROWS_WITH_AS(store.group_path(bad),
                           doctest::Contains("a group address must be one "
                                             "plain name"),
                           Error);
      CHECK_THROWS_AS(store.resolved_path(bad), Error);
    }
  }

  TEST_CASE("a group file that is a symbolic link is refused, not read") {
    TempDir dir;
    auto store = make_store(dir);
    auto outside = dir.path / "outside.toml";
    write_file_atomic(outside, "address = \"x@example.com\"\n");
    fs::create_symlink(outside, store.groups_dir() / "x@example.com.toml");
    auto expected = (store.groups_dir() / "x@example.com.toml").string() +
                    ": is a symbolic link; a group file must be a regular "
                    "file in groups/ (replace the link with the file)";
    CHECK_THROWS_WITH(store.load(), expected.c_str());
    CHECK_THROWS_WITH(read_store_file_if_exists(store.groups_dir() /
                                                "x@example.com.toml"),
                      doctest::Contains("is a symbolic link"));
  }

  TEST_CASE("missing store") {
    TempDir dir;
    Store store(dir.path / "nothing");
    try {
      store.load();
      FAIL("loaded");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::no_input);
    }
  }

  TEST_CASE("delete refuses a group that is still a member") {
    TempDir dir;
    auto store = make_store(dir);
    Transaction t(store, k_wait);
    create_group(t.state(), "a@example.com", {}, {"b@example.com"}, "me",
                 false);
    create_group(t.state(), "b@example.com", {}, {}, "me", false);
    CHECK_THROWS_WITH(delete_groups(t.state(), {"b@example.com"}),
                      "b@example.com is a member of a@example.com; remove it "
                      "there first (mailgroup member remove a@example.com "
                      "b@example.com)");
    delete_groups(t.state(), {"a@example.com", "b@example.com"});
    CHECK(t.state().groups.empty());
  }
}
