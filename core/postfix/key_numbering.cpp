// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/postfix/key_numbering.hpp"

#include "core/util/error.hpp"

#include <algorithm>
#include <functional>

namespace mailgroup {

namespace {

std::uint32_t hash_of(std::string_view key) {
  return static_cast<std::uint32_t>(std::hash<std::string_view>{}(key));
}

// How far ahead number_all fetches a slot, and then the key text it holds.
constexpr std::size_t k_slot_ahead = 16;
constexpr std::size_t k_text_ahead = 8;

// The first 16 bytes, big-endian, zero-padded: compared as integers they
// order two keys as their bytes do, unless both prefixes are equal.
struct Prefixed {
  std::uint64_t high;
  std::uint64_t low;
  std::uint32_t number;
};

std::uint64_t big_endian_at(std::string_view key, std::size_t at) {
  std::uint64_t value = 0;
  for (std::size_t i = at; i < at + 8; ++i) {
    value = (value << 8) |
            (i < key.size() ? static_cast<unsigned char>(key[i]) : 0U);
  }
  return value;
}

} // namespace

std::uint32_t KeyNumbering::number(std::string_view key) {
  if (2 * (m_keys.size() + 1) > m_slots.size()) {
    grow();
  }
  return insert(key, hash_of(key));
}

void KeyNumbering::number_all(const std::vector<std::string_view>& keys,
                              std::vector<std::uint32_t>& numbers) {
  m_hashes.resize(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    m_hashes[i] = hash_of(keys[i]);
  }
  // Grown first, so the slots fetched ahead are the ones looked at.
  while (2 * (m_keys.size() + keys.size()) > m_slots.size()) {
    grow();
  }
  auto mask = m_slots.size() - 1;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (i + k_slot_ahead < keys.size()) {
      __builtin_prefetch(&m_slots[m_hashes[i + k_slot_ahead] & mask]);
    }
    if (i + k_text_ahead < keys.size()) {
      const auto& slot = m_slots[m_hashes[i + k_text_ahead] & mask];
      __builtin_prefetch(slot.key.data());
    }
    numbers.push_back(insert(keys[i], m_hashes[i]));
  }
}

std::uint32_t KeyNumbering::insert(std::string_view key, std::uint32_t hash) {
  auto mask = m_slots.size() - 1;
  for (auto at = hash & mask;; at = (at + 1) & mask) {
    auto& slot = m_slots[at];
    if (slot.number == k_free) {
      if (m_keys.size() >= k_free) {
        throw Error(ErrorKind::internal, "too many sender keys to number");
      }
      slot = {key, hash, static_cast<std::uint32_t>(m_keys.size())};
      m_keys.push_back(key);
      return slot.number;
    }
    if (slot.hash == hash && slot.key == key) {
      return slot.number;
    }
  }
}

void KeyNumbering::grow() {
  std::vector<Slot> old(std::max<std::size_t>(1024, 2 * m_slots.size()));
  old.swap(m_slots);
  auto mask = m_slots.size() - 1;
  for (const auto& slot : old) {
    if (slot.number == k_free) {
      continue;
    }
    auto at = slot.hash & mask;
    while (m_slots[at].number != k_free) {
      at = (at + 1) & mask;
    }
    m_slots[at] = slot;
  }
}

std::vector<std::uint32_t> KeyNumbering::in_key_order() const {
  // Most comparisons end in the prefixes, held in the array being sorted,
  // instead of in two keys' text somewhere in a store of 500 MB.
  std::vector<Prefixed> keys;
  keys.reserve(m_keys.size());
  for (std::uint32_t i = 0; i < m_keys.size(); ++i) {
    keys.push_back(
        {big_endian_at(m_keys[i], 0), big_endian_at(m_keys[i], 8), i});
  }
  std::sort(keys.begin(), keys.end(), [&](const auto& a, const auto& b) {
    if (a.high != b.high) {
      return a.high < b.high;
    }
    if (a.low != b.low) {
      return a.low < b.low;
    }
    return m_keys[a.number] < m_keys[b.number];
  });
  std::vector<std::uint32_t> numbers;
  numbers.reserve(keys.size());
  for (const auto& key : keys) {
    numbers.push_back(key.number);
  }
  return numbers;
}

} // namespace mailgroup
