// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/postfix/files.hpp"
#include "core/util/error.hpp"
#include "core/util/fs.hpp"

#include "tests/unit/scratch_store.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace mailgroup;
using mailgroup::testing::TempDir;

namespace {

using Lines = std::vector<std::string>;

const std::string k_sender_id = "0123456789abcdef";

PostfixOutput output(std::string virtual_map) {
  PostfixOutput out;
  out.files = {{"local_senders", "example.com\tOK\n", true},
               {"main.cf.fragment", "virtual_alias_maps = hash:/x/virtual\n",
                false},
               {"senders/" + k_sender_id, "a@example.com\tOK\n", true},
               {"virtual", std::move(virtual_map), true}};
  return out;
}

const std::string k_virtual = "# header\n"
                              "a@example.com\tx@example.net\n"
                              "b@example.com\ty@example.net\n";

WriteOptions quick() {
  WriteOptions options;
  options.lock_timeout = std::chrono::milliseconds(20);
  return options;
}

// A Postfix configuration directory for postmap -c; empty without postmap.
std::string postfix_config(const TempDir& dir) {
  if (!fs::exists("/usr/sbin/postmap")) {
    return {};
  }
  make_directory(dir.path / "pf");
  write_file_atomic(dir.path / "pf" / "main.cf", "compatibility_level = 3.6\n");
  return (dir.path / "pf").string();
}

} // namespace

