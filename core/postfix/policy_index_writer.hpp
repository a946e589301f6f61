// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Writes the policy index (layout in policy_index.hpp) from the groups as
// generate_postfix's expansion visits them, so policy mode expands each
// group once, for the virtual map and the index together.

#include "core/postfix/key_numbering.hpp"
#include "core/postfix/policy_index.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mailgroup {

class PolicyIndexWriter {
public:
  // `config` (its domains and [users]) must outlive the writer.
  explicit PolicyIndexWriter(const StoreConfig& config);

  // Each group once, in address order, with its members as expanded. The
  // writer keeps views: `group` and the members must outlive finish().
  void add(const Group& group, const std::vector<std::string_view>& members);

  // The index's bytes: the same groups give the same bytes.
  std::string finish() const;

private:
  struct Record {
    std::string_view address;
    PolicyKind kind;
    std::uint8_t flags;
    // For PolicyKind::listed, its senders: m_pending[at, at + length).
    std::uint32_t at;
    std::uint32_t length;
    std::string refusal;
  };

  const StoreConfig& m_config;
  std::vector<Record> m_records;
  // Keys numbered in order of first sight; the index numbers them by rank
  // in byte order, which finish() maps these numbers to.
  KeyNumbering m_keys;
  std::vector<std::uint32_t> m_domains; // the local domains' numbers
  std::vector<std::uint32_t> m_pending;
};

} // namespace mailgroup
