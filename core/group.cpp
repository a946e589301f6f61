// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/group.hpp"

#include "core/error.hpp"
#include "core/text.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace mailgroup {

std::string_view to_string(Permission permission) {
  switch (permission) {
  case Permission::domain:
    return "domain";
  case Permission::members:
    return "members";
  case Permission::anyone:
    return "anyone";
  case Permission::whitelist:
    return "whitelist";
  }
  return "domain";
}

Permission parse_permission(std::string_view text) {
  for (auto permission : {Permission::domain,
                          Permission::members,
                          Permission::anyone,
                          Permission::whitelist}) {
    if (text == to_string(permission)) {
      return permission;
    }
  }
  throw Error(ErrorKind::data,
              fmt::format("invalid sending permission {}: use domain, "
                          "members, anyone or whitelist",
                          quote(text)));
}

void canonicalize(std::vector<std::string>& list) {
  std::sort(list.begin(), list.end());
  list.erase(std::unique(list.begin(), list.end()), list.end());
}

std::vector<std::string> Group::effective_members() const {
  std::vector<std::string> all = members;
  if (dynamic) {
    for (const auto& resolved_member : dynamic->resolved) {
      if (!std::binary_search(dynamic->exclude.begin(),
                              dynamic->exclude.end(),
                              resolved_member)) {
        all.push_back(resolved_member);
      }
    }
  }
  canonicalize(all);
  return all;
}

} // namespace mailgroup
