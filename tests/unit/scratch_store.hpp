// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Scratch directories and stores for unit tests that need real files.

#include "core/store/store.hpp"
#include "core/util/fs.hpp"

#include <cstdlib>
#include <string>

namespace mailgroup::testing {

// A scratch directory removed at the end of the test.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "mgunit.XXXXXX");
    path = ::mkdtemp(pattern.data());
  }
  ~TempDir() { fs::remove_all(path); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

// A new store in `dir`/store for example.com, administered by
// boss@example.com.
inline Store make_store(const TempDir& dir) {
  StoreConfig config;
  config.domains = {"example.com"};
  config.default_administrators = {"boss@example.com"};
  Store::init(dir.path / "store", config);
  return Store(dir.path / "store");
}

// Fixes the clock every record takes its time from while it lives.
struct FixedNow {
  FixedNow() { ::setenv("MAILGROUP_NOW", "2026-01-31T09:00:00Z", 1); }
  ~FixedNow() { ::unsetenv("MAILGROUP_NOW"); }
};

} // namespace mailgroup::testing
