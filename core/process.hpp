// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <vector>

namespace mailgroup {

struct ProcessResult {
  int status = -1;       // exit status, or 128 + signal
  std::string output;    // stdout and stderr together
};

// Runs `argv` (argv[0] looked up in PATH) without a shell, with standard
// input closed, and waits for it. Throws Error(io) if it cannot be started.
ProcessResult run_process(const std::vector<std::string>& argv);

// `name` found in PATH or in the sbin directories where Postfix lives, or
// empty.
std::string find_program(const std::string& name);

} // namespace mailgroup
