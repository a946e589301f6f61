// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/address.hpp"
#include "core/store/store.hpp"
#include "core/util/identity.hpp"
#include "core/workflows/command.hpp"
#include "core/workflows/rights.hpp"

#include <CLI/CLI.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace mailgroup::cli {

enum class Format { text, json, csv };

// Options every command shares, filled in by CLI11 before any callback runs.
struct Context {
  std::string store_dir = "/etc/mailgroup";
  double wait_seconds = 10;
  // Who runs the command, read once at start (identity.hpp).
  ProcessCaller caller;
  // The exit status of a command that finished with a result of its own
  // rather than an error (sync: some groups held back); see exit_codes.hpp.
  int exit_status = 0;

  // The store; for an elevated caller (through sudo), only one whose path
  // root alone can change (Error(permission) otherwise), so that nobody
  // makes root work on files they control.
  Store store() const;
  std::chrono::milliseconds lock_timeout() const {
    return std::chrono::milliseconds(
        static_cast<long long>(wait_seconds * 1000));
  }
};

// Who reads the store (list, show, log, ...), with the rights rights.hpp
// gives; `as` only from the owner.
Actor reader(const Context& context,
             const Store& store,
             const StoreConfig& config,
             const std::string& as = {});

// Error(permission) unless the command's caller is the store's owner or a
// store administrator: for commands that see every group (check, eval,
// generate, ...).
void require_store_administrator(const Context& context, std::string_view what);

// Error(permission) for an elevated caller: commands that only root runs
// (init, policy).
void require_not_elevated(const Context& context, std::string_view what);

// A validator for options that name a file or directory: refused for an
// elevated caller (exit 77), who could otherwise have root read or write
// files of their choosing.
CLI::Validator refused_when_elevated(const Context& context);

// Diagnostics on stderr, prefixed like every other message of the tool.
void print_note(const std::string& text);
void print_warning(const std::string& text);
void print_notes(const Notes& notes);
// The first `limit` warnings, then how many more there were: a store of
// 20,000 groups can warn thousands of times, and cron mails all of it.
void print_warnings(const std::vector<std::string>& warnings,
                    std::size_t limit = 20);

// Adds `--format` with the given choices to `command`.
void add_format_option(CLI::App* command,
                       Format& format,
                       const std::vector<Format>& choices);

// Adds `--dry-run` to `command`.
void add_dry_run_option(CLI::App* command, bool& dry_run);

// Digits only, at least 1: CLI11 reads "-1" into an unsigned option as
// 18446744073709551615, so the text is checked before it is converted.
CLI::Validator positive_number();

// Adds `--as ADDRESS` to `command` (the address the command acts as;
// default: the login's under [users]).
void add_as_option(CLI::App* command, std::string& as);

// What a write workflow needs to know about this run.
Invocation invocation(const Context& context,
                      bool dry_run,
                      bool no_notify = false,
                      std::string as = {});

// Prints what a write workflow did: notes on stderr, what a dry run would
// change and the command's data on stdout, then how sending its notices went.
void render(const Outcome& outcome);
// Reports a delivery of notices on stderr; true if everything due was sent.
bool report_delivery(const DeliveryReport& report);
void report_notices(const NoticeDelivery& delivery);

// Expands `-` into the entries read from standard input, one a line (blank
// lines and lines starting with '#' skipped), keeping the others as given.
// Each line goes through `check` (which throws Error) so that a bad line is
// reported as `<stdin>:LINE: ...`.
std::vector<std::string> with_stdin(
    const std::vector<std::string>& args,
    std::string (*check)(std::string_view) = require_address);

void add_group_commands(CLI::App& app, Context& context);
void add_member_commands(CLI::App& app, Context& context);
void add_generate_commands(CLI::App& app, Context& context);
void add_department_commands(CLI::App& app, Context& context);
void add_export_commands(CLI::App& app, Context& context);
void add_log_commands(CLI::App& app, Context& context);
void add_request_commands(CLI::App& app, Context& context);
void add_outbox_commands(CLI::App& app, Context& context);
void add_held_commands(CLI::App& app, Context& context);
void add_policy_commands(CLI::App& app, Context& context);

// Adds `--no-notify` to a command that can make people join.
void add_no_notify_option(CLI::App* command, bool& no_notify);
void add_leave_command(CLI::App* member, Context& context);

} // namespace mailgroup::cli
