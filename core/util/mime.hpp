// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <string_view>

namespace mailgroup {

// Decodes the RFC 2047 encoded-words of a header value
// (=?UTF-8?B?...?=, =?ISO-8859-1?Q?...?=) into UTF-8, so that an auditor
// reads "Grüße", not "=?UTF-8?Q?Gr=C3=BC=C3=9Fe?=". UTF-8, US-ASCII and
// ISO-8859-1 are decoded; a word in another charset, malformed, or decoding
// to invalid UTF-8 stays as written. Whitespace between two encoded-words
// goes, as the RFC says. Control characters are the caller's concern.
std::string decode_header_words(std::string_view value);

} // namespace mailgroup
