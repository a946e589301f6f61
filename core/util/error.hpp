// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace mailgroup {

// What went wrong, in terms a caller can act on. Only cmd/exit_codes.cpp turns
// a kind into a process exit status, so core never decides how a run ends.
enum class ErrorKind {
  usage,        // a request that makes no sense (conflicting options, ...)
  data,         // malformed input: address, CSV row, rule, group file
  no_input,     // a file or directory that should exist does not
  not_found,    // unknown group or member
  exists,       // the thing to create is already there
  refused,      // a safety check refused to apply (sync removal cap, ...)
  permission,   // the acting user may not do this
  io,           // reading or writing failed
  cant_create,  // an output file cannot be created
  locked,       // the store lock was not obtained in time
  temporary,    // worth trying again later (notices that could not be sent)
  config,       // mailgroup.toml is invalid
  stale,        // generated output differs from what is on disk (--check)
  internal,     // a bug
};

// A position in a text a user can open: `path:line:col`. `line` and `column`
// are 1-based; 0 means unknown and is left out when printed.
struct Location {
  std::string path;
  std::size_t line = 0;
  std::size_t column = 0;

  std::string to_string() const;
};

// One problem found in an input, printed GNU-style as `path:line:col: message`.
struct Diagnostic {
  Location where;
  std::string message;

  std::string to_string() const;
};

// {"file", "line", "column", "message"}, as `check --format json` lists them.
void to_json(nlohmann::ordered_json& json, const Diagnostic& diagnostic);

// The one exception type core throws. `what()` is the full, user-facing
// message; `diagnostics()` holds every problem when there were several (as
// `mailgroup check` reports them all, not only the first).
class Error : public std::runtime_error {
public:
  Error(ErrorKind kind, const std::string& message);
  Error(ErrorKind kind, std::vector<Diagnostic> diagnostics);

  ErrorKind kind() const { return m_kind; }
  const std::vector<Diagnostic>& diagnostics() const { return m_diagnostics; }
  // What to tell the user, a line a problem: each diagnostic, or what().
  std::vector<std::string> lines() const;

private:
  ErrorKind m_kind;
  std::vector<Diagnostic> m_diagnostics;
};

} // namespace mailgroup
