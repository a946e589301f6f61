// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailgroup {

// Who may send to a group (checked on the envelope sender).
enum class Permission {
  domain,    // senders of the store's domains (the default)
  members,   // the group's own members
  anyone,    // no restriction
  whitelist, // the addresses and @domains on the group's whitelist
};

std::string_view to_string(Permission permission);
// Throws Error(data) listing the valid names.
Permission parse_permission(std::string_view text);

// A department group's rule: who the directory says belongs.
struct DynamicRule {
  std::string department;
  bool include_subdepartments = false;
  std::string where; // rule expression; empty means no condition
  std::vector<std::string> exclude;
  // Who the directory said belongs at the last `mailgroup sync`, so the
  // Postfix step needs no directory. Kept in resolved/ADDRESS.members, not in
  // the hand-edited group file. Sorted views into `resolved_storage`: a
  // store can hold millions, and a string each is too costly to load.
  std::vector<std::string_view> resolved;
  std::shared_ptr<const std::string> resolved_storage;

  // Replaces `resolved` with `addresses` (sorted, deduplicated).
  void set_resolved(std::vector<std::string> addresses);
  // Takes the text of a resolved file; `resolved` points into it.
  void set_resolved_text(std::string text);

  bool operator==(const DynamicRule& other) const;
};

// One mail group: every setting an administrator knows from hosted mail
// services. Address lists are kept sorted and free of duplicates.
struct Group {
  std::string address;
  std::string name;
  std::string description;
  std::string applicant; // who created it; never changed afterwards
  std::string created;
  std::vector<std::string> administrators;
  bool audit = false;
  std::vector<std::string> auditors;
  Permission permission = Permission::domain;
  std::vector<std::string> whitelist;
  // What Postfix tells a refused sender after the status code (frozen, or
  // not allowed to post); empty: the default text. See refusal_text_error.
  std::string refusal_text;
  bool show_in_contacts = true;
  bool notify_members = false;
  bool leave_needs_approval = false;
  bool ignore_auto_replies = false;
  // The client must have logged in (SASL), as a login whose address under
  // mailgroup.toml's [users] the sending permission allows; the envelope
  // sender alone, which any client can forge, is not enough.
  bool require_login = false;
  // Members' logins may use the group's address as envelope sender
  // (smtpd_sender_login_maps; policy mode: the same table in the index).
  bool members_may_send_as_group = false;
  bool frozen = false;
  std::string frozen_reason;
  std::string frozen_at;
  std::vector<std::string> members;
  std::optional<DynamicRule> dynamic;

  bool operator==(const Group&) const = default;

  // Static members plus, for a department group, the resolved members not
  // excluded: everyone who gets the group's mail (nested groups unexpanded).
  std::vector<std::string> effective_members() const;
  // The same as views into this group (no copies), for large stores.
  std::vector<std::string_view> effective_member_views() const;
};

// The longest refusal text: Postfix puts the recipient and "Recipient
// address rejected:" before it, and an SMTP reply line holds 512 bytes.
inline constexpr std::size_t k_refusal_text_max = 200;

// Why `text` cannot be a group's refusal text, or empty if it can: it goes
// into an SMTP reply and a main.cf setting, so it is one line of printable
// ASCII, without leading or trailing space, without $ { } (which main.cf
// expands or groups), at most k_refusal_text_max bytes.
std::string refusal_text_error(std::string_view text);

// The documented JSON shape of a group (mailgroup(1), JSON OUTPUT).
void to_json(nlohmann::ordered_json& json, const Group& group);

// True if `path` is the separator alone (surrounding space ignored): the
// root department, the whole organisation.
bool is_root_department(std::string_view path, std::string_view separator);

// Why `path`, a department group's department, can never name a
// department of any directory: empty, an empty part (a leading, trailing
// or doubled separator: "Eng/", "//"), a part "." or "..", a control
// character. Empty if it can. The directory itself reads its values
// leniently; this is for what people write in groups.
std::string department_path_error(std::string_view path,
                                  std::string_view separator);

// Sorts `list` and drops duplicates: the canonical order of every list.
void canonicalize(std::vector<std::string>& list);
void canonicalize(std::vector<std::string_view>& list);
// Every address list of `group` in canonical order.
void canonicalize(Group& group);

} // namespace mailgroup
