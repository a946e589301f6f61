// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/commit_journal.hpp"
#include "core/store/store.hpp"
#include "core/util/error.hpp"
#include "core/util/fs.hpp"

#include "tests/unit/scratch_store.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <unistd.h>

using namespace mailgroup;
using mailgroup::testing::make_store;
using mailgroup::testing::TempDir;

namespace {

const std::string k_group = "address = \"g@example.com\"\n"
                            "administrators = [\"boss@example.com\"]\n"
                            "members = [\"a@example.com\"]\n";
const std::string k_new_group = "address = \"g@example.com\"\n"
                                "administrators = [\"boss@example.com\"]\n"
                                "members = [\"a@example.com\", "
                                "\"b@example.com\"]\n";
const std::chrono::milliseconds k_wait{1000};
} // namespace

TEST_SUITE("commit_journal") {
  TEST_CASE("a journal reads back as written") {
    CommitJournal journal{{{"groups/.g.toml.tmp-1", "groups/g.toml"}},
                          {"resolved/x.members"},
                          42,
                          "{\"a\": 1}\n"};
    CHECK(parse_journal(format_journal(journal), "j") == journal);
  }

  TEST_CASE("a journal naming a path outside the store is not obeyed") {
    for (std::string bad : {"/etc/passwd", "../outside", "groups/../../x"}) {
      CAPTURE(bad);
      auto text = "{\"renames\": [[\"groups/.a.tmp-1\", \"" + bad +
                  "\"]], \"removals\": [], \"log_offset\": 0, \"log\": \"\"}";
      CHECK_THROWS_WITH_AS(parse_journal(text, "store/.commit"),
                           doctest::Contains("is not inside the store"),
                           Error);
    }
    CHECK_THROWS_WITH_AS(parse_journal("{}", "store/.commit"),
                         doctest::Contains("store/.commit: not a commit "
                                           "journal"),
                         Error);
  }

  TEST_CASE("the next writer rolls an interrupted commit forward, once") {
    TempDir dir;
    auto store = make_store(dir);
    write_file_atomic(store.groups_dir() / "g@example.com.toml", k_group);
    write_file_atomic(store.log_path(), "{\"old\": 1}\n");
    // A crash after the journal and the group file's rename was not done,
    // and the log append was cut short.
    auto aside = store.groups_dir() / ".g@example.com.toml.tmp-1";
    write_file_atomic(aside, k_new_group);
    CommitJournal journal{
        {{"groups/.g@example.com.toml.tmp-1", "groups/g@example.com.toml"}},
        {},
        11,
        "{\"new\": 2}\n"};
    write_file_atomic(journal_path(store.root()), format_journal(journal));
    write_at_durable(store.log_path(), 11, "{\"ne");
    CHECK(store.leftovers().size() == 3); // journal, temp file, torn line

    Transaction t(store, k_wait);
    CHECK(read_file(store.groups_dir() / "g@example.com.toml") ==
          k_new_group);
    CHECK(read_file(store.log_path()) == "{\"old\": 1}\n{\"new\": 2}\n");
    CHECK_FALSE(fs::exists(journal_path(store.root())));
    CHECK_FALSE(fs::exists(aside));
    CHECK(t.state().get("g@example.com").members.size() == 2);

    // Done again (a crash during recovery), nothing changes twice.
    write_file_atomic(journal_path(store.root()), format_journal(journal));
    CHECK(recover_commit(store.root(), store.log_path()));
    CHECK(read_file(store.log_path()) == "{\"old\": 1}\n{\"new\": 2}\n");
    CHECK(read_file(store.groups_dir() / "g@example.com.toml") ==
          k_new_group);
    CHECK_FALSE(recover_commit(store.root(), store.log_path()));
  }

  TEST_CASE("recovery keeps log lines added since the crash") {
    TempDir dir;
    auto store = make_store(dir);
    write_file_atomic(store.groups_dir() / "g@example.com.toml", k_group);
    write_file_atomic(store.log_path(), "{\"old\": 1}\n");
    CommitJournal journal{{}, {}, 11, "{\"new\": 2}\n"};
    // A git pull brought a line after the crash; then the next write.
    write_at_durable(store.log_path(), 11, "{\"pulled\": 3}\n");
    write_file_atomic(journal_path(store.root()), format_journal(journal));
    { Transaction t(store, k_wait); }
    CHECK(read_file(store.log_path()) ==
          "{\"old\": 1}\n{\"pulled\": 3}\n{\"new\": 2}\n");

    // An offset past the end (a forged or stale journal) makes no hole.
    write_file_atomic(journal_path(store.root()),
                      format_journal({{}, {}, 3000000000, "{\"x\": 4}\n"}));
    { Transaction t(store, k_wait); }
    CHECK(read_file(store.log_path()) ==
          "{\"old\": 1}\n{\"pulled\": 3}\n{\"new\": 2}\n{\"x\": 4}\n");
  }

  TEST_CASE("a commit writes its files and its log entry, and no journal") {
    TempDir dir;
    auto store = make_store(dir);
    write_file_atomic(store.groups_dir() / "g@example.com.toml", k_group);
    {
      Transaction t(store, k_wait, {"member add", "tester"});
      t.state().get("g@example.com").members.push_back("b@example.com");
      t.commit(false);
    }
    CHECK(store.load().get("g@example.com").members ==
          std::vector<std::string>{"a@example.com", "b@example.com"});
    auto log = read_file(store.log_path());
    CHECK(log.find("\"command\":\"member add\"") != std::string::npos);
    CHECK(log.find("\"group\":\"g@example.com\"") != std::string::npos);
    CHECK(std::count(log.begin(), log.end(), '\n') == 1);
    CHECK_FALSE(fs::exists(journal_path(store.root())));
    CHECK(store.leftovers().empty());
  }

  TEST_CASE("temporary files of killed writers are reported, then removed") {
    TempDir dir;
    auto store = make_store(dir);
    write_file_atomic(store.groups_dir() / "g@example.com.toml", k_group);
    fs::create_directory(store.resolved_dir());
    for (const auto& path :
         {store.groups_dir() / ".g@example.com.toml.tmp-0123456789abcdef",
          store.resolved_dir() / ".x@example.com.members.tmp-0123456789abcdef",
          store.root() / ".requests.toml.tmp-0123456789abcdef"}) {
      write_file_atomic(path, "partial");
    }
    auto leftovers = store.leftovers();
    REQUIRE(leftovers.size() == 3);
    CHECK(leftovers[0].to_string() ==
          (store.root() / ".requests.toml.tmp-0123456789abcdef").string() +
              ": a temporary file left by an interrupted write; the next "
              "mailgroup write removes it");
    { Transaction t(store, k_wait); }
    CHECK(store.leftovers().empty());
    CHECK(fs::exists(store.groups_dir() / "g@example.com.toml"));
  }
}
