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

} // namespace mailgroup
