// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/workflows/rights.hpp"

#include "core/util/error.hpp"

#include <doctest/doctest.h>

using namespace mailgroup;

namespace {

StoreConfig store_config() {
  StoreConfig config;
  config.domains = {"example.com"};
  config.default_administrators = {"boss@example.com"};
  config.users = {{"ada", "ada@example.com"},
                  {"boss", "boss@example.com"},
                  {"pm", "postmaster@example.com"},
                  {"root", "root@example.com"}};
  return config;
}

ProcessCaller as_user(unsigned uid, std::string login) {
  return ProcessCaller{uid, std::move(login), true, true};
}

constexpr unsigned k_owner = 500; // owns the store directory

Group sales() {
  Group group;
  group.address = "sales@example.com";
  group.administrators = {"ada@example.com"};
  group.auditors = {"aud@example.com"};
  group.show_in_contacts = false;
  return group;
}

std::string refusal(const Actor& actor, const StoreConfig& config,
                    const Group& group, GroupRight right) {
  try {
    require_right(actor, config, group, right, "change " + group.address);
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::permission);
    return e.what();
  }
  return "allowed";
}

} // namespace

TEST_SUITE("rights") {
  TEST_CASE("who a caller is: the login's address; root and the store's "
            "owner own everything") {
    auto config = store_config();
    auto ada = identify(config, as_user(1001, "ada"), k_owner, "");
    CHECK(ada.address == "ada@example.com");
    CHECK(!ada.owner);
    CHECK(!ada.store_administrator);
    CHECK(ada.log_name() == "ada@example.com");
    CHECK(ada.describe() == "ada (uid 1001) as ada@example.com");

    auto root = identify(config, ProcessCaller{0, "root", false, false},
                         k_owner, "");
    CHECK(root.owner);
    CHECK(root.store_administrator);
    CHECK(root.log_name() == "root@example.com");

    auto account = identify(config, ProcessCaller{k_owner, "mailgroup", false,
                                                  false},
                            k_owner, "");
    CHECK(account.owner);
    CHECK(account.address.empty());
    CHECK(account.log_name() == "mailgroup");
    CHECK(account.describe() == "mailgroup (uid 500)");

    auto stranger = identify(config, as_user(1003, "zed"), k_owner, "");
    CHECK(stranger.address.empty());
    CHECK(!stranger.store_administrator);
  }

  TEST_CASE("--as: root acts for someone with their rights; others may not") {
    auto config = store_config();
    auto root = identify(config, ProcessCaller{0, "root", false, false},
                         k_owner, "Ada@Example.com");
    CHECK(root.address == "ada@example.com");
    CHECK(!root.owner);
    CHECK(root.acting_for_someone);
    CHECK(root.log_name() == "root as ada@example.com");
    CHECK(root.describe() == "root (uid 0) as ada@example.com");
    CHECK(!has_right(root, config, Group{}, GroupRight::change));
    // Acting as one's own address is no acting for someone.
    CHECK(identify(config, ProcessCaller{0, "root", false, false}, k_owner,
                   "root@example.com")
              .log_name() == "root@example.com");

    CHECK_THROWS_WITH_AS(
        identify(config, as_user(1001, "ada"), k_owner, "boss@example.com"),
        "ada may not use --as: only root or the store's owner may act for "
        "someone else; you act as yourself (ada@example.com)",
        Error);
    CHECK_THROWS_WITH_AS(
        identify(config, as_user(1003, "zed"), k_owner, "zed@example.com"),
        "zed may not use --as: only root or the store's owner may act for "
        "someone else; you act as yourself (no address under [users])",
        Error);
  }

  TEST_CASE("store administrators: [defaults] administrators and postmaster") {
    auto config = store_config();
    CHECK(is_store_administrator(config, "boss@example.com"));
    CHECK(is_store_administrator(config, "postmaster@example.com"));
    CHECK(!is_store_administrator(config, "postmaster@elsewhere.org"));
    CHECK(!is_store_administrator(config, "ada@example.com"));
    CHECK(!is_store_administrator(config, ""));
    auto pm = identify(config, as_user(1004, "pm"), k_owner, "");
    CHECK(pm.store_administrator);
    CHECK(has_right(pm, config, sales(), GroupRight::delete_group));
  }

  TEST_CASE("a group's administrators change it; delete only if allowed") {
    auto config = store_config();
    auto ada = identify(config, as_user(1001, "ada"), k_owner, "");
    auto group = sales();
    for (auto right : {GroupRight::read, GroupRight::change,
                       GroupRight::decide_requests, GroupRight::read_log}) {
      CHECK(has_right(ada, config, group, right));
    }
    CHECK(!has_right(ada, config, group, GroupRight::delete_group));
    config.administrators_may_delete = true;
    CHECK(has_right(ada, config, group, GroupRight::delete_group));
  }

  TEST_CASE("auditors and members read; anyone reads what contacts show") {
    auto config = store_config();
    config.users["aud"] = "aud@example.com";
    config.users["mem"] = "mem@example.com";
    auto auditor = identify(config, as_user(1005, "aud"), k_owner, "");
    auto group = sales();
    group.members = {"mem@example.com"};
    CHECK(has_right(auditor, config, group, GroupRight::read));
    CHECK(!has_right(auditor, config, group, GroupRight::change));
    CHECK(!has_right(auditor, config, group, GroupRight::read_log));

    auto member = identify(config, as_user(1006, "mem"), k_owner, "");
    auto stranger = identify(config, as_user(1003, "zed"), k_owner, "");
    for (const auto& someone : {member, stranger}) {
      CHECK(!has_right(someone, config, group, GroupRight::read));
      CHECK(!has_right(someone, config, group, GroupRight::change));
    }
    group.show_in_contacts = true;
    CHECK(has_right(stranger, config, group, GroupRight::read));
    CHECK(!has_right(stranger, config, group, GroupRight::change));
  }

  TEST_CASE("a refusal says who you are, what you tried, and who may") {
    auto config = store_config();
    auto zed = identify(config, as_user(1003, "zed"), k_owner, "");
    CHECK(refusal(zed, config, sales(), GroupRight::change) ==
          "zed (uid 1003) may not change sales@example.com: only its "
          "administrators (ada@example.com) and store administrators "
          "(boss@example.com, postmaster@example.com) may");
    auto ada = identify(config, as_user(1001, "ada"), k_owner, "");
    CHECK(refusal(ada, config, sales(), GroupRight::delete_group) ==
          "ada (uid 1001) as ada@example.com may not change "
          "sales@example.com: only store administrators (boss@example.com, "
          "postmaster@example.com) may ([delegation] "
          "administrators_may_delete is off)");
    CHECK(refusal(zed, config, sales(), GroupRight::read) ==
          "zed (uid 1003) may not change sales@example.com: it is not shown "
          "in contacts; its administrators (ada@example.com), its auditors "
          "(aud@example.com) and store administrators (boss@example.com, "
          "postmaster@example.com) may");
    CHECK_THROWS_WITH_AS(require_store_administrator(ada, config, "sync"),
                         "ada (uid 1001) as ada@example.com may not sync: "
                         "only store administrators (boss@example.com, "
                         "postmaster@example.com) may",
                         Error);
    CHECK_THROWS_WITH_AS(
        require_address_of(zed, "leave sales@example.com"),
        "zed (uid 1003) may not leave sales@example.com: login \"zed\" has no "
        "address under [users] in mailgroup.toml; the store's owner can add "
        "\"zed\" = \"ADDRESS\" there",
        Error);
  }
}
