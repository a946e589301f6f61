// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/store/group_names.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace mailgroup;

namespace {

constexpr std::string_view k_metadata = "65024:12 1796424539.130222053 "
                                        "1796424539.130222053";

std::vector<std::string> addresses_in(const std::optional<GroupNames>& names) {
  REQUIRE(names);
  return {names->addresses().begin(), names->addresses().end()};
}

} // namespace

TEST_SUITE("group names") {
  TEST_CASE("the text holds the folder's metadata, the count and the names") {
    std::vector<std::string> addresses{"a@example.com", "b@example.com"};
    auto text = group_names_text(addresses, k_metadata);
    CHECK(text == "mailgroup group names 1\n"
                  "groups 65024:12 1796424539.130222053 1796424539.130222053\n"
                  "count 2\n"
                  "a@example.com\n"
                  "b@example.com\n");
    auto names = parse_group_names(text, k_metadata);
    CHECK(addresses_in(names) == addresses);
    CHECK(names->contains("b@example.com"));
    CHECK_FALSE(names->contains("c@example.com"));
    CHECK(addresses_in(parse_group_names(group_names_text({}, ""), "")).empty());
  }

  TEST_CASE("a text for another state of groups/, or not as written, is not "
            "believed") {
    auto text = group_names_text({"a@example.com", "b@example.com"}, k_metadata);
    CHECK_FALSE(parse_group_names(text, "65024:12 1796424539.130222053 "
                                        "1796424540.000000000"));
    CHECK_FALSE(parse_group_names(text, ""));
    // Cut short anywhere: within the last name, before it, in the header.
    for (std::size_t size = 0; size < text.size(); ++size) {
      CAPTURE(size);
      CHECK_FALSE(parse_group_names(text.substr(0, size), k_metadata));
    }
    auto replaced = [&](std::string_view from, std::string_view to) {
      auto copy = text;
      copy.replace(copy.find(from), from.size(), to);
      return copy;
    };
    CHECK_FALSE(parse_group_names(replaced("names 1", "names 2"), k_metadata));
    CHECK_FALSE(parse_group_names(replaced("count 2", "count 3"), k_metadata));
    CHECK_FALSE(parse_group_names(replaced("count 2", "count 2x"), k_metadata));
    CHECK_FALSE(parse_group_names(replaced("count 2", "count -1"), k_metadata));
    CHECK_FALSE(parse_group_names(
        replaced("count 2", "count 99999999999999999999999"), k_metadata));
    CHECK_FALSE(parse_group_names(replaced("b@example.com", "a@example.com"),
                                  k_metadata));
    CHECK_FALSE(parse_group_names(replaced("a@example.com\nb", "b@example.com\na"),
                                  k_metadata));
    CHECK_FALSE(parse_group_names(replaced("b@example.com\n", "\n"), k_metadata));
    CHECK_FALSE(parse_group_names(text + "\n", k_metadata));
  }
}
