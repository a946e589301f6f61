// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// generate postfix in policy mode: the virtual map as in maps mode, and in
// place of recipient_access, the sender tables and the restriction
// classes, one policy index that `mailgroup policy` answers from, with the
// main.cf and master.cf lines that start it. Pure, like maps.hpp.

#include "core/postfix/maps.hpp"

#include <string>

namespace mailgroup {

// The master.cf service name, private/NAME its socket.
inline constexpr std::string_view k_policy_service = "mailgroup-policy";
inline constexpr std::string_view k_policy_index_file = "policy.index";

struct PolicyServiceOptions {
  // The mailgroup that spawn(8) runs: an absolute path (master.cf splits
  // its argv at whitespace).
  std::string program;
  std::string user = "nobody"; // spawn(8) refuses root and mail_owner
};

PostfixOutput generate_postfix_policy(const Snapshot& snapshot,
                                      const PostfixOptions& options,
                                      const PolicyServiceOptions& service);

} // namespace mailgroup
