// SPDX-License-Identifier: GPL-3.0-or-later
// log: the change log.
#include "cmd/context.hpp"
#include "cmd/output.hpp"

#include "core/model/address.hpp"
#include "core/store/changelog.hpp"
#include "core/util/fs.hpp"
#include "core/util/text.hpp"

#include <fmt/format.h>

#include <map>
#include <memory>

namespace mailgroup::cli {

namespace {

struct LogOptions {
  std::string group;
  std::string since;
  Format format = Format::text;
};

// A date, or a date and a time (2026-01-31T09:00:00Z): entries are
// compared with it as text.
bool is_since(std::string_view text) {
  return text.size() >= 10 && is_calendar_date(text.substr(0, 10)) &&
         (text.size() == 10 || text[10] == 'T');
}

void run_log(const LogOptions& opt, const Context& context) {
  auto store = context.store();
  // The log may name groups deleted since: no group lookup, just the form.
  auto group = opt.group.empty() ? std::string() : require_address(opt.group);
  if (!opt.since.empty() && !is_since(opt.since)) {
    throw Error(ErrorKind::usage,
                fmt::format("--since {}: give a date (2026-01-31) or a time "
                            "(2026-01-31T09:00:00Z)",
                            quote(opt.since)));
  }
  auto snapshot = store.load_on_demand(false); // a store must be there
  auto actor = reader(context, store, snapshot.config);
  auto text = read_file_if_exists(store.log_path()).value_or("");
  std::vector<Diagnostic> skipped;
  auto entries = parse_log(text, store.log_path().string(), &skipped);
  for (const auto& line : skipped) {
    print_warning(fmt::format("{}; skipped", line.to_string()));
  }
  // RFC 3339 times in UTC compare as text, and a date sorts before every
  // time of that day.
  // A delegated caller sees the history of the groups they administer,
  // not of groups deleted since.
  auto may_read = [&](const std::string& address) {
    if (actor.owner || actor.store_administrator) {
      return true;
    }
    const auto* found = snapshot.find(address);
    return found &&
           has_right(actor, snapshot.config, *found, GroupRight::read_log);
  };
  if (!group.empty() && !may_read(group)) {
    require_right(actor, snapshot.config, snapshot.get(group),
                  GroupRight::read_log, "read the change log of " + group);
  }
  std::map<std::string, bool, std::less<>> readable;
  std::erase_if(entries, [&](const LogEntry& entry) {
    if ((!group.empty() && entry.group != group) ||
        (!opt.since.empty() && entry.time < opt.since)) {
      return true;
    }
    auto [it, fresh] = readable.try_emplace(entry.group, false);
    if (fresh) {
      it->second = may_read(entry.group);
    }
    return !it->second;
  });
  print_records(opt.format, entries, [](const LogEntry& entry) {
    auto prefix = fmt::format("{} {} {} {}", entry.time, entry.actor,
                              quote(entry.command), entry.group);
    if (entry.changes.empty()) {
      return fmt::format("{}: {}\n", prefix, entry.action);
    }
    std::string lines;
    for (const auto& change : entry.changes) {
      lines += fmt::format("{}: {}\n", prefix, change);
    }
    return lines;
  });
}

} // namespace

void add_log_commands(CLI::App& app, Context& context) {
  auto opt = std::make_shared<LogOptions>();
  auto* command = app.add_subcommand(
      "log", "Who changed what, and when (the store's change log)");
  command->add_option("ADDRESS", opt->group, "Only this group");
  command->add_option("--since", opt->since,
                      "Only changes at or after DATE (2026-01-31 or "
                      "2026-01-31T09:00:00Z, UTC)")
      ->type_name("DATE");
  add_format_option(command, opt->format, {Format::text, Format::json});
  command->callback([opt, &context] { run_log(*opt, context); });
}

} // namespace mailgroup::cli
