// SPDX-License-Identifier: GPL-3.0-or-later
// The definitions of `create --from`: their form, in TOML and JSON Lines,
// with every problem at its line (and column, where the format has one).
#include "core/util/error.hpp"
#include "core/workflows/group_definitions.hpp"

#include <doctest/doctest.h>

using namespace mailgroup;

namespace {

// Every problem of parsing `text`, a line each, or "" if it parses.
std::string problems(std::string_view text, DefinitionFormat format) {
  try {
    parse_group_definitions(text, "defs", format);
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::data);
    std::string all;
    for (const auto& line : e.lines()) {
      all += line + "\n";
    }
    return all;
  }
  return "";
}

constexpr auto toml = DefinitionFormat::toml;
constexpr auto jsonl = DefinitionFormat::json_lines;

} // namespace

TEST_SUITE("group definitions") {
  TEST_CASE("every key of a TOML definition") {
    auto definitions = parse_group_definitions(R"(
[[group]]
address = "Sales@Example.com"
name = "Sales"
description = "All of sales"
applicant = "ann"
administrators = ["lead@example.com"]
auditors = ["audit@example.com"]
permission = "members"
audit = true
show_in_contacts = false
notify_members = true
leave_needs_approval = true
ignore_auto_replies = true
refusal_text = "Ask sales"
members = ["B@example.com", "a@example.com"]

[[group]]
address = "eng@example.com"
department = "Engineering"
include_subdepartments = true
where = "level >= 3"
exclude = ["x@example.com"]
)",
                                               "defs", toml);
    REQUIRE(definitions.size() == 2);
    const auto& sales = definitions[0];
    CHECK(sales.where.to_string() == "defs:2:1");
    CHECK(sales.address == "sales@example.com");
    CHECK(sales.settings.name == "Sales");
    CHECK(sales.settings.description == "All of sales");
    CHECK(sales.applicant == "ann");
    CHECK(sales.settings.administrators ==
          std::vector<std::string>{"lead@example.com"});
    CHECK(sales.settings.auditors ==
          std::vector<std::string>{"audit@example.com"});
    CHECK(sales.settings.permission == Permission::members);
    CHECK(sales.settings.audit == true);
    CHECK(sales.settings.show_in_contacts == false);
    CHECK(sales.settings.notify_members == true);
    CHECK(sales.settings.leave_needs_approval == true);
    CHECK(sales.settings.ignore_auto_replies == true);
    CHECK(sales.settings.refusal_text == "Ask sales");
    CHECK(sales.members ==
          std::vector<std::string>{"b@example.com", "a@example.com"});
    CHECK_FALSE(sales.settings.department);
    const auto& eng = definitions[1];
    CHECK(eng.where.to_string() == "defs:18:1");
    CHECK(eng.settings.department == "Engineering");
    CHECK(eng.settings.include_subdepartments == true);
    CHECK(eng.settings.where == "level >= 3");
    CHECK(eng.settings.exclude_add ==
          std::vector<std::string>{"x@example.com"});
    // Unset keys stay unset: the store's defaults apply.
    CHECK_FALSE(eng.settings.administrators);
    CHECK_FALSE(eng.settings.permission);
    CHECK_FALSE(eng.applicant);
  }

  TEST_CASE("JSON Lines: one object a line, blank lines skipped") {
    auto definitions = parse_group_definitions(
        "{\"address\": \"a@example.com\", \"members\": [\"m@example.com\"]}\n"
        "\n"
        "{\"address\": \"b@example.com\", \"audit\": false, "
        "\"department\": \"Sales\"}\n",
        "defs", jsonl);
    REQUIRE(definitions.size() == 2);
    CHECK(definitions[0].where.to_string() == "defs:1");
    CHECK(definitions[0].members == std::vector<std::string>{"m@example.com"});
    CHECK(definitions[1].where.to_string() == "defs:3");
    CHECK(definitions[1].settings.audit == false);
    CHECK(definitions[1].settings.department == "Sales");
  }

  TEST_CASE("nothing to create is no error") {
    CHECK(parse_group_definitions("", "defs", toml).empty());
    CHECK(parse_group_definitions("\n\n", "defs", jsonl).empty());
  }

  TEST_CASE("TOML problems, each at its line and column") {
    CHECK(problems("[[group]]\nname = \"x\"\n", toml) ==
          "defs:1:1: missing 'address'\n");
    CHECK(problems("[[group]]\naddress = \"a@example.com\"\nnmae = \"x\"\n",
                   toml) ==
          "defs:3:1: unknown key 'nmae'; did you mean 'name'?\n");
    CHECK(problems("[[group]]\naddress = \"a@example.com\"\naudit = \"yes\"\n",
                   toml) == "defs:3:9: 'audit' must be true or false\n");
    CHECK(problems("[[group]]\naddress = \"a@example.com\"\n"
                   "members = [\"ok@example.com\", \"not an address\"]\n",
                   toml) ==
          "defs:3:30: invalid address \"not an address\": contains "
          "whitespace\n");
    CHECK(problems("[[group]]\naddress = \"a@example.com\"\n"
                   "permission = \"everyone\"\n",
                   toml) ==
          "defs:3:14: invalid sending permission \"everyone\": use domain, "
          "members, anyone or whitelist\n");
    CHECK(problems("[[groups]]\naddress = \"a@example.com\"\n", toml) ==
          "defs:1:3: unknown key 'groups'; did you mean 'group'?\n");
    CHECK(problems("[group]\naddress = \"a@example.com\"\n", toml) ==
          "defs:1:1: 'group' must be a list of tables, written [[group]]\n");
    CHECK(problems("[[group]]\naddress = \n", toml) ==
          "defs:2:11: Error while parsing key-value pair: expected value, "
          "saw '\\n'\n");
  }

  TEST_CASE("an address defined twice, after normalising") {
    CHECK(problems("[[group]]\naddress = \"a@example.com\"\n"
                   "[[group]]\naddress = \"A@Example.com\"\n",
                   toml) ==
          "defs:4:11: group a@example.com is defined twice (first at "
          "defs:2:11); keep one definition\n");
    CHECK(problems("{\"address\": \"a@example.com\"}\n"
                   "{\"address\": \"a@example.com\"}\n",
                   jsonl) ==
          "defs:2: group a@example.com is defined twice (first at defs:1); "
          "keep one definition\n");
  }

  TEST_CASE("JSON Lines problems, each at its line") {
    CHECK(problems("{\"address\": \"a@example.com\"}\n{\"address\": \n", jsonl) ==
          "defs:2:13: invalid JSON here; each line must be one JSON object\n");
    CHECK(problems("[1, 2]\n", jsonl) ==
          "defs:1: not a JSON object; each line must be one JSON object\n");
    CHECK(problems("{\"address\": \"a@example.com\", \"shown\": true}\n",
                   jsonl) == "defs:1: unknown key 'shown'\n");
    CHECK(problems("{\"address\": \"a@example.com\", \"name\": null}\n",
                   jsonl) == "defs:1: 'name' must be a string\n");
    CHECK(problems("{\"address\": 7}\n", jsonl) ==
          "defs:1: 'address' must be a string\n");
    // Every problem of the file, not only the first.
    CHECK(problems("{\"name\": \"x\"}\n{\"address\": \"b@example.com\", "
                   "\"members\": [1]}\n",
                   jsonl) ==
          "defs:1: missing 'address'\n"
          "defs:2: 'members' must hold strings only\n");
  }

  TEST_CASE("the format from the file name or its name") {
    CHECK(definition_format_of("groups.toml") == toml);
    CHECK(definition_format_of("groups.jsonl") == jsonl);
    CHECK(definition_format_of("groups.ndjson") == jsonl);
    CHECK_FALSE(definition_format_of("groups.json"));
    CHECK_FALSE(definition_format_of("-"));
    CHECK(parse_definition_format("jsonl") == jsonl);
    CHECK_THROWS_WITH(parse_definition_format("yaml"),
                      "unknown definition format \"yaml\"; give toml or jsonl");
  }
}
