// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/address.hpp"
#include "core/util/error.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace mailgroup;

TEST_SUITE("address") {
  TEST_CASE("valid addresses are lower-cased") {
    CHECK(require_address("Alice.Smith+tag@Example.COM") ==
          "alice.smith+tag@example.com");
    CHECK(require_address("a@b.c") == "a@b.c");
    CHECK(require_address("x-1@xn--bcher-kva.example") ==
          "x-1@xn--bcher-kva.example");
  }

  TEST_CASE("every refusal says why") {
    auto why = [](std::string_view text) {
      std::string reason;
      CHECK_FALSE(normalize_address(text, &reason));
      return reason;
    };
    CHECK(why("") == "is empty");
    CHECK(why("a b@x.example") == "contains whitespace");
    CHECK(why("a@x.example\n") == "contains whitespace");
    CHECK(why(std::string("a\0b@x.example", 13)) ==
          "contains a control character");
    CHECK(why("a,b@x.example") == "contains a comma");
    CHECK(why("\"a\"@x.example") == "contains a quote");
    CHECK(why("a#b@x.example") == "contains '#'");
    CHECK(why("@x.example") ==
          "has no local part (a bare @domain is not an address)");
    CHECK(why("x.example") == "has no '@'");
    CHECK(why("a@b@x.example") == "has more than one '@'");
    CHECK(why("a@x") ==
          "has domain \"x\" without a dot (use a fully qualified domain)");
    CHECK(why("a.@x.example") ==
          "has a local part with a leading, trailing or double dot");
    CHECK(why("a<b@x.example") ==
          "has \"<\" in its local part, which is not allowed");
    CHECK(why(std::string(65, 'a') + "@x.example") ==
          "has a local part longer than 64 characters");
  }

  TEST_CASE("length limits are inclusive") {
    auto local = std::string(64, 'a');
    CHECK(require_address(local + "@x.example") == local + "@x.example");
    // 254 characters in all: 64 + 1 + 189.
    auto domain = std::string(63, 'a') + "." + std::string(63, 'b') + "." +
                  std::string(57, 'c') + ".com";
    auto address = local + "@" + domain;
    REQUIRE(address.size() == 254);
    CHECK(require_address(address) == address);
    CHECK_THROWS_WITH(require_address(local + "a@" + domain),
                      doctest::Contains("longer than"));
  }

  TEST_CASE("require_address names the value, escaped") {
    CHECK_THROWS_WITH(require_address("evil@x.example\nroot@x.example"),
                      "invalid address \"evil@x.example\\nroot@x.example\": "
                      "contains whitespace");
    try {
      require_address("no");
      FAIL("no exception");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::data);
    }
  }

  TEST_CASE("a group's local part is one a file can be named after") {
    CHECK(require_group_address("Team.A-1_x+y=z@Example.com") ==
          "team.a-1_x+y=z@example.com");
    CHECK_THROWS_WITH_AS(
        require_group_address("a/b@example.com"),
        "invalid group address \"a/b@example.com\": \"/\" is not allowed in a "
        "group's local part, which names its file in the store; use only "
        "letters, digits and . - _ + =",
        Error);
    for (const char* text : {"a!b@example.com", "a{b}@example.com",
                             "a|b@example.com", "a%b@example.com",
                             "a*b@example.com"}) {
      CAPTURE(text);
      CHECK(require_address(text) == text); // a member may be named so
      CHECK_THROWS_WITH_AS(require_group_address(text),
                           doctest::Contains("is not allowed in a group's "
                                             "local part"),
                           Error);
    }
  }

  TEST_CASE("sender entries: address or @domain") {
    CHECK(require_sender_entry("@Partner.Example") == "@partner.example");
    CHECK(require_sender_entry("Bob@Partner.Example") == "bob@partner.example");
    CHECK(is_domain_entry("@partner.example"));
    CHECK_FALSE(is_domain_entry("bob@partner.example"));
    CHECK_THROWS_WITH(require_sender_entry("@"),
                      "invalid sender domain \"@\": has an empty domain");
    CHECK_THROWS_WITH(require_sender_entry("@@x.example"),
                      "invalid sender domain \"@@x.example\": has \"@\" in "
                      "its domain, which is not allowed");
  }

  TEST_CASE("parts") {
    CHECK(domain_of("a@x.example") == "x.example");
    CHECK(local_part_of("a@x.example") == "a");
  }
}

TEST_CASE("any_parent_domain: the domain, then each parent, until one is "
          "found") {
  std::vector<std::string> seen;
  auto record = [&](std::string_view domain) {
    seen.emplace_back(domain);
    return false;
  };
  CHECK_FALSE(any_parent_domain("eu.partner.example", record));
  CHECK((seen == std::vector<std::string>{"eu.partner.example",
                                          "partner.example", "example"}));
  seen.clear();
  CHECK(any_parent_domain("a.b.c", [&](std::string_view domain) {
    seen.emplace_back(domain);
    return domain == "b.c";
  }));
  CHECK((seen == std::vector<std::string>{"a.b.c", "b.c"}));
  seen.clear();
  CHECK_FALSE(any_parent_domain("", record));
  CHECK(seen.empty());
  CHECK_FALSE(any_parent_domain("com", record));
  CHECK(seen == std::vector<std::string>{"com"});
}

TEST_CASE("the fast check agrees with the validator") {
  auto agrees = [](const std::string& text) {
    std::string why;
    auto normal = normalize_address(text, &why);
    bool expected = normal && *normal == text;
    INFO("address: ", text);
    CHECK(is_normal_address(text) == expected);
  };
  for (const char* text :
       {"a@b.c", "A@b.c", "a@B.c", "a.b@c.d", ".a@b.c", "a.@b.c", "a..b@c.d",
        "a@b..c", "a@.b.c", "a@b.c.", "a@-b.c", "a@b-.c", "a@b", "@b.c", "a@",
        "a@b@c.d", "a b@c.d", "a,b@c.d", "a#b@c.d", "a\"b@c.d", "a'b@c.d",
        "a@b_c.d", "x-1@xn--bcher-kva.example", "a!$%&*+/=?^_{|}~-@b.c",
        "a@[1.2.3.4]", "a\n@b.c", "a@b.c\r"}) {
    agrees(text);
  }
  agrees(std::string(64, 'a') + "@b.c");
  agrees(std::string(65, 'a') + "@b.c");
  agrees("a@" + std::string(63, 'b') + ".c");
  agrees("a@" + std::string(64, 'b') + ".c");
  // 254 characters in all, and 255: every part within its own limit.
  auto domain = std::string(63, 'a') + "." + std::string(63, 'b') + "." +
                std::string(57, 'c') + ".com";
  agrees(std::string(64, 'a') + "@" + domain);
  agrees(std::string(64, 'a') + "@" + domain + "m");
  agrees(std::string(64, 'a') + "@" + std::string(63, 'b') + "-.c");
  agrees("a@b.c-");
  agrees("a@b.-c");
  // Random strings over the characters that matter.
  const std::string alphabet = "aZ9.-@_+#, \"'\t\n\x01\xc3";
  std::uint64_t state = 42;
  for (int n = 0; n < 20000; ++n) {
    std::string text;
    auto length = 1 + (state >> 33) % 12;
    for (std::size_t i = 0; i < length; ++i) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      text += alphabet[(state >> 33) % alphabet.size()];
    }
    agrees(text);
  }
}
