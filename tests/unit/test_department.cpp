// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/util/error.hpp"
#include "core/util/fs.hpp"
#include "core/workflows/department.hpp"

#include "tests/unit/scratch_store.hpp"

#include <doctest/doctest.h>

using namespace mailgroup;
using mailgroup::testing::make_store;
using mailgroup::testing::TempDir;

namespace {

using Lines = std::vector<std::string>;

std::unique_ptr<Directory> directory(std::string text) {
  std::vector<std::string> warnings;
  DirectoryConfig config;
  auto loaded = load_directory(std::move(text), "d.csv", config, {}, warnings);
  REQUIRE(warnings.empty());
  return loaded;
}

const char* k_people = "email,department,status,level\n"
                       "a@example.com,Eng,active,3\n"
                       "b@example.com,Eng/Platform,active,5\n"
                       "c@example.com,Eng/Platform,left,5\n"
                       "d@example.com,Sales,active,1\n"
                       "team@example.com,Eng,active,1\n";

Group department_group(std::string address, std::string department,
                       bool subtree = false, std::string where = "") {
  Group group;
  group.address = std::move(address);
  group.administrators = {"boss@example.com"};
  group.dynamic.emplace();
  group.dynamic->department = std::move(department);
  group.dynamic->include_subdepartments = subtree;
  group.dynamic->where = std::move(where);
  return group;
}

Snapshot with(std::vector<Group> groups) {
  Snapshot snapshot;
  snapshot.config.domains = {"example.com"};
  for (auto& group : groups) {
    snapshot.groups.emplace(group.address, std::move(group));
  }
  return snapshot;
}

Snapshot engineering() {
  Group team;
  team.address = "team@example.com";
  team.administrators = {"boss@example.com"};
  return with({department_group("eng@example.com", "Eng", true),
               department_group("eng-only@example.com", "eng"),
               department_group("senior@example.com", "Eng", true,
                                "level >= 5"),
               department_group("lost@example.com", "Eng/Platfrom"), team});
}

Lines strings(const std::vector<std::string_view>& views) {
  return Lines(views.begin(), views.end());
}

// p1 in Big, s1 in Small, h1-h3 in Half, and Extra.
const char* k_after = "email,department,status\n"
                      "p1@example.com,Big,active\n"
                      "s1@example.com,Small,active\n"
                      "h1@example.com,Half,active\n"
                      "h2@example.com,Half,active\n"
                      "h3@example.com,Half,active\n"
                      "x@example.com,Extra,active\n";

// The resolved file sync wrote for `address` with `members`.
void resolved(const Store& store, const std::string& address,
              const Lines& members) {
  auto text = resolved_header(address);
  for (const auto& member : members) {
    text += member + "\n";
  }
  make_directory(store.resolved_dir());
  write_file_atomic(store.resolved_path(address), text);
}

// big@ had 4 members and keeps 1; small@ had 3 and keeps 1; half@ had 6
// and keeps 3; gone@'s department is not in the directory.
Snapshot shrinking(const Store& store) {
  resolved(store, "big@example.com",
           {"p1@example.com", "p2@example.com", "p3@example.com",
            "p4@example.com"});
  resolved(store, "small@example.com",
           {"s1@example.com", "s2@example.com", "s3@example.com"});
  resolved(store, "half@example.com",
           {"h1@example.com", "h2@example.com", "h3@example.com",
            "h4@example.com", "h5@example.com", "h6@example.com"});
  resolved(store, "gone@example.com", {"g1@example.com"});
  resolved(store, "extra@example.com", {"x@example.com"});
  return with({department_group("big@example.com", "Big"),
               department_group("small@example.com", "Small"),
               department_group("half@example.com", "Half"),
               department_group("gone@example.com", "Gone"),
               department_group("extra@example.com", "Extra")});
}

const std::string k_big_held =
    "big@example.com held back, keeping its last members: it would lose 3 of "
    "its 4 members (75%, more than the 50% allowed). Check the directory, or "
    "run again with --force to apply";
const std::string k_gone_held =
    "gone@example.com held back, keeping its last members: department "
    "\"Gone\" is not in the directory. Fix the directory, or the group with "
    "'mailgroup set gone@example.com --department PATH'";

} // namespace

