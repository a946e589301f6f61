// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/util/mime.hpp"

#include <doctest/doctest.h>

using namespace mailgroup;

TEST_SUITE("mime") {
  TEST_CASE("encoded-words decode to UTF-8") {
    CHECK(decode_header_words("=?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_Berlin?=") ==
          "Grüße aus Berlin");
    CHECK(decode_header_words("=?utf-8?B?5pel5pys6Kqe?=") == "日本語");
    CHECK(decode_header_words("=?ISO-8859-1?Q?caf=E9?= ok") == "café ok");
    CHECK(decode_header_words("=?UTF-8*fr?Q?=C3=A9t=C3=A9?=") == "été");
  }
  TEST_CASE("whitespace between two encoded-words goes, other text stays") {
    CHECK(decode_header_words("=?UTF-8?Q?a?= =?UTF-8?Q?b?=") == "ab");
    CHECK(decode_header_words("Re: =?UTF-8?Q?a?=  and  =?UTF-8?Q?b?= ") ==
          "Re: a  and  b ");
    CHECK(decode_header_words("plain subject") == "plain subject");
    CHECK(decode_header_words("") == "");
  }
  TEST_CASE("what cannot be decoded stays as written") {
    // Unknown charset, bad hex, bad base64, no end, spaces inside.
    CHECK(decode_header_words("=?KOI8-R?Q?=F0?=") == "=?KOI8-R?Q?=F0?=");
    CHECK(decode_header_words("=?UTF-8?Q?=ZZ?=") == "=?UTF-8?Q?=ZZ?=");
    CHECK(decode_header_words("=?UTF-8?Q?=C?=") == "=?UTF-8?Q?=C?=");
    CHECK(decode_header_words("=?UTF-8?B?5pel5p?=") == "=?UTF-8?B?5pel5p?=");
    CHECK(decode_header_words("=?UTF-8?Q?open") == "=?UTF-8?Q?open");
    CHECK(decode_header_words("=?UTF-8?Q?a b?=") == "=?UTF-8?Q?a b?=");
    CHECK(decode_header_words("=?UTF-8?X?abc?=") == "=?UTF-8?X?abc?=");
    // Decoding to invalid UTF-8 is refused, so what is shown stays valid.
    CHECK(decode_header_words("=?UTF-8?Q?=FF?=") == "=?UTF-8?Q?=FF?=");
  }
  TEST_CASE("control characters decode like any byte; the caller masks them") {
    CHECK(decode_header_words("=?UTF-8?Q?a=1Bb?=") == "a\x1b" "b");
  }
}
