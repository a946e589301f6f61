// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/util/error.hpp"

namespace mailgroup::cli {

// The process exit statuses, following sysexits(3). This is the only place
// that maps an error kind to a status; man/mailgroup.1 documents the table.
enum ExitCode : int {
  exit_ok = 0,
  exit_differs = 1,      // generate --check: output out of date
  exit_held_back = 3,    // sync: some groups held back, the others refreshed
  exit_usage = 64,       // EX_USAGE
  exit_data = 65,        // EX_DATAERR
  exit_no_input = 66,    // EX_NOINPUT
  exit_not_found = 67,   // EX_NOUSER
  exit_refused = 69,     // EX_UNAVAILABLE: sync safety refusal
  exit_software = 70,    // EX_SOFTWARE
  exit_exists = 73,      // EX_CANTCREAT: already exists / cannot create
  exit_io = 74,          // EX_IOERR
  exit_locked = 75,      // EX_TEMPFAIL: store locked, try again
  exit_permission = 77,  // EX_NOPERM
  exit_config = 78,      // EX_CONFIG
};

int exit_code_for(ErrorKind kind);

} // namespace mailgroup::cli
