// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/util/identity.hpp"

#include "scratch_store.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

using namespace mailgroup;
using mailgroup::testing::TempDir;

namespace {

std::string fake_login(unsigned uid) {
  return uid == 0 ? "root" : "user" + std::to_string(uid);
}

} // namespace

TEST_SUITE("identity") {
  TEST_CASE("SUDO_UID is believed only from root, as sudo runs us") {
    auto sudo = caller_from(0, 0, "1001", fake_login);
    CHECK(sudo.uid == 1001);
    CHECK(sudo.login == "user1001");
    CHECK(sudo.through_sudo);
    CHECK(sudo.elevated);

    // Someone running mailgroup themself sets SUDO_UID in vain.
    auto forged = caller_from(1002, 1002, "0", fake_login);
    CHECK(forged.uid == 1002);
    CHECK(!forged.through_sudo);
    CHECK(!forged.elevated);
    CHECK(caller_from(1002, 1002, "1001", fake_login).uid == 1002);

    // A setuid-root install: the real uid, elevated.
    auto setuid = caller_from(1002, 0, "1001", fake_login);
    CHECK(setuid.uid == 1002);
    CHECK(!setuid.through_sudo);
    CHECK(setuid.elevated);
  }

  TEST_CASE("root is root: without SUDO_UID, with SUDO_UID=0, or garbage") {
    for (const char* value : {static_cast<const char*>(nullptr), "", "0",
                              "1001x", "-5", " 1001", "99999999999"}) {
      CAPTURE(value ? value : "(unset)");
      auto caller = caller_from(0, 0, value, fake_login);
      CHECK(caller.uid == 0);
      CHECK(caller.login == "root");
      CHECK(!caller.elevated);
    }
  }

  TEST_CASE("a uid without a name in the password database") {
    CHECK(login_of_uid(0) == "root");
    CHECK(login_of_uid(3999999999u) == "uid 3999999999");
  }

  TEST_CASE("a store path is trusted only if no one but root can change it") {
    TempDir dir;
    auto store = dir.path / "store";
    fs::create_directory(store);
    ::chmod(dir.path.c_str(), 0755);
    ::chmod(store.c_str(), 0700);
    auto owner = static_cast<unsigned>(::getuid());
    CHECK(!untrusted_path_reason(store.string(), owner));
    CHECK(owner_uid(store.string()) == owner);

    ::chmod(store.c_str(), 0770);
    CHECK(untrusted_path_reason(store.string(), owner) ==
          store.string() + " is writable by others than its owner (mode 770)");
    ::chmod(store.c_str(), 0700);

    // A world-writable parent without the sticky bit lets anyone swap the
    // store for their own.
    ::chmod(dir.path.c_str(), 0777);
    CHECK(untrusted_path_reason(store.string(), owner) ==
          dir.path.string() +
              " is writable by others than its owner (mode 777)");
    ::chmod(dir.path.c_str(), 01777);
    CHECK(!untrusted_path_reason(store.string(), owner));
    // ... but the store itself may not be sticky and world-writable.
    ::chmod(store.c_str(), 01777);
    CHECK(untrusted_path_reason(store.string(), owner));
    ::chmod(store.c_str(), 0700);
    ::chmod(dir.path.c_str(), 0755);

    // Owned by someone else than root and the trusted uid.
    if (owner == 0) {
      CHECK(::chown(store.c_str(), 1234, 0) == 0);
      CHECK(untrusted_path_reason(store.string(), 0) ==
            store.string() + " belongs to uid 1234, not to root");
      CHECK(::chown(store.c_str(), 0, 0) == 0);
    }
    // A symbolic link is judged by where it leads.
    fs::create_directory_symlink(store, dir.path / "link");
    CHECK(!untrusted_path_reason((dir.path / "link").string(), owner));
    CHECK(untrusted_path_reason((dir.path / "missing").string(), owner) ==
          (dir.path / "missing").string() + ": No such file or directory");
  }
}
