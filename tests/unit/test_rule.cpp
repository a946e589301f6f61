// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/directory/index.hpp"
#include "core/directory/rule.hpp"
#include "core/directory/rule_node.hpp"
#include "core/util/error.hpp"
#include "core/util/text.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace mailgroup;

namespace {
// The fixtures here have no status column: everyone is active.
DirectoryConfig no_status() {
  DirectoryConfig config;
  config.status_column_optional = true;
  return config;
}

std::unique_ptr<Directory> people() {
  std::vector<std::string> warnings;
  return load_directory(
      "email,department,title,level,hire_date,location,note\n"
      "a@x.example,Eng,Senior Engineer,7,2019-05-01,Zürich,\n"
      "b@x.example,Eng,Sales Rep,10,2024-01-31T09:00,Berlin,x\n"
      "c@x.example,Eng,engineer,n/a,unknown,berlin,\n",
      "d.csv", no_status(), {}, warnings);
}

// Which of a, b, c match `text`.
std::string who(const std::string& text) {
  static auto d = people();
  auto rule = Rule::parse(text);
  rule.bind(*d);
  std::string out;
  for (auto email : {"a@x.example", "b@x.example", "c@x.example"}) {
    if (rule.matches(*d, d->find(email))) {
      out += email[0];
    }
  }
  return out;
}

std::string error_of(const std::string& text) {
  try {
    who(text);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}
} // namespace

TEST_SUITE("rule") {
  TEST_CASE("numbers compare as numbers") {
    CHECK(who("level > 8") == "b");      // 10 > 8, as a string "10" < "8"
    CHECK(who("level >= 7") == "ab");
    CHECK(who("level == 7.0") == "a");
    CHECK(who("level != 7") == "bc");    // n/a is not 7
    CHECK(who("level < 100") == "ab");   // n/a is not comparable
  }
  TEST_CASE("dates compare as dates, with or without quotes") {
    CHECK(who("hire_date >= 2020-01-01") == "b");
    CHECK(who("hire_date < '2020-01-01'") == "a");
    CHECK(who("hire_date == 2024-01-31") == "b"); // a time part is ignored
  }
  TEST_CASE("only finite decimals are numbers") {
    std::vector<std::string> warnings;
    auto d = load_directory("email,department,level\n"
                            "nan@x.example,E,nan\n"
                            "nan2@x.example,E,NaN\n"
                            "inf@x.example,E,inf\n"
                            "minf@x.example,E,-Infinity\n"
                            "hex@x.example,E,0x10\n"
                            "exp@x.example,E,1e3\n"
                            "sign@x.example,E,+-5\n"
                            "five@x.example,E,5\n"
                            "half@x.example,E,-0.5\n",
                            "d.csv", no_status(), {}, warnings);
    auto matching = [&](const std::string& text) {
      auto rule = Rule::parse(text);
      rule.bind(*d);
      std::vector<std::string> out;
      for (std::size_t i = 0; i < d->size(); ++i) {
        if (rule.matches(*d, i)) {
          out.emplace_back(d->email(i).substr(0, d->email(i).find('@')));
        }
      }
      std::sort(out.begin(), out.end());
      return out;
    };
    using List = std::vector<std::string>;
    CHECK(matching("level >= 7") == List{});
    CHECK(matching("level <= 1") == List{"half"});
    CHECK(matching("level == 5 and level == 6") == List{});
    CHECK(matching("level == 5") == List{"five"});
    CHECK(matching("level > -1000000") == List{"five", "half"});
    CHECK(matching("level in [5, 16, 1000]") == List{"five"});
    CHECK(matching("level == 'nan'") == List{"nan", "nan2"}); // as text
    CHECK(error_of("level > 1e3") ==
          "invalid rule at column 9: \"1e3\" is neither a number nor a date "
          "(YYYY-MM-DD)\n"
          "  level > 1e3\n"
          "          ^");
    double value = 0;
    CHECK(parse_number(" 7 ", value));
    CHECK(value == 7);
    CHECK(parse_number("+2.5", value));
    CHECK(parse_number(".5", value));
    const std::string too_long(400, '9'); // outlives the list below
    for (auto text : {"nan", "inf", "-inf", "infinity", "0x1p3", "1e3", "+-1",
                      "--1", "", "+", "-", ".", "1.2.3", too_long.c_str()}) {
      CAPTURE(text);
      CHECK_FALSE(parse_number(text, value));
    }
  }
  TEST_CASE("only calendar dates are dates") {
    CHECK(is_calendar_date("2024-02-29"));
    CHECK(is_calendar_date("2000-02-29"));
    CHECK(is_calendar_date("2026-12-31"));
    for (auto text : {"2023-02-29", "1900-02-29", "2020-02-30", "2026-13-45",
                      "2026-00-10", "2026-04-31", "2026-01-00", "2026-1-01",
                      "20260101", "2026-01-01T", "x026-01-01"}) {
      CAPTURE(text);
      CHECK_FALSE(is_calendar_date(text));
    }
    std::vector<std::string> warnings;
    auto d = load_directory("email,department,hired\n"
                            "bad@x.example,E,2020-02-30\n"
                            "worse@x.example,E,2026-13-45T09:00\n"
                            "good@x.example,E,2020-02-29\n",
                            "d.csv", no_status(), {}, warnings);
    for (auto text : {"hired >= 2020-01-01", "hired < 2030-01-01",
                      "hired == 2020-02-29", "hired <= 2020-03-01"}) {
      CAPTURE(text);
      auto rule = Rule::parse(text);
      rule.bind(*d);
      CHECK_FALSE(rule.matches(*d, d->find("bad@x.example")));
      CHECK_FALSE(rule.matches(*d, d->find("worse@x.example")));
      CHECK(rule.matches(*d, d->find("good@x.example")));
    }
    CHECK(error_of("hire_date > 2020-02-30") ==
          "invalid rule at column 13: 2020-02-30 is not a date: there is no "
          "day 30 in February 2020\n"
          "  hire_date > 2020-02-30\n"
          "              ^");
    CHECK(error_of("hire_date > '2026-13-45'") ==
          "invalid rule at column 13: 2026-13-45 is not a date: there is no "
          "month 13\n"
          "  hire_date > '2026-13-45'\n"
          "              ^");
  }
  TEST_CASE("strings compare case-insensitively") {
    CHECK(who("location == 'BERLIN'") == "bc");
    CHECK(who("title contains 'ENGINEER'") == "ac");
    CHECK(who("title startswith 'sales'") == "b");
    CHECK(who("title endswith \"eer\"") == "ac");
    CHECK(who("location == \"Zürich\"") == "a");
    CHECK(who("location > 'a'") == "abc");
  }
  TEST_CASE("in, not in, exists, matches") {
    CHECK(who("location in ['berlin', 'Paris']") == "bc");
    CHECK(who("location not in ['berlin']") == "a");
    CHECK(who("level in [7, 10]") == "ab");
    CHECK(who("note exists") == "b");
    CHECK(who("not note exists") == "ac");
    CHECK(who("title matches '^s'") == "ab");
    CHECK(who("title matches 'SENIOR|rep$'") == "ab");
  }
  TEST_CASE("and, or, not, parentheses, keywords in any case") {
    CHECK(who("level >= 7 and location == 'berlin'") == "b");
    CHECK(who("level >= 10 or title == 'engineer'") == "bc");
    CHECK(who("not (level >= 10 or title == 'engineer')") == "a");
    CHECK(who("title contains 'eng' AND NOT location == 'berlin'") == "a");
    CHECK(who("level > 1 or level < 1 and location == 'nowhere'") == "ab");
  }
  TEST_CASE("syntax errors show the expression and a caret") {
    CHECK(error_of("level >") ==
          "invalid rule at column 8: expected a value (a \"string\", a number "
          "or a date) after '>', found the end of the rule\n"
          "  level >\n"
          "         ^");
    CHECK(error_of("level = 3") ==
          "invalid rule at column 7: unknown operator '=' (use == or !=)\n"
          "  level = 3\n"
          "        ^");
    CHECK(error_of("(level > 3") ==
          "invalid rule at column 11: expected ')' to close the '(' at column "
          "1, found the end of the rule\n"
          "  (level > 3\n"
          "            ^");
    CHECK(error_of("title == 'x") ==
          "invalid rule at column 10: this string is never closed\n"
          "  title == 'x\n"
          "           ^");
    CHECK(error_of("title is 'x'") ==
          "invalid rule at column 7: expected an operator after \"title\" (==, "
          "!=, <, <=, >, >=, in, contains, startswith, endswith, matches, "
          "exists), found 'is'\n"
          "  title is 'x'\n"
          "        ^");
    CHECK(error_of("level > 3 level < 5") ==
          "invalid rule at column 11: expected 'and', 'or' or the end, found "
          "'level'\n"
          "  level > 3 level < 5\n"
          "            ^");
    CHECK(error_of("level in [1 2]") ==
          "invalid rule at column 13: expected ',' or ']' in the list, found "
          "'2'\n"
          "  level in [1 2]\n"
          "              ^");
    CHECK(error_of("title matches '('") ==
          "invalid rule at column 15: invalid regular expression: missing ): "
          "(\n"
          "  title matches '('\n"
          "                ^");
    CHECK(error_of("") == "invalid rule at column 1: the rule is empty\n"
                          "  \n"
                          "  ^");
    CHECK(error_of("level > 1e") ==
          "invalid rule at column 9: \"1e\" is neither a number nor a date "
          "(YYYY-MM-DD)\n"
          "  level > 1e\n"
          "          ^");
  }
  TEST_CASE("unknown attributes are named with a hint") {
    CHECK(error_of("level > 1 and titel == 'x'") ==
          "invalid rule at column 15: the directory has no attribute "
          "\"titel\"; did you mean \"title\"?\n"
          "  level > 1 and titel == 'x'\n"
          "                ^");
  }
  TEST_CASE("deep nesting is refused in bounded time and stack") {
    CHECK(error_of(std::string(100000, '(')) ==
          "invalid rule: longer than 65536 characters");
    CHECK(error_of(std::string(50000, '(')).starts_with(
        "invalid rule at column 201: the rule is nested too deeply (more than "
        "200 levels)"));
    std::string nots;
    for (int i = 0; i < 10000; ++i) {
      nots += "not ";
    }
    CHECK(error_of(nots + "level > 1").starts_with(
        "invalid rule at column 801: the rule is nested too deeply"));
  }
  TEST_CASE("a regular expression built to backtrack runs in linear time") {
    // (a+)+$ against aaaa...b is exponential for backtracking engines.
    std::vector<std::string> warnings;
    std::string csv = "email,department,s\na@x.example,E," +
                      std::string(50000, 'a') + "b\n";
    auto d = load_directory(csv, "d.csv", no_status(), {}, warnings);
    auto rule = Rule::parse("s matches '^(a+)+$'");
    rule.bind(*d);
    CHECK_FALSE(rule.matches(*d, 0));
  }
  TEST_CASE("explain shows each comparison with the value") {
    auto d = people();
    auto rule = Rule::parse("level >= 7 and (location == 'berlin' or not "
                            "note exists)");
    rule.bind(*d);
    CHECK(rule.explain(*d, d->find("a@x.example")) ==
          std::vector<std::string>{
              "all of -> true",
              "  level >= 7 -> true (level = \"7\")",
              "  any of -> true",
              "    location == 'berlin' -> false (location = "
              "\"Z\\xc3\\xbcrich\")",
              "    not -> true",
              "      note exists -> false (note = \"\")"});
  }
}
