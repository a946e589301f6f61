// SPDX-License-Identifier: GPL-3.0-or-later
#include "cmd/exit_codes.hpp"

namespace mailgroup::cli {

int exit_code_for(ErrorKind kind) {
  switch (kind) {
  case ErrorKind::usage:
    return exit_usage;
  case ErrorKind::data:
    return exit_data;
  case ErrorKind::no_input:
    return exit_no_input;
  case ErrorKind::not_found:
    return exit_not_found;
  case ErrorKind::exists:
  case ErrorKind::cant_create:
    return exit_exists;
  case ErrorKind::refused:
    return exit_refused;
  case ErrorKind::permission:
    return exit_permission;
  case ErrorKind::io:
    return exit_io;
  case ErrorKind::locked:
  case ErrorKind::temporary:
    return exit_locked;
  case ErrorKind::config:
    return exit_config;
  case ErrorKind::stale:
    return exit_differs;
  case ErrorKind::internal:
    return exit_software;
  }
  return exit_software;
}

} // namespace mailgroup::cli
