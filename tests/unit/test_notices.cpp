// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/util/error.hpp"
#include "core/util/fs.hpp"
#include "core/workflows/notices.hpp"
#include "core/workflows/outbox.hpp"

#include "tests/unit/scratch_store.hpp"

#include <doctest/doctest.h>

#include <cstdlib>

using namespace mailgroup;
using mailgroup::testing::make_store;
using mailgroup::testing::FixedNow;
using mailgroup::testing::TempDir;

namespace {

// team@ notifies its members (m@, and the nested group sub@); quiet@ does
// not.
Snapshot store() {
  Snapshot snapshot;
  snapshot.config.domains = {"example.com"};
  snapshot.config.notify.from = "postmaster@example.com";
  Group team;
  team.address = "team@example.com";
  team.name = "Team";
  team.administrators = {"boss@example.com", "chief@example.com"};
  team.members = {"m@example.com", "sub@example.com"};
  team.notify_members = true;
  snapshot.groups.emplace(team.address, team);
  Group sub;
  sub.address = "sub@example.com";
  sub.administrators = {"boss@example.com"};
  snapshot.groups.emplace(sub.address, sub);
  Group quiet = sub;
  quiet.address = "quiet@example.com";
  quiet.members = {"m@example.com"};
  snapshot.groups.emplace(quiet.address, quiet);
  return snapshot;
}

const std::string k_headers_welcome =
    "From: postmaster@example.com\n"
    "To: n@example.com\n"
    "Subject: You are now a member of team@example.com\n"
    "Auto-Submitted: auto-generated\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=utf-8\n"
    "Content-Transfer-Encoding: 8bit\n"
    "\n";

const std::string k_signature =
    "\n-- \nThis notice was sent automatically by mailgroup.\n";

Notice welcome_for(std::string member) {
  return {.time = "2026-01-31T09:00:00Z", .group = "team@example.com",
          .member = std::move(member), .source = "member add"};
}

} // namespace

