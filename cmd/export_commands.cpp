// SPDX-License-Identifier: GPL-3.0-or-later
// export contacts.
#include "cmd/context.hpp"

#include "core/workflows/contacts.hpp"

#include <fmt/format.h>

#include <memory>

namespace mailgroup::cli {

namespace {
struct ExportOptions {
  std::string format = "vcard";
  std::string base_dn;
};
} // namespace

void add_export_commands(CLI::App& app, Context& context) {
  auto* command = app.add_subcommand("export", "Export for other systems");
  command->require_subcommand(1);
  auto opt = std::make_shared<ExportOptions>();
  auto* contacts = command->add_subcommand(
      "contacts", "Groups shown in contacts, for address books");
  contacts->add_option("--format", opt->format,
                       "vcard (default, vCard 4.0), ldif or csv")
      ->check(CLI::IsMember({"vcard", "ldif", "csv"}));
  contacts->add_option("--base-dn", opt->base_dn,
                       "LDIF: entries go under this DN (default: ou=groups "
                       "and the domain's dc= parts)")
      ->type_name("DN");
  contacts->callback([opt, &context] {
    auto snapshot = context.store().load(false);
    if (opt->format == "ldif") {
      fmt::print("{}", contacts_ldif(snapshot, opt->base_dn));
    } else if (opt->format == "csv") {
      fmt::print("{}", contacts_csv(snapshot));
    } else {
      fmt::print("{}", contacts_vcard(snapshot));
    }
  });
}

} // namespace mailgroup::cli
