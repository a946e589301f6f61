// SPDX-License-Identifier: GPL-3.0-or-later
// Snapshots loaded on demand read only the groups a command looks up; what
// they skip must never weaken a check of the whole store.
#include "core/store/store.hpp"
#include "core/util/error.hpp"
#include "core/util/fs.hpp"
#include "core/workflows/groups.hpp"

#include "tests/unit/scratch_store.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace mailgroup;
using mailgroup::testing::make_store;
using mailgroup::testing::TempDir;

namespace {

const std::chrono::milliseconds k_wait{1000};

void create(const Store& store,
            const std::string& address,
            const std::vector<std::string>& members,
            const GroupSettings& settings = {}) {
  Transaction t(store, k_wait);
  create_group(t.state(), address, settings, members, "me", false);
  t.commit(false);
}

Transaction on_demand(const Store& store) {
  return Transaction(store, k_wait, {}, true, Loading::on_demand);
}

// Every file of groups/ and resolved/, to see that a refusal wrote nothing.
std::string files_of(const Store& store) {
  std::string all;
  for (const auto& dir : {store.groups_dir(), store.resolved_dir()}) {
    std::error_code ec;
    std::vector<fs::path> paths;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      paths.push_back(entry.path());
    }
    std::sort(paths.begin(), paths.end());
    for (const auto& path : paths) {
      all += path.string() + "\n" + read_file(path);
    }
  }
  return all;
}

} // namespace

TEST_SUITE("store on demand") {
  TEST_CASE("a cycle closed through groups the command did not load") {
    TempDir dir;
    auto store = make_store(dir);
    create(store, "a@example.com", {"b@example.com"});
    create(store, "b@example.com", {"c@example.com"});
    create(store, "c@example.com", {"person@example.com"});
    auto before = files_of(store);
    auto t = on_demand(store);
    add_members(t.state(), "c@example.com", {"a@example.com"});
    // Named as a load of the whole store names it.
    CHECK_THROWS_WITH(t.commit(false),
                      "nested groups form a cycle: a@example.com -> "
                      "b@example.com -> c@example.com -> a@example.com");
    CHECK(files_of(store) == before);
  }

  TEST_CASE("a cycle through a sub-address of a group not loaded") {
    TempDir dir;
    auto store = make_store(dir);
    create(store, "team@example.com", {"x@example.com"});
    create(store, "a@example.com", {"team+news@example.com"});
    auto t = on_demand(store);
    add_members(t.state(), "team@example.com", {"a@example.com"});
    CHECK_THROWS_WITH(t.commit(false),
                      "nested groups form a cycle: a@example.com -> "
                      "team@example.com -> a@example.com");
  }

  TEST_CASE("a cycle through the resolved members of a group not loaded") {
    TempDir dir;
    auto store = make_store(dir);
    GroupSettings sales;
    sales.department = "Sales";
    create(store, "sal@example.com", {}, sales);
    create(store, "all@example.com", {"x@example.com"});
    // As a hand edit would leave it.
    make_directory(store.resolved_dir());
    write_file_atomic(store.resolved_path("sal@example.com"),
                      resolved_header("sal@example.com") +
                          "all@example.com\n");
    auto t = on_demand(store);
    add_members(t.state(), "all@example.com", {"sal@example.com"});
    CHECK_THROWS_WITH(t.commit(false),
                      "nested groups form a cycle: all@example.com -> "
                      "sal@example.com -> all@example.com");
  }

  TEST_CASE("an exclude taken away closes a cycle through a resolved member") {
    TempDir dir;
    auto store = make_store(dir);
    GroupSettings sales;
    sales.department = "Sales";
    sales.exclude_add = {"all@example.com"};
    create(store, "sal@example.com", {}, sales);
    create(store, "all@example.com", {"sal@example.com"});
    make_directory(store.resolved_dir());
    write_file_atomic(store.resolved_path("sal@example.com"),
                      resolved_header("sal@example.com") +
                          "all@example.com\n");
    auto t = on_demand(store);
    GroupSettings include;
    include.exclude_remove = {"all@example.com"};
    change_group(t.state(), "sal@example.com", include);
    CHECK_THROWS_WITH(t.commit(false),
                      "nested groups form a cycle: all@example.com -> "
                      "sal@example.com -> all@example.com");
  }

  TEST_CASE("a new group closes a cycle through a member it did not load") {
    TempDir dir;
    auto store = make_store(dir);
    create(store, "a@example.com", {"z@example.com"});
    auto t = on_demand(store);
    create_group(t.state(), "z@example.com", {}, {"a@example.com"}, "me",
                 false);
    CHECK_THROWS_WITH(t.commit(false),
                      "nested groups form a cycle: a@example.com -> "
                      "z@example.com -> a@example.com");
    CHECK_FALSE(fs::exists(store.group_path("z@example.com")));
  }

  TEST_CASE("reads only the groups it looks up, and reports those") {
    TempDir dir;
    auto store = make_store(dir);
    create(store, "a@example.com", {"x@example.com"});
    create(store, "b@example.com", {"y@example.com"});
    write_file_atomic(store.group_path("b@example.com"), "address = 1\n");
    {
      auto t = on_demand(store);
      add_members(t.state(), "a@example.com", {"w@example.com"});
      CHECK(t.commit(false).size() == 1);
    }
    CHECK_THROWS_AS(store.load(), Error);
    auto t = on_demand(store);
    CHECK_THROWS_WITH(
        add_members(t.state(), "b@example.com", {"w@example.com"}),
        doctest::Contains("b@example.com.toml:1:"));
  }

  TEST_CASE("a group deleted, or never there, is no group") {
    TempDir dir;
    auto store = make_store(dir);
    create(store, "a@example.com", {"b@example.com"});
    create(store, "b@example.com", {"y@example.com"});
    fs::remove(store.group_path("b@example.com")); // by hand, or by git
    auto snapshot = store.load_on_demand();
    CHECK(snapshot.is_group("a@example.com"));
    CHECK_FALSE(snapshot.is_group("b@example.com"));
    CHECK(snapshot.find("b@example.com") == nullptr);
    CHECK_THROWS_WITH(snapshot.get("b@example.com"),
                      "no group \"b@example.com\"; did you mean "
                      "\"a@example.com\"?");
    auto t = on_demand(store);
    add_members(t.state(), "a@example.com", {"c@example.com"});
    auto changes = t.commit(false);
    REQUIRE(changes.size() == 1);
    CHECK(changes[0].kind == FileChange::Kind::modified);
    CHECK(store.load().get("a@example.com").members ==
          std::vector<std::string>{"b@example.com", "c@example.com"});
  }

  TEST_CASE("writes the same files as a transaction over everything") {
    TempDir one_dir;
    TempDir other_dir;
    auto one = make_store(one_dir);
    auto other = make_store(other_dir);
    for (const auto* store : {&one, &other}) {
      create(*store, "a@example.com", {"x@example.com"});
      create(*store, "b@example.com", {"a@example.com"});
    }
    {
      Transaction t(one, k_wait);
      add_members(t.state(), "b@example.com", {"z@example.com"});
      t.commit(false);
    }
    {
      auto t = on_demand(other);
      add_members(t.state(), "b@example.com", {"z@example.com"});
      t.commit(false);
    }
    // (The files differ in their creation time only.)
    CHECK(one.load().get("b@example.com").members ==
          other.load().get("b@example.com").members);
    CHECK(one.load().get("a@example.com").members ==
          other.load().get("a@example.com").members);
  }
}
