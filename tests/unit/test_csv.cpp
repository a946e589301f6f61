// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/util/csv.hpp"
#include "core/util/error.hpp"

#include <doctest/doctest.h>

using namespace mailgroup;

namespace {
std::vector<std::vector<std::string>> rows(std::string_view text) {
  CsvReader reader(text, "t.csv");
  CsvRecord record;
  std::vector<std::vector<std::string>> out;
  while (reader.next(record)) {
    std::vector<std::string> fields(record.fields.begin(),
                                    record.fields.end());
    fields.push_back("@" + std::to_string(record.line));
    out.push_back(fields);
  }
  return out;
}
using R = std::vector<std::vector<std::string>>;
} // namespace

TEST_SUITE("csv") {
  TEST_CASE("plain, LF and CRLF, last line without newline") {
    CHECK(rows("a,b\n1,2\r\n3,4") ==
          R{{"a", "b", "@1"}, {"1", "2", "@2"}, {"3", "4", "@3"}});
  }
  TEST_CASE("quoted fields: commas, doubled quotes, line breaks") {
    CHECK(rows("\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"\nx,y,z\n") ==
          R{{"a,b", "say \"hi\"", "two\nlines", "@1"}, {"x", "y", "z", "@3"}});
    CHECK(rows("\"\",\"\"\"\"\n") == R{{"", "\"", "@1"}});
  }
  TEST_CASE("empty fields and blank lines") {
    CHECK(rows(",\n\n\r\na,,b\n") ==
          R{{"", "", "@1"}, {"a", "", "b", "@4"}});
  }
  TEST_CASE("a byte order mark is skipped") {
    CHECK(rows("\xEF\xBB\xBF" "email\nx@y.z\n") ==
          R{{"email", "@1"}, {"x@y.z", "@2"}});
  }
  TEST_CASE("UTF-8 passes through") {
    CHECK(rows("Zürich,München\n") == R{{"Zürich", "München", "@1"}});
  }
  TEST_CASE("an unbalanced quote is an error at its opening") {
    CHECK_THROWS_WITH(rows("a,b\n1,\"open\n2,3\n"),
                      "t.csv:2:3: unbalanced quote: this quoted field never "
                      "ends");
  }
  TEST_CASE("a stray quote is an error where it is") {
    CHECK_THROWS_WITH(rows("a,b\nx,ab\"c\n"),
                      "t.csv:2:5: stray quote in an unquoted field (quote the "
                      "whole field and write the quote as \"\")");
    CHECK_THROWS_WITH(rows("\"a\"b,c\n"),
                      "t.csv:1:4: unexpected character after a closing quote "
                      "(a quote inside a quoted field is written \"\")");
  }
  TEST_CASE("a CR inside a field is data, before LF it is a line end") {
    CHECK(rows("a\rb,c\r\n") == R{{"a\rb", "c", "@1"}});
  }
  TEST_CASE("csv_cell quotes what needs it and defuses formulas") {
    CHECK(csv_cell("plain") == "plain");
    CHECK(csv_cell("") == "");
    CHECK(csv_cell("a,b") == "\"a,b\"");
    CHECK(csv_cell("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csv_cell("two\nlines") == "\"two\nlines\"");
    for (std::string lead : {"=", "+", "-", "@", "\t", "\r"}) {
      CAPTURE(lead);
      CHECK(csv_cell(lead + "1+1").substr(0, 2) ==
            (lead == "\r" ? "\"'" : "'" + lead));
    }
    CHECK(csv_cell("=A1,B1") == "\"'=A1,B1\"");
    CHECK(csv_cell("a=b") == "a=b");
  }
}
