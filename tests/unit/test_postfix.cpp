// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/postfix/maps.hpp"
#include "core/util/error.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace mailgroup;

namespace {

Snapshot one_group() {
  Snapshot snapshot;
  snapshot.config.domains = {"example.com"};
  Group group;
  group.address = "sales@example.com";
  group.members = {"a@example.net"};
  snapshot.groups.emplace(group.address, group);
  return snapshot;
}

std::string file_of(const PostfixOutput& output, std::string_view name) {
  auto it = std::find_if(output.files.begin(), output.files.end(),
                         [&](const auto& file) { return file.name == name; });
  REQUIRE(it != output.files.end());
  return it->content;
}

} // namespace

TEST_SUITE("postfix") {
  TEST_CASE("a map directory main.cf would misread is refused by the generator") {
    PostfixOptions options;
    for (const char* dir : {"/etc/postfix/m\nrelayhost = [evil.example]:25",
                            "/srv/out dir,x", "/etc/$x", "relative/dir", ""}) {
      options.map_dir = dir;
      CAPTURE(dir);
      try {
        generate_postfix(one_group(), options);
        FAIL("no error");
      } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::usage);
        CHECK(std::string(e.what()).starts_with("the map directory "));
      }
    }
  }

  TEST_CASE("the map directory is written into the fragment as given") {
    PostfixOptions options;
    options.map_dir = "/etc/postfix/mailgroup";
    auto fragment = file_of(generate_postfix(one_group(), options),
                            "main.cf.fragment");
    CHECK(fragment.find("\nvirtual_alias_maps = "
                        "hash:/etc/postfix/mailgroup/virtual\n") !=
          std::string::npos);
  }

  TEST_CASE("require_main_cf_path names the byte and why") {
    CHECK_NOTHROW(require_main_cf_path("/a-b_c.d/+x@y/Z9", "--map-dir"));
    CHECK_THROWS_WITH(
        require_main_cf_path("/a b", "--map-dir"),
        "--map-dir \"/a b\" cannot be written into main.cf.fragment: byte 3 "
        "is whitespace, where main.cf splits a list; use an absolute path of "
        "only letters, digits and / . _ - + @");
  }
}
