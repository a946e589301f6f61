// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/group_diff.hpp"

#include <doctest/doctest.h>

using namespace mailgroup;

using Lines = std::vector<std::string>;

TEST_SUITE("group_diff") {
  TEST_CASE("added: what the second sorted list has and the first has not") {
    CHECK(added({"a", "c"}, {"a", "b", "c", "d"}) == Lines{"b", "d"});
    CHECK(added({"a", "b"}, {"a"}).empty());
    CHECK(added({}, {"x"}) == Lines{"x"});
  }

  TEST_CASE("the same group has no changes") {
    Group group;
    group.address = "team@example.com";
    group.members = {"a@example.com"};
    CHECK(describe_changes(group, group).empty());
  }

  TEST_CASE("each setting that differs, one line each, in a fixed order") {
    Group before;
    before.address = "team@example.com";
    before.administrators = {"boss@example.com"};
    before.members = {"a@example.com", "b@example.com"};
    Group after = before;
    after.name = "Team";
    after.description = "The team";
    after.administrators = {"chief@example.com"};
    after.audit = true;
    after.auditors = {"audit@example.com"};
    after.permission = Permission::whitelist;
    after.whitelist = {"@example.org"};
    after.show_in_contacts = false;
    after.notify_members = true;
    after.leave_needs_approval = true;
    after.ignore_auto_replies = true;
    after.frozen = true;
    after.frozen_reason = "audit";
    after.members = {"b@example.com", "c@example.com"};
    CHECK(describe_changes(before, after) ==
          Lines{"name: (none) -> \"Team\"",
                "description: (none) -> \"The team\"",
                "administrators: +chief@example.com -boss@example.com",
                "audit: no -> yes",
                "auditors: +audit@example.com",
                "permission: \"domain\" -> \"whitelist\"",
                "whitelist: +@example.org",
                "show_in_contacts: yes -> no",
                "notify_members: no -> yes",
                "leave_needs_approval: no -> yes",
                "ignore_auto_replies: no -> yes",
                "frozen: no -> yes",
                "frozen_reason: (none) -> \"audit\"",
                "members: +c@example.com -a@example.com"});
    CHECK(describe_changes(after, before)[0] == "name: \"Team\" -> (none)");
  }

  TEST_CASE("a department rule and its directory members") {
    Group before;
    before.address = "eng@example.com";
    Group after = before;
    after.dynamic.emplace();
    after.dynamic->department = "Eng";
    after.dynamic->include_subdepartments = true;
    after.dynamic->where = "level >= 3";
    after.dynamic->exclude = {"x@example.com"};
    after.dynamic->set_resolved({"p@example.com", "q@example.com"});
    CHECK(describe_changes(before, after) ==
          Lines{"department: (none) -> \"Eng\"",
                "include_subdepartments: no -> yes",
                "where: (none) -> \"level >= 3\"",
                "exclude: +x@example.com",
                "directory members: +p@example.com +q@example.com"});
    auto later = after;
    later.dynamic->set_resolved({"q@example.com", "r@example.com"});
    CHECK(describe_changes(after, later) ==
          Lines{"directory members: +r@example.com -p@example.com"});
  }

  TEST_CASE("a name with a quote or a line break is shown escaped") {
    Group before;
    Group after;
    after.name = "say \"hi\"\n";
    CHECK(describe_changes(before, after) ==
          Lines{"name: (none) -> \"say \\\"hi\\\"\\n\""});
  }
}
