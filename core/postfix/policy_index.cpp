// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/postfix/policy_index.hpp"

#include "core/model/address.hpp"
#include "core/postfix/answers.hpp"
#include "core/postfix/maps.hpp"
#include "core/postfix/policy_index_format.hpp"
#include "core/postfix/policy_index_writer.hpp"
#include "core/util/error.hpp"

#include <fmt/format.h>

namespace mailgroup {

namespace policy_format {

std::uint64_t checksum(std::string_view bytes) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

std::uint32_t narrow(std::size_t value) {
  if (value > 0xffffffffU) {
    throw Error(ErrorKind::internal,
                "the policy index would exceed 4 GiB; it cannot hold this "
                "store");
  }
  return static_cast<std::uint32_t>(value);
}

std::string refusal_error(std::string_view refusal, PolicyKind kind) {
  if (refusal.empty()) {
    return {};
  }
  auto code = kind == PolicyKind::frozen ? answers::frozen_code
                                         : answers::not_allowed_code;
  if (refusal.size() <= code.size() + 1 || !refusal.starts_with(code) ||
      refusal[code.size()] != ' ') {
    return fmt::format("it does not start with \"{} \"", code);
  }
  return refusal_text_error(refusal.substr(code.size() + 1));
}

} // namespace policy_format

using namespace policy_format;

std::string policy_refusal(const Group& group) {
  if (group.refusal_text.empty()) {
    return {};
  }
  return fmt::format("{} {}",
                     group.frozen ? answers::frozen_code
                                  : answers::not_allowed_code,
                     group.refusal_text);
}

std::string build_policy_index(const Snapshot& snapshot) {
  PolicyIndexWriter writer(snapshot.config);
  for_each_expanded(snapshot, [&](const Group& group, const auto& members) {
    writer.add(group, members);
  });
  return writer.finish();
}

PolicyIndex::PolicyIndex(std::string bytes, std::string_view source)
    : m_bytes(std::move(bytes)) {
  auto fail = [&](std::string_view why) {
    throw Error(ErrorKind::data, fmt::format("{}: {}", source, why));
  };
  std::string_view all(m_bytes);
  if (all.size() < k_header_size || !all.starts_with(k_magic)) {
    fail("not a mailgroup policy index");
  }
  auto version = get(all, 8, 4);
  if (version != k_policy_index_version) {
    fail(fmt::format("index version {}, this mailgroup reads version {}: "
                     "run 'mailgroup generate postfix' again",
                     version, k_policy_index_version));
  }
  if (get(all, 36, 4) != 0 || get(all, 52, 4) != 0) {
    fail("unknown header flags: written by a newer mailgroup?");
  }
  m_groups = static_cast<std::uint32_t>(get(all, 12, 4));
  m_keys = static_cast<std::uint32_t>(get(all, 16, 4));
  m_set_words = static_cast<std::uint32_t>(get(all, 20, 4));
  auto string_bytes = get(all, 24, 4);
  m_local = {static_cast<std::uint32_t>(get(all, 28, 4)),
             static_cast<std::uint32_t>(get(all, 32, 4))};
  m_logins = static_cast<std::uint32_t>(get(all, 48, 4));
  m_groups_at = k_header_size;
  m_keys_at = m_groups_at + k_group_size * m_groups;
  m_logins_at = m_keys_at + k_key_size * m_keys;
  m_sets_at = m_logins_at + k_login_size * m_logins;
  m_strings_at = m_sets_at + 4 * std::size_t{m_set_words};
  if (m_strings_at + string_bytes != all.size()) {
    fail(fmt::format("{} bytes where the header promises {}: truncated or "
                     "damaged",
                     all.size(), m_strings_at + string_bytes));
  }
  if (checksum(all.substr(k_header_size)) != get(all, k_checksum_at, 8)) {
    fail("checksum mismatch: the file is damaged");
  }
  auto check_text = [&](std::size_t record_at, std::uint64_t length) {
    if (get(all, record_at, 4) + length > string_bytes) {
      fail("a name points outside the file");
    }
  };
  auto check_set = [&](SenderSet set) {
    if (std::uint64_t{set.offset} + set.length > m_set_words) {
      fail("a sender set points outside the file");
    }
    for (std::uint32_t i = 0; i < set.length; ++i) {
      auto number = word(m_sets_at + 4 * (std::size_t{set.offset} + i));
      if (number >= m_keys ||
          (i > 0 &&
           number <= word(m_sets_at + 4 * (std::size_t{set.offset} + i - 1)))) {
        fail("a sender set is not sorted or names no key");
      }
    }
  };
  check_set(m_local);
  for (std::uint32_t i = 0; i < m_groups; ++i) {
    auto at = m_groups_at + k_group_size * i;
    check_text(at, get(all, at + 4, 2));
    auto kind = get(all, at + 6, 1);
    if (kind > static_cast<std::uint8_t>(PolicyKind::frozen) ||
        (get(all, at + 7, 1) &
         ~std::uint64_t{k_policy_hold | k_policy_no_auto |
                        k_policy_require_login}) != 0) {
      fail("a group has an unknown kind or flag");
    }
    check_set({word(at + 8), word(at + 12)});
    check_text(at + 16, get(all, at + 20, 2));
    if (get(all, at + 22, 2) != 0) {
      fail("a group has unknown reserved bytes: written by a newer "
           "mailgroup?");
    }
    if (auto why = refusal_error(refusal_at(at), static_cast<PolicyKind>(kind));
        !why.empty()) {
      fail(fmt::format("the refusal of {} is not one Postfix may be given: {}",
                       text(at), why));
    }
    if (i > 0 && !(text(at - k_group_size) < text(at))) {
      fail("the groups are not sorted");
    }
  }
  for (std::uint32_t i = 0; i < m_keys; ++i) {
    auto at = m_keys_at + k_key_size * i;
    check_text(at, get(all, at + 4, 4));
    if (i > 0 && !(key(i - 1) < key(i))) {
      fail("the sender keys are not sorted");
    }
  }
  for (std::uint32_t i = 0; i < m_logins; ++i) {
    auto at = m_logins_at + k_login_size * i;
    check_text(at, get(all, at + 4, 4));
    check_text(at + 8, get(all, at + 12, 4));
    if (i > 0 && !(login_at(i - 1) < login_at(i))) {
      fail("the logins are not sorted");
    }
  }
}

std::string_view PolicyIndex::login_at(std::uint32_t number) const {
  auto at = m_logins_at + k_login_size * number;
  return std::string_view(m_bytes).substr(m_strings_at + word(at), word(at + 4));
}

std::optional<std::string_view> PolicyIndex::find_login(
    std::string_view login) const {
  std::uint32_t low = 0;
  std::uint32_t high = m_logins;
  while (low < high) {
    auto middle = low + (high - low) / 2;
    auto name = login_at(middle);
    if (name < login) {
      low = middle + 1;
    } else if (login < name) {
      high = middle;
    } else {
      auto at = m_logins_at + k_login_size * middle + 8;
      return std::string_view(m_bytes).substr(m_strings_at + word(at),
                                              word(at + 4));
    }
  }
  return std::nullopt;
}

std::uint32_t PolicyIndex::word(std::size_t at) const {
  return static_cast<std::uint32_t>(get(m_bytes, at, 4));
}

std::string_view PolicyIndex::text(std::size_t record) const {
  // Group records hold a 2-byte length, key records a 4-byte one.
  std::size_t length = record < m_keys_at ? get(m_bytes, record + 4, 2)
                                          : word(record + 4);
  return std::string_view(m_bytes).substr(m_strings_at + word(record), length);
}

std::string_view PolicyIndex::refusal_at(std::size_t record) const {
  return std::string_view(m_bytes).substr(m_strings_at + word(record + 16),
                                          get(m_bytes, record + 20, 2));
}

std::string_view PolicyIndex::key(std::uint32_t number) const {
  return text(m_keys_at + k_key_size * number);
}

std::optional<PolicyGroup> PolicyIndex::find_group(
    std::string_view address) const {
  std::uint32_t low = 0;
  std::uint32_t high = m_groups;
  while (low < high) {
    auto middle = low + (high - low) / 2;
    auto at = m_groups_at + k_group_size * middle;
    auto name = text(at);
    if (name < address) {
      low = middle + 1;
    } else if (address < name) {
      high = middle;
    } else {
      return PolicyGroup{
          name,
          static_cast<PolicyKind>(get(m_bytes, at + 6, 1)),
          static_cast<std::uint8_t>(get(m_bytes, at + 7, 1)),
          {word(at + 8), word(at + 12)},
          refusal_at(at)};
    }
  }
  return std::nullopt;
}

std::optional<std::uint32_t> PolicyIndex::key_number(
    std::string_view wanted) const {
  std::uint32_t low = 0;
  std::uint32_t high = m_keys;
  while (low < high) {
    auto middle = low + (high - low) / 2;
    auto name = key(middle);
    if (name < wanted) {
      low = middle + 1;
    } else if (wanted < name) {
      high = middle;
    } else {
      return middle;
    }
  }
  return std::nullopt;
}

bool PolicyIndex::contains(SenderSet set, std::string_view wanted) const {
  auto number = key_number(wanted);
  if (!number) {
    return false;
  }
  std::uint32_t low = 0;
  std::uint32_t high = set.length;
  while (low < high) {
    auto middle = low + (high - low) / 2;
    auto value = word(m_sets_at + 4 * (std::size_t{set.offset} + middle));
    if (value < *number) {
      low = middle + 1;
    } else if (*number < value) {
      high = middle;
    } else {
      return true;
    }
  }
  return false;
}

} // namespace mailgroup
