// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The policy service's compiled index: every group's rule and sender set in
// one flat file, so the service answers without the store, without
// allocating, and picks up a new file without restarting. Built by
// `generate postfix` in policy mode; read in one piece and checked whole
// (version, sizes, order, checksum) before a single answer comes from it.
//
// Layout, all integers little-endian (version 3):
//   header   56 bytes: magic "mgpolicy", version, group count, key count,
//            set words, string bytes, local-domain set (offset, length),
//            reserved, FNV-1a 64 of everything after the header, login
//            count, reserved
//   groups   24 bytes each, sorted by address: address (offset, length),
//            kind, flags, sender set (offset, length), refusal (offset,
//            length), reserved
//   keys     8 bytes each, sorted: sender keys (addresses and domains)
//   logins   16 bytes each, sorted by login: [users]' login (offset,
//            length) and its address (offset, length)
//   sets     4-byte key numbers, each set sorted
//   strings  the addresses, domains, logins and refusals the above point
//            into
//
// Version 3 added the refusal: a group's own refusal text as the whole
// answer ("550 5.7.1 TEXT", "550 5.2.1 TEXT" for a frozen group), empty
// for the default texts. An index of another version is refused whole, so
// the service answers 451 4.3.0 until `generate postfix` rewrites it.

#include "core/store/store.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mailgroup {

inline constexpr std::uint32_t k_policy_index_version = 3;

// Who may post to a group, as the index records it.
enum class PolicyKind : std::uint8_t {
  anyone = 0,
  local = 1,   // senders of the store's domains (permission domain)
  listed = 2,  // senders in the group's set (members, whitelist)
  frozen = 3,
};

inline constexpr std::uint8_t k_policy_hold = 1;      // audited: HOLD
inline constexpr std::uint8_t k_policy_no_auto = 2;   // refuse the null sender
// require_login: the request's sasl_username, through the logins, must be
// an address the group's rule lets post; the sender is not looked at.
inline constexpr std::uint8_t k_policy_require_login = 4;

struct SenderSet {
  std::uint32_t offset = 0; // into the sets, in words
  std::uint32_t length = 0;
};

struct PolicyGroup {
  std::string_view address; // as the index holds it
  PolicyKind kind = PolicyKind::anyone;
  std::uint8_t flags = 0;
  SenderSet senders;
  // The group's own refusal, the whole answer (answers.hpp: the code of
  // the refusal it replaces, then the group's text); empty: the default.
  std::string_view refusal;
};

// The answer the index records for `group`'s own refusal text: what the
// maps write for it (maps.cpp), "550 5.2.1 TEXT" for a frozen group, else
// "550 5.7.1 TEXT"; empty when the group has none.
std::string policy_refusal(const Group& group);

// The index file's bytes for `snapshot`: byte-stable (the same store gives
// the same bytes).
std::string build_policy_index(const Snapshot& snapshot);

// A checked index in memory. Lookups take lower-case text.
class PolicyIndex {
public:
  // Throws Error(data) "`source`: why" unless `bytes` is a whole, current,
  // uncorrupted index.
  PolicyIndex(std::string bytes, std::string_view source);

  std::optional<PolicyGroup> find_group(std::string_view address) const;
  // Whether `key` (an address or a domain) is in `set`.
  bool contains(SenderSet set, std::string_view key) const;
  SenderSet local_domains() const { return m_local; }
  // The address [users] gives `login`, or nullopt.
  std::optional<std::string_view> find_login(std::string_view login) const;
  std::uint32_t group_count() const { return m_groups; }

private:
  std::uint32_t word(std::size_t at) const;
  std::string_view text(std::size_t record) const;
  std::string_view refusal_at(std::size_t record) const;
  std::string_view key(std::uint32_t number) const;
  std::string_view login_at(std::uint32_t number) const;
  std::optional<std::uint32_t> key_number(std::string_view key) const;

  std::string m_bytes;
  std::uint32_t m_groups = 0;
  std::uint32_t m_keys = 0;
  std::uint32_t m_set_words = 0;
  std::size_t m_groups_at = 0;
  std::size_t m_keys_at = 0;
  std::uint32_t m_logins = 0;
  std::size_t m_logins_at = 0;
  std::size_t m_sets_at = 0;
  std::size_t m_strings_at = 0;
  SenderSet m_local;
};

} // namespace mailgroup
