// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Numbers distinct strings in order of first sight, millions of lookups
// at a time: the policy index's sender keys (a member of several
// members-only groups is one key). Open addressing with the hash kept in
// the slot and the slots of the next keys fetched ahead, because at 1M
// people nearly every lookup misses the cache; std::unordered_map spent
// three cache misses a lookup where this spends about one.

#include <cstdint>
#include <string_view>
#include <vector>

namespace mailgroup {

class KeyNumbering {
public:
  // Appends the number of each of `keys` to `numbers`, numbering the new.
  // The keys' text must outlive the numbering: it keeps views.
  void number_all(const std::vector<std::string_view>& keys,
                  std::vector<std::uint32_t>& numbers);
  std::uint32_t number(std::string_view key);
  // The key numbered `number`.
  std::string_view key(std::uint32_t number) const { return m_keys[number]; }
  std::size_t size() const { return m_keys.size(); }
  // The numbers in byte order of their keys (the order std::string_view's
  // operator< gives).
  std::vector<std::uint32_t> in_key_order() const;

private:
  static constexpr std::uint32_t k_free = 0xffffffffU;
  struct Slot {
    std::string_view key;
    std::uint32_t hash = 0; // its low bits; the slot's index is hash & mask
    std::uint32_t number = k_free;
  };
  std::uint32_t insert(std::string_view key, std::uint32_t hash);
  void grow();

  std::vector<Slot> m_slots; // a power of two, at most half full
  std::vector<std::string_view> m_keys;
  std::vector<std::uint32_t> m_hashes; // number_all's, reused
};

} // namespace mailgroup
