// SPDX-License-Identifier: GPL-3.0-or-later
// generate postfix.
#include "cmd/context.hpp"
#include "cmd/output.hpp"

#include "core/postfix/explain.hpp"
#include "core/postfix/files.hpp"
#include "core/postfix/maps.hpp"
#include "core/postfix/policy_output.hpp"
#include "core/postfix/output_stamp.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <memory>

namespace mailgroup::cli {

namespace {

struct GenerateOptions {
  std::string output;
  bool check = false;
  bool postmap = false;
  bool apply = false;
  std::string table_type = "hash";
  std::string map_dir;
  std::string postfix_config_dir;
  std::size_t expansion_limit = 1000;
  bool policy = false;
};

// spawn(8) runs this very program (master.cf.fragment).
PolicyServiceOptions policy_service() {
  PolicyServiceOptions service;
  std::error_code ec;
  service.program = fs::read_symlink("/proc/self/exe", ec).string();
  return service;
}

// What shapes the output besides the store: the options, this very program
// (an upgrade may write other bytes) and the live Postfix configuration
// (--apply compares with it, and old sender tables wait for it).
std::string stamp_settings(const GenerateOptions& opt,
                           const PostfixOptions& postfix,
                           bool policy) {
  std::string config_dir = opt.postfix_config_dir;
  if (config_dir.empty()) {
    const char* mail_config = std::getenv("MAIL_CONFIG");
    config_dir = mail_config ? mail_config : "/etc/postfix";
  }
  return fmt::format(
      "{}mode {}\ntable_type {}\nmap_dir {}\nexpansion_limit {}\npostmap {}\n"
      "apply {}\npostfix_config_dir {}\nprogram {}{}{}",
      k_generate_stamp_header, policy ? "policy" : "maps", opt.table_type,
      postfix.map_dir, opt.expansion_limit, opt.postmap || opt.apply, opt.apply, config_dir,
      file_metadata_line(policy_service().program),
      file_metadata_line(fs::path(config_dir) / "main.cf"),
      file_metadata_line(fs::path(config_dir) / "master.cf"));
}

void run_generate(const GenerateOptions& opt, const Context& context) {
  require_not_elevated(context, "generate Postfix's files");
  PostfixOptions postfix;
  postfix.table_type = opt.table_type;
  if (opt.map_dir.empty()) {
    postfix.map_dir = fs::absolute(opt.output).string();
    require_main_cf_path(postfix.map_dir,
                         "--output (made absolute, the map directory unless "
                         "--map-dir is given)");
  } else {
    postfix.map_dir = opt.map_dir;
    require_main_cf_path(postfix.map_dir, "--map-dir");
  }
  postfix.expansion_limit = opt.expansion_limit;
  const Store& store = context.store();
  // Nothing read or written since the last complete run: done, at the cost
  // of a directory listing (stamp.hpp). The mode comes from mailgroup.toml,
  // whose metadata the stamp holds, so the option alone names it here.
  auto inputs = stamp_inputs(store, stamp_settings(opt, postfix, opt.policy));
  if (stamp_is_current(opt.output, inputs.text)) {
    return;
  }
  auto snapshot = store.load();
  bool policy =
      opt.policy || snapshot.config.postfix_mode == PostfixMode::policy;
  auto output = policy
                    ? generate_postfix_policy(snapshot, postfix,
                                              policy_service())
                    : generate_postfix(snapshot, postfix);
  WriteOptions write;
  write.check_only = opt.check;
  write.postmap = opt.postmap || opt.apply;
  write.apply = opt.apply;
  write.table_type = opt.table_type;
  write.postfix_config_dir = opt.postfix_config_dir;
  write.map_dir = postfix.map_dir;
  write.lock_timeout = context.lock_timeout();
  if (inputs.trusted) {
    write.stamp_inputs = inputs.text;
  }
  auto report = write_postfix_output(output, opt.output, write);
  // Warnings describe the store, not the run: repeating them on every quiet
  // cron run would mail the same text each time, so they come with changes.
  if (!report.changes.empty()) {
    print_warnings(output.warnings);
  }
  for (const auto& change : report.changes) {
    fmt::print(stderr, "mailgroup: {}\n", change);
  }
  if (opt.check && !report.changes.empty()) {
    throw Error(ErrorKind::stale,
                fmt::format("{} is out of date; run 'mailgroup generate "
                            "postfix --output {}{}'",
                            opt.output, opt.output,
                            opt.postmap || report.stale_databases
                                ? " --postmap"
                                : ""));
  }
}

struct ExplainOptions {
  std::string sender;
  std::vector<std::string> recipients;
  std::string login; // empty: not logged in
  Format format = Format::text;
};

nlohmann::ordered_json explanation_json(const ExplainOptions& opt,
                                        std::string_view mode,
                                        std::string_view recipient,
                                        const EnvelopeReplay& replay) {
  auto or_null = [](const std::string& text) {
    return text.empty() ? nlohmann::ordered_json(nullptr)
                        : nlohmann::ordered_json(text);
  };
  return {{"mode", mode},
          {"login", or_null(opt.login)},
          {"sender", opt.sender},
          {"recipient", recipient},
          {"group", or_null(replay.group)},
          {"rule", or_null(replay.rule)},
          {"steps", replay.steps},
          {"answer", replay.answer},
          {"held", replay.held},
          {"delivered_to", replay.delivered_to}};
}

std::string explanation_text(const ExplainOptions& opt,
                             std::string_view recipient,
                             const EnvelopeReplay& replay) {
  std::string text;
  if (!opt.login.empty()) {
    text += fmt::format("AUTH {}\n", opt.login);
  }
  text += fmt::format("MAIL FROM:<{}> RCPT TO:<{}>\n", opt.sender, recipient);
  for (const auto& step : replay.steps) {
    text += fmt::format("  {}\n", step);
  }
  text += fmt::format("  answer: {}\n", replay.answer);
  if (!replay.delivered_to.empty()) {
    text += fmt::format("  delivered to: {}\n",
                        fmt::join(replay.delivered_to, ", "));
  }
  return text;
}

// Replays over the output generate postfix makes now (the same bytes it
// writes, in the mode mailgroup.toml chooses), so no output directory is
// needed.
void run_explain(const ExplainOptions& opt, const Context& context) {
  require_store_administrator(context, "explain Postfix's answers");
  PostfixOptions postfix;
  postfix.map_dir = "/mailgroup";
  auto snapshot = context.store().load();
  bool policy = snapshot.config.postfix_mode == PostfixMode::policy;
  auto output = policy ? generate_postfix_policy(snapshot, postfix,
                                                 policy_service())
                       : generate_postfix(snapshot, postfix);
  std::string text;
  auto json = nlohmann::ordered_json::array();
  for (const auto& recipient : opt.recipients) {
    auto replay =
        policy ? explain_policy_envelope(output, opt.sender, recipient,
                                         opt.login)
               : explain_envelope(output, postfix, opt.sender, recipient,
                                  opt.login);
    if (opt.format == Format::json) {
      json.push_back(explanation_json(opt, policy ? "policy" : "maps",
                                      recipient, replay));
    } else {
      text += explanation_text(opt, recipient, replay);
    }
  }
  if (opt.format == Format::json) {
    print_json(json);
  } else {
    fmt::print("{}", text);
  }
}

} // namespace

void add_generate_commands(CLI::App& app, Context& context) {
  auto explain_opt = std::make_shared<ExplainOptions>();
  auto* explain = app.add_subcommand(
      "explain", "Show the answer Postfix gives an envelope, and why");
  explain
      ->add_option("--sender", explain_opt->sender,
                   "Envelope sender (MAIL FROM; \"\" for the null sender)")
      ->required()
      ->type_name("ADDRESS");
  explain
      ->add_option("--login", explain_opt->login,
                   "The client's SASL login (default: not logged in)")
      ->type_name("LOGIN");
  explain->add_option("RCPT", explain_opt->recipients, "Recipients (RCPT TO)")
      ->required();
  add_format_option(explain, explain_opt->format, {Format::text, Format::json});
  explain->callback(
      [explain_opt, &context] { run_explain(*explain_opt, context); });

  auto* generate = app.add_subcommand("generate", "Write output for a mail server");
  generate->require_subcommand(1);
  auto opt = std::make_shared<GenerateOptions>();
  auto* postfix = generate->add_subcommand(
      "postfix", "Write Postfix virtual and access maps and main.cf lines");
  postfix->add_option("-o,--output", opt->output, "Output directory")
      ->required()
      ->type_name("DIR");
  postfix->add_flag("--check", opt->check,
                    "Write nothing; exit 1 if DIR is out of date");
  postfix->add_flag("--postmap", opt->postmap,
                    "Also build the indexed tables (aside, then renamed)");
  postfix
      ->add_flag("--apply", opt->apply,
                 "Also apply main.cf.fragment to Postfix's main.cf and "
                 "reload it when main.cf differs (implies --postmap)")
      ->excludes("--check");
  postfix->add_option("--table-type", opt->table_type,
                      "Postfix table type: hash (default), lmdb or cdb")
      ->check(CLI::IsMember({"hash", "lmdb", "cdb"}));
  postfix->add_option("--map-dir", opt->map_dir,
                      "Directory Postfix reads the tables from, written into "
                      "main.cf.fragment (default: DIR made absolute)")
      ->type_name("DIR");
  postfix->add_option("--postfix-config", opt->postfix_config_dir,
                      "Postfix configuration directory for postmap -c")
      ->type_name("DIR");
  postfix->add_option("--expansion-limit", opt->expansion_limit,
                      "Warn about groups bigger than this (Postfix's "
                      "virtual_alias_expansion_limit; default 1000)")
      ->check(positive_number())
      ->type_name("N");
  postfix->add_flag("--policy", opt->policy,
                    "Write the policy service's index and lines instead of "
                    "access maps and restriction classes (as [postfix] mode "
                    "= \"policy\" in mailgroup.toml does)");
  postfix->callback([opt, &context] { run_generate(*opt, context); });
}

} // namespace mailgroup::cli
