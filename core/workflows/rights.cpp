// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/workflows/rights.hpp"

#include "core/model/address.hpp"
#include "core/util/error.hpp"
#include "core/util/text.hpp"
#include "core/util/toml_io.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace mailgroup {

namespace {

bool listed(const std::vector<std::string>& sorted, std::string_view address) {
  return !address.empty() &&
         std::binary_search(sorted.begin(), sorted.end(), address);
}

std::string store_administrators(const StoreConfig& config) {
  std::vector<std::string> all = config.default_administrators;
  for (const auto& domain : config.domains) {
    all.push_back("postmaster@" + domain);
  }
  canonicalize(all);
  return fmt::format("{}", fmt::join(all, ", "));
}

std::string names(const std::vector<std::string>& list) {
  return list.empty() ? std::string("nobody")
                      : fmt::format("{}", fmt::join(list, ", "));
}

} // namespace

std::string Actor::log_name() const {
  if (address.empty()) {
    return caller.login;
  }
  if (acting_for_someone) {
    return fmt::format("{} as {}", caller.login, address);
  }
  return address;
}

std::string Actor::describe() const {
  auto who = fmt::format("{} (uid {})", caller.login, caller.uid);
  return address.empty() ? who : fmt::format("{} as {}", who, address);
}

bool is_store_administrator(const StoreConfig& config,
                            std::string_view address) {
  if (listed(config.default_administrators, address)) {
    return true;
  }
  auto at = address.rfind('@');
  return at != std::string_view::npos && address.substr(0, at) == "postmaster" &&
         config.is_local_domain(address.substr(at + 1));
}

Actor identify(const StoreConfig& config,
               const ProcessCaller& caller,
               unsigned store_owner_uid,
               std::string_view as) {
  Actor actor;
  actor.caller = caller;
  bool owner = caller.uid == 0 || caller.uid == store_owner_uid;
  auto mapped = config.users.find(caller.login);
  if (!as.empty()) {
    if (!owner) {
      throw Error(ErrorKind::permission,
                  fmt::format("{} may not use --as: only root or the store's "
                              "owner may act for someone else; you act as "
                              "yourself ({})",
                              caller.login,
                              mapped == config.users.end()
                                  ? "no address under [users]"
                                  : mapped->second));
    }
    actor.address = require_address(as);
    actor.acting_for_someone =
        mapped == config.users.end() || mapped->second != actor.address;
    actor.store_administrator = is_store_administrator(config, actor.address);
    return actor;
  }
  if (mapped != config.users.end()) {
    actor.address = mapped->second;
  }
  actor.owner = owner;
  actor.store_administrator =
      owner || is_store_administrator(config, actor.address);
  return actor;
}

bool administers(const Group& group, std::string_view address) {
  return listed(group.administrators, address);
}

bool audits(const Group& group, std::string_view address) {
  return listed(group.auditors, address);
}

bool has_right(const Actor& actor,
               const StoreConfig& config,
               const Group& group,
               GroupRight right) {
  if (actor.owner || actor.store_administrator) {
    return true;
  }
  bool administrator = administers(group, actor.address);
  switch (right) {
  case GroupRight::read:
    return group.show_in_contacts || administrator ||
           audits(group, actor.address);
  case GroupRight::change:
  case GroupRight::decide_requests:
  case GroupRight::read_log:
    return administrator;
  case GroupRight::delete_group:
    return administrator && config.administrators_may_delete;
  }
  return false;
}

void require_right(const Actor& actor,
                   const StoreConfig& config,
                   const Group& group,
                   GroupRight right,
                   std::string_view what) {
  if (has_right(actor, config, group, right)) {
    return;
  }
  auto administrators_may = [&] {
    return fmt::format("only its administrators ({}) and store "
                       "administrators ({}) may",
                       names(group.administrators),
                       store_administrators(config));
  };
  std::string who;
  switch (right) {
  case GroupRight::read:
    who = fmt::format("it is not shown in contacts; its administrators "
                      "({}), its auditors ({}) and store administrators ({}) "
                      "may",
                      names(group.administrators), names(group.auditors),
                      store_administrators(config));
    break;
  case GroupRight::change:
  case GroupRight::decide_requests:
  case GroupRight::read_log:
    who = administrators_may();
    break;
  case GroupRight::delete_group:
    who = config.administrators_may_delete
              ? administrators_may()
              : fmt::format("only store administrators ({}) may "
                            "([delegation] administrators_may_delete is off)",
                            store_administrators(config));
    break;
  }
  throw Error(ErrorKind::permission,
              fmt::format("{} may not {}: {}", actor.describe(), what, who));
}

void require_store_administrator(const Actor& actor,
                                 const StoreConfig& config,
                                 std::string_view what) {
  if (actor.owner || actor.store_administrator) {
    return;
  }
  throw Error(ErrorKind::permission,
              fmt::format("{} may not {}: only store administrators ({}) "
                          "may",
                          actor.describe(), what, store_administrators(config)));
}

void require_address_of(const Actor& actor, std::string_view what) {
  if (!actor.address.empty()) {
    return;
  }
  throw Error(ErrorKind::permission,
              fmt::format("{} may not {}: login {} has no address under "
                          "[users] in mailgroup.toml; the store's owner can "
                          "add {} = \"ADDRESS\" there",
                          actor.describe(), what, quote(actor.caller.login),
                          toml_quote(actor.caller.login)));
}

} // namespace mailgroup
