// SPDX-License-Identifier: GPL-3.0-or-later
#include "cmd/app.hpp"

#include "cmd/context.hpp"
#include "cmd/exit_codes.hpp"

#include "core/util/text.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>

#ifndef MAILGROUP_VERSION
#define MAILGROUP_VERSION "unknown"
#endif

namespace mailgroup::cli {

namespace {

void print_error(const Error& e) {
  for (const auto& line : e.lines()) {
    fmt::print(stderr, "mailgroup: error: {}\n", line);
  }
}

void configure(CLI::App& app, Context& context) {
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Show help for every command");
  app.set_version_flag("--version", std::string("mailgroup ") + MAILGROUP_VERSION);
  app.add_option("--store", context.store_dir,
                 "Store directory (default: /etc/mailgroup)")
      ->envname("MAILGROUP_STORE")
      ->type_name("DIR");
  app.add_option("--wait", context.wait_seconds,
                 "Seconds to wait for the store lock, or generate's lock on its "
                 "output directory (default: 10)")
      // Range lets nan through (every comparison with it is false).
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            char* end = nullptr;
            double value = std::strtod(text.c_str(), &end);
            return std::isfinite(value) ? "" : "--wait needs a number of seconds";
          },
          ""))
      ->check(CLI::Range(0.0, 86400.0))
      ->type_name("SECONDS");
  app.fallthrough();
  app.footer("Exit status follows sysexits(3); see mailgroup(1).");
  add_group_commands(app, context);
  add_member_commands(app, context);
  add_department_commands(app, context);
  add_generate_commands(app, context);
  add_export_commands(app, context);
  add_log_commands(app, context);
  add_request_commands(app, context);
  add_outbox_commands(app, context);
  add_held_commands(app, context);
  add_policy_commands(app, context);
}

} // namespace

int run(int argc, char** argv) {
  CLI::App app("mailgroup: mail groups for Postfix, kept in TOML files",
               "mailgroup");
  Context context;
  try {
    context.caller = process_caller();
    if (context.caller.elevated) {
      refuse_clock_override();
      hide_group_name_hints();
    }
    configure(app, context);
    app.parse(argc, argv);
    std::fflush(stdout);
    if (std::ferror(stdout)) {
      fmt::print(stderr, "mailgroup: error: cannot write to standard output\n");
      return exit_io;
    }
    return context.exit_status;
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? exit_ok : exit_usage;
  } catch (const Error& e) {
    std::fflush(stdout);
    print_error(e);
    return exit_code_for(e.kind());
  } catch (const std::exception& e) {
    fmt::print(stderr, "mailgroup: internal error: {}\n", e.what());
    return exit_software;
  }
}

} // namespace mailgroup::cli
