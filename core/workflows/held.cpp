// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/workflows/held.hpp"

#include "core/model/address.hpp"
#include "core/util/text.hpp"

#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace mailgroup {

namespace {

// The group `recipient` names: itself, or without its address extension
// (team+urgent@example.com is team@example.com).
const Group* group_of(const Snapshot& snapshot,
                      std::string_view recipient,
                      std::string_view delimiters) {
  std::string why;
  auto address = normalize_address(recipient, &why);
  if (!address) {
    return nullptr;
  }
  if (const auto* group = snapshot.find(*address)) {
    return group;
  }
  auto at = address->rfind('@');
  auto cut = delimiters.empty()
                 ? std::string::npos
                 : address->find_first_of(delimiters);
  if (cut == std::string::npos || cut > at) {
    return nullptr;
  }
  return snapshot.find(address->substr(0, cut) + address->substr(at));
}

} // namespace

void to_json(nlohmann::ordered_json& json, const HeldMessage& message) {
  json = {{"id", message.id},
          {"arrival", message.arrival},
          {"sender", message.sender},
          {"from", message.from},
          {"subject", message.subject},
          {"size", message.size},
          {"recipients", message.recipients},
          {"groups", message.groups},
          {"auditors", message.auditors}};
}

std::vector<HeldMessage> held_for_audit(const Snapshot& snapshot,
                                        const PostfixQueue& postfix) {
  std::vector<HeldMessage> held;
  std::string delimiters;
  bool asked = false;
  for (const auto& entry : postfix.list()) {
    if (entry.queue != "hold") {
      continue;
    }
    if (!asked) {
      delimiters = postfix.recipient_delimiters();
      asked = true;
    }
    auto file = postfix.read(entry.id);
    HeldMessage message;
    for (const auto& recipient : file.original_recipients) {
      const auto* group = group_of(snapshot, recipient, delimiters);
      if (group && group->audit) {
        message.groups.push_back(group->address);
      }
    }
    if (message.groups.empty()) {
      continue; // held for another reason: not ours to show
    }
    canonicalize(message.groups);
    message.auditors = snapshot.get(message.groups.front()).auditors;
    for (const auto& address : message.groups) {
      const auto& auditors = snapshot.get(address).auditors;
      std::erase_if(message.auditors, [&](const auto& auditor) {
        return !std::binary_search(auditors.begin(), auditors.end(), auditor);
      });
    }
    message.id = entry.id;
    message.arrival = rfc3339(static_cast<std::time_t>(entry.arrival));
    message.size = entry.size;
    message.sender = printable(entry.sender);
    message.from = file.from;
    message.subject = file.subject;
    message.recipients = file.recipients;
    held.push_back(std::move(message));
  }
  std::sort(held.begin(), held.end(), [](const auto& a, const auto& b) {
    return std::tie(a.arrival, a.id) < std::tie(b.arrival, b.id);
  });
  return held;
}

bool may_audit(const Actor& actor, const HeldMessage& message) {
  return actor.owner || actor.store_administrator ||
         (!actor.address.empty() &&
          std::binary_search(message.auditors.begin(), message.auditors.end(),
                             actor.address));
}

HeldMessage require_auditor(const std::vector<HeldMessage>& held,
                            std::string_view id,
                            const Actor& actor,
                            std::string_view what) {
  auto it = std::find_if(held.begin(), held.end(),
                         [&](const auto& message) { return message.id == id; });
  if (it == held.end()) {
    throw Error(ErrorKind::not_found,
                fmt::format("no held message {} for an audited group; "
                            "'mailgroup held list' shows them",
                            quote(id)));
  }
  if (!may_audit(actor, *it)) {
    throw Error(ErrorKind::permission,
                fmt::format("{} may not {} {}: it was sent to {}, and only "
                            "who audits {} may ({})",
                            actor.describe(), what, it->id, fmt::join(it->groups, ", "),
                            it->groups.size() == 1 ? "it" : "all of them",
                            it->auditors.empty()
                                ? "nobody does: ask the postmaster"
                                : fmt::format("{}", fmt::join(it->auditors, ", "))));
  }
  return *it;
}

namespace workflows {

Outcome act_on_held(const Invocation& invocation,
                    const std::string& postfix_config,
                    const std::string& id,
                    bool release) {
  std::string verb = release ? "release" : "drop";
  Transaction t(invocation.store(), invocation.lock_timeout,
                {"held " + verb}, false);
  auto actor = identify(t, invocation);
  PostfixQueue postfix(postfix_config.empty()
                           ? t.state().config.postfix_config_directory
                           : postfix_config);
  auto message =
      require_auditor(held_for_audit(t.state(), postfix), id, actor, verb);
  auto what = fmt::format("{} from {}: {}", message.id, message.sender,
                          message.subject);
  Outcome outcome;
  if (invocation.dry_run) {
    outcome.planned.push_back(fmt::format("would {} {}", verb, what));
    return outcome;
  }
  if (release) {
    postfix.release(message.id);
  } else {
    postfix.drop(message.id);
  }
  for (const auto& group : message.groups) {
    t.log_event({group, release ? "held released" : "held dropped",
                 {fmt::format("{} {}", release ? "released" : "dropped", what)}});
  }
  t.commit(false);
  return outcome;
}

} // namespace workflows

} // namespace mailgroup
