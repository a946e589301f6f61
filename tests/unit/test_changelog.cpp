// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/changelog.hpp"
#include "core/util/error.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

using namespace mailgroup;

namespace {

const LogEntry k_entry{"2026-01-31T09:00:00Z", "boss@example.com",
                       "member add",           "team@example.com",
                       "changed",              {"members: +a@example.com"},
                       "boss",                 1001};

const std::string k_line =
    R"({"time":"2026-01-31T09:00:00Z","actor":"boss@example.com",)"
    R"("login":"boss","uid":1001,)"
    R"("command":"member add","group":"team@example.com",)"
    R"("action":"changed","changes":["members: +a@example.com"]})"
    "\n";

} // namespace

TEST_SUITE("changelog") {
  TEST_CASE("an entry is one JSON line, keys in a fixed order") {
    CHECK(format_log_entry(k_entry) == k_line);
    // Entries written before the caller was recorded have no login or uid.
    LogEntry quoted{"t", "a", "c", "g", "created", {"say \"hi\"\n"}, "",
                    std::nullopt};
    CHECK(format_log_entry(quoted) ==
          R"({"time":"t","actor":"a","command":"c","group":"g",)"
          R"("action":"created","changes":["say \"hi\"\n"]})"
          "\n");
  }

  TEST_CASE("a log reads back as written; blank lines are skipped") {
    auto entries = parse_log(k_line + "\n" + k_line, "log.jsonl");
    REQUIRE(entries.size() == 2);
    CHECK(entries[0] == k_entry);
    CHECK(entries[1] == k_entry);
    CHECK(parse_log("", "log.jsonl").empty());
  }

  TEST_CASE("missing fields read as empty") {
    auto entries = parse_log("{\"group\": \"g@example.com\"}\n", "log.jsonl");
    REQUIRE(entries.size() == 1);
    CHECK(entries[0] ==
          LogEntry{"", "", "", "g@example.com", "", {}, "", std::nullopt});
  }

  TEST_CASE("a uid must be a uid") {
    for (const char* uid : {"-1", "1.5", "\"0\"", "4294967296"}) {
      CAPTURE(uid);
      CHECK_THROWS_WITH_AS(
          parse_log(fmt::format("{{\"uid\": {}}}\n", uid), "log.jsonl"),
          "log.jsonl:1: not a log entry: 'uid' is not a uid", Error);
    }
  }

  TEST_CASE("a malformed line is an error at its line") {
    CHECK_THROWS_WITH_AS(parse_log(k_line + "{\"time\": 1}\n", "log.jsonl"),
                         "log.jsonl:2: not a log entry: 'time' is not a "
                         "string",
                         Error);
    CHECK_THROWS_WITH_AS(parse_log("{\"changes\": \"x\"}\n", "log.jsonl"),
                         "log.jsonl:1: not a log entry: 'changes' is not a "
                         "list",
                         Error);
    CHECK_THROWS_WITH_AS(parse_log("{\"changes\": [1]}\n", "log.jsonl"),
                         "log.jsonl:1: not a log entry: 'changes' holds a "
                         "non-string",
                         Error);
    CHECK_THROWS_WITH_AS(parse_log("[]\n", "log.jsonl"),
                         "log.jsonl:1: not a log entry: not a JSON object",
                         Error);
    CHECK_THROWS_WITH_AS(parse_log("{\"time\": \"t\"", "log.jsonl"),
                         "log.jsonl:1:13: not a log entry: invalid JSON here",
                         Error);
  }

  TEST_CASE("with somewhere to put them, bad lines are skipped and kept") {
    std::vector<Diagnostic> skipped;
    auto cut = k_line.substr(0, 40);
    auto entries =
        parse_log(k_line + cut + "\n" + k_line, "log.jsonl", &skipped);
    CHECK(entries.size() == 2);
    REQUIRE(skipped.size() == 1);
    CHECK(skipped[0].to_string() ==
          "log.jsonl:2:41: not a log entry: invalid JSON here");
  }
}
