// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What the main.cf of a running Postfix instance says, read through its own
// postconf(1), so that mailgroup changes main.cf and removes tables only in
// an order in which Postfix never meets a class or a table it cannot find.

#include "core/util/process.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailgroup {

// Every setting main.cf sets explicitly (`postconf -n`), by name.
using MainCf = std::map<std::string, std::string, std::less<>>;

// `postconf -n` of the instance; nullopt (with `why`) if postconf cannot
// tell, e.g. there is no main.cf.
std::optional<MainCf> read_main_cf(const PostfixTools& tools,
                                   std::string* why = nullptr);

// The names in a main.cf list (split at commas and whitespace).
std::vector<std::string> main_cf_list(std::string_view value);

// True if a setting Postfix reads, a declared restriction class included,
// names `path` as a table (`hash:PATH`, followed by a separator or the end).
// Classes no longer declared do not count: postconf -n leaves them out.
bool main_cf_uses_table(const MainCf& main_cf, std::string_view path);

} // namespace mailgroup
