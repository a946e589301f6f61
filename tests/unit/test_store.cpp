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

  TEST_CASE("a transaction waits for the store lock, then gives up") {
    TempDir dir;
    auto store = make_store(dir);
    FileLock held(store.root() / ".lock", k_wait);
    auto expected = "the store is locked by another mailgroup process (" +
                    (store.root() / ".lock").string() +
                    "); gave up after 0.05 s (raise it with --wait SECONDS)";
    CHECK_THROWS_WITH_AS(Transaction(store, std::chrono::milliseconds(50)),
                         expected.c_str(), Error);
  }

  TEST_CASE("a transaction after unlock() cannot commit") {
    TempDir dir;
    auto store = make_store(dir);
    Transaction t(store, k_wait);
    create_group(t.state(), "a@example.com", {}, {}, "me", false);
    t.unlock();
    CHECK_THROWS_WITH_AS(t.commit(false),
                         "a transaction committed after unlock()", Error);
    CHECK(store.load().groups.empty());
  }

  TEST_CASE("a change log that is a symbolic link stops the commit") {
    TempDir dir;
    auto store = make_store(dir);
    auto outside = dir.path / "outside";
    write_file_atomic(outside, "secret\n");
    fs::create_symlink(outside, store.log_path());
    {
      Transaction t(store, k_wait, {"create", "me@example.com"});
      create_group(t.state(), "a@example.com", {}, {}, "me", false);
      auto expected = "cannot open " + store.log_path().string() +
                      ": Too many levels of symbolic links";
      CHECK_THROWS_WITH_AS(t.commit(false), expected.c_str(), Error);
    }
    CHECK(read_file(outside) == "secret\n");
    CHECK(store.load().groups.empty());
    CHECK_FALSE(fs::exists(store.root() / ".commit"));
    CHECK(fs::is_empty(store.groups_dir()));
  }

  TEST_CASE("a group in no domain of the store is refused where it says so") {
    TempDir dir;
    auto store = make_store(dir);
    auto path = store.groups_dir() / "a@example.org.toml";
    write_file_atomic(path, "administrators = [\"boss@example.com\"]\n"
                            "address = \"a@example.org\"\n");
    CHECK_THROWS_WITH_AS(
        store.load(),
        (path.string() + ":2:11: group \"a@example.org\" is not in a domain "
                         "of this store (example.com); add the domain to "
                         "mailgroup.toml or fix the address")
            .c_str(),
        Error);
  }

  TEST_CASE("a group file must be named after its address") {
    TempDir dir;
    auto store = make_store(dir);
    auto path = store.groups_dir() / "b@example.com.toml";
    write_file_atomic(path, "address = \"a@example.com\"\n"
                            "administrators = [\"boss@example.com\"]\n");
    CHECK_THROWS_WITH_AS(
        store.load(),
        (path.string() + ":1:1: file name does not match its address "
                         "\"a@example.com\"; rename it to a@example.com.toml")
            .c_str(),
        Error);
  }

  TEST_CASE("a group file of more than 16 MiB is not parsed") {
    TempDir dir;
    auto store = make_store(dir);
    auto path = store.groups_dir() / "a@example.com.toml";
    std::string text = "address = \"a@example.com\"\n"
                       "administrators = [\"boss@example.com\"]\n";
    text += "# " + std::string((16u << 20) - text.size() - 3, 'x') + "\n";
    write_file_atomic(path, text);
    CHECK(store.load().groups.size() == 1); // 16 MiB exactly
    text += "#\n";
    write_file_atomic(path, text);
    CHECK_THROWS_WITH_AS(store.load(),
                         (path.string() + ": larger than 16 MiB; a group "
                                          "file is never that big")
                             .c_str(),
                         Error);
  }

  TEST_CASE("a leave request for a group that is gone is dropped") {
    TempDir dir;
    auto store = make_store(dir);
    write_file_atomic(store.groups_dir() / "a@example.com.toml",
                      "address = \"a@example.com\"\n"
                      "administrators = [\"boss@example.com\"]\n");
    write_file_atomic(store.requests_path(),
                      "next_id = 3\n"
                      "[[request]]\nid = 1\ngroup = \"a@example.com\"\n"
                      "member = \"m@example.com\"\n"
                      "requested_by = \"m@example.com\"\n"
                      "[[request]]\nid = 2\ngroup = \"gone@example.com\"\n"
                      "member = \"m@example.com\"\n"
                      "requested_by = \"m@example.com\"\n");
    auto snapshot = store.load();
    REQUIRE(snapshot.requests.pending.size() == 1);
    CHECK(snapshot.requests.pending[0].id == 1);
    CHECK(snapshot.requests.next_id == 3);
  }

  TEST_CASE("a hand-edited resolved file is checked line by line") {
    TempDir dir;
    auto store = make_store(dir);
    write_file_atomic(store.groups_dir() / "eng@example.com.toml",
                      "address = \"eng@example.com\"\n"
                      "administrators = [\"boss@example.com\"]\n"
                      "[dynamic]\ndepartment = \"Eng\"\n");
    make_directory(store.resolved_dir());
    auto path = store.resolved_path("eng@example.com");
    write_file_atomic(path, resolved_header("eng@example.com") +
                                "a@example.com\nB@example.com\nnot one\n");
    CHECK_THROWS_WITH_AS(
        store.load(),
        (path.string() + ":4:1: \"B@example.com\" is not in lower case\n" +
         path.string() + ":5:1: invalid address \"not one\": contains "
                         "whitespace")
            .c_str(),
        Error);
    write_file_atomic(path, resolved_header("eng@example.com") +
                                "a@example.com\n");
    CHECK(store.load().get("eng@example.com").effective_members() ==
          std::vector<std::string>{"a@example.com"});
  }

  TEST_CASE("the next transaction removes what a killed writer left") {
    TempDir dir;
    auto store = make_store(dir);
    auto left = store.groups_dir() / ".a@example.com.toml.tmp-0123456789abcdef";
    write_file_atomic(left, "half");
    REQUIRE(store.leftovers().size() == 1);
    { Transaction t(store, k_wait); }
    CHECK_FALSE(fs::exists(left));
    CHECK(store.leftovers().empty());
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
