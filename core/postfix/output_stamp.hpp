// SPDX-License-Identifier: GPL-3.0-or-later
// generate's stamp (core/store/stamp.hpp), kept in the output directory:
// the inputs of the last complete run, then the files it left there.
#pragma once

#include "core/store/stamp.hpp"

#include <string_view>

namespace mailgroup {

// The first line of generate's stamp settings.
inline constexpr std::string_view k_generate_stamp_header =
    "mailgroup generate stamp 1\n";

// True if `dir` holds a stamp for exactly `inputs` and its files are still
// the ones that run left (none changed, added or removed).
bool stamp_is_current(const fs::path& dir, std::string_view inputs);

// Called by write_postfix_output under the output directory's lock: the
// stamp goes before anything in `dir` changes, and is written after
// everything did, so an interrupted run leaves none.
void remove_stamp(const fs::path& dir);
void write_stamp(const fs::path& dir, std::string_view inputs);

} // namespace mailgroup
