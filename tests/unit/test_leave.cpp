// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/util/error.hpp"
#include "core/workflows/leave.hpp"
#include "tests/unit/actors.hpp"
#include "tests/unit/scratch_store.hpp"

#include <doctest/doctest.h>

#include <cstdlib>

using namespace mailgroup;
using mailgroup::testing::FixedNow;
using mailgroup::testing::delegated;

namespace {

// team@ (static members m@ and n@; leaving needs approval) and eng@ (a
// department group whose directory put in p@ and q@; leaving is free).
Snapshot store() {
  Snapshot snapshot;
  snapshot.config.domains = {"example.com"};
  Group team;
  team.address = "team@example.com";
  team.administrators = {"boss@example.com"};
  team.members = {"m@example.com", "n@example.com"};
  team.leave_needs_approval = true;
  snapshot.groups.emplace(team.address, team);
  Group eng;
  eng.address = "eng@example.com";
  eng.administrators = {"boss@example.com"};
  eng.dynamic.emplace();
  eng.dynamic->department = "Eng";
  eng.dynamic->set_resolved({"p@example.com", "q@example.com"});
  snapshot.groups.emplace(eng.address, eng);
  return snapshot;
}

template <typename F> std::string refusal(F&& f, ErrorKind expected) {
  try {
    f();
  } catch (const Error& e) {
    CHECK(e.kind() == expected);
    return e.what();
  }
  FAIL("no error");
  return {};
}

using Lines = std::vector<std::string>;

} // namespace

