// SPDX-License-Identifier: GPL-3.0-or-later
#include "cmd/context.hpp"

#include "core/util/text.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

namespace mailgroup::cli {

Store Context::store() const {
  if (!caller.elevated) {
    return Store(store_dir);
  }
  auto refuse = [&](const std::string& why) {
    throw Error(ErrorKind::permission,
                fmt::format("{} (uid {}) runs mailgroup through sudo, so the "
                            "store must be one only root can change: {}",
                            caller.login, caller.uid, why));
  };
  // The path checked is the one used: a --store through a symbolic link
  // the caller can swap would otherwise be checked on root's store and
  // opened on theirs.
  std::error_code error;
  auto real = std::filesystem::canonical(store_dir, error);
  if (error) {
    refuse(fmt::format("{}: {}", store_dir, error.message()));
  }
  if (auto why = untrusted_path_reason(real.string(), 0)) {
    refuse(*why);
  }
  Store store(real);
  auto config = store.config_path().string();
  if (auto why = untrusted_path_reason(config, 0)) {
    refuse(*why);
  }
  return store;
}

Actor reader(const Context& context,
             const Store& store,
             const StoreConfig& config,
             const std::string& as) {
  Invocation invocation;
  invocation.caller = context.caller;
  invocation.as = as;
  return identify(store, config, invocation);
}

void require_store_administrator(const Context& context, std::string_view what) {
  auto store = context.store();
  auto config = store.load(false).config;
  require_store_administrator(reader(context, store, config), config, what);
}

void require_not_elevated(const Context& context, std::string_view what) {
  if (context.caller.elevated) {
    throw Error(ErrorKind::permission,
                fmt::format("{} (uid {}) may not {} through sudo: only root "
                            "may",
                            context.caller.login, context.caller.uid, what));
  }
}

CLI::Validator refused_when_elevated(const Context& context) {
  return CLI::Validator(
      [&context](std::string&) -> std::string {
        if (context.caller.elevated) {
          throw Error(ErrorKind::permission,
                      fmt::format("{} (uid {}) may not name files or "
                                  "directories through sudo: root would "
                                  "open them for you; leave the option out "
                                  "to use the store's own",
                                  context.caller.login, context.caller.uid));
        }
        return {};
      },
      "");
}

void print_note(const std::string& text) {
  fmt::print(stderr, "mailgroup: note: {}\n", text);
}

void print_warning(const std::string& text) {
  fmt::print(stderr, "mailgroup: warning: {}\n", text);
}

void print_warnings(const std::vector<std::string>& warnings,
                    std::size_t limit) {
  for (std::size_t i = 0; i < warnings.size() && i < limit; ++i) {
    print_warning(warnings[i]);
  }
  if (warnings.size() > limit) {
    print_warning(fmt::format("... and {} more warnings", warnings.size() - limit));
  }
}

void print_notes(const Notes& notes) {
  for (const auto& note : notes) {
    print_note(note);
  }
}

void add_format_option(CLI::App* command,
                       Format& format,
                       const std::vector<Format>& choices) {
  std::map<std::string, Format> names;
  static const std::map<Format, std::string> all = {
      {Format::text, "text"}, {Format::json, "json"}, {Format::csv, "csv"}};
  std::string list;
  for (auto choice : choices) {
    names.emplace(all.at(choice), choice);
    list += (list.empty() ? "" : "|") + all.at(choice);
  }
  command
      ->add_option("--format", format, fmt::format("Output format: {}", list))
      ->transform(CLI::CheckedTransformer(names))
      ->option_text(fmt::format("{} (default: text)", list));
}

CLI::Validator positive_number() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        bool digits = !text.empty() && text.size() <= 18 &&
                      text.find_first_not_of("0123456789") == std::string::npos;
        if (!digits || text.find_first_not_of('0') == std::string::npos) {
          return fmt::format("{} is not a whole number from 1 up", quote(text));
        }
        return {};
      },
      "NUMBER");
}

void add_dry_run_option(CLI::App* command, bool& dry_run) {
  command->add_flag("-n,--dry-run",
                    dry_run,
                    "Print what would change on stdout; write nothing");
}

void add_as_option(CLI::App* command, std::string& as) {
  command
      ->add_option("--as", as,
                   "Act as ADDRESS (default: your login's address under "
                   "[users] in mailgroup.toml)")
      ->type_name("ADDRESS");
}

void add_no_notify_option(CLI::App* command, bool& no_notify) {
  command->add_flag("--no-notify", no_notify,
                    "Send no welcome notice to who joins (notify_members)");
}

Invocation invocation(const Context& context,
                      bool dry_run,
                      bool no_notify,
                      std::string as) {
  Invocation out;
  // Refuses an untrusted store before the lock is taken, and names the
  // store by the path it checked.
  out.store_dir = context.store().root().string();
  out.lock_timeout = context.lock_timeout();
  out.caller = context.caller;
  out.as = std::move(as);
  out.dry_run = dry_run;
  out.notify = !no_notify;
  out.warn = [](const std::vector<std::string>& batch) {
    print_warnings(batch);
  };
  return out;
}

void render(const Outcome& outcome) {
  print_notes(outcome.notes);
  for (const auto& line : outcome.planned) {
    fmt::print("{}\n", line);
  }
  for (const auto& line : outcome.output) {
    fmt::print("{}\n", line);
  }
  report_notices(outcome.notices);
}

std::vector<std::string> with_stdin(const std::vector<std::string>& args,
                                    std::string (*check)(std::string_view)) {
  std::vector<std::string> out;
  bool read = false;
  for (const auto& arg : args) {
    if (arg != "-") {
      out.push_back(arg);
      continue;
    }
    if (read) {
      continue;
    }
    read = true;
    std::string line;
    std::size_t number = 0;
    while (std::getline(std::cin, line)) {
      ++number;
      auto text = trim(line);
      if (text.empty() || text.front() == '#') {
        continue;
      }
      try {
        check(text);
      } catch (const Error& e) {
        throw Error(e.kind(),
                    {Diagnostic{Location{"<stdin>", number}, e.what()}});
      }
      out.emplace_back(text);
    }
  }
  return out;
}

} // namespace mailgroup::cli
