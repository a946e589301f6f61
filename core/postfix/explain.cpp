// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/postfix/explain.hpp"

#include "core/model/address.hpp"
#include "core/postfix/policy.hpp"
#include "core/postfix/policy_output.hpp"
#include "core/util/error.hpp"
#include "core/util/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

namespace mailgroup {

namespace {

using Table = std::map<std::string, std::string, std::less<>>;

Table parse_table(std::string_view text) {
  Table table;
  for (auto line : split(text, '\n')) {
    auto tab = line.find('\t');
    if (line.empty() || line.front() == '#' || tab == std::string_view::npos) {
      continue;
    }
    table.emplace(line.substr(0, tab), line.substr(tab + 1));
  }
  return table;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(std::tolower(c));
  });
  return out;
}

// user+ext@domain -> user@domain (recipient_delimiter +), or nullopt.
std::optional<std::string> without_extension(std::string_view address) {
  auto at = address.rfind('@');
  auto plus = address.find('+');
  if (at == std::string_view::npos || plus == std::string_view::npos ||
      plus > at) {
    return std::nullopt;
  }
  return fmt::format("{}{}", address.substr(0, plus), address.substr(at));
}

class Replay {
public:
  Replay(const PostfixOutput& output, const PostfixOptions& options)
      : m_prefix(fmt::format("{}:{}/", options.table_type, options.map_dir)) {
    for (const auto& file : output.files) {
      if (file.is_table) {
        m_tables[file.name] = parse_table(file.content);
      } else if (file.name == "main.cf.fragment") {
        for (auto line : split(file.content, '\n')) {
          auto equals = line.find(" = ");
          if (!line.empty() && line.front() != '#' &&
              equals != std::string_view::npos) {
            m_main_cf.emplace(line.substr(0, equals),
                              line.substr(equals + 3));
          }
        }
      }
    }
  }

  // check_sender_access lookups, in access(5)'s order: the address, the
  // address without its extension, its domain and parent domains, then
  // localpart@ (with its extension, then without).
  std::optional<std::pair<std::string, std::string>>
  sender_lookup(const Table& table, const std::string& sender) const {
    // check_sasl_access looks a login up the same way (check_mail_access).
    std::vector<std::string> keys;
    if (sender.empty()) {
      keys.push_back("<>");
    } else {
      keys.push_back(sender);
      auto base = without_extension(sender);
      if (base) {
        keys.push_back(*base);
      }
      auto at = sender.rfind('@');
      if (at != std::string::npos) {
        any_parent_domain(std::string_view(sender).substr(at + 1),
                          [&](std::string_view domain) {
                            keys.emplace_back(domain);
                            return false;
                          });
        keys.push_back(sender.substr(0, at + 1));
        if (base) {
          keys.push_back(base->substr(0, base->rfind('@') + 1));
        }
      }
    }
    for (const auto& key : keys) {
      if (auto it = table.find(key); it != table.end()) {
        return std::pair{key, it->second};
      }
    }
    return std::nullopt;
  }

  // Runs class `name` for `sender`; empty if it reached its end undecided.
  // `login` is the SASL login, empty if the client did not log in.
  std::string run_class(const std::string& name, const std::string& sender,
                        const std::string& login, EnvelopeReplay& out) const {
    auto it = m_main_cf.find(name);
    if (it == m_main_cf.end()) {
      return "451 4.3.5 Server configuration error (class not declared)";
    }
    for (auto& item : split_restrictions(it->second)) {
      auto verb = item.substr(0, item.find(' '));
      auto table_ref = item.substr(item.find(' ') + 1);
      bool by_login = verb == "check_sasl_access";
      // Postfix skips check_sasl_access for a client that did not log in.
      if (by_login && login.empty()) {
        out.steps.push_back(
            fmt::format("{}: {}: not logged in, skipped", name, item));
        continue;
      }
      const auto& key = by_login ? login : sender;
      std::string result;
      if (table_ref.starts_with("static:")) {
        result = table_ref.substr(7);
        if (result.starts_with('{') && result.ends_with('}')) {
          result = result.substr(1, result.size() - 2);
        }
        out.steps.push_back(fmt::format("{}: {} -> {}", name, item, result));
      } else {
        auto file = table_ref.starts_with(m_prefix)
                        ? table_ref.substr(m_prefix.size())
                        : table_ref;
        auto table = m_tables.find(file);
        auto found = table == m_tables.end()
                         ? std::nullopt
                         : sender_lookup(table->second, key);
        if (!found) {
          out.steps.push_back(fmt::format("{}: {} {}: {} not found", name,
                                          verb, file,
                                          key.empty() ? "<>" : key));
          continue;
        }
        result = found->second;
        out.steps.push_back(fmt::format("{}: {} {}: {} -> {}", name, verb,
                                        file, found->first, result));
      }
      if (result == "HOLD") {
        out.held = true;
      } else if (result != "DUNNO") {
        return result;
      }
    }
    return {};
  }

