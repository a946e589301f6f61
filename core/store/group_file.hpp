// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/group.hpp"

#include <string>
#include <string_view>

namespace mailgroup {

// Parses one group file. Checks what one file can tell (types, addresses,
// unknown keys); what needs the whole store (domains, nesting) is the
// store's job. Every problem is reported as Error(data) with
// `source:line:col`. A department that can never match (see
// department_path_error) is one, judged with `department_separator`
// (mailgroup.toml's [directory] department_separator).
Group parse_group(std::string_view text,
                  const std::string& source,
                  std::string_view department_separator = "/");

// The canonical text of a group file: sorted keys, sorted lists one element a
// line, so one change is a small diff.
std::string format_group(const Group& group);

} // namespace mailgroup
