// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/postfix/policy_index_writer.hpp"

#include "core/model/address.hpp"
#include "core/postfix/policy_index_format.hpp"
#include "core/util/error.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace mailgroup {

using namespace policy_format;

namespace {

// Sender sets by content, so groups with the same senders share one.
class SetWriter {
public:
  // `numbers`: key ranks, in any order, repeats allowed.
  SenderSet add(std::vector<std::uint32_t> numbers) {
    // Members come sorted and ranks keep their order: mostly sorted already.
    if (std::adjacent_find(numbers.begin(), numbers.end(),
                           std::greater_equal<>()) != numbers.end()) {
      std::sort(numbers.begin(), numbers.end());
      numbers.erase(std::unique(numbers.begin(), numbers.end()),
                    numbers.end());
    }
    auto& same_hash = m_seen[hash(numbers)];
    for (auto set : same_hash) {
      if (std::equal(numbers.begin(), numbers.end(),
                     m_words.begin() + set.offset,
                     m_words.begin() + set.offset + set.length)) {
        return set;
      }
    }
    SenderSet set{narrow(m_words.size()), narrow(numbers.size())};
    m_words.insert(m_words.end(), numbers.begin(), numbers.end());
    same_hash.push_back(set);
    return set;
  }

  const std::vector<std::uint32_t>& words() const { return m_words; }

private:
  static std::uint64_t hash(const std::vector<std::uint32_t>& numbers) {
    std::uint64_t value = 0xcbf29ce484222325ULL ^ numbers.size();
    for (auto number : numbers) {
      value = (value ^ number) * 0x100000001b3ULL;
    }
    return value;
  }

  std::vector<std::uint32_t> m_words;
  std::unordered_map<std::uint64_t, std::vector<SenderSet>> m_seen;
};

} // namespace

PolicyIndexWriter::PolicyIndexWriter(const StoreConfig& config)
    : m_config(config) {
  // The local-domain set's keys, whether or not a group lists them.
  for (const auto& domain : config.domains) {
    m_domains.push_back(m_keys.number(domain));
  }
}

void PolicyIndexWriter::add(const Group& group,
                            const std::vector<std::string_view>& members) {
  Record record{group.address, PolicyKind::anyone, 0,
                narrow(m_pending.size()), 0, policy_refusal(group)};
  if (group.audit) {
    record.flags |= k_policy_hold;
  }
  if (group.ignore_auto_replies) {
    record.flags |= k_policy_no_auto;
  }
  if (group.require_login) {
    record.flags |= k_policy_require_login;
  }
  if (group.frozen) {
    record.kind = PolicyKind::frozen;
    record.flags = 0;
  } else if (group.permission == Permission::domain) {
    record.kind = PolicyKind::local;
  } else if (group.permission == Permission::members) {
    record.kind = PolicyKind::listed;
    m_keys.number_all(members, m_pending);
  } else if (group.permission == Permission::whitelist) {
    record.kind = PolicyKind::listed;
    for (const auto& entry : group.whitelist) {
      std::string_view view(entry);
      // `@partner.example` is the domain partner.example, as in access(5).
      m_pending.push_back(
          m_keys.number(is_domain_entry(view) ? view.substr(1) : view));
    }
  }
  record.length = narrow(m_pending.size() - record.at);
  // The service writes it to Postfix as it is: defence in depth against a
  // text that went round the validator (a newline would be a protocol line).
  if (auto why = refusal_error(record.refusal, record.kind); !why.empty()) {
    throw Error(ErrorKind::internal,
                fmt::format("refusing to write the refusal of {} into the "
                            "policy index: {}",
                            group.address, why));
  }
  m_records.push_back(std::move(record));
}

std::string PolicyIndexWriter::finish() const {
  // Sorting the distinct keys once is a fraction of sorting every listing
  // of them.
  auto by_rank = m_keys.in_key_order();
  std::vector<std::uint32_t> rank(by_rank.size());
  for (std::uint32_t i = 0; i < by_rank.size(); ++i) {
    rank[by_rank[i]] = i;
  }

  SetWriter sets;
  std::vector<std::uint32_t> domains;
  for (auto number : m_domains) {
    domains.push_back(rank[number]);
  }
  auto local = sets.add(std::move(domains));
  std::string strings;
  std::string body;
  body.reserve(k_group_size * m_records.size() + k_key_size * m_keys.size() +
               k_login_size * m_config.users.size());
  std::vector<std::uint32_t> numbers;
  for (const auto& record : m_records) {
    SenderSet set;
    if (record.kind == PolicyKind::listed) {
      numbers.clear();
      for (std::uint32_t i = 0; i < record.length; ++i) {
        numbers.push_back(rank[m_pending[record.at + i]]);
      }
      set = sets.add(numbers);
    }
    put(body, narrow(strings.size()), 4);
    put(body, record.address.size(), 2);
    put(body, static_cast<std::uint8_t>(record.kind), 1);
    put(body, record.flags, 1);
    put(body, set.offset, 4);
    put(body, set.length, 4);
    strings += record.address;
    put(body, narrow(strings.size()), 4);
    put(body, record.refusal.size(), 2);
    put(body, 0, 2);
    strings += record.refusal;
  }
  for (auto number : by_rank) {
    auto key = m_keys.key(number);
    put(body, narrow(strings.size()), 4);
    put(body, narrow(key.size()), 4);
    strings += key;
  }
  // Sorted by login already (a std::map); the same validators as the maps.
  for (const auto& [login, address] : m_config.users) {
    if (auto why = login_name_error(login); !why.empty()) {
      throw Error(ErrorKind::internal,
                  fmt::format("refusing to write login {} into the policy "
                              "index: {}",
                              login, why));
    }
    put(body, narrow(strings.size()), 4);
    put(body, narrow(login.size()), 4);
    strings += login;
    put(body, narrow(strings.size()), 4);
    put(body, narrow(address.size()), 4);
    strings += address;
  }
  body.reserve(body.size() + 4 * sets.words().size() + strings.size());
  for (auto number : sets.words()) {
    put(body, number, 4);
  }
  body += strings;

  std::string out(k_magic);
  out.reserve(k_header_size + body.size());
  put(out, k_policy_index_version, 4);
  put(out, narrow(m_records.size()), 4);
  put(out, narrow(m_keys.size()), 4);
  put(out, narrow(sets.words().size()), 4);
  put(out, narrow(strings.size()), 4);
  put(out, local.offset, 4);
  put(out, local.length, 4);
  put(out, 0, 4);
  put(out, checksum(body), 8);
  put(out, narrow(m_config.users.size()), 4);
  put(out, 0, 4);
  out += body;
  return out;
}

} // namespace mailgroup
