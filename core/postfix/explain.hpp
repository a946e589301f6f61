// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// mailgroup explain: replays, over the generated Postfix output, the
// decision Postfix makes at RCPT TO for one envelope, so "why was my mail
// refused" is answered without reading maps.

#include "core/postfix/maps.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace mailgroup {

struct EnvelopeReplay {
  std::string group; // the group whose entry decided; empty: none
  // Which rule: in maps mode the recipient_access result (a restriction
  // class, an answer), in policy mode the service's (policy.hpp,
  // PolicyTrace); empty when no group's entry was found.
  std::string rule;
  std::vector<std::string> steps; // each lookup, in Postfix's order
  std::string answer;             // "250 accepted", "550 5.7.1 ...", ...
  bool held = false;              // HOLD on the way
  std::vector<std::string> delivered_to; // after virtual expansion
};

// `sender` and `recipient` as given in the envelope ("" is the null
// sender). `output` and `options` are what generate_postfix made and used.
// `login` is the client's SASL login; empty: it did not log in.
EnvelopeReplay explain_envelope(const PostfixOutput& output,
                             const PostfixOptions& options,
                             std::string_view sender,
                             std::string_view recipient,
                             std::string_view login = {});

// The same in policy mode: `output` is what generate_postfix_policy made;
// the decision is the one `mailgroup policy` makes from its policy.index
// (decide_policy over the same bytes), after reject_non_fqdn_recipient as
// main.cf.fragment orders them, and virtual decides who receives the mail.
// Throws Error(internal) if the output holds no policy index, Error(data)
// if it holds one that does not check.
EnvelopeReplay explain_policy_envelope(const PostfixOutput& output,
                                       std::string_view sender,
                                       std::string_view recipient,
                                       std::string_view login = {});

} // namespace mailgroup
