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

// Runs `argv` without a shell and waits for it. argv[0] must be an absolute
// path: PATH is never searched, so whoever sets the caller's environment
// cannot substitute a program (Error(internal) otherwise, a bug). Throws
// Error(io) if it cannot be started.
ProcessResult run_process(const std::vector<std::string>& argv,
                          const ProcessOptions& options = {});

// Postfix's own tools (postmap, postqueue, postsuper, postcat, postconf) for
// one Postfix instance, found where that instance says they are and never
// in PATH: `postconf -h command_directory`, asked of the postconf at a fixed
// location (/usr/sbin, else /usr/local/sbin) with `-c DIR` when a
// configuration directory is given. When postconf cannot answer, the
// directory it is in; without one, /usr/sbin.
class PostfixTools {
public:
  explicit PostfixTools(std::string config_directory = {});

  // The command line that starts Postfix's `tool`: its absolute path, then
  // `-c DIR` when a configuration directory was given. Throws Error(io) if
  // the tool is not there.
  std::vector<std::string> command(std::string_view tool) const;

private:
  const std::string& command_directory() const;

  std::string m_config_directory;
  std::string m_postconf; // empty: none found
  mutable std::optional<std::string> m_command_directory;
};

} // namespace mailgroup
