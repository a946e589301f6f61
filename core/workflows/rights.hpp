// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Who may do what (mailgroup(1), DELEGATION). The store's owner (root, or
// the account that owns the store directory) may do everything; everyone
// else is a delegated caller, known by login and, through [users], by
// address, with the rights their roles give: store administrator, a group's
// administrator, auditor or member, or anyone. Every command asks here, so
// every front end refuses alike.

#include "core/model/config.hpp"
#include "core/model/group.hpp"
#include "core/util/identity.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace mailgroup {

struct Snapshot;

struct Actor {
  ProcessCaller caller;
  // Whom the caller acts as: --as (owner only), else the login's address
  // under [users]; empty when there is none.
  std::string address;
  bool owner = false; // root or the store's account, without --as
  bool store_administrator = false;
  bool acting_for_someone = false; // the owner with --as

  // The change log's actor: "x@y", "root", "root as x@y", "bob as x@y".
  std::string log_name() const;
  // For refusals: "bob (uid 1001) as bob@example.com".
  std::string describe() const;
};

// Store administrators: [defaults] administrators, and postmaster@ every
// local domain.
bool is_store_administrator(const StoreConfig& config, std::string_view address);

// The actor for `caller` on a store whose directory belongs to
// `store_owner_uid`. `as` is refused (Error(permission)) for anyone but the
// owner; with it the owner acts with that address's rights.
Actor identify(const StoreConfig& config,
               const ProcessCaller& caller,
               unsigned store_owner_uid,
               std::string_view as);

enum class GroupRight {
  read,            // list, show, member list, whitelist list
  change,          // set, member add/remove, whitelist add/remove, freeze
  delete_group,    // delete
  decide_requests, // request approve/deny, and the request list
  read_log,        // log
};

bool administers(const Group& group, std::string_view address);
bool audits(const Group& group, std::string_view address);

// Whether `actor` has `right` on `group`: the owner and store
// administrators always; a group's administrators everything but
// delete_group (unless `config.administrators_may_delete`); its auditors
// read; anyone reads a group shown in contacts.
bool has_right(const Actor& actor,
               const StoreConfig& config,
               const Group& group,
               GroupRight right);

// Error(permission) unless has_right: who `actor` is, `what` they tried
// ("change sales@example.com") and who may.
void require_right(const Actor& actor,
                   const StoreConfig& config,
                   const Group& group,
                   GroupRight right,
                   std::string_view what);

// Error(permission) unless `actor` is the owner or a store administrator.
void require_store_administrator(const Actor& actor,
                                 const StoreConfig& config,
                                 std::string_view what);

// Error(permission) unless `actor` has an address (a delegated caller whose
// login [users] does not list): says how to get one.
void require_address_of(const Actor& actor, std::string_view what);

} // namespace mailgroup
