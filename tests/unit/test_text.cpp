// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/util/json_lines.hpp"
#include "core/util/text.hpp"

#include <doctest/doctest.h>

using namespace mailgroup;

TEST_SUITE("text") {
  TEST_CASE("quote escapes what would break a message") {
    CHECK(quote("a\"b\\c\n\r\t\x01\xc3\xa9") ==
          "\"a\\\"b\\\\c\\n\\r\\t\\x01\\xc3\\xa9\"");
  }
  TEST_CASE("utf8") {
    CHECK(is_valid_utf8("Jos\xc3\xa9 \xe6\x97\xa5\xf0\x9f\x98\x80"));
    CHECK_FALSE(is_valid_utf8("\xc3"));
    CHECK_FALSE(is_valid_utf8("\xc0\xaf")); // overlong '/'
    CHECK_FALSE(is_valid_utf8("\xed\xa0\x80")); // surrogate
    CHECK_FALSE(is_valid_utf8("\xf4\x90\x80\x80")); // past U+10FFFF
  }
  TEST_CASE("closest match") {
    CHECK(edit_distance("memebrs", "members") == 1);
    CHECK(closest_match("tem@example.com", {"team@example.com", "x@y.z"}) ==
          "team@example.com");
    CHECK(closest_match("nobody@example.com", {"team@example.com"}).empty());
  }
  TEST_CASE("json escapes and shapes") {
    nlohmann::ordered_json json = {{"s", "a\"\n\x01\b\f\x7f/\xc3\xa9"},
                                   {"l", nlohmann::ordered_json::array()},
                                   {"n", 3},
                                   {"o", nlohmann::ordered_json::object()}};
    CHECK(json_document(json) ==
          "{\n  \"s\": \"a\\\"\\n\\u0001\\b\\f\x7f/\xc3\xa9\",\n"
          "  \"l\": [],\n  \"n\": 3,\n  \"o\": {}\n}\n");
    CHECK(json_line(json) ==
          "{\"s\":\"a\\\"\\n\\u0001\\b\\f\x7f/\xc3\xa9\",\"l\":[],"
          "\"n\":3,\"o\":{}}\n");
  }
  TEST_CASE("json replaces bytes that are not UTF-8") {
    nlohmann::ordered_json json = {{"s", "a\xc3(\xff"}};
    CHECK(json_line(json) == "{\"s\":\"a\xef\xbf\xbd(\xef\xbf\xbd\"}\n");
  }
}
