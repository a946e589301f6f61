// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/group.hpp"

#include "core/util/error.hpp"
#include "core/util/json_lines.hpp"
#include "core/util/text.hpp"

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

std::string refusal_text_error(std::string_view text) {
  if (text.size() > k_refusal_text_max) {
    return fmt::format("it is {} bytes long, more than {}", text.size(),
                       k_refusal_text_max);
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x20 || byte > 0x7e) {
      return fmt::format("byte {} is not printable ASCII (it must be one "
                         "line of ASCII)",
                         i + 1);
    }
    if (text[i] == '$' || text[i] == '{' || text[i] == '}') {
      return fmt::format("byte {} is '{}', which main.cf would expand or "
                         "group",
                         i + 1, text[i]);
    }
  }
  if (!text.empty() && (text.front() == ' ' || text.back() == ' ')) {
    return "it starts or ends with a space";
  }
  return {};
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

namespace {
template <typename T> void sort_unique(std::vector<T>& list) {
  // Lists mostly arrive sorted (files are written sorted): a linear check
  // saves a sort of millions.
  if (!std::is_sorted(list.begin(), list.end())) {
    std::sort(list.begin(), list.end());
  }
  list.erase(std::unique(list.begin(), list.end()), list.end());
}
} // namespace

bool is_root_department(std::string_view path, std::string_view separator) {
  auto root = trim(separator);
  return !root.empty() && trim(path) == root;
}

std::string department_path_error(std::string_view path,
                                  std::string_view separator) {
  path = trim(path);
  if (path.empty()) {
    return fmt::format("it is empty; {} alone names the whole organisation",
                       quote(trim(separator)));
  }
  for (char c : path) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      return "it contains a control character";
    }
  }
  if (is_root_department(path, separator) || separator.empty()) {
    return {};
  }
  std::vector<std::string_view> parts;
  bool empty_part = false;
  std::size_t start = 0;
  while (true) {
    auto end = path.find(separator, start);
    auto part = trim(path.substr(start, end == std::string_view::npos
                                            ? std::string_view::npos
                                            : end - start));
    if (part.empty()) {
      empty_part = true;
    } else if (part == "." || part == "..") {
      return fmt::format("it has a part {}: a department path names "
                         "departments from the top down and never goes up",
                         quote(part));
    } else {
      parts.push_back(part);
    }
    if (end == std::string_view::npos) {
      break;
    }
    start = end + separator.size();
  }
  if (empty_part) {
    auto fixed = parts.empty() ? std::string(trim(separator))
                               : fmt::format("{}", fmt::join(parts, separator));
    return fmt::format("it has an empty part (a leading, trailing or doubled "
                       "{}), so it names no department; did you mean {}?",
                       quote(separator), quote(fixed));
  }
  return {};
}

void canonicalize(std::vector<std::string>& list) { sort_unique(list); }

void canonicalize(std::vector<std::string_view>& list) { sort_unique(list); }

void canonicalize(Group& group) {
  canonicalize(group.administrators);
  canonicalize(group.auditors);
  canonicalize(group.whitelist);
  canonicalize(group.members);
  if (group.dynamic) {
    canonicalize(group.dynamic->exclude);
  }
}

void DynamicRule::set_resolved(std::vector<std::string> addresses) {
  canonicalize(addresses);
  std::string text;
  for (const auto& address : addresses) {
    text += address;
    text += '\n';
  }
  set_resolved_text(std::move(text));
}

void DynamicRule::set_resolved_text(std::string text) {
  auto storage = std::make_shared<const std::string>(std::move(text));
  resolved.clear();
  std::string_view rest(*storage);
  while (!rest.empty()) {
    auto end = rest.find('\n');
    auto line = rest.substr(0, end);
    if (!line.empty() && line.front() != '#') {
      resolved.push_back(line);
    }
    if (end == std::string_view::npos) {
      break;
    }
    rest.remove_prefix(end + 1);
  }
  canonicalize(resolved);
  resolved_storage = std::move(storage);
}

bool DynamicRule::operator==(const DynamicRule& other) const {
  return department == other.department &&
         include_subdepartments == other.include_subdepartments &&
         where == other.where && exclude == other.exclude &&
         resolved == other.resolved;
}

std::vector<std::string_view> Group::effective_member_views() const {
  std::vector<std::string_view> all(members.begin(), members.end());
  if (dynamic) {
    all.reserve(all.size() + dynamic->resolved.size());
    for (auto resolved_member : dynamic->resolved) {
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

std::vector<std::string> Group::effective_members() const {
  auto views = effective_member_views();
  return {views.begin(), views.end()};
}

namespace {

nlohmann::ordered_json text_or_null(const std::string& text) {
  return text.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(text);
}

} // namespace

void to_json(nlohmann::ordered_json& json, const Group& group) {
  json = {
      {"address", group.address},
      {"name", group.name},
      {"description", group.description},
      {"applicant", group.applicant},
      {"created", text_or_null(group.created)},
      {"administrators", group.administrators},
      {"audit", group.audit},
      {"auditors", group.auditors},
      {"permission", to_string(group.permission)},
      {"refusal_text", text_or_null(group.refusal_text)},
      {"whitelist", group.whitelist},
      {"show_in_contacts", group.show_in_contacts},
      {"notify_members", group.notify_members},
      {"leave_needs_approval", group.leave_needs_approval},
      {"ignore_auto_replies", group.ignore_auto_replies},
      {"require_login", group.require_login},
      {"members_may_send_as_group", group.members_may_send_as_group},
      {"frozen", group.frozen},
      {"frozen_reason", text_or_null(group.frozen_reason)},
      {"frozen_at", text_or_null(group.frozen_at)},
  };
  json["members"] = group.members;
  // Views: no copy of the list on the way (a group may have a million).
  json["effective_members"] = group.effective_member_views();
  if (!group.dynamic) {
    json["dynamic"] = nullptr;
    return;
  }
  const auto& rule = *group.dynamic;
  json["dynamic"] = {
      {"department", rule.department},
      {"include_subdepartments", rule.include_subdepartments},
      {"where", rule.where},
      {"exclude", rule.exclude},
      {"resolved", rule.resolved},
  };
}

} // namespace mailgroup