TEST_SUITE("notices") {
  TEST_CASE("who joined a notifying group gets a welcome; a nested group "
            "does not") {
    FixedNow now;
    auto before = store();
    auto after = before;
    after.get("team@example.com").members = {"m@example.com", "n@example.com",
                                             "sub@example.com",
                                             "sub2@example.com"};
    Group sub2 = after.get("sub@example.com");
    sub2.address = "sub2@example.com";
    after.groups.emplace(sub2.address, sub2);
    after.get("quiet@example.com").members = {"m@example.com", "q@example.com"};
    CHECK(joins_to_notify(before, after, "member add") ==
          std::vector<Notice>{welcome_for("n@example.com")});
    CHECK(joins_to_notify(after, after, "member add").empty());
  }

  TEST_CASE("a new notifying group welcomes all its members") {
    FixedNow now;
    Snapshot empty;
    auto after = store();
    CHECK(joins_to_notify(empty, after, "create") ==
          std::vector<Notice>{{.time = "2026-01-31T09:00:00Z",
                               .group = "team@example.com",
                               .member = "m@example.com",
                               .source = "create"}});
  }

  TEST_CASE("the joins sync found, for groups that notify") {
    FixedNow now;
    auto snapshot = store();
    std::vector<MembershipChange> changes{
        {"quiet@example.com", {"a@example.com"}, {}},
        {"team@example.com", {"a@example.com", "sub@example.com"},
         {"m@example.com"}}};
    CHECK(joins_to_notify(snapshot, changes) ==
          std::vector<Notice>{{.time = "2026-01-31T09:00:00Z",
                               .group = "team@example.com",
                               .member = "a@example.com",
                               .source = "sync"}});
  }

  TEST_CASE("a leave request goes to each administrator") {
    auto snapshot = store();
    LeaveRequest request{4, "team@example.com", "m@example.com",
                         "m@example.com", "2026-01-31T09:00:00Z", ""};
    auto notices = leave_request_notices(snapshot, request);
    REQUIRE(notices.size() == 2);
    CHECK(notices[0] == Notice{.time = "2026-01-31T09:00:00Z",
                               .group = "team@example.com",
                               .member = "m@example.com",
                               .source = "member leave",
                               .request = 4,
                               .recipient = "boss@example.com"});
    CHECK(notices[1].recipient == "chief@example.com");
    CHECK(notices[1].to() == "chief@example.com");
    CHECK(notices[0].to() == "boss@example.com");
    CHECK(welcome_for("n@example.com").to() == "n@example.com");
  }

  TEST_CASE("a welcome, whole") {
    auto snapshot = store();
    const auto& team = snapshot.get("team@example.com");
    CHECK(compose_notice(snapshot, team, welcome_for("n@example.com")) ==
          k_headers_welcome +
              "You are now a member of the mail group Team "
              "<team@example.com>.\n"
              "\n"
              "Mail sent to team@example.com now reaches you at "
              "n@example.com.\n"
              "\n"
              "Its administrators: boss@example.com, chief@example.com.\n"
              "\n"
              "To leave the group, ask one of its administrators.\n" +
              k_signature);
  }

  TEST_CASE("a welcome says how to leave, and wraps long words and lines") {
    auto snapshot = store();
    auto& team = snapshot.get("team@example.com");
    team.leave_needs_approval = true;
    team.description = std::string(100, 'x');
    auto text = compose_notice(snapshot, team, welcome_for("n@example.com"));
    CHECK(text.find("\n\n" + std::string(72, 'x') + "\n" +
                    std::string(28, 'x') + "\n\n") != std::string::npos);
    CHECK(text.find("\nTo leave the group, ask one of its administrators: "
                    "leaving needs their\napproval.\n") != std::string::npos);
    auto synced = welcome_for("n@example.com");
    synced.source = "sync";
    CHECK(compose_notice(snapshot, team, synced)
              .find("\nYou are a member through your department in the "
                    "employee directory, and\nleave the group when that "
                    "changes. To leave it sooner, ask one of its\n"
                    "administrators.\n") != std::string::npos);
  }

  TEST_CASE("a leave request, whole; a user's text stays out of the "
            "headers") {
    auto snapshot = store();
    snapshot.requests.pending.push_back(
        {4, "team@example.com", "m@example.com", "m@example.com",
         "2026-01-31T09:00:00Z", "Bcc: everyone@example.com"});
    auto notice = leave_request_notices(snapshot, snapshot.requests.pending[0])[0];
    CHECK(compose_notice(snapshot, snapshot.get("team@example.com"), notice) ==
          "From: postmaster@example.com\n"
          "To: boss@example.com\n"
          "Subject: Request 4: m@example.com asks to leave team@example.com\n"
          "Auto-Submitted: auto-generated\n"
          "MIME-Version: 1.0\n"
          "Content-Type: text/plain; charset=utf-8\n"
          "Content-Transfer-Encoding: 8bit\n"
          "\n"
          "m@example.com asks to leave the mail group Team "
          "<team@example.com>.\n"
          "\n"
          "Reason: Bcc: everyone@example.com\n"
          "\n"
          "Leaving it needs an administrator's approval, and you are one. "
          "Request 4\n"
          "was made at 2026-01-31T09:00:00Z by m@example.com.\n"
          "\n"
          "To decide:\n"
          "\n"
          "  mailgroup request approve 4\n"
          "  mailgroup request deny 4 --reason TEXT\n" +
              k_signature);
    snapshot.requests.pending.clear();
    CHECK_THROWS_WITH_AS(
        compose_notice(snapshot, snapshot.get("team@example.com"), notice),
        "no pending request 4", Error);
  }

  TEST_CASE("queued notices read back as written") {
    std::vector<Notice> notices{welcome_for("n@example.com"),
                                {.time = "t", .group = "team@example.com",
                                 .member = "m@example.com", .source = "s",
                                 .attempts = 2, .error = "down", .request = 4,
                                 .recipient = "boss@example.com"}};
    auto text = format_notices(notices);
    CHECK(text ==
          R"({"time":"2026-01-31T09:00:00Z","group":"team@example.com",)"
          R"("member":"n@example.com","source":"member add"})"
          "\n"
          R"({"time":"t","group":"team@example.com",)"
          R"("member":"m@example.com","source":"s","attempts":2,)"
          R"("error":"down","request":4,"recipient":"boss@example.com"})"
          "\n");
    CHECK(parse_notices(text, "outbox/x.jsonl") == notices);
  }

  TEST_CASE("a queued notice that mailgroup did not write is refused at its "
            "line") {
    auto line = [](const std::string& fields) {
      return R"({"group": "team@example.com", "member": "m@example.com")" +
             fields + "}\n";
    };
    CHECK(parse_notices(line("") + line(""), "o").size() == 2);
    CHECK_THROWS_WITH_AS(parse_notices(line("") + line(R"(, "attempts": -1)"), "o"),
                         "o:2: not a queued notice: 'attempts' is out of range",
                         Error);
    CHECK_THROWS_WITH_AS(parse_notices(line(R"(, "attempts": 1000001)"), "o"),
                         "o:1: not a queued notice: 'attempts' is out of range",
                         Error);
    CHECK(parse_notices(line(R"(, "attempts": 1000000)"), "o")[0].attempts ==
          1000000);
    CHECK_THROWS_WITH_AS(parse_notices(line(R"(, "request": -4)"), "o"),
                         "o:1: not a queued notice: 'request' is negative",
                         Error);
    CHECK_THROWS_AS(parse_notices(line(R"(, "request": 4)"), "o"), Error);
    CHECK_THROWS_WITH_AS(
        parse_notices(R"({"group": "team@example.com", "member": "m@example.com\nBcc: x@example.com"})"
                      "\n",
                      "o"),
        doctest::Contains("o:1: not a queued notice: invalid address"), Error);
    CHECK_THROWS_WITH_AS(
        parse_notices(R"({"group": "team@example.com", "member": "m@example.com", "request": 4, "recipient": "a b@example.com"})"
                      "\n",
                      "o"),
        doctest::Contains("o:1: not a queued notice: invalid address"), Error);
  }

  TEST_CASE("the outbox sends what is still due and keeps what failed") {
    FixedNow now;
    TempDir dir;
    auto store_dir = make_store(dir);
    Outbox outbox(store_dir);
    auto snapshot = store();
    snapshot.config.notify.sendmail = {"/bin/true"};
    CHECK(outbox.list().empty());
    CHECK(outbox.deliver(snapshot).sent == 0);

    auto gone = welcome_for("gone@example.com"); // no longer a member
    auto quiet = welcome_for("m@example.com");
    quiet.group = "quiet@example.com"; // does not notify
    auto nobody = welcome_for("m@example.com");
    nobody.group = "deleted@example.com";
    outbox.add({welcome_for("m@example.com"), gone, quiet, nobody});
    CHECK(outbox.list().size() == 4);
    auto report = outbox.deliver(snapshot);
    CHECK(report.sent == 1);
    CHECK(report.dropped == 3);
    CHECK(report.kept.empty());
    CHECK(outbox.list().empty());

    snapshot.config.notify.sendmail = {"/bin/false"};
    outbox.add({welcome_for("m@example.com")});
    report = outbox.deliver(snapshot);
    CHECK(report.sent == 0);
    REQUIRE(report.kept.size() == 1);
    CHECK(report.kept[0].attempts == 1);
    CHECK(report.kept[0].error == "/bin/false exited with status 1");
    CHECK(outbox.list() == report.kept);
  }

  TEST_CASE("a request notice is dropped once its recipient may not decide "
            "it") {
    FixedNow now;
    TempDir dir;
    Outbox outbox(make_store(dir));
    auto snapshot = store();
    snapshot.config.notify.sendmail = {"/bin/true"};
    LeaveRequest request{4, "team@example.com", "m@example.com",
                         "m@example.com", "2026-01-31T09:00:00Z", ""};
    snapshot.requests.pending.push_back(request);
    outbox.add(leave_request_notices(snapshot, request));
    snapshot.get("team@example.com").administrators = {"chief@example.com"};
    auto report = outbox.deliver(snapshot);
    CHECK(report.sent == 1);
    CHECK(report.dropped == 1);
    // Decided meanwhile: nobody is told.
    outbox.add(leave_request_notices(snapshot, request));
    snapshot.requests.pending.clear();
    report = outbox.deliver(snapshot);
    CHECK(report.sent == 0);
    CHECK(report.dropped == 1);
  }

  TEST_CASE("a department group's member is due while the directory still "
            "puts them in") {
    FixedNow now;
    TempDir dir;
    auto scratch = make_store(dir);
    Outbox outbox(scratch);
    auto snapshot = store();
    snapshot.config.notify.sendmail = {"/bin/true"};
    auto& team = snapshot.get("team@example.com");
    team.dynamic.emplace();
    team.dynamic->department = "Eng";
    team.dynamic->exclude = {"x@example.com"};
    make_directory(scratch.resolved_dir());
    write_file_atomic(scratch.resolved_path("team@example.com"),
                      resolved_header("team@example.com") +
                          "p@example.com\nx@example.com\n");
    outbox.add({welcome_for("p@example.com"), welcome_for("x@example.com"),
                welcome_for("q@example.com")});
    auto report = outbox.deliver(snapshot);
    CHECK(report.sent == 1);
    CHECK(report.dropped == 2);
  }

  TEST_CASE("one run delivers at a time; another gives up at once") {
    TempDir dir;
    auto scratch = make_store(dir);
    Outbox outbox(scratch);
    auto snapshot = store();
    snapshot.config.notify.sendmail = {"/bin/true"};
    outbox.add({welcome_for("m@example.com")});
    FileLock busy(scratch.outbox_dir() / ".lock", std::chrono::milliseconds(0));
    auto report = outbox.deliver(snapshot);
    CHECK(report.busy);
    CHECK(report.sent == 0);
    CHECK(outbox.list().size() == 1);
  }
}
