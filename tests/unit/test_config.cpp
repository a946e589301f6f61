// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/config.hpp"
#include "core/util/error.hpp"

#include <doctest/doctest.h>

using namespace mailgroup;

namespace {

const std::string k_domains = "domains = [\"example.com\"]\n";

// What parse_config says of mailgroup.toml `text`, or "ok".
std::string problems(const std::string& text) {
  try {
    parse_config(text, "m.toml");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::config);
    return e.what();
  }
  return "ok";
}

} // namespace

TEST_SUITE("config") {
  TEST_CASE("sendmail is a command with an absolute path, never looked up "
            "in PATH") {
    auto config = parse_config(
        k_domains + "[notify]\nsendmail = [\"/usr/lib/sendmail\", \"-t\"]\n",
        "m.toml");
    CHECK(config.notify.sendmail ==
          std::vector<std::string>{"/usr/lib/sendmail", "-t"});
    CHECK(problems(k_domains + "[notify]\nsendmail = [\"sendmail\", \"-t\"]\n") ==
          "m.toml:3:12: 'sendmail' must start with an absolute path: mailgroup "
          "does not search PATH for \"sendmail\"; write e.g. "
          "\"/usr/sbin/sendmail\"");
    CHECK(problems(k_domains + "[notify]\nsendmail = []\n") ==
          "m.toml:3:12: 'sendmail' must name a command, e.g. sendmail = "
          "[\"/usr/sbin/sendmail\", \"-t\", \"-oi\"]");
    CHECK(problems(k_domains + "[notify]\nsendmail = [\"/x\", \"\"]\n") ==
          "m.toml:3:19: an empty argument is not allowed");
  }

  TEST_CASE("max_removal_share is a share: 0 to 1") {
    for (const char* share : {"0", "0.0", "0.25", "1"}) {
      CAPTURE(share);
      CHECK(problems(k_domains + "[sync]\nmax_removal_share = " + share +
                     "\n") == "ok");
    }
    CHECK(parse_config(k_domains + "[sync]\nmax_removal_share = 0.25\n", "m")
              .max_removal_share == 0.25);
    for (const char* share : {"-0.1", "1.01", "nan", "inf"}) {
      CAPTURE(share);
      CHECK(problems(k_domains + "[sync]\nmax_removal_share = " + share +
                     "\n") ==
            "m.toml:3:21: 'max_removal_share' must be between 0 and 1");
    }
  }

  TEST_CASE("removal_threshold is a whole number, 1 or more") {
    CHECK(parse_config(k_domains + "[sync]\nremoval_threshold = 1\n", "m")
              .removal_threshold == 1);
    CHECK(parse_config(k_domains + "[sync]\nremoval_threshold = 7.0\n", "m")
              .removal_threshold == 7);
    for (const char* threshold : {"0", "-3", "1.5", "2e9", "nan"}) {
      CAPTURE(threshold);
      CHECK(problems(k_domains + "[sync]\nremoval_threshold = " + threshold +
                     "\n") ==
            "m.toml:3:21: 'removal_threshold' must be a whole number, 1 or "
            "more");
    }
  }

  TEST_CASE("the sender of notices is an address") {
    CHECK(parse_config(k_domains, "m").notify.from == "postmaster@example.com");
    CHECK(parse_config(k_domains + "[notify]\nfrom = \"Lists@Example.com\"\n",
                       "m")
              .notify.from == "lists@example.com");
    CHECK(problems(k_domains + "[notify]\nfrom = \"lists\"\n") ==
          "m.toml:3:8: 'from': invalid address \"lists\": has no '@'");
  }

  TEST_CASE("[users] maps logins to addresses") {
    auto config = parse_config(
        k_domains + "[users]\nalice = \"Alice@example.com\"\n", "m");
    CHECK(config.users.at("alice") == "alice@example.com");
    CHECK(problems(k_domains + "[users]\nalice = 1\n") ==
          "m.toml:3:9: [users] maps login names to addresses: write \"alice\" "
          "= \"ADDRESS\"");
  }

  TEST_CASE("[users] logins go into Postfix maps: hostile ones are refused "
            "where they are") {
    auto login = [](const std::string& key) {
      return problems(k_domains + "[users]\n" + key + " = \"a@example.com\"\n");
    };
    CHECK(login("\"a b\"") ==
          "m.toml:3:1: [users]: invalid login name \"a b\": byte 2 is "
          "whitespace, where Postfix splits a list of logins");
    CHECK(login("\"a#b\"") ==
          "m.toml:3:1: [users]: invalid login name \"a#b\": byte 2 is '#', "
          "which starts a comment in a map");
    CHECK(login("\"a\\nb\"") ==
          "m.toml:3:1: [users]: invalid login name \"a\\nb\": byte 2 is a "
          "line break, which would end a map line");
    CHECK(login("\"a\\u0001b\"") ==
          "m.toml:3:1: [users]: invalid login name \"a\\x01b\": byte 2 is a "
          "control character");
    CHECK(login("\"a,b\"") ==
          "m.toml:3:1: [users]: invalid login name \"a,b\": byte 2 is a "
          "comma, where Postfix splits a list of logins");
    CHECK(login("\"@example.com\"") ==
          "m.toml:3:1: [users]: invalid login name \"@example.com\": it "
          "starts with '@', which Postfix's tables read as a whole domain");
    CHECK(login("\"alice@\"") ==
          "m.toml:3:1: [users]: invalid login name \"alice@\": it ends with "
          "'@', which Postfix's tables read as that name at every domain");
    CHECK(login("Alice") ==
          "m.toml:3:1: [users]: invalid login name \"Alice\": byte 1 is upper "
          "case; Postfix compares logins without case, so write it in lower "
          "case");
    CHECK(login("\"a@b@example.com\"") ==
          "m.toml:3:1: [users]: invalid login name \"a@b@example.com\": it "
          "has more than one '@'");
    CHECK(login("\".a\"") ==
          "m.toml:3:1: [users]: invalid login name \".a\": it has a dot at an "
          "end or two in a row");
    // A login that is a domain would match every login of that domain.
    CHECK(login("\"example.com\"") ==
          "m.toml:3:1: [users]: login name \"example.com\" is also the domain "
          "\"example.com\" or its parent: Postfix would take every login "
          "@example.com for it; use another login name");
    CHECK(login("com") ==
          "m.toml:3:1: [users]: login name \"com\" is also the domain "
          "\"example.com\" or its parent: Postfix would take every login "
          "@example.com for it; use another login name");
    CHECK(login("\"j.smith\"") == "ok");
    CHECK(login("\"j.smith+x=y_z-1@mail.example.com\"") == "ok");
  }

  TEST_CASE("domains: at least one, each valid, none twice") {
    CHECK(problems("domains = []\n") ==
          "m.toml:1:11: 'domains' must list at least one local domain, e.g. "
          "domains = [\"example.com\"]");
    CHECK(problems("domains = [\"example.com\", \"Example.com\"]\n") ==
          "m.toml:1:27: \"example.com\" is listed twice in 'domains'");
    CHECK(problems("domains = [\"exa mple.com\"]\n")
              .starts_with("m.toml:1:12: invalid domain \"exa mple.com\": "));
    CHECK(problems(k_domains + "domain = 1\n") ==
          "m.toml:2:1: unknown key 'domain'; did you mean 'domains'?");
  }
}