TEST_SUITE("department") {
  TEST_CASE("active people of the department (or its subtree) who satisfy "
            "the rule; never a group") {
    auto people = directory(k_people);
    Lines warnings;
    auto members = resolve_groups(engineering(), *people, {}, warnings);
    CHECK(members == std::map<std::string, Lines>{
                         {"eng@example.com", {"a@example.com", "b@example.com"}},
                         {"eng-only@example.com", {"a@example.com"}},
                         {"lost@example.com", {}},
                         {"senior@example.com", {"b@example.com"}}});
    CHECK(warnings ==
          Lines{"d.csv:6: team@example.com is a group, not a person; left out "
                "of every department group (nest it as a static member "
                "instead)",
                "lost@example.com: department \"Eng/Platfrom\" is not in the "
                "directory; did you mean \"Eng/Platform\"?"});
  }

  TEST_CASE("only the groups asked for are evaluated") {
    auto people = directory(k_people);
    Lines warnings;
    auto members =
        resolve_groups(engineering(), *people, {"senior@example.com"}, warnings);
    CHECK(members == std::map<std::string, Lines>{
                         {"senior@example.com", {"b@example.com"}}});
  }

  TEST_CASE("a rule and a department are checked against the directory") {
    auto people = directory(k_people);
    CHECK_NOTHROW(validate_rule(department_group("x@example.com", "Eng", true,
                                                 "level >= 3"),
                                *people));
    CHECK_THROWS_WITH_AS(
        validate_rule(department_group("x@example.com", "Eng/Platfrom"),
                      *people),
        "department \"Eng/Platfrom\" is not in the directory d.csv; did you "
        "mean \"Eng/Platform\"?",
        Error);
    CHECK_THROWS_WITH_AS(
        validate_rule(department_group("x@example.com", "Eng", false,
                                       "levle >= 3"),
                      *people),
        doctest::Contains("levle"), Error);
  }

  TEST_CASE("explain: each step of the decision") {
    auto people = directory(k_people);
    auto group = department_group("senior@example.com", "Eng", true,
                                  "level >= 5");
    auto yes = explain(group, *people, "b@example.com");
    CHECK(yes.member);
    CHECK(yes.lines ==
          Lines{"b@example.com is a member of senior@example.com",
                "directory: d.csv:3",
                "department: \"Eng/Platform\" is in or under \"Eng\": yes",
                "active: yes", "rule: yes", "  level >= 5 -> true (level = \"5\")",
                "excluded: no", "static member: no"});
    auto left = explain(group, *people, "c@example.com");
    CHECK_FALSE(left.member);
    CHECK(left.lines[3] == "active: no");
    group.dynamic->exclude = {"b@example.com"};
    auto excluded = explain(group, *people, "b@example.com");
    CHECK_FALSE(excluded.member);
    CHECK(excluded.lines[6] == "excluded: yes");
    auto stranger = explain(group, *people, "z@example.com");
    CHECK_FALSE(stranger.member);
    CHECK(stranger.lines ==
          Lines{"z@example.com is not a member of senior@example.com",
                "directory: z@example.com is not in d.csv", "excluded: no",
                "static member: no"});
  }

  TEST_CASE("sync holds back a group that would lose more than the share "
            "allowed, and a group whose department is gone") {
    TempDir dir;
    auto store = make_store(dir);
    auto snapshot = shrinking(store);
    auto people = directory(k_after);
    Lines warnings;
    auto plan = plan_sync(store, snapshot, *people, false, warnings);
    CHECK(warnings.empty());
    REQUIRE(plan.held.size() == 2);
    CHECK(plan.held[0].group == "big@example.com");
    CHECK(plan.held[0].reason == k_big_held);
    CHECK(plan.held[1].group == "gone@example.com");
    CHECK(plan.held[1].reason == k_gone_held);
    // small@ loses 2 of 3 (fewer than removal_threshold), half@ 3 of 6 (not
    // more than half): both go ahead. extra@ is unchanged.
    REQUIRE(plan.changes.size() == 2);
    CHECK(plan.changes[0].group == "half@example.com");
    CHECK(plan.changes[0].joined.empty());
    CHECK(strings(plan.changes[0].left) ==
          Lines{"h4@example.com", "h5@example.com", "h6@example.com"});
    CHECK(plan.changes[1].group == "small@example.com");
    CHECK(strings(plan.changes[1].left) ==
          Lines{"s2@example.com", "s3@example.com"});
    CHECK(plan.texts == std::map<std::string, std::string>{
                            {"half@example.com",
                             resolved_header("half@example.com") +
                                 "h1@example.com\nh2@example.com\n"
                                 "h3@example.com\n"},
                            {"small@example.com",
                             resolved_header("small@example.com") +
                                 "s1@example.com\n"}});
  }

  TEST_CASE("--force applies what the share would hold back, never a "
            "missing department") {
    TempDir dir;
    auto store = make_store(dir);
    auto snapshot = shrinking(store);
    auto people = directory(k_after);
    Lines warnings;
    auto plan = plan_sync(store, snapshot, *people, true, warnings);
    REQUIRE(plan.held.size() == 1);
    CHECK(plan.held[0].reason == k_gone_held);
    REQUIRE(plan.changes.size() == 3);
    CHECK(plan.changes[0].group == "big@example.com");
    CHECK(strings(plan.changes[0].left) ==
          Lines{"p2@example.com", "p3@example.com", "p4@example.com"});
  }

  TEST_CASE("the share and the threshold come from the store's settings") {
    TempDir dir;
    auto store = make_store(dir);
    auto snapshot = shrinking(store);
    snapshot.config.max_removal_share = 0.4;
    snapshot.config.removal_threshold = 2;
    auto people = directory(k_after);
    Lines warnings;
    auto plan = plan_sync(store, snapshot, *people, false, warnings);
    Lines held;
    for (const auto& group : plan.held) {
      held.push_back(group.group);
    }
    CHECK(held == Lines{"big@example.com", "gone@example.com",
                        "half@example.com", "small@example.com"});
    CHECK(plan.held[3].reason ==
          "small@example.com held back, keeping its last members: it would "
          "lose 2 of its 3 members (67%, more than the 40% allowed). Check "
          "the directory, or run again with --force to apply");
    CHECK(plan.changes.empty());
    CHECK(plan.texts.empty());
  }

  TEST_CASE("a first sync joins everyone; an unchanged one plans nothing") {
    TempDir dir;
    auto store = make_store(dir);
    auto snapshot = with({department_group("eng@example.com", "Eng", true)});
    auto people = directory(k_people);
    Lines warnings;
    auto plan = plan_sync(store, snapshot, *people, false, warnings);
    REQUIRE(plan.changes.size() == 1);
    // team@ is no group of this store: a person like any other.
    CHECK(strings(plan.changes[0].joined) ==
          Lines{"a@example.com", "b@example.com", "team@example.com"});
    resolved(store, "eng@example.com",
             {"a@example.com", "b@example.com", "team@example.com"});
    auto again = plan_sync(store, snapshot, *people, false, warnings);
    CHECK(again.changes.empty());
    CHECK(again.texts.empty());
    CHECK(again.held.empty());
  }

  TEST_CASE("the directory file: given, from the settings, or neither") {
    TempDir dir;
    auto store = make_store(dir);
    StoreConfig config;
    Lines warnings;
    CHECK_THROWS_WITH_AS(open_directory(store.root(), config, "", false, warnings),
                         "no employee directory: give --directory FILE or set "
                         "[directory] path in mailgroup.toml",
                         Error);
    config.directory.path = "people.csv";
    auto missing = (store.root() / "people.csv").string();
    CHECK_THROWS_WITH_AS(open_directory(store.root(), config, "", false, warnings),
                         ("cannot read the employee directory " + missing +
                          ": no such file")
                             .c_str(),
                         Error);
    write_file_atomic(store.root() / "people.csv", k_people);
    CHECK(open_directory(store.root(), config, "", false, warnings)->size() == 5);
    write_file_atomic(dir.path / "other.csv",
                      "email,department,status\nz@example.com,Eng,active\n");
    CHECK(open_directory(store.root(), config, (dir.path / "other.csv").string(),
                         false, warnings)
              ->size() == 1);
  }
}
