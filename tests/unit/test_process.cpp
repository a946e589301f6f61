// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/util/error.hpp"
#include "core/util/process.hpp"

#include <doctest/doctest.h>

using namespace mailgroup;

TEST_CASE("run_process feeds stdin and keeps stdout and stderr apart") {
  std::string input(1 << 20, 'x'); // more than a pipe holds
  input += "\nend\n";
  auto result = run_process({"/bin/sh", "-c", "wc -c; echo oops >&2; exit 3"},
                            {input, true});
  CHECK(result.status == 3);
  CHECK(result.output == "1048581\n");
  CHECK(result.errors == "oops\n");
}

TEST_CASE("run_process merges stderr into stdout unless asked") {
  auto result = run_process({"/bin/sh", "-c", "echo a; echo b >&2"});
  CHECK(result.status == 0);
  CHECK(result.output == "a\nb\n");
  CHECK(result.errors.empty());
}

TEST_CASE("a program that reads none of its input does not kill the caller") {
  std::string input(4 << 20, 'x');
  auto result = run_process({"/bin/true"}, {input, false});
  CHECK(result.status == 0);
}

TEST_CASE("a missing program is an I/O error naming it") {
  try {
    run_process({"/nonexistent/sendmail", "-t"});
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::io);
    CHECK(std::string(e.what()) ==
          "cannot run /nonexistent/sendmail: No such file or directory");
  }
}

TEST_CASE("a program is never looked up in PATH") {
  for (const char* name : {"true", "bin/true", ""}) {
    CAPTURE(name);
    try {
      run_process({name});
      FAIL("no error");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::internal);
      CHECK(std::string(e.what()).ends_with(
          ": not an absolute path, and PATH is not searched"));
    }
  }
}
