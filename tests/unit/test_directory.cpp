// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/directory.hpp"
#include "core/error.hpp"

#include <doctest/doctest.h>

using namespace mailgroup;

namespace {
std::unique_ptr<Directory> load(std::string text,
                                std::string source = "d.csv",
                                bool skip = false,
                                std::vector<std::string>* warnings = nullptr) {
  std::vector<std::string> w;
  DirectoryLoadOptions options;
  options.skip_invalid = skip;
  auto d = load_directory(std::move(text), source, DirectoryConfig{}, options,
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
  TEST_CASE("status decides who is active; emails are normalised") {
    auto d = load("email,department,status\nA@X.example,Eng,ACTIVE\n"
                  "b@x.example,Eng,left\n");
    auto a = d->find("a@x.example");
    REQUIRE(a != Directory::npos);
    CHECK(d->active(a));
    CHECK_FALSE(d->active(d->find("b@x.example")));
    CHECK(d->active_count() == 1);
  }
  TEST_CASE("no status column: everyone is active") {
    auto d = load("email,department\na@x.example,Eng\n");
    CHECK(d->active(0));
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
    config.email_column = "mail";
    config.department_separator = " > ";
    std::vector<std::string> warnings;
    auto d = load_directory("mail,department\na@x.example,Eng > Platform\n",
                            "d.csv", config, {}, warnings);
    CHECK(d->find_department("eng > platform") != Directory::npos);
  }
}
