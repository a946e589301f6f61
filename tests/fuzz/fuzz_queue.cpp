// SPDX-License-Identifier: GPL-3.0-or-later
// What mailgroup reads from queues. postcat output carries headers written
// by anyone on the Internet, and nothing of them may reach a terminal as a
// control character; postqueue -j output and the outbox's files are either
// read or refused with Error.
#include "core/postfix/queue.hpp"
#include "core/util/error.hpp"
#include "core/workflows/outbox.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>

namespace {

bool printable(const std::string& text) {
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      return false;
    }
  }
  return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto file = mailgroup::parse_postcat(text);
  if (!printable(file.subject) || !printable(file.from)) {
    std::abort();
  }
  for (const auto& recipient : file.original_recipients) {
    if (recipient.find('\n') != std::string::npos) {
      std::abort();
    }
  }
  try {
    mailgroup::parse_postqueue(text);
  } catch (const mailgroup::Error&) {
  }
  try {
    auto notices = mailgroup::parse_notices(text, "fuzz.jsonl");
    if (mailgroup::parse_notices(mailgroup::format_notices(notices), "again") !=
        notices) {
      std::abort();
    }
  } catch (const mailgroup::Error&) {
  }
  return 0;
}
