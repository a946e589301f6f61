// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Group definitions for `create --from FILE`: many groups at once, each
// with the settings the one-group `create` takes, read from TOML (an array
// of [[group]] tables) or JSON Lines (one object a line). Only the form is
// checked here (syntax, types, unknown keys, a missing or repeated
// address); what the values mean is checked by create_group (edits.hpp),
// the same rules as for one group.

#include "core/util/error.hpp"
#include "core/workflows/edits.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailgroup {

// One group to create, and where it is written.
struct GroupDefinition {
  Location where; // its [[group]] header, or its line of JSON Lines
  std::string address; // normalised
  GroupSettings settings;
  std::vector<std::string> members;
  std::optional<std::string> applicant; // unset: the command's applicant
};

enum class DefinitionFormat { toml, json_lines };

// The format a file name says: .toml, or .jsonl / .ndjson; nullopt for
// any other name (and for "-", standard input).
std::optional<DefinitionFormat> definition_format_of(std::string_view path);
// "toml" or "jsonl"; Error(usage) naming both for anything else.
DefinitionFormat parse_definition_format(std::string_view name);

// Every definition of `text`, in order. Problems of form throw Error(data)
// with a Diagnostic each, at `source:line:col` (`source:line` for JSON
// Lines, whose parser keeps no positions within a line, except for syntax
// errors).
std::vector<GroupDefinition> parse_group_definitions(std::string_view text,
                                                     const std::string& source,
                                                     DefinitionFormat format);

} // namespace mailgroup
