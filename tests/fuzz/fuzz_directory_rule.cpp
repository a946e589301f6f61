// SPDX-License-Identifier: GPL-3.0-or-later
// A directory loaded with skip_invalid, then rules evaluated against it:
// the first line of the input is a rule, the rest a CSV directory. Whatever
// rows were left out, every index stays consistent (each person's stored
// row is inside every column), and evaluating the rule for each person,
// explaining it and resolving department groups over it never crashes.
#include "core/directory/index.hpp"
#include "core/directory/rule.hpp"
#include "core/store/store.hpp"
#include "core/util/error.hpp"
#include "core/workflows/department.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>

namespace {

void check_indexes(const mailgroup::Directory& directory) {
  for (std::size_t c = 0; c < directory.attributes().size(); ++c) {
    const auto& column = directory.column(c);
    for (std::size_t i = 0; i < directory.size(); ++i) {
      if (i >= column.ids.size() ||
          column.ids[i] >= column.values.size() ||
          column.values[column.ids[i]] != directory.value(i, c)) {
        std::abort();
      }
    }
  }
  for (std::size_t i = 0; i < directory.size(); ++i) {
    if (directory.find(directory.email(i)) != i ||
        directory.rank(i) >= directory.size()) {
      std::abort();
    }
  }
}

mailgroup::Snapshot groups_for(const mailgroup::Directory& directory,
                               const std::string& where) {
  mailgroup::Snapshot snapshot;
  snapshot.config.domains = {"groups.example"};
  const auto& departments = directory.departments();
  for (std::size_t d = 0; d < departments.size() && d < 8; ++d) {
    for (bool below : {false, true}) {
      mailgroup::Group group;
      group.address = "g" + std::to_string(d) + (below ? "s" : "") +
                      "@groups.example";
      group.administrators = {"admin@groups.example"};
      group.dynamic.emplace();
      group.dynamic->department =
          d == 0 ? std::string("/") : departments[d].path;
      group.dynamic->include_subdepartments = below;
      group.dynamic->where = where;
      snapshot.groups.emplace(group.address, std::move(group));
    }
  }
  return snapshot;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  auto newline = input.find('\n');
  if (newline == std::string::npos) {
    return 0;
  }
  std::string where = input.substr(0, newline);
  mailgroup::DirectoryLoadOptions options;
  options.skip_invalid = true;
  mailgroup::DirectoryConfig config;
  config.status_column_optional = size % 2 == 1;
  std::vector<std::string> warnings;
  std::unique_ptr<mailgroup::Directory> directory;
  try {
    directory = mailgroup::load_directory(input.substr(newline + 1),
                                          "fuzz.csv", config, options,
                                          warnings);
  } catch (const mailgroup::Error&) {
    return 0;
  }
  check_indexes(*directory);
  try {
    auto rule = mailgroup::Rule::parse(where);
    rule.bind(*directory);
    for (std::size_t i = 0; i < directory->size(); ++i) {
      rule.matches(*directory, i);
      rule.explain(*directory, i);
    }
  } catch (const mailgroup::Error&) {
    where.clear(); // still resolve the departments, with no condition
  }
  try {
    auto snapshot = groups_for(*directory, where);
    mailgroup::resolve_groups(snapshot, *directory, {}, warnings);
  } catch (const mailgroup::Error&) {
  }
  return 0;
}
