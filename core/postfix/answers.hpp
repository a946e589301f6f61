// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What Postfix answers for a group, in one place: the maps (maps.cpp) and
// the policy service (policy.cpp) must say the same, word for word.
//
// RFC 3463: 5.2.1 "mailbox disabled, not accepting messages" for a frozen
// group; 5.7.1 "delivery not authorized" for a sender the group does not
// take (5.7.2, "mailing list expansion prohibited", is about expanding,
// not about who sends). A group's refusal text replaces the default text.

#include <string_view>

namespace mailgroup::answers {

inline constexpr std::string_view dunno = "DUNNO";
inline constexpr std::string_view frozen_code = "550 5.2.1";
inline constexpr std::string_view frozen_text = "Mailbox unavailable";
inline constexpr std::string_view frozen = "550 5.2.1 Mailbox unavailable";
inline constexpr std::string_view not_allowed_code = "550 5.7.1";
inline constexpr std::string_view not_allowed_text =
    "Sender not allowed to post to this group";
inline constexpr std::string_view not_allowed =
    "550 5.7.1 Sender not allowed to post to this group";
// A require_login group: the client did not log in (SASL), or its login's
// address may not post. A group's refusal text replaces the second only:
// the first says what to do.
inline constexpr std::string_view login_required =
    "550 5.7.1 Authentication required to post to this group";
inline constexpr std::string_view login_not_allowed_text =
    "Login not allowed to post to this group";
inline constexpr std::string_view login_not_allowed =
    "550 5.7.1 Login not allowed to post to this group";
inline constexpr std::string_view no_auto_replies =
    "550 5.7.1 This group does not accept automatic replies";

// The whole answers are their code and default text.
constexpr bool is_code_and_text(std::string_view whole,
                                std::string_view code,
                                std::string_view text) {
  return whole.size() == code.size() + 1 + text.size() &&
         whole.substr(0, code.size()) == code &&
         whole[code.size()] == ' ' && whole.substr(code.size() + 1) == text;
}
static_assert(is_code_and_text(frozen, frozen_code, frozen_text));
static_assert(is_code_and_text(not_allowed, not_allowed_code,
                               not_allowed_text));
static_assert(is_code_and_text(login_not_allowed, not_allowed_code,
                               login_not_allowed_text));

} // namespace mailgroup::answers
