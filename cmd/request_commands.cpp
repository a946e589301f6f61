// SPDX-License-Identifier: GPL-3.0-or-later
// member leave; request list|approve|deny.
#include "cmd/context.hpp"

#include "core/util/json.hpp"
#include "core/workflows/leave.hpp"

#include <fmt/format.h>

#include <memory>

namespace mailgroup::cli {

namespace {

struct LeaveOptions {
  std::string group;
  std::string member;
  std::string as;
  std::string reason;
  bool dry_run = false;
  bool no_notify = false;
};

void run_leave(const LeaveOptions& opt, const Context& context) {
  Transaction t(context.store(), context.lock_timeout(),
                {"member leave", current_user()});
  auto actor = acting_as(t, opt.as);
  auto result = leave_group(t.state(), opt.group, opt.member, actor, opt.reason);
  print_notes(result.notes);
  if (const auto& request = result.request) {
    auto detail = fmt::format("request {}: {} asks to leave", request->id,
                              request->member);
    if (!request->reason.empty()) {
      detail += fmt::format(" ({})", request->reason);
    }
    t.log_event({request->group, "leave requested", {detail}});
  }
  finish(t, opt.dry_run);
  if (result.request && !opt.dry_run) {
    fmt::print("{}\n", result.request->id);
    print_note(fmt::format("leaving {} needs an administrator's approval: "
                           "recorded as request {} (mailgroup request "
                           "approve {})",
                           result.request->group, result.request->id,
                           result.request->id));
    send_notices(t, opt.no_notify
                        ? std::vector<Notice>{}
                        : leave_request_notices(t.state(), *result.request));
  }
}

struct RequestListOptions {
  std::string group;
  Format format = Format::text;
};

void run_request_list(const RequestListOptions& opt, const Context& context) {
  auto snapshot = context.store().load(false);
  std::string group;
  if (!opt.group.empty()) {
    group = require_group(snapshot, opt.group);
  }
  JsonWriter json;
  json.begin_array();
  for (const auto& request : snapshot.requests.pending) {
    if (!group.empty() && request.group != group) {
      continue;
    }
    if (opt.format == Format::text) {
      // Tab-separated for cut(1); no field can hold a tab or a newline.
      fmt::print("{}\t{}\t{}\t{}\t{}\t{}\n", request.id, request.group,
                 request.member, request.time, request.requested_by,
                 request.reason);
      continue;
    }
    json.begin_object();
    json.key("id").value(static_cast<long long>(request.id));
    json.key("group").value(std::string_view(request.group));
    json.key("member").value(std::string_view(request.member));
    json.key("requested_by").value(std::string_view(request.requested_by));
    json.key("time").value(std::string_view(request.time));
    json.key("reason").value(std::string_view(request.reason));
    json.end_object();
  }
  json.end_array();
  if (opt.format == Format::json) {
    fmt::print("{}", json.str());
  }
}

struct DecideOptions {
  std::uint64_t id = 0;
  std::string as;
  std::string reason;
  bool dry_run = false;
};

void run_decide(const DecideOptions& opt, const Context& context, bool approve) {
  Transaction t(context.store(), context.lock_timeout(),
                {approve ? "request approve" : "request deny", current_user()});
  auto actor = acting_as(t, opt.as);
  if (approve) {
    Notes notes;
    auto request = approve_request(t.state(), opt.id, actor, notes);
    print_notes(notes);
    t.log_event({request.group, "leave approved",
                 {fmt::format("request {} approved: {} leaves", request.id,
                              request.member)}});
  } else {
    auto request = deny_request(t.state(), opt.id, actor, opt.reason);
    auto detail = fmt::format("request {} denied: {} stays", request.id,
                              request.member);
    if (!opt.reason.empty()) {
      detail += fmt::format(" ({})", opt.reason);
    }
    t.log_event({request.group, "leave denied", {detail}});
  }
  finish(t, opt.dry_run);
}

void add_decide_command(CLI::App* parent, Context& context, bool approve) {
  auto opt = std::make_shared<DecideOptions>();
  auto* cmd = parent->add_subcommand(
      approve ? "approve" : "deny",
      approve ? "Let the member leave (administrators only)"
              : "Keep the member in the group (administrators only)");
  cmd->add_option("ID", opt->id, "The request's number")
      ->required()
      ->check(positive_number());
  add_as_option(cmd, opt->as);
  if (!approve) {
    cmd->add_option("--reason", opt->reason, "Why (kept in the change log)");
  }
  add_dry_run_option(cmd, opt->dry_run);
  cmd->callback([opt, &context, approve] { run_decide(*opt, context, approve); });
}

} // namespace

void add_leave_command(CLI::App* member, Context& context) {
  auto opt = std::make_shared<LeaveOptions>();
  auto* leave = member->add_subcommand(
      "leave", "Leave a group, or ask to where leaving needs approval");
  leave->add_option("ADDRESS", opt->group, "The group's address")->required();
  leave->add_option("MEMBER", opt->member, "Who leaves")->required();
  add_as_option(leave, opt->as);
  leave->add_option("--reason", opt->reason,
                    "Why (shown to the administrators)");
  add_dry_run_option(leave, opt->dry_run);
  leave->add_flag("--no-notify", opt->no_notify,
                  "Do not mail the administrators about the request");
  leave->callback([opt, &context] { run_leave(*opt, context); });
}

void add_request_commands(CLI::App& app, Context& context) {
  auto* request = app.add_subcommand(
      "request", "List and decide requests to leave groups");
  request->require_subcommand(1);
  auto list_opt = std::make_shared<RequestListOptions>();
  auto* list = request->add_subcommand("list", "List pending requests");
  list->add_option("ADDRESS", list_opt->group, "Only this group's");
  add_format_option(list, list_opt->format, {Format::text, Format::json});
  list->callback([list_opt, &context] { run_request_list(*list_opt, context); });
  add_decide_command(request, context, true);
  add_decide_command(request, context, false);
}

} // namespace mailgroup::cli
