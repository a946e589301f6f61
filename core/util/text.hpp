// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <ctime>
#include <string>
#include <string_view>
#include <vector>

namespace mailgroup {

// `text` in double quotes, with control characters, quotes, backslashes and
// bytes outside ASCII escaped, so a hostile value shows up in an error message
// exactly as it is and cannot break the message's line.
std::string quote(std::string_view text);

// `text` between double quotes with \" \\ \n \r \t escaped, and every
// other byte below 0x20, 0x7f, and (with `escape_high`) bytes above 0x7f
// written by `code`. One escaper for messages, JSON and TOML, which differ
// only in how they write such a byte.
std::string escape_quoted(std::string_view text,
                          std::string (*code)(unsigned char byte),
                          bool escape_high);

// ASCII lower case; mail domains and Postfix's indexed table keys fold case
// this way, so locale-dependent folding would be wrong here.
std::string ascii_lower(std::string_view text);

// "yes" or "no", as show and the change log spell a setting.
inline std::string yes_no(bool flag) { return flag ? "yes" : "no"; }

bool iequals(std::string_view a, std::string_view b);

std::string_view trim(std::string_view text);

// Splits on `separator`, keeping empty pieces.
std::vector<std::string_view> split(std::string_view text, char separator);

// The Levenshtein distance, for "did you mean" hints.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `wanted` if it is close enough to be a likely typo.
std::string closest_match(std::string_view wanted,
                          const std::vector<std::string>& candidates);

} // namespace mailgroup

namespace mailgroup {

// True if `text` is well-formed UTF-8 (no overlongs, no surrogates).
bool is_valid_utf8(std::string_view text);

// The offset of the first byte that is not well-formed UTF-8, or npos.
std::size_t utf8_error_offset(std::string_view text);

// Rejects text that cannot be stored as a one-line setting (display name,
// description, reason): invalid UTF-8 or control characters. Throws
// Error(data) naming `what`.
void require_single_line_text(std::string_view what, std::string_view text);

// Why `text` is not a day of the (proleptic Gregorian) calendar written
// YYYY-MM-DD, such as "there is no day 30 in February 2020"; empty if it
// is one. The one date check: rules, directory values and log --since.
std::string calendar_date_error(std::string_view text);
// True if `text` is exactly YYYY-MM-DD and that day exists (2024-02-29
// does, 2023-02-29 and 2026-13-45 do not).
bool is_calendar_date(std::string_view text);

// The current time as an RFC 3339 UTC timestamp, second precision; honours
// MAILGROUP_NOW (RFC 3339) so tests and reproducible runs get a fixed clock,
// unless refuse_clock_override() was called: a caller running with rights
// of someone else's must not date the change log.
std::string now_rfc3339();
void refuse_clock_override();
// `time` in the same form.
std::string rfc3339(std::time_t time);

} // namespace mailgroup
