// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Callers for unit tests of rules that ask who acts (rights.hpp).

#include "core/workflows/rights.hpp"

#include <string>

namespace mailgroup::testing {

// A delegated caller (through sudo) acting as `address`, with no rights
// beyond those of that address.
inline Actor delegated(std::string address, std::string login = "someone") {
  Actor actor;
  actor.caller = ProcessCaller{1001, std::move(login), true, true};
  actor.address = std::move(address);
  return actor;
}

// The store's owner (root) acting as itself.
inline Actor owner() {
  Actor actor;
  actor.caller = ProcessCaller{0, "root", false, false};
  actor.owner = true;
  actor.store_administrator = true;
  return actor;
}

} // namespace mailgroup::testing