  const Table& table(const std::string& name) const {
    static const Table none;
    auto it = m_tables.find(name);
    return it == m_tables.end() ? none : it->second;
  }

private:
  // "a x, b {c, d}" -> "a x", "b {c, d}": commas inside braces stay.
  static std::vector<std::string> split_restrictions(std::string_view text) {
    std::vector<std::string> items;
    std::string item;
    int depth = 0;
    for (char c : text) {
      depth += c == '{' ? 1 : c == '}' ? -1 : 0;
      if (c == ',' && depth == 0) {
        items.emplace_back(trim(item));
        item.clear();
      } else {
        item += c;
      }
    }
    if (!trim(item).empty()) {
      items.emplace_back(trim(item));
    }
    return items;
  }

  std::string m_prefix;
  std::map<std::string, Table, std::less<>> m_tables;
  std::map<std::string, std::string, std::less<>> m_main_cf;
};

// Accepted by the restrictions: virtual decides who gets it.
void deliver(const Table& virtual_map, const std::string& recipient,
             EnvelopeReplay& out) {
  auto alias = virtual_map.find(recipient);
  std::string extension;
  if (alias == virtual_map.end()) {
    if (auto base = without_extension(recipient)) {
      alias = virtual_map.find(*base);
      auto plus = recipient.find('+');
      extension = recipient.substr(plus, recipient.rfind('@') - plus);
    }
  }
  if (alias == virtual_map.end()) {
    out.steps.push_back(fmt::format("virtual: {} not found", recipient));
    out.answer = "550 5.1.1 User unknown in virtual alias table (when its "
                 "domain is a virtual alias domain)";
    return;
  }
  out.steps.push_back(fmt::format("virtual: {} -> {}", alias->first,
                                  alias->second));
  for (auto member : split(alias->second, ',')) {
    // propagate_unmatched_extensions: the extension goes with the mail.
    auto at = member.rfind('@');
    out.delivered_to.push_back(
        extension.empty() ? std::string(member)
                          : fmt::format("{}{}{}", member.substr(0, at),
                                        extension, member.substr(at)));
  }
  out.answer = out.held ? "250 accepted, then held for the auditors"
                        : "250 accepted";
}

} // namespace

EnvelopeReplay explain_envelope(const PostfixOutput& output,
                             const PostfixOptions& options,
                             std::string_view sender_text,
                             std::string_view recipient_text,
                             std::string_view login_text) {
  Replay replay(output, options);
  EnvelopeReplay out;
  auto sender = lower(sender_text);
  auto recipient = lower(recipient_text);
  auto login = lower(login_text);
  const auto& access = replay.table("recipient_access");
  std::string key = recipient;
  auto entry = access.find(key);
  if (entry == access.end()) {
    if (auto base = without_extension(recipient)) {
      key = *base;
      entry = access.find(key);
    }
  }
  std::string answer;
  if (entry == access.end()) {
    out.steps.push_back(
        fmt::format("recipient_access: {} not found", recipient));
  } else {
    out.steps.push_back(
        fmt::format("recipient_access: {} -> {}", key, entry->second));
    const auto& result = entry->second;
    out.group = key;
    out.rule = result;
    if (result.starts_with("mailgroup_")) {
      answer = replay.run_class(result, sender, login, out);
    } else if (result != "DUNNO" && result != "OK") {
      answer = result;
    }
  }
  if (answer == "OK") {
    answer.clear();
  }
  if (!answer.empty()) {
    out.answer = answer;
    out.held = false;
    return out;
  }
  deliver(replay.table("virtual"), recipient, out);
  return out;
}

EnvelopeReplay explain_policy_envelope(const PostfixOutput& output,
                                       std::string_view sender_text,
                                       std::string_view recipient_text,
                                       std::string_view login_text) {
  EnvelopeReplay out;
  PolicyRequest request;
  request.request = "smtpd_access_policy";
  request.protocol_state = "RCPT";
  request.sender = lower(sender_text);
  request.recipient = lower(recipient_text);
  request.sasl_username = lower(login_text);
  // main.cf.fragment: reject_non_fqdn_recipient comes first.
  if (request.recipient.find('@') == std::string::npos) {
    out.rule = "reject_non_fqdn_recipient";
    out.steps.push_back(fmt::format("reject_non_fqdn_recipient: {} has no "
                                    "domain",
                                    request.recipient));
    out.answer = fmt::format("504 5.5.2 <{}>: Recipient address rejected: "
                             "need fully-qualified address",
                             request.recipient);
    return out;
  }
  const GeneratedFile* index_file = nullptr;
  Table virtual_map;
  for (const auto& file : output.files) {
    if (file.name == k_policy_index_file) {
      index_file = &file;
    } else if (file.name == "virtual") {
      virtual_map = parse_table(file.content);
    }
  }
  if (!index_file) {
    throw Error(ErrorKind::internal, "no policy index to explain from");
  }
  PolicyIndex index(index_file->content, k_policy_index_file);
  PolicyTrace trace;
  std::string action(decide_policy(index, request, &trace));
  out.group = trace.group;
  out.rule = trace.rule;
  out.steps = std::move(trace.steps);
  if (action == "HOLD") {
    out.held = true;
  } else if (action != "OK" && action != "DUNNO") {
    out.answer = action;
    return out;
  }
  deliver(virtual_map, request.recipient, out);
  return out;
}

} // namespace mailgroup
