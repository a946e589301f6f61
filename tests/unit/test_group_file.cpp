// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/config.hpp"
#include "core/store/group_file.hpp"
#include "core/util/error.hpp"

#include <doctest/doctest.h>

using namespace mailgroup;

namespace {
const char* k_full = R"(address = "team@example.com"
administrators = [
  "boss@example.com",
]
applicant = "alice"
audit = true
auditors = [
  "audit@example.com",
]
created = 2026-01-31T09:00:00Z
description = "The \"team\""
frozen = true
frozen_at = 2026-02-01T10:00:00Z
frozen_reason = "moved"
ignore_auto_replies = true
leave_needs_approval = false
members = [
  "a@example.com",
  "b@example.org",
]
name = "Team"
notify_members = true
permission = "whitelist"
show_in_contacts = false
whitelist = [
  "@partner.example",
  "x@vendor.example",
]

[dynamic]
department = "Engineering/Platform"
exclude = [
  "c@example.com",
]
include_subdepartments = true
where = "title contains \"engineer\""
)";

std::string errors_of(const std::string& text) {
  try {
    parse_group(text, "g.toml");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::data);
    return e.what();
  }
  return "";
}
} // namespace

TEST_SUITE("group_file") {
  TEST_CASE("a dotted key deep enough to overflow the parser is refused") {
    std::string deep;
    for (int i = 0; i < 100000; ++i) {
      deep += "a.";
    }
    std::string text = "address = \"g@example.com\"\n" + deep + "b = 1\n";
    CHECK_THROWS_WITH(parse_group(text, "g.toml"),
                      "g.toml:2:512: a dotted key of more than 256 parts; no "
                      "mailgroup file needs one");
    // Dots in strings, comments and a line of floats are not key parts.
    std::string dots(1000, '.');
    std::string floats = "x = [";
    for (int i = 0; i < 300; ++i) {
      floats += "1.5, ";
    }
    CHECK_THROWS_WITH(
        parse_group("address = \"g@example.com\"\ndescription = \"" + dots +
                        "\" # " + dots + "\n" + floats + "]\n",
                    "g.toml"),
        doctest::Contains("unknown key 'x'"));
  }

  TEST_CASE("round trip is byte-identical") {
    auto group = parse_group(k_full, "g.toml");
    CHECK(format_group(group) == k_full);
    CHECK(group.permission == Permission::whitelist);
    CHECK(group.description == "The \"team\"");
    REQUIRE(group.dynamic);
    CHECK(group.dynamic->department == "Engineering/Platform");
    group.dynamic->set_resolved({"d@example.com", "c@example.com"});
    CHECK(group.effective_members() ==
          std::vector<std::string>{"a@example.com", "b@example.org",
                                   "d@example.com"});
  }

  TEST_CASE("lists are sorted and addresses normalised on read") {
    auto group = parse_group(R"(address = "T@Example.com"
administrators = ["z@example.com", "A@example.com"]
members = ["b@example.com", "A@example.com"]
)",
                             "g.toml");
    CHECK(group.address == "t@example.com");
    CHECK(group.members ==
          std::vector<std::string>{"a@example.com", "b@example.com"});
    CHECK(group.administrators ==
          std::vector<std::string>{"a@example.com", "z@example.com"});
  }

  TEST_CASE("every problem, with line and column") {
    CHECK(errors_of(R"(address = "t@example.com"
administrators = ["a@example.com"]
members = ["a@example.com", "A@example.com", 3]
permision = "anyone"
audit = true
)") == "g.toml:1:1: 'audit' is on but 'auditors' is empty: name at "
          "least one auditor\n"
          "g.toml:3:29: \"a@example.com\" is listed twice in 'members'\n"
          "g.toml:3:46: 'members' must hold strings only\n"
          "g.toml:4:1: unknown key 'permision'; did you mean 'permission'?");
    CHECK(errors_of("address = 't@example.com'\n") ==
          "g.toml:1:1: a group needs at least one administrator in "
          "'administrators'");
    CHECK(errors_of("name = 'x'\nadministrators = ['a@example.com']\n") ==
          "g.toml:1:1: missing 'address'");
    CHECK(errors_of("address = \"t@example.com\"\nadministrators = "
                    "['a@example.com']\ncreated = \"yesterday\"\n") ==
          "g.toml:3:11: 'created' must be a date-time such as "
          "2026-01-31T09:00:00Z");
    CHECK(errors_of("address = 't@example.com'\nadministrators = "
                    "['a@example.com']\nname = \"a\\nb\"\n") ==
          "g.toml:3:8: 'name': invalid text \"a\\nb\": contains a control "
          "character (it must be one line)");
    CHECK(errors_of("address = \n") ==
          "g.toml:1:11: Error while parsing key-value pair: expected value, "
          "saw '\\n'");
  }

  TEST_CASE("a department that can never match is refused where it is") {
    auto group_with = [](std::string department) {
      return "address = 't@example.com'\nadministrators = ['a@example.com']"
             "\n[dynamic]\ndepartment = '" +
             department + "'\n";
    };
    CHECK(errors_of(group_with("Eng/")) ==
          "g.toml:4:14: invalid 'department' \"Eng/\": it has an empty part "
          "(a leading, trailing or doubled \"/\"), so it names no "
          "department; did you mean \"Eng\"?");
    CHECK(errors_of(group_with("//")) ==
          "g.toml:4:14: invalid 'department' \"//\": it has an empty part (a "
          "leading, trailing or doubled \"/\"), so it names no department; "
          "did you mean \"/\"?");
    CHECK(errors_of(group_with("")) ==
          "g.toml:4:14: invalid 'department' \"\": it is empty; \"/\" alone "
          "names the whole organisation");
    CHECK(errors_of(group_with("Eng/../Sales")) ==
          "g.toml:4:14: invalid 'department' \"Eng/../Sales\": it has a part "
          "\"..\": a department path names departments from the top down "
          "and never goes up");
    CHECK(parse_group(group_with("/"), "g.toml").dynamic->department == "/");
    CHECK(parse_group(group_with(" Eng / Platform "), "g.toml")
              .dynamic->department == " Eng / Platform ");
    // Judged with the store's separator.
    CHECK(parse_group(group_with("Eng/"), "g.toml", " > ")
              .dynamic->department == "Eng/");
    CHECK_THROWS(parse_group(group_with("Eng >  > Kernel"), "g.toml", " > "));
  }
  TEST_CASE("a rule that does not parse is refused where it is") {
    auto text = std::string("address = 't@example.com'\n"
                            "administrators = ['a@example.com']\n"
                            "[dynamic]\ndepartment = 'Eng'\n"
                            "where = 'level >>= 3'\n");
    CHECK(errors_of(text) ==
          "g.toml:5:9: 'where': invalid rule at column 8: expected a value (a "
          "\"string\", a number or a date) after '>', found '>='\n"
          "  level >>= 3\n"
          "         ^");
    CHECK(errors_of("address = 't@example.com'\n"
                    "administrators = ['a@example.com']\n"
                    "[dynamic]\ndepartment = 'Eng'\n"
                    "where = 'level >= 3'\n") == "");
  }

  TEST_CASE("department spellings") {
    CHECK(department_path_error("/", "/").empty());
    CHECK(department_path_error(" / ", "/").empty());
    CHECK(department_path_error("Eng", "/").empty());
    CHECK(department_path_error("Eng / Platform", "/").empty());
    for (auto bad : {"", " ", "//", "///", "Eng/", "/Eng", "Eng//Platform",
                     "Eng/ /Platform", ".", "..", "Eng/.", "../Eng",
                     "Eng/\tX\n"}) {
      CAPTURE(bad);
      CHECK_FALSE(department_path_error(bad, "/").empty());
    }
    CHECK(department_path_error("Eng > Platform", " > ").empty());
    CHECK(department_path_error(">", " > ").empty());
    CHECK(is_root_department(">", " > "));
    CHECK_FALSE(department_path_error("Eng >  > Platform", " > ").empty());
    CHECK(is_root_department(" / ", "/"));
    CHECK_FALSE(is_root_department("//", "/"));
    CHECK_FALSE(is_root_department("", "/"));
  }
  TEST_CASE("config") {
    auto config = parse_config("domains = ['B.example', 'a.example']\n"
                               "[directory]\npath = 'people.csv'\n"
                               "email_column = 'mail'\n",
                               "m.toml");
    CHECK(config.domains == std::vector<std::string>{"a.example", "b.example"});
    CHECK(config.directory.email_column == "mail");
    CHECK(parse_config(format_config(config), "m.toml") == config);
    try {
      parse_config("domains = []\n[sync]\nmax_removal_share = 2\n", "m.toml");
      FAIL("no exception");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::config);
      CHECK(std::string(e.what()) ==
            "m.toml:1:11: 'domains' must list at least one local domain, "
            "e.g. domains = [\"example.com\"]\n"
            "m.toml:3:21: 'max_removal_share' must be between 0 and 1");
    }
  }
}
