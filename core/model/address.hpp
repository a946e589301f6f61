// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mailgroup {

// The one address validator. Everything mailgroup writes into a Postfix map
// went through it, so its rules are deliberately stricter than RFC 5321:
//
// - a mailbox is `local@domain`, local part a dot-atom of at most 64
//   characters, domain a host name of at most 253, the whole at most 254;
// - whitespace, control characters, commas, quotes, `#`, backslashes and
//   anything outside printable ASCII are refused: each could end a map line,
//   start a comment, split a virtual(5) right-hand side or fold differently
//   in Postfix's tables;
// - quoted local parts and address literals (`[192.0.2.1]`) are refused;
// - a bare `@domain` is refused: in virtual(5) it is a catch-all.
//
// Addresses are returned in lower case. Postfix's indexed tables fold keys to
// lower case anyway, so two addresses differing only in case are one key.

// The normalised form of `text`, or nullopt with `*why` set to the reason.
std::optional<std::string> normalize_address(std::string_view text,
                                             std::string* why);

// The normalised host name, or nullopt with `*why` set to the reason.
std::optional<std::string> normalize_domain(std::string_view text,
                                            std::string* why);

// True if `text` is a valid address already in normal (lower-case) form:
// the common case of a directory export, checked without allocating.
bool is_normal_address(std::string_view text);

// Like normalize_address, but throws Error(data) naming `text` and the reason.
std::string require_address(std::string_view text);

// A group's address also names its files in the store
// (groups/ADDRESS.toml), so on top of the address rules its local part may
// hold only letters, digits, '.', '-', '_', '+' and '=': nothing a file system, a
// shell glob or a path would read as more than one plain name ('/' above
// all). Returned normalised; throws Error(data) naming `text` and the fix.
std::string require_group_address(std::string_view text);

std::string require_domain(std::string_view text);

// A sender-whitelist entry is an address or a whole domain written
// `@partner.example`; returned normalised. Throws Error(data).
std::string require_sender_entry(std::string_view text);

bool is_domain_entry(std::string_view entry);

// A login name (mailgroup.toml's [users], SASL logins) goes into Postfix
// maps too: as a check_sasl_access key and in smtpd_sender_login_maps
// results, which Postfix splits at commas and whitespace. So it is 1 to 254
// bytes of lower-case letters, digits and . _ - + =, with at most one '@'
// that has a name before it and a host name after it; no dot at either end
// or twice in a row. Nothing else: no whitespace, control characters,
// '#', ',', upper case (Postfix compares logins without case), and never
// `@domain` or `name@`, which access(5) reads as catch-alls. Why `login`
// is not one, or empty if it is.
std::string login_name_error(std::string_view login);

// Throws Error(data) naming `login` and the reason unless it is one.
std::string require_login_name(std::string_view login);

std::string_view domain_of(std::string_view address);

// Calls `visit` with `domain`, then each of its parent domains
// (a.example.com, example.com, com), as access(5) looks them up while
// parent_domain_matches_subdomains lists the table (Postfix's default);
// stops at the first for which `visit` returns true and says whether one
// did. Views into `domain`, no allocation (the policy service calls it
// per request).
template <class Visit>
bool any_parent_domain(std::string_view domain, Visit&& visit) {
  while (!domain.empty()) {
    if (visit(domain)) {
      return true;
    }
    auto dot = domain.find('.');
    if (dot == std::string_view::npos) {
      break;
    }
    domain.remove_prefix(dot + 1);
  }
  return false;
}

std::string_view local_part_of(std::string_view address);

} // namespace mailgroup
