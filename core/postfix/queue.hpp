// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Mail for audited groups waits in Postfix's hold queue (the access map
// answers HOLD) until an auditor releases or drops it. Postfix is asked
// through its own tools: postqueue -j lists the queue, postcat shows a held
// message's original recipients (the group addresses, before virtual
// expansion) and headers, postsuper -H/-d releases or deletes it. The
// parsers take text, so tests need no Postfix.

#include "core/util/process.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mailgroup {

// One message as postqueue -j shows it.
struct QueueEntry {
  std::string queue; // hold, incoming, active, deferred
  std::string id;
  long long arrival = 0; // seconds since the epoch
  long long size = 0;
  std::string sender;
};

// Parses postqueue -j output (one JSON object a line); Error(data) on a
// line that is not one.
std::vector<QueueEntry> parse_postqueue(std::string_view text);

// What postcat -eh shows of a queue file that matters here.
struct QueueFile {
  std::vector<std::string> original_recipients; // as given at RCPT TO
  std::size_t recipients = 0;                   // after expansion
  std::string from;                             // the From: header
  std::string subject;                          // the Subject: header
};
QueueFile parse_postcat(std::string_view text);

// `text` (a decoded header) made safe to print on a terminal: trimmed, C0
// and C1 control characters and bytes that are not UTF-8 shown as '?'.
std::string printable(std::string_view text);

// How to reach one Postfix instance: its tools (from its command_directory,
// never PATH), with `-c DIR` when a configuration directory is given.
class PostfixQueue {
public:
  explicit PostfixQueue(std::string config_directory);

  std::vector<QueueEntry> list() const;                  // postqueue -j
  QueueFile read(const std::string& id) const;           // postcat -ehq
  std::string recipient_delimiters() const;              // postconf -h
  void release(const std::string& id) const;             // postsuper -H
  void drop(const std::string& id) const;                // postsuper -d

private:
  std::string run(const std::string& tool, std::vector<std::string> args) const;

  PostfixTools m_tools;
};

} // namespace mailgroup
