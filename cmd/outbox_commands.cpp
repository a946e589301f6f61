// SPDX-License-Identifier: GPL-3.0-or-later
// Welcome notices after a change; outbox list|flush.
#include "cmd/context.hpp"
#include "cmd/exit_codes.hpp"
#include "cmd/output.hpp"

#include <fmt/format.h>

#include <memory>

namespace mailgroup::cli {

namespace {

std::string what(const Notice& notice) {
  return notice.request ? fmt::format("leave request {}", notice.request)
                        : "welcome notice";
}

} // namespace

bool report_delivery(const DeliveryReport& report) {
  if (report.busy) {
    print_note("another mailgroup is sending the outbox's notices; the new "
               "ones wait there for it or the next run");
    return false;
  }
  if (report.dropped > 0) {
    print_note(fmt::format("dropped {} queued notice{} that no longer appl{} "
                           "(no longer a member, or the group is gone or "
                           "quiet)",
                           report.dropped, report.dropped == 1 ? "" : "s",
                           report.dropped == 1 ? "ies" : "y"));
  }
  std::vector<std::string> warnings;
  for (const auto& notice : report.kept) {
    warnings.push_back(fmt::format("could not send the {} for {} to {}: {}",
                                   what(notice), notice.group, notice.to(),
                                   notice.error));
  }
  print_warnings(warnings);
  if (!report.kept.empty()) {
    print_warning(fmt::format(
        "{} notice{} kept in the outbox; the next run, or 'mailgroup outbox "
        "flush', tries again",
        report.kept.size(), report.kept.size() == 1 ? "" : "s"));
  }
  return report.kept.empty();
}

void report_notices(const NoticeDelivery& delivery) {
  if (delivery.report) {
    report_delivery(*delivery.report);
  }
  for (const auto& error : delivery.errors) {
    print_warning(fmt::format("welcome notices: {}", error));
  }
}

namespace {

struct OutboxListOptions {
  Format format = Format::text;
};

void run_outbox_list(const OutboxListOptions& opt, const Context& context) {
  require_store_administrator(context, "list the outbox");
  auto store = context.store();
  store.load(false); // a store must be there
  auto notices = Outbox(store).list();
  // Tab-separated for cut(1); the error is one line from sendmail.
  print_records(opt.format, notices, [](const Notice& notice) {
    return fmt::format("{}\t{}\t{}\t{}\t{}\t{}\n", notice.time, notice.group,
                       notice.to(), what(notice), notice.attempts,
                       notice.error);
  });
}

} // namespace

void add_outbox_commands(CLI::App& app, Context& context) {
  auto* outbox = app.add_subcommand(
      "outbox", "Notices waiting to be sent (welcomes, leave requests)");
  outbox->require_subcommand(1);
  auto list_opt = std::make_shared<OutboxListOptions>();
  auto* list = outbox->add_subcommand("list", "List the notices not sent yet");
  add_format_option(list, list_opt->format, {Format::text, Format::json});
  list->callback([list_opt, &context] { run_outbox_list(*list_opt, context); });
  auto* flush = outbox->add_subcommand(
      "flush", "Try to send every waiting notice now (exit 75 if some fail)");
  flush->callback([&context] {
    require_store_administrator(context, "flush the outbox");
    auto store = context.store();
    if (!report_delivery(Outbox(store).deliver(store.load(false)))) {
      context.exit_status = exit_locked; // some wait for another try
    }
  });
}

} // namespace mailgroup::cli
