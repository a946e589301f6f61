// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/directory/index.hpp"
#include "core/directory/rule.hpp"
#include "core/util/error.hpp"

#include <doctest/doctest.h>

using namespace mailgroup;

namespace {
// Most fixtures here have no status column: `status_optional` lets them.
std::unique_ptr<Directory> load(std::string text,
                                std::string source = "d.csv",
                                bool skip = false,
                                std::vector<std::string>* warnings = nullptr,
                                bool status_optional = true) {
  std::vector<std::string> w;
  DirectoryLoadOptions options;
  options.skip_invalid = skip;
  DirectoryConfig config;
  config.status_column_optional = status_optional;
  auto d = load_directory(std::move(text), source, config, options,
                          warnings ? *warnings : w);
  return d;
}

const char* k_people =
    "email,department,status,title\n"
    "a@x.example,Eng,active,CTO\n"
    "b@x.example,Eng / Platform,active,Engineer\n"
    "c@x.example,Eng/Platform/Kernel,left,Engineer\n"
    "d@x.example,Sales,active,Rep\n"
    "e@x.example,eng/platform,Active,Engineer\n";
} // namespace

TEST_SUITE("directory") {
  TEST_CASE("department tree: subtrees are contiguous ranges") {
    auto d = load(k_people);
    CHECK(d->size() == 5);
    auto eng = d->find_department("Eng");
    auto platform = d->find_department("ENG/platform");
    auto kernel = d->find_department(" Eng / Platform / Kernel ");
    REQUIRE(eng != Directory::npos);
    REQUIRE(platform != Directory::npos);
    REQUIRE(kernel != Directory::npos);
    CHECK(d->find_department("Eng/Nothing") == Directory::npos);
    CHECK(d->departments()[platform].path == "Eng/Platform");
    const auto& e = d->departments()[eng];
    CHECK(e.own_end - e.first == 1);
    CHECK(e.subtree_end - e.first == 4);
    const auto& p = d->departments()[platform];
    CHECK(p.own_end - p.first == 2); // b and e, case-insensitively one dept
    CHECK(d->is_under(kernel, eng));
    CHECK_FALSE(d->is_under(eng, kernel));
    CHECK_FALSE(d->is_under(d->find_department("Sales"), eng));
  }
  TEST_CASE("the separator alone is the root: the whole organisation") {
    auto d = load("email,department,status\n"
                  "a@x.example,Eng,active\n"
                  "top@x.example,,active\n"
                  "b@x.example,Eng/Platform,active\n"
                  "top2@x.example, / ,active\n");
    CHECK(d->find_department("/") == 0);
    CHECK(d->find_department(" / ") == 0);
    CHECK(d->find_department("") == Directory::npos);
    CHECK(d->find_department("//") == Directory::npos);
    const auto& root = d->departments()[0];
    CHECK(root.first == 0);
    CHECK(root.own_end == 2); // top and top2, filed at the top
    CHECK(root.subtree_end == 4);
    CHECK(d->display_path(0) == "/");
    CHECK(d->display_path(d->find_department("eng/platform")) ==
          "Eng/Platform");
  }
  TEST_CASE("status decides who is active; emails are normalised") {
    auto d = load("email,department,status\nA@X.example,Eng,ACTIVE\n"
                  "b@x.example,Eng,left\n");
    auto a = d->find("a@x.example");
    REQUIRE(a != Directory::npos);
    CHECK(d->active(a));
    CHECK_FALSE(d->active(d->find("b@x.example")));
    CHECK(d->active_count() == 1);
  }
  TEST_CASE("no status column: an error, unless it is optional") {
    // A renamed column must not make everyone active.
    CHECK_THROWS_WITH(
        load("email,department,employment_status\na@x.example,Eng,left\n",
             "d.csv", false, nullptr, false),
        "d.csv:1: no \"status\" column (the header has: email, department, "
        "employment_status); name the status column in mailgroup.toml, "
        "[directory] status_column, or set status_column_optional = true "
        "there if the directory has none (then everyone in it is active)");
    try {
      load("email,department\na@x.example,Eng\n", "d.csv", false, nullptr,
           false);
      FAIL("loaded");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::data);
    }
    // In a TOML directory, an attribute no employee has.
    CHECK_THROWS_WITH(load("[[employee]]\nemail = 'a@x.example'\n"
                           "department = 'Eng'\nemployment_status = 'left'\n",
                           "d.toml", false, nullptr, false),
                      "d.toml:1: no \"status\" column (the header has: "
                      "department, email, employment_status); name the "
                      "status column in mailgroup.toml, [directory] "
                      "status_column, or set status_column_optional = true "
                      "there if the directory has none (then everyone in it "
                      "is active)");
    // skip_invalid skips rows, not a missing column.
    CHECK_THROWS(load("email,department\na@x.example,Eng\n", "d.csv", true,
                      nullptr, false));
    auto d = load("email,department\na@x.example,Eng\n");
    CHECK(d->active(0));
    // A configured column name is found case-insensitively.
    auto e = load("email,department,Status\na@x.example,Eng,left\n",
                  "d.csv", false, nullptr, false);
    CHECK_FALSE(e->active(0));
  }
  TEST_CASE("bad rows fail the whole load, every one listed") {
    CHECK_THROWS_WITH(
        load("email,department\na@x.example,Eng\nnot-an-address,Eng\n"
             "a@x.example,Sales\nb@x.example\n"),
        "d.csv:3: invalid email \"not-an-address\": has no '@'\n"
        "d.csv:4: duplicate email a@x.example (first on line 2)\n"
        "d.csv:5: 1 fields, but the header has 2");
  }
  TEST_CASE("--skip-invalid keeps the good rows and warns") {
    std::vector<std::string> warnings;
    auto d = load("email,department\na@x.example,Eng\nbad,Eng\n", "d.csv",
                  true, &warnings);
    CHECK(d->size() == 1);
    CHECK(warnings == std::vector<std::string>{
                          "d.csv:3: invalid email \"bad\": has no '@'; row "
                          "skipped"});
  }
  TEST_CASE("--skip-invalid: a skipped duplicate leaves every index "
            "consistent") {
    std::vector<std::string> warnings;
    auto d = load("email,department,level\n"
                  "u1@x.example,Eng,1\n"
                  "U1@x.example,Eng,2\n"
                  "u2@x.example,Eng/Sub,3\n"
                  "u3@x.example,Eng,4\n",
                  "d.csv", true, &warnings);
    CHECK(warnings == std::vector<std::string>{
                          "d.csv:3: duplicate email u1@x.example (first on "
                          "line 2); row skipped"});
    REQUIRE(d->size() == 3);
    auto level = d->attribute_index("level");
    const auto& column = d->column(level);
    for (std::size_t i = 0; i < d->size(); ++i) {
      REQUIRE(i < column.ids.size());
      REQUIRE(column.ids[i] < column.values.size());
      CHECK(column.values[column.ids[i]] == d->value(i, level));
      CHECK(d->find(d->email(i)) == i);
    }
    CHECK(d->value(d->find("u1@x.example"), level) == "1");
    CHECK(d->line_of(d->find("u3@x.example")) == 5);
    auto rule = Rule::parse("level >= 3");
    rule.bind(*d);
    CHECK_FALSE(rule.matches(*d, d->find("u1@x.example")));
    CHECK(rule.matches(*d, d->find("u2@x.example")));
    CHECK(rule.matches(*d, d->find("u3@x.example")));
    const auto& eng = d->departments()[d->find_department("Eng")];
    CHECK(eng.own_end - eng.first == 2);
    CHECK(eng.subtree_end - eng.first == 3);
  }
  TEST_CASE("--skip-invalid: skipped rows of every kind, then a condition") {
    std::vector<std::string> warnings;
    auto d = load("email,department,level\n"
                  "bad,Eng,9\n"
                  "a@x.example,Eng,9\n"
                  "a@x.example,Eng,1\n"
                  "b@x.example,Eng\n"
                  "c@x.example,Eng,1\n"
                  "A@X.EXAMPLE,Eng,1\n",
                  "d.csv", true, &warnings);
    CHECK(warnings.size() == 4);
    REQUIRE(d->size() == 2);
    auto rule = Rule::parse("level == 9 or level == 1");
    rule.bind(*d);
    for (std::size_t i = 0; i < d->size(); ++i) {
      CHECK(rule.matches(*d, i));
    }
    CHECK(d->value(d->find("a@x.example"), d->attribute_index("level")) ==
          "9");
  }
  TEST_CASE("required columns and header problems") {
    CHECK_THROWS_WITH(load("mail,department\n"),
                      "d.csv:1: no \"email\" column (the header has: mail, "
                      "department); name it in mailgroup.toml, [directory] "
                      "email_column");
    CHECK_THROWS_WITH(load("email,department,Email\n"),
                      "d.csv:1: column \"Email\" appears twice in the header");
  }
  TEST_CASE("invalid UTF-8 is located") {
    CHECK_THROWS_WITH(load("email,department\na@x.example,Ing\xe9nierie\n"),
                      "d.csv:2:16: not valid UTF-8 (export the directory as "
                      "UTF-8)");
  }
  TEST_CASE("an empty directory is refused") {
    try {
      load("");
      FAIL("loaded");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::refused);
    }
  }
  TEST_CASE("TOML directory") {
    auto d = load("[[employee]]\nemail = 'a@x.example'\ndepartment = 'Eng'\n"
                  "level = 7\nhire_date = 2020-01-31\n\n[[employee]]\n"
                  "email = 'b@x.example'\ndepartment = 'Eng'\n",
                  "d.toml");
    CHECK(d->size() == 2);
    auto a = d->find("a@x.example");
    CHECK(d->value(a, d->attribute_index("level")) == "7");
    CHECK(d->value(a, d->attribute_index("hire_date")) == "2020-01-31");
    CHECK(d->value(d->find("b@x.example"), d->attribute_index("level")) == "");
    CHECK(d->line_of(d->find("b@x.example")) == 7);
    CHECK_THROWS_WITH(load("[[employee]]\nemail = 'x'\ndepartment = 'E'\n",
                           "d.toml"),
                      "d.toml:1: invalid email \"x\": has no '@'");
  }
  TEST_CASE("a configurable separator and column names") {
    DirectoryConfig config;
    config.status_column_optional = true;
    config.email_column = "mail";
    config.department_separator = " > ";
    std::vector<std::string> warnings;
    auto d = load_directory("mail,department\na@x.example,Eng > Platform\n",
                            "d.csv", config, {}, warnings);
    CHECK(d->find_department("eng > platform") != Directory::npos);
  }
}
