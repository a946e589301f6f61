// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Who started this process, as the kernel and sudo(8) tell it; never from
// $USER, $LOGNAME or $SUDO_USER, which whoever runs a command sets at will.

#include <optional>
#include <string>
#include <string_view>

namespace mailgroup {

struct ProcessCaller {
  unsigned uid = 0;
  std::string login;         // the uid's name in the password database
  bool through_sudo = false; // uid came from SUDO_UID
  // Runs with rights the caller lacks (through sudo, or a setuid install):
  // then paths from the command line and the clock override are refused.
  bool elevated = false;
};

// The caller from raw facts, so the rule can be tested without sudo:
// SUDO_UID is believed only when the process runs as root (real and
// effective uid 0, as sudo's rule runs it), is a plain number and is not 0.
// A setuid-root install (real uid not 0) is the real uid. sudo resets the
// environment of the command it runs, so a caller cannot set SUDO_UID
// through it; a caller running mailgroup without sudo is not root and so is
// never believed.
ProcessCaller caller_from(unsigned real_uid,
                          unsigned effective_uid,
                          const char* sudo_uid,
                          std::string (*login_of)(unsigned uid));

// caller_from for this process, with logins from getpwuid_r(3).
ProcessCaller process_caller();

// The uid's login in the password database, or "uid N" when it has none.
std::string login_of_uid(unsigned uid);

// The uid owning `path` (following symbolic links), or nullopt if it
// cannot be examined.
std::optional<unsigned> owner_uid(std::string_view path);

// Whether `path` is safe for root to act on for someone else: every
// directory from / down to it, and it, is owned by root or by `trusted_uid`
// and writable by no one else (a world-writable directory with the sticky
// bit, such as /tmp, passes only for the next step when that is owned by
// root or `trusted_uid`). The reason it is not, or nullopt. `path` is
// resolved once (symbolic links, "..", /proc's links into other mount
// namespaces) into `*resolved`: only that path was checked, so only that
// path may be used afterwards, never `path` again.
std::optional<std::string> untrusted_path_reason(std::string_view path,
                                                 unsigned trusted_uid,
                                                 std::string* resolved = nullptr);

} // namespace mailgroup
