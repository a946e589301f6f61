// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/postfix/queue.hpp"
#include "core/workflows/held.hpp"
#include "core/util/error.hpp"

#include "actors.hpp"

#include <doctest/doctest.h>

using namespace mailgroup;
using mailgroup::testing::delegated;

TEST_SUITE("held") {
  TEST_CASE("postqueue -j output") {
    auto entries = parse_postqueue(
        R"({"queue_name": "hold", "queue_id": "AE4DFAA4083", "arrival_time": 1795466405, "message_size": 316, "forced_expire": false, "sender": "alice@example.com", "recipients": [{"address": "y@people.example.net"}]})"
        "\n"
        R"({"queue_name": "deferred", "queue_id": "B1", "arrival_time": 1, "message_size": 2, "sender": "", "recipients": [{"address": "z@x.example", "delay_reason": "connect refused"}]})"
        "\n");
    REQUIRE(entries.size() == 2);
    CHECK(entries[0].queue == "hold");
    CHECK(entries[0].id == "AE4DFAA4083");
    CHECK(entries[0].arrival == 1795466405);
    CHECK(entries[0].size == 316);
    CHECK(entries[0].sender == "alice@example.com");
    CHECK(entries[1].sender.empty());
    CHECK(parse_postqueue("").empty());
  }

  TEST_CASE("postqueue output that is not what Postfix writes") {
    try {
      parse_postqueue("{\"queue_name\": \"hold\"}\n");
      FAIL("no error");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::data);
      REQUIRE(e.diagnostics().size() == 1);
      CHECK(e.diagnostics()[0].where.to_string() == "postqueue -j:1");
    }
    CHECK_THROWS_AS(parse_postqueue("postqueue: warning: Mail system is down\n"),
                    Error);
    // Found by fuzz_queue: a number past long long's range, read as a float.
    try {
      parse_postqueue(R"({"queue_name": "hold", "queue_id": "A", "arrival_time": 17954664000000000938280000018229})");
      FAIL("no error");
    } catch (const Error& e) {
      CHECK(e.diagnostics()[0].to_string() ==
            "postqueue -j:1: not a queue entry: 'arrival_time' is not a whole number");
    }
    CHECK_THROWS_AS(parse_postqueue(R"({"queue_name": "hold", "queue_id": "A", "message_size": -1.5})"),
                    Error);
  }

  TEST_CASE("postcat -eh: original recipients, folded and hostile headers") {
    auto file = parse_postcat(
        "*** ENVELOPE RECORDS hold/AE4DFAA4083 ***\n"
        "sender: alice@example.com\n"
        "original_recipient: AudTeam+x@example.com\n"
        "recipient: y@people.example.net\n"
        "original_recipient: sales@example.com\n"
        "recipient: a@people.example.net\n"
        "recipient: b@people.example.net\n"
        "*** MESSAGE CONTENTS hold/AE4DFAA4083 ***\n"
        "Received: from client.example.net (localhost [127.0.0.1])\n"
        "\tby mx.example.com (Postfix) with ESMTP id AE4DFAA4083;\n"
        "subject: quarterly =?UTF-8?Q?n=C3=BCmbers?=\n"
        "\t=?UTF-8?Q?=1B[31m?= red\n"
        "From: Alice <alice@example.com>\n"
        "Subject: a second subject is ignored\n"
        "*** HEADER EXTRACTED hold/AE4DFAA4083 ***\n"
        "original_recipient: not@this.example\n"
        "*** MESSAGE FILE END hold/AE4DFAA4083 ***\n");
    CHECK(file.original_recipients ==
          std::vector<std::string>{"AudTeam+x@example.com", "sales@example.com"});
    CHECK(file.recipients == 3);
    CHECK(file.subject == "quarterly nümbers?[31m red");
    CHECK(file.from == "Alice <alice@example.com>");
  }

  TEST_CASE("only who audits every group of a message may act on it") {
    HeldMessage message;
    message.id = "AE4DFAA4083";
    message.groups = {"a@example.com", "b@example.com"};
    message.auditors = {"both@example.com"};
    std::vector<HeldMessage> held{message};
    CHECK(require_auditor(held, "AE4DFAA4083", delegated("both@example.com"), "release").id ==
          "AE4DFAA4083");
    try {
      require_auditor(held, "AE4DFAA4083", delegated("one@example.com"), "release");
      FAIL("no error");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::permission);
      CHECK(std::string(e.what()) ==
            "someone (uid 1001) as one@example.com may not release AE4DFAA4083: it was sent to "
            "a@example.com, b@example.com, and only who audits all of them "
            "may (both@example.com)");
    }
    try {
      require_auditor(held, "ALL", delegated("both@example.com"), "drop");
      FAIL("no error");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::not_found);
    }
    held[0].auditors.clear();
    try {
      require_auditor(held, "AE4DFAA4083", delegated("both@example.com"), "drop");
      FAIL("no error");
    } catch (const Error& e) {
      CHECK(std::string(e.what()) ==
            "someone (uid 1001) as both@example.com may not drop AE4DFAA4083: it was sent to "
            "a@example.com, b@example.com, and only who audits all of them "
            "may (nobody does: ask the postmaster)");
    }
  }
  TEST_CASE("printable masks C0 and C1 controls and bytes that are not UTF-8") {
    CHECK(printable("  Hello  ") == "Hello");
    CHECK(printable("a\x1b[31mred") == "a?[31mred");
    CHECK(printable("csi \xc2\x9b" "31m") == "csi ?31m");   // U+009B
    CHECK(printable("nel \xc2\x85 x") == "nel ? x");       // U+0085
    CHECK(printable("lone \x9b byte") == "lone ? byte");
    CHECK(printable("M\xc3\xbcnchen \xe2\x80\x94 \xf0\x9f\x93\xa7") ==
          "M\xc3\xbcnchen \xe2\x80\x94 \xf0\x9f\x93\xa7");
    CHECK(printable("nbsp\xc2\xa0ok") == "nbsp\xc2\xa0ok");     // U+00A0 stays
    CHECK(printable("over\xc0\xaf" "flow") == "over??flow");
    CHECK(printable("cut \xe2\x80") == "cut ??");
  }
}
