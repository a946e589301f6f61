// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/workflows/leave.hpp"

#include "core/model/address.hpp"
#include "core/util/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace mailgroup {

namespace {

bool from_directory(const Group& group, std::string_view member) {
  if (!group.dynamic) {
    return false;
  }
  const auto& rule = *group.dynamic;
  return std::binary_search(rule.resolved.begin(), rule.resolved.end(),
                            member) &&
         std::find(rule.exclude.begin(), rule.exclude.end(), member) ==
             rule.exclude.end();
}

bool is_static_member(const Group& group, std::string_view member) {
  return std::find(group.members.begin(), group.members.end(), member) !=
         group.members.end();
}

// Takes `member` out of `group`: off the static list, and for a member the
// directory puts in, onto the exclusions (or the next sync brings them
// back). False if they were not a member.
bool take_out(Group& group, const std::string& member, Notes& notes) {
  bool was_member = false;
  if (is_static_member(group, member)) {
    std::erase(group.members, member);
    was_member = true;
  }
  if (from_directory(group, member)) {
    group.dynamic->exclude.push_back(member);
    notes.push_back(fmt::format("{} is in {} through the directory; added to "
                                "its exclusions so that sync keeps them out",
                                member, group.address));
    was_member = true;
  }
  return was_member;
}

const LeaveRequest& pending_request(const Snapshot& snapshot,
                                    std::uint64_t id) {
  const auto* request = snapshot.requests.find(id);
  if (!request) {
    throw Error(ErrorKind::not_found,
                fmt::format("no pending request {}; 'mailgroup request list' "
                            "shows the pending ones",
                            id));
  }
  return *request;
}

} // namespace

LeaveResult leave_group(Snapshot& snapshot,
                        std::string_view group_text,
                        std::string_view member_text,
                        const Actor& actor,
                        const std::string& reason) {
  auto& group = snapshot.get(require_group(snapshot, group_text));
  auto member = require_address(member_text);
  require_single_line_text("reason", reason);
  bool administrator =
      has_right(actor, snapshot.config, group, GroupRight::change);
  if (!administrator) {
    require_address_of(actor, fmt::format("take {} out of {}", member,
                                          group.address));
  }
  if (actor.address != member && !administrator) {
    throw Error(ErrorKind::permission,
                fmt::format("{} may not take {} out of {}: only the member "
                            "themself, its administrators ({}) and store "
                            "administrators may",
                            actor.describe(), member, group.address,
                            group.administrators.empty()
                                ? std::string("nobody")
                                : fmt::format("{}", fmt::join(
                                                        group.administrators,
                                                        ", "))));
  }
  LeaveResult result;
  if (!is_static_member(group, member) && !from_directory(group, member)) {
    result.notes.push_back(
        fmt::format("{} is not a member of {}", member, group.address));
    return result;
  }
  if (!group.leave_needs_approval || administrator) {
    result.left = take_out(group, member, result.notes);
    return result;
  }
  if (const auto* pending = snapshot.requests.find(group.address, member)) {
    result.notes.push_back(fmt::format(
        "{} already asked to leave {}: request {} waits for an administrator",
        member, group.address, pending->id));
    return result;
  }
  LeaveRequest request{snapshot.requests.next_id++, group.address, member,
                       actor.address, now_rfc3339(), reason};
  snapshot.requests.pending.push_back(request);
  result.request = std::move(request);
  return result;
}

LeaveRequest approve_request(Snapshot& snapshot,
                             std::uint64_t id,
                             const Actor& actor,
                             Notes& notes) {
  auto request = pending_request(snapshot, id);
  auto& group = snapshot.get(request.group);
  require_right(actor, snapshot.config, group, GroupRight::decide_requests,
                fmt::format("approve request {} ({} leaving {})", id,
                            request.member, group.address));
  if (!take_out(group, request.member, notes)) {
    notes.push_back(fmt::format("{} is no longer a member of {}",
                                request.member, group.address));
  }
  snapshot.requests.erase(id);
  return request;
}

LeaveRequest deny_request(Snapshot& snapshot,
                          std::uint64_t id,
                          const Actor& actor,
                          const std::string& reason) {
  auto request = pending_request(snapshot, id);
  require_single_line_text("reason", reason);
  require_right(actor, snapshot.config, std::as_const(snapshot).get(request.group),
                GroupRight::decide_requests,
                fmt::format("deny request {} ({} leaving {})", id,
                            request.member, request.group));
  snapshot.requests.erase(id);
  return request;
}

namespace workflows {

Outcome leave(const Invocation& invocation,
              const std::string& group,
              const std::string& member,
              const std::string& reason) {
  Transaction t(invocation.store(), invocation.lock_timeout,
                {"member leave"});
  auto actor = identify(t, invocation);
  auto result = leave_group(t.state(), group, member, actor, reason);
  Outcome outcome;
  outcome.notes = std::move(result.notes);
  const auto& request = result.request;
  if (request) {
    auto detail = fmt::format("request {}: {} asks to leave", request->id,
                              request->member);
    if (!request->reason.empty()) {
      detail += fmt::format(" ({})", request->reason);
    }
    t.log_event({request->group, "leave requested", {detail}});
  }
  finish(t, invocation, outcome);
  if (request && !invocation.dry_run) {
    outcome.output.push_back(std::to_string(request->id));
    outcome.notes.push_back(fmt::format(
        "leaving {} needs an administrator's approval: recorded as request "
        "{} (mailgroup request approve {})",
        request->group, request->id, request->id));
    send_notices(t, invocation, leave_request_notices(t.state(), *request),
                 outcome);
  }
  return outcome;
}

Outcome decide_request(const Invocation& invocation,
                       std::uint64_t id,
                       bool approve,
                       const std::string& reason) {
  Transaction t(invocation.store(), invocation.lock_timeout,
                {approve ? "request approve" : "request deny"});
  auto actor = identify(t, invocation);
  Outcome outcome;
  if (approve) {
    auto request = approve_request(t.state(), id, actor, outcome.notes);
    t.log_event({request.group, "leave approved",
                 {fmt::format("request {} approved: {} leaves", request.id,
                              request.member)}});
  } else {
    auto request = deny_request(t.state(), id, actor, reason);
    auto detail = fmt::format("request {} denied: {} stays", request.id,
                              request.member);
    if (!reason.empty()) {
      detail += fmt::format(" ({})", reason);
    }
    t.log_event({request.group, "leave denied", {detail}});
  }
  finish(t, invocation, outcome);
  return outcome;
}

} // namespace workflows

} // namespace mailgroup
