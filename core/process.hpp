// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailgroup {

struct ProcessResult {
  int status = -1;    // exit status, or 128 + signal
  std::string output; // stdout (and stderr, unless asked for apart)
  std::string errors; // stderr, when asked for apart
};

struct ProcessOptions {
  // Written to the program's standard input; without it stdin is /dev/null.
  std::optional<std::string_view> input;
  // Keeps stderr apart from stdout (for output that is parsed).
  bool separate_errors = false;
};

// Runs `argv` (argv[0] looked up in PATH) without a shell and waits for it.
// Throws Error(io) if it cannot be started.
ProcessResult run_process(const std::vector<std::string>& argv,
                          const ProcessOptions& options = {});

// `name` found in PATH or in the sbin directories where Postfix lives, or
// empty.
std::string find_program(const std::string& name);

} // namespace mailgroup
