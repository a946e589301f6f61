// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/postfix/queue.hpp"

#include "core/model/address.hpp"
#include "core/util/json_lines.hpp"
#include "core/util/mime.hpp"
#include "core/util/process.hpp"
#include "core/util/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

namespace mailgroup {

std::vector<QueueEntry> parse_postqueue(std::string_view text) {
  std::vector<QueueEntry> entries;
  read_json_lines(text, "postqueue -j", "a queue entry",
                  [&](const nlohmann::json& object) {
                    QueueEntry entry;
                    entry.queue = object.at("queue_name").get<std::string>();
                    entry.id = object.at("queue_id").get<std::string>();
                    entry.arrival = whole_number(object, "arrival_time");
                    entry.size = whole_number(object, "message_size");
                    entry.sender = object.value("sender", "");
                    entries.push_back(std::move(entry));
                  });
  return entries;
}

namespace {

// The length of the UTF-8 sequence at the start of `text`, or 0 if it is
// not one (overlong forms and surrogates included).
std::size_t utf8_length(std::string_view text) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  auto continuation = [&](std::size_t i) {
    return i < text.size() && (byte(i) & 0xC0) == 0x80;
  };
  auto lead = byte(0);
  if (lead < 0x80) {
    return 1;
  }
  if (lead >= 0xC2 && lead <= 0xDF && continuation(1)) {
    return 2;
  }
  if (lead >= 0xE0 && lead <= 0xEF && continuation(1) && continuation(2)) {
    bool overlong = lead == 0xE0 && byte(1) < 0xA0;
    bool surrogate = lead == 0xED && byte(1) >= 0xA0;
    return overlong || surrogate ? 0 : 3;
  }
  if (lead >= 0xF0 && lead <= 0xF4 && continuation(1) && continuation(2) &&
      continuation(3)) {
    bool overlong = lead == 0xF0 && byte(1) < 0x90;
    bool too_big = lead == 0xF4 && byte(1) >= 0x90;
    return overlong || too_big ? 0 : 4;
  }
  return 0;
}

} // namespace

// C0 and C1 controls (U+0080..U+009F, encoded C2 80..C2 9F: CSI is
// U+009B) and bytes that are not UTF-8 all become '?': any of them could
// start a terminal escape sequence.
std::string printable(std::string_view text) {
  std::string out;
  text = trim(text);
  for (std::size_t i = 0; i < text.size();) {
    auto length = utf8_length(text.substr(i));
    auto byte = static_cast<unsigned char>(text[i]);
    bool control = length == 0 || (length == 1 && (byte < 0x20 || byte == 0x7f)) ||
                   (length == 2 && byte == 0xC2 &&
                    static_cast<unsigned char>(text[i + 1]) < 0xA0);
    if (control) {
      out += '?';
      i += length == 0 ? 1 : length;
      continue;
    }
    out += text.substr(i, length);
    i += length;
  }
  return out;
}

namespace {

} // namespace

QueueFile parse_postcat(std::string_view text) {
  QueueFile file;
  enum class Section { envelope, headers, other } section = Section::other;
  std::string* last_header = nullptr;
  std::string raw_header; // the header as written so far, for unfolding
  for (auto line : split(text, '\n')) {
    if (line.starts_with("*** ENVELOPE RECORDS")) {
      section = Section::envelope;
      continue;
    }
    if (line.starts_with("*** MESSAGE CONTENTS")) {
      section = Section::headers;
      continue;
    }
    if (line.starts_with("*** ")) {
      section = Section::other;
      continue;
    }
    if (section == Section::envelope) {
      if (line.starts_with("original_recipient: ")) {
        file.original_recipients.emplace_back(
            line.substr(std::string_view("original_recipient: ").size()));
      } else if (line.starts_with("recipient: ")) {
        ++file.recipients;
      }
      continue;
    }
    if (section != Section::headers) {
      continue;
    }
    if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
      if (last_header) {
        // A folded header goes on (and an encoded-word may span the fold).
        *last_header = printable(decode_header_words(
            raw_header.append(" ").append(trim(line))));
      }
      continue;
    }
    last_header = nullptr;
    raw_header.clear();
    auto colon = line.find(':');
    if (colon == std::string_view::npos) {
      continue;
    }
    auto name = ascii_lower(line.substr(0, colon));
    auto value = printable(decode_header_words(line.substr(colon + 1)));
    if ((name == "subject" && file.subject.empty()) ||
        (name == "from" && file.from.empty())) {
      last_header = name == "subject" ? &file.subject : &file.from;
      *last_header = value;
      raw_header = std::string(trim(line.substr(colon + 1)));
    }
  }
  return file;
}

PostfixQueue::PostfixQueue(std::string config_directory)
    : m_tools(std::move(config_directory)) {}

std::string PostfixQueue::run(const std::string& tool,
                              std::vector<std::string> args) const {
  auto argv = m_tools.command(tool);
  argv.insert(argv.end(), args.begin(), args.end());
  auto result = run_process(argv, {std::nullopt, true});
  if (result.status != 0) {
    throw Error(ErrorKind::io,
                fmt::format("{} failed (exit status {}): {}", fmt::join(argv, " "),
                            result.status, trim(result.errors)));
  }
  return result.output;
}

std::vector<QueueEntry> PostfixQueue::list() const {
  return parse_postqueue(run("postqueue", {"-j"}));
}

QueueFile PostfixQueue::read(const std::string& id) const {
  return parse_postcat(run("postcat", {"-ehq", id}));
}

std::string PostfixQueue::recipient_delimiters() const {
  return std::string(trim(run("postconf", {"-h", "recipient_delimiter"})));
}

void PostfixQueue::release(const std::string& id) const {
  run("postsuper", {"-H", id});
  // Deliver now rather than at the next queue run.
  run("postqueue", {"-i", id});
}

void PostfixQueue::drop(const std::string& id) const {
  run("postsuper", {"-d", id});
}

} // namespace mailgroup
