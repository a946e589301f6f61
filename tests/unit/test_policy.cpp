// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/postfix/policy.hpp"
#include "core/util/error.hpp"

#include "scratch_store.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <unistd.h>

using namespace mailgroup;

namespace {

Group group(std::string address,
            Permission permission,
            std::vector<std::string> members) {
  Group g;
  g.address = std::move(address);
  g.permission = permission;
  g.members = std::move(members);
  return g;
}

// The store tests/postfix/test_postfix.py sends mail to.
Snapshot company() {
  Snapshot s;
  s.config.domains = {"example.com", "example.org"};
  auto add = [&](Group g) { s.groups.emplace(g.address, std::move(g)); };
  add(group("sales@example.com", Permission::domain,
            {"a@people.example.net", "b@people.example.net"}));
  auto frozen = group("frozenteam@example.com", Permission::domain,
                      {"x@people.example.net"});
  frozen.frozen = true;
  add(frozen);
  auto audited = group("audteam@example.com", Permission::domain,
                       {"y@people.example.net"});
  audited.audit = true;
  add(audited);
  auto audited_open = group("audopen@example.com", Permission::anyone,
                            {"y@people.example.net"});
  audited_open.audit = true;
  add(audited_open);
  add(group("sub@example.com", Permission::domain, {"s1@people.example.net"}));
  add(group("team@example.com", Permission::members,
            {"m1@people.example.net", "sub@example.com"}));
  auto listed = group("wl@example.com", Permission::whitelist,
                      {"w@people.example.net"});
  listed.whitelist = {"@partner.example", "ok@vendor.example"};
  add(listed);
  auto noauto = group("noauto@example.com", Permission::anyone,
                      {"n@people.example.net"});
  noauto.ignore_auto_replies = true;
  add(noauto);
  add(group("ops@example.org", Permission::anyone, {"o@people.example.net"}));
  add(group("frozenteam+urgent@example.com", Permission::anyone,
            {"u@people.example.net"}));
  return s;
}

std::string ask(const PolicyIndex& index,
                std::string sender,
                std::string recipient,
                std::string state = "RCPT") {
  std::string text = "request=smtpd_access_policy\nprotocol_state=" + state +
                     "\nsender=" + sender + "\nrecipient=" + recipient +
                     "\nclient_address=192.0.2.1\n\n";
  PolicyRequestReader reader;
  std::string_view input(text);
  REQUIRE(reader.read(input) == PolicyRequestReader::Status::request);
  CHECK(input.empty());
  return std::string(decide_policy(index, reader.request()));
}

const std::string k_not_allowed =
    "550 5.7.1 Sender not allowed to post to this group";

// require_login groups next to ones without, and [users] logins.
Snapshot with_logins() {
  Snapshot s;
  s.config.domains = {"example.com"};
  s.config.users = {{"l1", "l1@people.example.net"},
                    {"l1x", "l1+lists@people.example.net"},
                    {"staff@example.com", "staff@example.com"},
                    {"outsider", "eve@evil.example"}};
  auto add = [&](Group g) { s.groups.emplace(g.address, std::move(g)); };
  auto locked = group("locked@example.com", Permission::members,
                      {"l1@people.example.net"});
  locked.require_login = true;
  add(locked);
  auto local = group("local@example.com", Permission::domain,
                     {"l1@people.example.net"});
  local.require_login = true;
  local.audit = true;
  add(local);
  auto open = group("open@example.com", Permission::anyone,
                    {"l1@people.example.net"});
  open.require_login = true;
  add(open);
  add(group("team@example.com", Permission::members,
            {"l1@people.example.net"}));
  return s;
}

std::string ask_as(const PolicyIndex& index,
                   std::string login,
                   std::string sender,
                   std::string recipient) {
  std::string text = "request=smtpd_access_policy\nprotocol_state=RCPT\n"
                     "sasl_username=" + login + "\nsender=" + sender +
                     "\nrecipient=" + recipient + "\n\n";
  PolicyRequestReader reader;
  std::string_view input(text);
  REQUIRE(reader.read(input) == PolicyRequestReader::Status::request);
  return std::string(decide_policy(index, reader.request()));
}

const std::string k_login_required =
    "550 5.7.1 Authentication required to post to this group";
const std::string k_login_not_allowed =
    "550 5.7.1 Login not allowed to post to this group";

} // namespace

