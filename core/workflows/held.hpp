// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Held mail for audited groups: which of the hold queue's messages are
// theirs, who may release or drop each, and the release and drop commands.

#include "core/postfix/queue.hpp"
#include "core/store/store.hpp"
#include "core/workflows/command.hpp"
#include "core/workflows/rights.hpp"

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace mailgroup {

// A held message for audited groups, and who may act on it.
struct HeldMessage {
  std::string id;
  std::string arrival; // RFC 3339
  long long size = 0;
  std::string sender;  // the envelope sender
  std::string from;
  std::string subject;
  std::size_t recipients = 0;
  std::vector<std::string> groups;   // the audited groups it was sent to
  std::vector<std::string> auditors; // who audits every one of them
};

// The shape of `held list --format json`.
void to_json(nlohmann::ordered_json& json, const HeldMessage& message);

// The held messages sent to audited groups of `snapshot`, oldest first.
std::vector<HeldMessage> held_for_audit(const Snapshot& snapshot,
                                        const PostfixQueue& postfix);

// Whether `actor` may see and act on `message`: store administrators, and
// who audits every group it was sent to (releasing mail for one group must
// not bypass another group's audit).
bool may_audit(const Actor& actor, const HeldMessage& message);

// The held message `id` (Error(not_found) unless it is one for audited
// groups), checked with may_audit (Error(permission) otherwise).
HeldMessage require_auditor(const std::vector<HeldMessage>& held,
                            std::string_view id,
                            const Actor& actor,
                            std::string_view what);

namespace workflows {

// held release|drop ID: only an auditor of every group the message was sent
// to may; a dry run says what it would do in `planned`.
Outcome act_on_held(const Invocation& invocation,
                    const std::string& postfix_config,
                    const std::string& id,
                    bool release);

} // namespace workflows

} // namespace mailgroup
