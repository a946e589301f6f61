// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/workflows/notices.hpp"

#include "core/model/address.hpp"
#include "core/util/json_lines.hpp"
#include "core/util/process.hpp"
#include "core/util/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <thread>

#include <unistd.h>

namespace mailgroup {

std::vector<Notice> joins_to_notify(const Snapshot& before,
                                    const Snapshot& after,
                                    const std::string& source) {
  std::vector<Notice> notices;
  auto now = now_rfc3339();
  for (const auto& [address, group] : after.groups) {
    if (!group.notify_members) {
      continue;
    }
    std::vector<std::string_view> old_members;
    if (const auto* old = before.find(address)) {
      if (*old == group) {
        continue; // most groups, in a large store
      }
      old_members = old->effective_member_views();
    }
    for (auto member : group.effective_member_views()) {
      if (!std::binary_search(old_members.begin(), old_members.end(), member) &&
          !after.is_group(member)) {
        notices.push_back(
            {.time = now, .group = address, .member = std::string(member),
             .source = source});
      }
    }
  }
  return notices;
}

std::vector<Notice> joins_to_notify(
    const Snapshot& snapshot,
    const std::vector<MembershipChange>& changes) {
  std::vector<Notice> notices;
  auto now = now_rfc3339();
  for (const auto& change : changes) {
    if (!snapshot.get(change.group).notify_members) {
      continue;
    }
    for (auto member : change.joined) {
      if (!snapshot.is_group(member)) {
        notices.push_back({.time = now, .group = change.group,
                           .member = std::string(member), .source = "sync"});
      }
    }
  }
  return notices;
}

std::vector<Notice> leave_request_notices(const Snapshot& snapshot,
                                          const LeaveRequest& request) {
  std::vector<Notice> notices;
  for (const auto& administrator :
       snapshot.get(request.group).administrators) {
    notices.push_back({.time = request.time, .group = request.group,
                       .member = request.member, .source = "member leave",
                       .request = request.id, .recipient = administrator});
  }
  return notices;
}

namespace {

// Where to cut a word longer than a line: at most `limit` bytes, never
// inside a UTF-8 sequence.
std::size_t cut_point(std::string_view word, std::size_t limit) {
  auto cut = std::min(limit, word.size());
  while (cut > 1 && cut < word.size() &&
         (static_cast<unsigned char>(word[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return cut;
}

// Wraps at 72 columns; a word longer than that (a URL, a description
// without spaces) is cut, so no line comes near RFC 5322's 998.
std::string wrap(std::string_view text) {
  constexpr std::size_t k_width = 72;
  std::string out;
  std::size_t line = 0;
  for (auto word : split(text, ' ')) {
    if (word.empty()) {
      continue;
    }
    while (word.size() > k_width) {
      if (line > 0) {
        out += '\n';
        line = 0;
      }
      auto cut = cut_point(word, k_width);
      out += word.substr(0, cut);
      out += '\n';
      word.remove_prefix(cut);
    }
    if (line > 0 && line + 1 + word.size() > k_width) {
      out += '\n';
      line = 0;
    } else if (line > 0) {
      out += ' ';
      ++line;
    }
    out += word;
    line += word.size();
  }
  return out + "\n";
}

std::string how_to_leave(const Group& group, const Notice& notice) {
  if (notice.source == "sync") { // the directory put them in
    return "You are a member through your department in the employee "
           "directory, and leave the group when that changes. To leave it "
           "sooner, ask one of its administrators.";
  }
  if (group.leave_needs_approval) {
    return "To leave the group, ask one of its administrators: leaving "
           "needs their approval.";
  }
  return "To leave the group, ask one of its administrators.";
}

std::string headers(const StoreConfig& config,
                    const std::string& to,
                    const std::string& subject) {
  // Every header value is an address the validator passed (ASCII, no
  // whitespace, no line breaks), a request number or fixed text: nothing a
  // user wrote can add a header. Names, descriptions and reasons go into
  // the body only.
  return fmt::format("From: {}\n"
                     "To: {}\n"
                     "Subject: {}\n"
                     "Auto-Submitted: auto-generated\n"
                     "MIME-Version: 1.0\n"
                     "Content-Type: text/plain; charset=utf-8\n"
                     "Content-Transfer-Encoding: 8bit\n"
                     "\n",
                     config.notify.from, to, subject);
}

std::string title(const Group& group) {
  return group.name.empty()
             ? group.address
             : fmt::format("{} <{}>", group.name, group.address);
}

const std::string k_signature =
    "\n-- \nThis notice was sent automatically by mailgroup.\n";

std::string welcome(const StoreConfig& config,
                    const Group& group,
                    const Notice& notice) {
  auto message = headers(config, notice.member,
                         fmt::format("You are now a member of {}",
                                     group.address));
  message += wrap(fmt::format("You are now a member of the mail group {}.",
                              title(group)));
  if (!group.description.empty()) {
    message += "\n" + wrap(group.description);
  }
  message += "\n" + wrap(fmt::format("Mail sent to {} now reaches you at {}.",
                                     group.address, notice.member));
  message += "\n" + wrap(fmt::format("Its administrators: {}.",
                                     fmt::join(group.administrators, ", ")));
  message += "\n" + wrap(how_to_leave(group, notice));
  return message + k_signature;
}

std::string leave_request(const StoreConfig& config,
                          const Group& group,
                          const LeaveRequest& request,
                          const Notice& notice) {
  auto message = headers(config, notice.recipient,
                         fmt::format("Request {}: {} asks to leave {}",
                                     request.id, request.member,
                                     group.address));
  message += wrap(fmt::format("{} asks to leave the mail group {}.",
                              request.member, title(group)));
  if (!request.reason.empty()) {
    message += "\n" + wrap(fmt::format("Reason: {}", request.reason));
  }
  message += "\n" + wrap(fmt::format(
                        "Leaving it needs an administrator's approval, and "
                        "you are one. Request {} was made at {} by {}.",
                        request.id, request.time, request.requested_by));
  message += fmt::format("\nTo decide:\n\n"
                         "  mailgroup request approve {}\n"
                         "  mailgroup request deny {} --reason TEXT\n",
                         request.id, request.id);
  return message + k_signature;
}

} // namespace

std::string compose_notice(const Snapshot& snapshot,
                           const Group& group,
                           const Notice& notice) {
  if (notice.request) {
    const auto* request = snapshot.requests.find(notice.request);
    if (!request) {
      throw Error(ErrorKind::internal,
                  fmt::format("no pending request {}", notice.request));
    }
    return leave_request(snapshot.config, group, *request, notice);
  }
  return welcome(snapshot.config, group, notice);
}

void to_json(nlohmann::ordered_json& json, const Notice& notice) {
  json = {{"time", notice.time},
          {"group", notice.group},
          {"to", notice.to()},
          {"kind", notice.request ? "leave request" : "welcome"},
          {"member", notice.member},
          {"request", notice.request ? nlohmann::ordered_json(notice.request)
                                     : nlohmann::ordered_json()},
          {"source", notice.source},
          {"attempts", notice.attempts},
          {"error", notice.error}};
}

} // namespace mailgroup