TEST_SUITE("policy") {
  TEST_CASE("the decision is the maps' decision") {
    PolicyIndex index(build_policy_index(company()), "index");
    CHECK(index.group_count() == 10);
    // domain
    CHECK(ask(index, "alice@example.com", "sales@example.com") == "OK");
    CHECK(ask(index, "bob@example.org", "sales@example.com") == "OK");
    CHECK(ask(index, "bob@eu.example.org", "sales@example.com") == "OK");
    CHECK(ask(index, "eve@evil.example", "sales@example.com") ==
          k_not_allowed);
    CHECK(ask(index, "", "sales@example.com") == k_not_allowed);
    // case and extensions, of the recipient and of the sender
    CHECK(ask(index, "Alice@EXAMPLE.com", "SALES@Example.COM") == "OK");
    CHECK(ask(index, "eve@evil.example", "sales+news@example.com") ==
          k_not_allowed);
    CHECK(ask(index, "eve@evil.example", "OPS@example.org") == "DUNNO");
    // a domain ending in dots: Postfix drops them before it resolves
    CHECK(ask(index, "eve@evil.example", "sales@example.com.") ==
          k_not_allowed);
    CHECK(ask(index, "eve@evil.example", "sales+x@example.com..") ==
          k_not_allowed);
    CHECK(ask(index, "alice@example.com", "frozenteam@example.com.") ==
          "550 5.2.1 Mailbox unavailable");
    // frozen, and a sub-address group of its own
    CHECK(ask(index, "alice@example.com", "frozenteam@example.com") ==
          "550 5.2.1 Mailbox unavailable");
    CHECK(ask(index, "alice@example.com", "frozenteam+x@example.com") ==
          "550 5.2.1 Mailbox unavailable");
    CHECK(ask(index, "eve@evil.example", "frozenteam+urgent@example.com") ==
          "DUNNO");
    // not groups
    CHECK(ask(index, "alice@example.com", "nobody@example.com") == "DUNNO");
    CHECK(ask(index, "alice@example.com", "sales") == "DUNNO");
    // members, nested members, a member's sub-address
    CHECK(ask(index, "m1@people.example.net", "team@example.com") == "OK");
    CHECK(ask(index, "s1@people.example.net", "team@example.com") == "OK");
    CHECK(ask(index, "m1+lists@people.example.net", "team@example.com") ==
          "OK");
    CHECK(ask(index, "alice@example.com", "team@example.com") ==
          k_not_allowed);
    CHECK(ask(index, "people.example.net", "team@example.com") ==
          k_not_allowed);
    // whitelist: addresses, domains and their subdomains
    CHECK(ask(index, "ok@vendor.example", "wl@example.com") == "OK");
    CHECK(ask(index, "bob@partner.example", "wl@example.com") == "OK");
    CHECK(ask(index, "bob@eu.partner.example", "wl@example.com") == "OK");
    CHECK(ask(index, "other@vendor.example", "wl@example.com") ==
          k_not_allowed);
    CHECK(ask(index, "bob@notpartner.example", "wl@example.com") ==
          k_not_allowed);
    CHECK(ask(index, "alice@example.com", "wl@example.com") == k_not_allowed);
    CHECK(ask(index, "w@people.example.net", "wl@example.com") ==
          k_not_allowed);
    // auto-replies
    CHECK(ask(index, "", "noauto@example.com") ==
          "550 5.7.1 This group does not accept automatic replies");
    CHECK(ask(index, "eve@evil.example", "noauto@example.com") == "DUNNO");
    // audit: HOLD after the sender check
    CHECK(ask(index, "alice@example.com", "audteam@example.com") == "HOLD");
    CHECK(ask(index, "eve@evil.example", "audteam@example.com") ==
          k_not_allowed);
    CHECK(ask(index, "eve@evil.example", "audopen@example.com") == "HOLD");
    // only at RCPT
    CHECK(ask(index, "eve@evil.example", "sales@example.com", "DATA") ==
          "DUNNO");
  }

  TEST_CASE("require_login: the login's address decides, not the sender") {
    PolicyIndex index(build_policy_index(with_logins()), "index");
    auto member = "l1@people.example.net";
    // members
    CHECK(ask_as(index, "", member, "locked@example.com") == k_login_required);
    CHECK(ask_as(index, "l1", member, "locked@example.com") == "OK");
    CHECK(ask_as(index, "L1", "eve@evil.example", "locked@example.com") ==
          "OK");
    CHECK(ask_as(index, "l1x", member, "locked@example.com") == "OK");
    CHECK(ask_as(index, "outsider", member, "locked@example.com") ==
          k_login_not_allowed);
    CHECK(ask_as(index, "stranger", member, "locked@example.com") ==
          k_login_not_allowed);
    CHECK(ask_as(index, "l1", member, "locked+x@example.com") == "OK");
    // domain, audited: HOLD after the login check
    CHECK(ask_as(index, "staff@example.com", "x@y.example",
                 "local@example.com") == "HOLD");
    CHECK(ask_as(index, "l1", "staff@example.com", "local@example.com") ==
          k_login_not_allowed);
    CHECK(ask_as(index, "", "staff@example.com", "local@example.com") ==
          k_login_required);
    // anyone: any login [users] knows
    CHECK(ask_as(index, "outsider", "", "open@example.com") == "OK");
    CHECK(ask_as(index, "stranger", "", "open@example.com") ==
          k_login_not_allowed);
    CHECK(ask_as(index, "", "eve@evil.example", "open@example.com") ==
          k_login_required);
    // without require_login, the sender as before, whoever logged in
    CHECK(ask_as(index, "outsider", member, "team@example.com") == "OK");
    CHECK(ask_as(index, "l1", "eve@evil.example", "team@example.com") ==
          k_not_allowed);
  }

  TEST_CASE("a login is the request's own: the next request on the "
            "connection does not inherit it") {
    PolicyIndex index(build_policy_index(with_logins()), "index");
    std::string two = "request=smtpd_access_policy\nprotocol_state=RCPT\n"
                      "sasl_username=l1\nrecipient=locked@example.com\n\n"
                      "request=smtpd_access_policy\nprotocol_state=RCPT\n"
                      "recipient=locked@example.com\n\n";
    std::string_view input(two);
    PolicyRequestReader reader;
    REQUIRE(reader.read(input) == PolicyRequestReader::Status::request);
    CHECK(decide_policy(index, reader.request()) == "OK");
    REQUIRE(reader.read(input) == PolicyRequestReader::Status::request);
    CHECK(reader.request().sasl_username == "");
    CHECK(decide_policy(index, reader.request()) == k_login_required);
  }

  TEST_CASE("the index refuses a login it would not write") {
    auto s = with_logins();
    s.config.users["bad login"] = "x@example.com";
    CHECK_THROWS_WITH(build_policy_index(s),
                      "refusing to write login bad login into the policy "
                      "index: byte 4 is whitespace, where Postfix splits a "
                      "list of logins");
  }

  TEST_CASE("the same store gives the same bytes") {
    CHECK(build_policy_index(company()) == build_policy_index(company()));
  }

  TEST_CASE("an index that does not check is refused, whatever the damage") {
    auto good = build_policy_index(company());
    auto refused = [](std::string bytes) {
      try {
        PolicyIndex index(std::move(bytes), "policy.index");
      } catch (const Error& e) {
        return std::string(e.what());
      }
      return std::string("accepted");
    };
    CHECK(refused("") == "policy.index: not a mailgroup policy index");
    CHECK(refused(good.substr(0, good.size() - 1)) ==
          fmt::format("policy.index: {} bytes where the header promises {}: "
                      "truncated or damaged",
                      good.size() - 1, good.size()));
    auto flipped = good;
    flipped[flipped.size() - 3] ^= 1;
    CHECK(refused(flipped) ==
          "policy.index: checksum mismatch: the file is damaged");
    auto newer = good;
    newer[8] = 3;
    CHECK(refused(newer) ==
          "policy.index: index version 3, this mailgroup reads version 2: "
          "run 'mailgroup generate postfix' again");
    // Every single-byte change is caught by one check or another.
    for (std::size_t i = 0; i < good.size(); ++i) {
      auto damaged = good;
      damaged[i] = static_cast<char>(damaged[i] ^ 0x40);
      CAPTURE(i);
      CHECK(refused(damaged) != "accepted");
    }
  }

  TEST_CASE("the reader takes requests in pieces of any size") {
    std::string two = "request=smtpd_access_policy\nprotocol_state=RCPT\n"
                      "sender=A@X.example\nrecipient=b@y.example\n\n"
                      "request=smtpd_access_policy\nprotocol_state=RCPT\n"
                      "recipient=c@y.example\n\n";
    for (std::size_t size : {1UL, 2UL, 7UL, 100UL, 1000UL}) {
      CAPTURE(size);
      PolicyRequestReader reader;
      std::vector<PolicyRequest> got;
      for (std::size_t at = 0; at < two.size(); at += size) {
        std::string_view piece = std::string_view(two).substr(at, size);
        while (!piece.empty()) {
          auto status = reader.read(piece);
          REQUIRE(status != PolicyRequestReader::Status::error);
          if (status == PolicyRequestReader::Status::request) {
            got.push_back(reader.request());
          }
        }
      }
      REQUIRE(got.size() == 2);
      CHECK(got[0].sender == "a@x.example");
      CHECK(got[0].recipient == "b@y.example");
      CHECK(got[1].sender == "");
      CHECK(got[1].recipient == "c@y.example");
    }
  }

  TEST_CASE("the reader refuses what Postfix never sends, in bounded memory") {
    auto error_of = [](std::string text) {
      PolicyRequestReader reader;
      std::string_view input(text);
      while (!input.empty()) {
        if (reader.read(input) == PolicyRequestReader::Status::error) {
          return reader.error();
        }
      }
      return std::string("no error");
    };
    CHECK(error_of("\n") == "an empty request");
    CHECK(error_of("sender=a@b\n\n") ==
          "a request without request=smtpd_access_policy");
    CHECK(error_of("request=smtpd_access_policy\nnonsense\n") ==
          "request line 2 is not name=value");
    CHECK(error_of("=x\n") == "request line 1 is not name=value");
    CHECK(error_of(std::string(8193, 'a')) ==
          "a request line longer than 8192 bytes");
    CHECK(error_of("x=" + std::string(8190, 'a') + "\n") == "no error");
    std::string many;
    for (int i = 0; i < 257; ++i) {
      many += "x=y\n";
    }
    CHECK(error_of(many) == "a request of more than 256 attributes");
  }

  TEST_CASE("the index file is re-read when replaced, and fails closed") {
    testing::TempDir dir;
    auto path = (dir.path / "policy.index").string();
    PolicyIndexFile file(path);
    CHECK(file.refresh());
    CHECK(file.index() == nullptr);
    CHECK(file.problem() ==
          fmt::format("cannot read the policy index {}: No such file or "
                      "directory",
                      path));
    CHECK_FALSE(file.refresh());

    auto store = company();
    write_file_atomic(path, build_policy_index(store));
    CHECK(file.refresh());
    REQUIRE(file.index() != nullptr);
    CHECK_FALSE(file.index()->find_group("new@example.com"));
    CHECK_FALSE(file.refresh());

    store.groups.emplace("new@example.com",
                         group("new@example.com", Permission::anyone,
                               {"n@people.example.net"}));
    write_file_atomic(path, build_policy_index(store));
    CHECK(file.refresh());
    REQUIRE(file.index() != nullptr);
    CHECK(file.index()->find_group("new@example.com"));

    write_file_atomic(path, "mgpolicy but not really");
    CHECK(file.refresh());
    CHECK(file.index() == nullptr);
    CHECK(file.problem() ==
          fmt::format("{}: not a mailgroup policy index", path));
  }
}