TEST_SUITE("postfix_files") {
  TEST_CASE("files are written when they change, and the report says how") {
    TempDir dir;
    auto out = dir.path / "out";
    auto report = write_postfix_output(output(k_virtual), out, quick());
    CHECK(report.changes == Lines{"local_senders: created (1 entry)",
                                  "main.cf.fragment: created",
                                  "virtual: created (2 entries)",
                                  "senders: 1 table created, 0 changed, 0 "
                                  "removed"});
    CHECK_FALSE(report.stale_databases);
    CHECK(read_file(out / "virtual") == k_virtual);
    CHECK(read_file(out / "senders" / k_sender_id) == "a@example.com\tOK\n");
    CHECK(write_postfix_output(output(k_virtual), out, quick()).changes.empty());

    auto changed = "# header\n"
                   "a@example.com\tz@example.net\n"
                   "c@example.com\ty@example.net\n";
    CHECK(write_postfix_output(output(changed), out, quick()).changes ==
          Lines{"virtual: 3 entries changed"});
  }

  TEST_CASE("a check reports what differs and writes nothing") {
    TempDir dir;
    auto out = dir.path / "out";
    auto options = quick();
    options.check_only = true;
    auto report = write_postfix_output(output(k_virtual), out, options);
    CHECK(report.changes.size() == 4);
    CHECK_FALSE(fs::exists(out));
    write_postfix_output(output(k_virtual), out, quick());
    CHECK(write_postfix_output(output(k_virtual), out, options).changes.empty());
    write_file_atomic(out / "virtual", "# edited\n");
    CHECK(write_postfix_output(output(k_virtual), out, options).changes ==
          Lines{"virtual: 2 entries changed"});
    CHECK(read_file(out / "virtual") == "# edited\n");
  }

  TEST_CASE("one run at a time in an output directory") {
    TempDir dir;
    auto out = dir.path / "out";
    write_postfix_output(output(k_virtual), out, quick());
    FileLock other(out / ".mailgroup.lock", std::chrono::milliseconds(20));
    auto expected = "the output directory " + out.string() +
                    " is locked by another mailgroup process (" +
                    (out / ".mailgroup.lock").string() +
                    "); gave up after 0.02 s (raise it with --wait SECONDS)";
    CHECK_THROWS_WITH_AS(write_postfix_output(output("# other\n"), out, quick()),
                         expected.c_str(), Error);
    CHECK(read_file(out / "virtual") == k_virtual);
    // A check waits for a writer too: it would read a half-done run.
    auto check = quick();
    check.check_only = true;
    CHECK_THROWS_WITH_AS(write_postfix_output(output(k_virtual), out, check),
                         expected.c_str(), Error);
  }

  TEST_CASE("a run removes dead runs' work files and nothing else") {
    TempDir dir;
    auto out = dir.path / "out";
    write_postfix_output(output(k_virtual), out, quick());
    Lines planted{".virtual.tmp-0123456789abcdef",
                  ".virtual.tmp-0123456789abcdef.db", ".virtual.new",
                  ".virtual.new.db"};
    Lines kept{".other.new", ".virtual.newer", "notes.txt",
               ".virtual.tmp-0123"};
    for (const auto& name : planted) {
      write_file_atomic(out / name, "");
    }
    for (const auto& name : kept) {
      write_file_atomic(out / name, "");
    }
    write_file_atomic(out / "senders" / ".x.tmp-fedcba9876543210", "");
    CHECK(write_postfix_output(output(k_virtual), out, quick()).changes.empty());
    for (const auto& name : planted) {
      CAPTURE(name);
      CHECK_FALSE(fs::exists(out / name));
    }
    for (const auto& name : kept) {
      CAPTURE(name);
      CHECK(fs::exists(out / name));
    }
    CHECK_FALSE(fs::exists(out / "senders" / ".x.tmp-fedcba9876543210"));
  }

  TEST_CASE("sender tables no longer used are removed; other files in "
            "senders/ are not") {
    TempDir dir;
    auto out = dir.path / "out";
    write_postfix_output(output(k_virtual), out, quick());
    auto senders = out / "senders";
    for (const char* name : {"fedcba9876543210", "fedcba9876543210.db",
                             "cafe", "notes.txt", "FEDCBA9876543210"}) {
      write_file_atomic(senders / name, "");
    }
    // A database is removed only when the live main.cf does not name it:
    // read from a configuration of the test's own, not the machine's.
    auto options = quick();
    options.postfix_config_dir = postfix_config(dir);
    auto check = options;
    check.check_only = true;
    CHECK(write_postfix_output(output(k_virtual), out, check).changes ==
          Lines{"senders: 0 tables created, 0 changed, 1 removed"});
    CHECK(fs::exists(senders / "fedcba9876543210"));
    CHECK(write_postfix_output(output(k_virtual), out, options).changes ==
          Lines{"senders: 0 tables created, 0 changed, 1 removed"});
    CHECK_FALSE(fs::exists(senders / "fedcba9876543210"));
    CHECK_FALSE(fs::exists(senders / "fedcba9876543210.db"));
    for (const char* name : {"cafe", "notes.txt", "FEDCBA9876543210"}) {
      CAPTURE(name);
      CHECK(fs::exists(senders / name));
    }
    CHECK(fs::exists(senders / k_sender_id));
  }

  TEST_CASE("databases are rebuilt when they are not what the manifest says "
            "was built") {
    TempDir dir;
    auto config = postfix_config(dir);
    if (config.empty()) {
      MESSAGE("postmap not installed: skipped");
      return;
    }
    auto out = dir.path / "out";
    auto options = quick();
    options.postmap = true;
    options.postfix_config_dir = config;
    auto check = options;
    check.postmap = false;
    check.check_only = true;
    write_postfix_output(output(k_virtual), out, options);
    CHECK(fs::is_regular_file(out / "virtual.db"));
    CHECK(write_postfix_output(output(k_virtual), out, options).changes.empty());
    CHECK(write_postfix_output(output(k_virtual), out, check).changes.empty());

    // Replaced by hand (a copy: same content, another file).
    fs::copy_file(out / "virtual.db", out / "copy.db");
    fs::rename(out / "copy.db", out / "virtual.db");
    auto report = write_postfix_output(output(k_virtual), out, check);
    CHECK(report.changes == Lines{"virtual.db: out of date"});
    CHECK(report.stale_databases);
    CHECK(write_postfix_output(output(k_virtual), out, options).changes ==
          Lines{"virtual.db: out of date, rebuilt"});

    // A planted link is no database, wherever it points.
    fs::copy_file(out / "virtual.db", out / "copy.db");
    fs::remove(out / "virtual.db");
    fs::create_symlink(out / "copy.db", out / "virtual.db");
    CHECK(write_postfix_output(output(k_virtual), out, check).changes ==
          Lines{"virtual.db: missing"});
    CHECK(write_postfix_output(output(k_virtual), out, options).changes ==
          Lines{"virtual.db: missing, built"});
    CHECK_FALSE(fs::is_symlink(out / "virtual.db"));

    // Its source edited back to what is wanted: the database was built from
    // something else.
    write_file_atomic(out / "virtual", "# edited\n");
    write_postfix_output(output("# edited\n"), out, options);
    write_file_atomic(out / "virtual", k_virtual);
    CHECK(write_postfix_output(output(k_virtual), out, check).changes ==
          Lines{"virtual.db: out of date"});
  }

  TEST_CASE("a failed postmap leaves nothing half-built") {
    TempDir dir;
    auto config = postfix_config(dir);
    if (config.empty()) {
      MESSAGE("postmap not installed: skipped");
      return;
    }
    auto out = dir.path / "out";
    auto options = quick();
    options.postmap = true;
    options.postfix_config_dir = config;
    options.table_type = "nonsense";
    make_directory(out);
    CHECK_THROWS_AS(write_postfix_output(output(k_virtual), out, options),
                    Error);
    Lines left;
    for (const auto& entry : fs::directory_iterator(out)) {
      left.push_back(entry.path().filename().string());
    }
    std::sort(left.begin(), left.end());
    // Nothing half-built stays behind.
    CHECK(left == Lines{".mailgroup.lock", "senders"});
  }
}
