// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/address.hpp"
#include "core/util/error.hpp"
#include "core/util/toml_io.hpp"

#include <doctest/doctest.h>

using namespace mailgroup;

namespace {

// The diagnostics of reading `text` with `read`, one string each.
template <typename Read>
std::vector<std::string> problems(const std::string& text, Read&& read) {
  auto table = parse_toml(text, "f.toml", ErrorKind::data);
  std::vector<Diagnostic> diagnostics;
  TomlFields fields(table, "f.toml", diagnostics);
  read(fields);
  std::vector<std::string> out;
  for (const auto& d : diagnostics) {
    out.push_back(d.to_string());
  }
  return out;
}

using Lines = std::vector<std::string>;

std::string dotted_key(std::size_t parts) {
  std::string key = "a";
  for (std::size_t i = 1; i < parts; ++i) {
    key += ".a";
  }
  return key;
}

} // namespace

TEST_SUITE("toml_io") {
  TEST_CASE("a syntax error is located and of the kind asked for") {
    try {
      parse_toml("a = 1\nb = \n", "f.toml", ErrorKind::config);
      FAIL("no error");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::config);
      REQUIRE(e.diagnostics().size() == 1);
      CHECK(e.diagnostics()[0].where.to_string() == "f.toml:2:5");
    }
  }

  TEST_CASE("a dotted key of 256 parts is read, of 257 refused before the "
            "parser recurses") {
    auto table = parse_toml(dotted_key(256) + " = 1\n", "f.toml",
                            ErrorKind::data);
    CHECK(table.size() == 1);
    CHECK_THROWS_WITH_AS(
        parse_toml("x = 1\n" + dotted_key(257) + " = 1\n", "f.toml",
                   ErrorKind::data),
        "f.toml:2:512: a dotted key of more than 256 parts; no mailgroup file "
        "needs one",
        Error);
    // Dots in strings, comments and numbers are no key parts.
    std::string dots(1000, '.');
    CHECK(parse_toml("s = \"" + dots + "\"\n# " + dots + "\nt = '" + dots +
                         "'\nu = \"\"\"\n" + dots + "\n\"\"\"\n",
                     "f.toml", ErrorKind::data)
              .size() == 3);
  }

  TEST_CASE("each key is read with its type; wrong types are reported") {
    auto found = problems(
        "s = 1\nb = \"yes\"\nn = \"2\"\nl = \"x\"\nt = 3\nok = true\n",
        [](TomlFields& f) {
          CHECK_FALSE(f.string("s"));
          CHECK_FALSE(f.boolean("b"));
          CHECK_FALSE(f.number("n"));
          CHECK(f.string_list("l", [](std::string_view v) {
                   return std::string(v);
                 }).empty());
          CHECK(f.table("t") == nullptr);
          CHECK(f.boolean("ok") == true);
          CHECK_FALSE(f.string("absent"));
        });
    CHECK(found == Lines{"f.toml:1:5: 's' must be a string",
                         "f.toml:2:5: 'b' must be true or false",
                         "f.toml:3:5: 'n' must be a number",
                         "f.toml:4:5: 'l' must be a list of strings",
                         "f.toml:5:5: 't' must be a table"});
  }

  TEST_CASE("a number may be written as an integer or a float") {
    auto found = problems("i = 3\nf = 0.25\n", [](TomlFields& f) {
      CHECK(f.number("i") == 3.0);
      CHECK(f.number("f") == 0.25);
    });
    CHECK(found.empty());
  }

  TEST_CASE("a date-time natively or as a string that is one") {
    auto found = problems(
        "a = 2026-01-31T09:00:00Z\nb = \"2026-01-31T09:00:00Z\"\n"
        "c = \"2026-01-31\"\nd = \"yesterday\"\n"
        "e = \"2026-01-31T09:00:00Z\\nx = 1\"\n",
        [](TomlFields& f) {
          CHECK(f.timestamp("a") == "2026-01-31T09:00:00Z");
          CHECK(f.timestamp("b") == "2026-01-31T09:00:00Z");
          CHECK_FALSE(f.timestamp("c"));
          CHECK_FALSE(f.timestamp("d"));
          CHECK_FALSE(f.timestamp("e"));
        });
    CHECK(found ==
          Lines{"f.toml:3:5: 'c' must be a date-time such as "
                "2026-01-31T09:00:00Z",
                "f.toml:4:5: 'd' must be a date-time such as "
                "2026-01-31T09:00:00Z",
                "f.toml:5:5: 'e' must be a date-time such as "
                "2026-01-31T09:00:00Z"});
  }

  TEST_CASE("list elements are normalised; refusals and twins are reported "
            "at the element") {
    std::vector<std::string> list;
    auto found = problems(
        "m = [\"A@example.com\", \"bad\", 3, \"a@example.com\", "
        "\"b@example.com\"]\n",
        [&](TomlFields& f) { list = f.string_list("m", require_address); });
    CHECK(list == Lines{"a@example.com", "b@example.com"});
    CHECK(found == Lines{"f.toml:1:23: invalid address \"bad\": has no '@'",
                         "f.toml:1:30: 'm' must hold strings only",
                         "f.toml:1:33: \"a@example.com\" is listed twice in "
                         "'m'"});
  }

  TEST_CASE("unknown keys are reported, with the likely one meant") {
    auto found = problems("members = []\nmembrs = []\nzzz = 1\n",
                          [](TomlFields& f) {
                            f.string_list("members", require_address);
                            f.report_unknown_keys();
                          });
    CHECK(found == Lines{"f.toml:2:1: unknown key 'membrs'; did you mean "
                         "'members'?",
                         "f.toml:3:1: unknown key 'zzz'"});
  }

  TEST_CASE("a list of tables, or a report of how to write one") {
    auto found = problems("x = 1\n[[r]]\na = 1\n", [](TomlFields& f) {
      CHECK(f.tables("x") == nullptr);
      REQUIRE(f.tables("r") != nullptr);
      CHECK(f.tables("r")->size() == 1);
    });
    CHECK(found ==
          Lines{"f.toml:1:5: 'x' must be a list of tables, written [[x]]"});
  }

  TEST_CASE("the writer: one key a line, lists one element a line, quoted") {
    TomlWriter out;
    out.comment("settings");
    out.string("name", "say \"hi\"\n");
    out.boolean("on", true);
    out.number("share", 0.5);
    out.raw("count", "3");
    out.string_list("empty", {});
    out.string_list("members", {"a@example.com", "b@example.com"});
    out.table("sync");
    out.raw_line("# end");
    CHECK(out.text() == "# settings\n"
                        "name = \"say \\\"hi\\\"\\n\"\n"
                        "on = true\n"
                        "share = 0.5\n"
                        "count = 3\n"
                        "empty = []\n"
                        "members = [\n"
                        "  \"a@example.com\",\n"
                        "  \"b@example.com\",\n"
                        "]\n"
                        "\n[sync]\n"
                        "# end\n");
    auto table = parse_toml(out.text(), "w.toml", ErrorKind::data);
    CHECK(table["name"].value<std::string>() == "say \"hi\"\n");
  }

  TEST_CASE("toml_quote escapes control characters") {
    CHECK(toml_quote("a\tb\x01") == "\"a\\tb\\u0001\"");
    CHECK(toml_quote("back\\slash") == "\"back\\\\slash\"");
  }
}
