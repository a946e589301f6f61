// SPDX-License-Identifier: GPL-3.0-or-later
// The Postfix writer as a round trip: any group file the loader accepts,
// in a store, produces maps that a postmap-style reader parses back to
// exactly the intended entries: one key per group, values that are valid
// addresses, nothing more.
#include "core/model/address.hpp"
#include "core/model/config.hpp"
#include "core/postfix/maps.hpp"
#include "core/store/group_file.hpp"
#include "core/util/error.hpp"
#include "core/util/text.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>

namespace {

// What postmap(1) reads from a table source: '#' comments and blank lines
// skipped, lines starting with whitespace continue the previous one, the
// key ends at the first whitespace.
std::map<std::string, std::string> postmap_entries(std::string_view text) {
  std::map<std::string, std::string> entries;
  std::string last;
  for (auto line : mailgroup::split(text, '\n')) {
    if (line.empty() || mailgroup::trim(line).empty() ||
        mailgroup::trim(line).front() == '#') {
      continue;
    }
    if (line.front() == ' ' || line.front() == '\t') {
      if (last.empty()) {
        std::abort();
      }
      entries[last] += " " + std::string(mailgroup::trim(line));
      continue;
    }
    auto space = line.find_first_of(" \t");
    auto key = std::string(line.substr(0, space));
    if (entries.count(key)) {
      std::abort(); // a duplicate key
    }
    entries[key] = space == std::string_view::npos
                       ? ""
                       : std::string(mailgroup::trim(line.substr(space)));
    last = key;
  }
  return entries;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  mailgroup::Snapshot snapshot;
  snapshot.config.domains = {"example.com"};
  try {
    auto group = mailgroup::parse_group(text, "fuzz.toml");
    if (mailgroup::domain_of(group.address) != "example.com" ||
        std::find(group.members.begin(), group.members.end(),
                  group.address) != group.members.end()) {
      return 0; // the store would refuse it
    }
    snapshot.groups.emplace(group.address, group);
  } catch (const mailgroup::Error&) {
    return 0;
  }
  mailgroup::PostfixOptions options;
  options.map_dir = "/etc/postfix/mailgroup";
  auto output = mailgroup::generate_postfix(snapshot, options);
  const auto& group = snapshot.groups.begin()->second;
  for (const auto& file : output.files) {
    if (!file.is_table) {
      continue;
    }
    auto entries = postmap_entries(file.content);
    if (file.name == "virtual") {
      auto members = group.effective_members();
      if (group.frozen || members.empty()) {
        if (!entries.empty()) {
          std::abort();
        }
        continue;
      }
      std::string expected;
      for (const auto& m : members) {
        expected += (expected.empty() ? "" : ",") + m;
      }
      if (entries.size() != 1 || entries.begin()->first != group.address ||
          entries.begin()->second != expected) {
        std::abort();
      }
    } else if (file.name == "recipient_access") {
      if (entries.size() > 1 ||
          (entries.size() == 1 && entries.begin()->first != group.address)) {
        std::abort();
      }
    } else if (file.name.starts_with("senders/")) {
      for (const auto& [key, value] : entries) {
        std::string why;
        if (value != "OK" ||
            !(mailgroup::normalize_address(key, &why) ||
              mailgroup::normalize_domain(key, &why))) {
          std::abort();
        }
      }
    }
  }
  return 0;
}
