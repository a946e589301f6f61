// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/requests.hpp"
#include "core/util/error.hpp"

#include <doctest/doctest.h>

using namespace mailgroup;

namespace {

const std::string k_text =
    "# Pending leave requests; see 'mailgroup request' in mailgroup(1).\n"
    "next_id = 8\n"
    "\n"
    "[[request]]\n"
    "id = 3\n"
    "group = \"team@example.com\"\n"
    "member = \"m@example.com\"\n"
    "reason = \"moving on\"\n"
    "requested_by = \"m@example.com\"\n"
    "time = 2026-01-31T09:00:00Z\n"
    "\n"
    "[[request]]\n"
    "id = 7\n"
    "group = \"team@example.com\"\n"
    "member = \"n@example.com\"\n"
    "requested_by = \"boss@example.com\"\n";

// A requests.toml of one request with `body` after its id.
std::string one_request(const std::string& body) {
  return "[[request]]\nid = 1\n" + body;
}

const std::string k_addresses = "group = \"team@example.com\"\n"
                                "member = \"m@example.com\"\n"
                                "requested_by = \"m@example.com\"\n";

} // namespace

TEST_SUITE("requests") {
  TEST_CASE("requests.toml reads back and is written byte for byte") {
    auto requests = parse_requests(k_text, "requests.toml");
    CHECK(requests.next_id == 8);
    REQUIRE(requests.pending.size() == 2);
    CHECK(requests.pending[0] == LeaveRequest{3, "team@example.com",
                                              "m@example.com", "m@example.com",
                                              "2026-01-31T09:00:00Z",
                                              "moving on"});
    CHECK(requests.pending[1].time.empty());
    CHECK(format_requests(requests) == k_text);
    CHECK(format_requests(Requests{}) ==
          "# Pending leave requests; see 'mailgroup request' in "
          "mailgroup(1).\nnext_id = 1\n");
  }

  TEST_CASE("find and erase by id, or by group and member") {
    auto requests = parse_requests(k_text, "requests.toml");
    CHECK(requests.find(7)->member == "n@example.com");
    CHECK(requests.find(4) == nullptr);
    CHECK(requests.find("team@example.com", "m@example.com")->id == 3);
    CHECK(requests.find("team@example.com", "x@example.com") == nullptr);
    requests.erase(3);
    REQUIRE(requests.pending.size() == 1);
    CHECK(requests.pending[0].id == 7);
    CHECK(requests.next_id == 8); // ids are never reused
  }

  TEST_CASE("next_id is past every id, and the requests are in id order") {
    auto requests = parse_requests(
        "next_id = 2\n" + one_request(k_addresses) +
            "[[request]]\nid = 5\n" + k_addresses,
        "requests.toml");
    CHECK(requests.next_id == 6);
    auto reversed = parse_requests("[[request]]\nid = 5\n" + k_addresses +
                                       one_request(k_addresses),
                                   "requests.toml");
    CHECK(reversed.pending[0].id == 1);
    CHECK(reversed.pending[1].id == 5);
  }

  TEST_CASE("addresses are normalised") {
    auto requests = parse_requests(
        one_request("group = \"Team@Example.COM\"\n"
                    "member = \"M@example.com\"\n"
                    "requested_by = \"m@example.com\"\n"),
        "r.toml");
    CHECK(requests.pending[0].group == "team@example.com");
    CHECK(requests.pending[0].member == "m@example.com");
  }

  TEST_CASE("every problem, where it is") {
    CHECK_THROWS_WITH_AS(
        parse_requests("next_id = 0\n", "r.toml"),
        "r.toml:1:11: 'next_id' must be a whole number, 1 or more", Error);
    CHECK_THROWS_WITH_AS(
        parse_requests("next_id = 1.5\n", "r.toml"),
        "r.toml:1:11: 'next_id' must be a whole number, 1 or more", Error);
    CHECK_THROWS_WITH_AS(
        parse_requests("next_id = 9007199254740992\n", "r.toml"),
        "r.toml:1:11: 'next_id' must be a whole number, 1 or more", Error);
    CHECK_THROWS_WITH_AS(parse_requests("[[request]]\n" + k_addresses, "r.toml"),
                         "r.toml:1:1: a request needs an 'id'", Error);
    CHECK_THROWS_WITH_AS(
        parse_requests(one_request("group = \"team@example.com\"\n"
                                   "member = \"not an address\"\n"
                                   "requested_by = \"m@example.com\"\n"),
                       "r.toml"),
        "r.toml:4:10: 'member': invalid address \"not an address\": contains "
        "whitespace",
        Error);
    CHECK_THROWS_WITH_AS(
        parse_requests(one_request("group = \"team@example.com\"\n"
                                   "member = \"m@example.com\"\n"),
                       "r.toml"),
        "r.toml:1:1: a request needs 'requested_by'", Error);
    CHECK_THROWS_WITH_AS(
        parse_requests(one_request(k_addresses + "reason = \"a\\nb\"\n"),
                       "r.toml"),
        "r.toml:6:10: 'reason': invalid reason \"a\\nb\": contains a control "
        "character (it must be one line)",
        Error);
    CHECK_THROWS_WITH_AS(
        parse_requests(one_request(k_addresses) + one_request(k_addresses),
                       "r.toml"),
        "r.toml:6:1: request 1 is listed twice", Error);
    CHECK_THROWS_WITH_AS(
        parse_requests(one_request(k_addresses + "time = \"yesterday\"\n"),
                       "r.toml"),
        "r.toml:6:8: 'time' must be a date-time such as 2026-01-31T09:00:00Z",
        Error);
    CHECK_THROWS_WITH_AS(
        parse_requests(one_request(k_addresses + "decided = true\n"),
                       "r.toml"),
        "r.toml:6:1: unknown key 'decided'", Error);
    CHECK_THROWS_WITH_AS(parse_requests("request = 1\n", "r.toml"),
                         "r.toml:1:11: 'request' must be a list of tables, "
                         "written [[request]]",
                         Error);
  }
}
