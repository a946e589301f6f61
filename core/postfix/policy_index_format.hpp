// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What the policy index's writer and reader share: the layout's sizes
// (policy_index.hpp describes the layout), the byte order, the checksum
// and the check of a refusal. Internal to core/postfix.

#include "core/postfix/policy_index.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace mailgroup::policy_format {

inline constexpr std::string_view k_magic = "mgpolicy";
inline constexpr std::size_t k_header_size = 56;
inline constexpr std::size_t k_login_size = 16;
inline constexpr std::size_t k_group_size = 24;
inline constexpr std::size_t k_key_size = 8;
inline constexpr std::size_t k_checksum_at = 40;

// FNV-1a 64 of `bytes`.
std::uint64_t checksum(std::string_view bytes);

// Appends `value`'s low `bytes` bytes, little-endian.
inline void put(std::string& out, std::uint64_t value, std::size_t bytes) {
  for (std::size_t i = 0; i < bytes; ++i) {
    out += static_cast<char>((value >> (8 * i)) & 0xff);
  }
}

inline std::uint64_t get(std::string_view bytes,
                         std::size_t at,
                         std::size_t size) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < size; ++i) {
    value |= static_cast<std::uint64_t>(
                 static_cast<unsigned char>(bytes[at + i]))
             << (8 * i);
  }
  return value;
}

// `value` as an offset or count of the index; Error(internal) when the
// index would outgrow its 4-byte fields.
std::uint32_t narrow(std::size_t value);

// Why `refusal` cannot be the refusal of a group of `kind` in an index
// (the code of the refusal it replaces, a space, a valid refusal text), or
// empty if it can.
std::string refusal_error(std::string_view refusal, PolicyKind kind);

} // namespace mailgroup::policy_format
