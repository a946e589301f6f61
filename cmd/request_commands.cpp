// SPDX-License-Identifier: GPL-3.0-or-later
// member leave; request list|approve|deny.
#include "cmd/context.hpp"
#include "cmd/output.hpp"

#include "core/workflows/leave.hpp"

#include <fmt/format.h>

#include <memory>
#include <utility>

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
  render(workflows::leave(
      invocation(context, opt.dry_run, opt.no_notify, opt.as), opt.group,
      opt.member, opt.reason));
}

struct RequestListOptions {
  std::string group;
  Format format = Format::text;
};

void run_request_list(const RequestListOptions& opt, const Context& context) {
  auto store = context.store();
  auto snapshot = store.load_on_demand(false);
  auto actor = reader(context, store, snapshot.config);
  std::string group;
  if (!opt.group.empty()) {
    group = require_group(snapshot, opt.group);
  }
  auto requests = snapshot.requests.pending;
  // A delegated caller sees the requests they may decide, and their own.
  std::erase_if(requests, [&](const LeaveRequest& request) {
    if (!group.empty() && request.group != group) {
      return true;
    }
    if (!actor.address.empty() && request.member == actor.address) {
      return false;
    }
    const auto* of = std::as_const(snapshot).find(request.group);
    return !of || !has_right(actor, snapshot.config, *of,
                             GroupRight::decide_requests);
  });
  // Tab-separated for cut(1); no field can hold a tab or a newline.
  print_records(opt.format, requests, [](const LeaveRequest& request) {
    return fmt::format("{}\t{}\t{}\t{}\t{}\t{}\n", request.id, request.group,
                       request.member, request.time, request.requested_by,
                       request.reason);
  });
}

struct DecideOptions {
  std::uint64_t id = 0;
  std::string as;
  std::string reason;
  bool dry_run = false;
};

void run_decide(const DecideOptions& opt, const Context& context, bool approve) {
  render(workflows::decide_request(invocation(context, opt.dry_run, false, opt.as),
                                   opt.id, approve, opt.reason));
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