TEST_SUITE("leave") {
  TEST_CASE("a member of a group that needs approval asks, once") {
    FixedNow now;
    auto snapshot = store();
    auto result = leave_group(snapshot, "Team@example.com", "m@example.com",
                              delegated("m@example.com"), "moving on");
    CHECK_FALSE(result.left);
    REQUIRE(result.request);
    CHECK(*result.request == LeaveRequest{1, "team@example.com",
                                          "m@example.com", "m@example.com",
                                          "2026-01-31T09:00:00Z",
                                          "moving on"});
    CHECK(snapshot.requests.pending == std::vector<LeaveRequest>{*result.request});
    CHECK(snapshot.requests.next_id == 2);
    CHECK(snapshot.get("team@example.com").members ==
          Lines{"m@example.com", "n@example.com"});

    auto again = leave_group(snapshot, "team@example.com", "m@example.com",
                             delegated("m@example.com"), "");
    CHECK_FALSE(again.request);
    CHECK(again.notes == Lines{"m@example.com already asked to leave "
                               "team@example.com: request 1 waits for an "
                               "administrator"});
    CHECK(snapshot.requests.pending.size() == 1);
  }

  TEST_CASE("an administrator takes a member out at once") {
    auto snapshot = store();
    auto result = leave_group(snapshot, "team@example.com", "m@example.com",
                              delegated("boss@example.com"), "");
    CHECK(result.left);
    CHECK_FALSE(result.request);
    CHECK(snapshot.get("team@example.com").members == Lines{"n@example.com"});
    CHECK(snapshot.requests.pending.empty());
  }

  TEST_CASE("nobody else may take a member out") {
    auto snapshot = store();
    CHECK(refusal(
              [&] {
                leave_group(snapshot, "team@example.com", "m@example.com",
                            delegated("n@example.com"), "");
              },
              ErrorKind::permission) ==
          "someone (uid 1001) as n@example.com may not take m@example.com "
          "out of team@example.com: only the member themself, its "
          "administrators (boss@example.com) and store administrators may");
    CHECK(snapshot.requests.pending.empty());
  }

  TEST_CASE("a directory member who leaves is excluded, so sync keeps them "
            "out") {
    auto snapshot = store();
    auto result = leave_group(snapshot, "eng@example.com", "p@example.com",
                              delegated("p@example.com"), "");
    CHECK(result.left);
    CHECK(result.notes == Lines{"p@example.com is in eng@example.com through "
                                "the directory; added to its exclusions so "
                                "that sync keeps them out"});
    CHECK(snapshot.get("eng@example.com").dynamic->exclude ==
          Lines{"p@example.com"});
    CHECK(snapshot.get("eng@example.com").effective_members() ==
          Lines{"q@example.com"});
    // Excluded already: no longer a member.
    auto again = leave_group(snapshot, "eng@example.com", "p@example.com",
                             delegated("p@example.com"), "");
    CHECK_FALSE(again.left);
    CHECK(again.notes ==
          Lines{"p@example.com is not a member of eng@example.com"});
  }

  TEST_CASE("what is not a member, an address or one line is refused") {
    auto snapshot = store();
    auto result = leave_group(snapshot, "team@example.com", "x@example.com",
                              delegated("x@example.com"), "");
    CHECK(result.notes ==
          Lines{"x@example.com is not a member of team@example.com"});
    CHECK_THROWS_AS(leave_group(snapshot, "team@example.com", "not-an-address",
                                delegated("m@example.com"), ""),
                    Error);
    CHECK(refusal(
              [&] {
                leave_group(snapshot, "tema@example.com", "m@example.com",
                            delegated("m@example.com"), "");
              },
              ErrorKind::not_found) ==
          "no group \"tema@example.com\"; did you mean \"team@example.com\"?");
    CHECK_THROWS_AS(leave_group(snapshot, "team@example.com", "m@example.com",
                                delegated("m@example.com"), "two\nlines"),
                    Error);
    CHECK(snapshot.requests.pending.empty());
  }

  TEST_CASE("only an administrator approves or denies; both drop the "
            "request") {
    FixedNow now;
    auto snapshot = store();
    leave_group(snapshot, "team@example.com", "m@example.com", delegated("m@example.com"),
                "");
    leave_group(snapshot, "team@example.com", "n@example.com", delegated("n@example.com"),
                "");
    Notes notes;
    CHECK(refusal([&] { approve_request(snapshot, 1, delegated("n@example.com"), notes); },
                  ErrorKind::permission) ==
          "someone (uid 1001) as n@example.com may not approve request 1 "
          "(m@example.com leaving team@example.com): only its administrators "
          "(boss@example.com) and store administrators "
          "(postmaster@example.com) may");
    CHECK(refusal([&] { deny_request(snapshot, 2, delegated("m@example.com"), ""); },
                  ErrorKind::permission) ==
          "someone (uid 1001) as m@example.com may not deny request 2 "
          "(n@example.com leaving team@example.com): only its administrators "
          "(boss@example.com) and store administrators "
          "(postmaster@example.com) may");
    CHECK_THROWS_AS(deny_request(snapshot, 2, delegated("boss@example.com"), "a\nb"),
                    Error);
    CHECK(snapshot.requests.pending.size() == 2);

    CHECK(approve_request(snapshot, 1, delegated("boss@example.com"), notes).member ==
          "m@example.com");
    CHECK(notes.empty());
    CHECK(snapshot.get("team@example.com").members == Lines{"n@example.com"});
    CHECK(deny_request(snapshot, 2, delegated("boss@example.com"), "needed").member ==
          "n@example.com");
    CHECK(snapshot.get("team@example.com").members == Lines{"n@example.com"});
    CHECK(snapshot.requests.pending.empty());
    CHECK(refusal([&] { approve_request(snapshot, 2, delegated("boss@example.com"), notes); },
                  ErrorKind::not_found) ==
          "no pending request 2; 'mailgroup request list' shows the pending "
          "ones");
  }

  TEST_CASE("approving for someone who left meanwhile says so") {
    FixedNow now;
    auto snapshot = store();
    leave_group(snapshot, "team@example.com", "m@example.com", delegated("m@example.com"),
                "");
    snapshot.get("team@example.com").members = {"n@example.com"};
    Notes notes;
    approve_request(snapshot, 1, delegated("boss@example.com"), notes);
    CHECK(notes == Lines{"m@example.com is no longer a member of "
                         "team@example.com"});
    CHECK(snapshot.requests.pending.empty());
  }
}
