// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/postfix/live_config.hpp"

#include "core/util/text.hpp"


namespace mailgroup {

std::optional<MainCf> read_main_cf(const PostfixTools& tools,
                                   std::string* why) {
  auto argv = tools.command("postconf");
  argv.push_back("-n");
  auto result = run_process(argv, {std::nullopt, true});
  if (result.status != 0) {
    if (why) {
      *why = std::string(trim(result.errors));
    }
    return std::nullopt;
  }
  MainCf main_cf;
  for (auto line : split(result.output, '\n')) {
    auto equals = line.find(" = ");
    if (equals == std::string_view::npos) {
      continue;
    }
    main_cf[std::string(line.substr(0, equals))] =
        std::string(line.substr(equals + 3));
  }
  return main_cf;
}

std::vector<std::string> main_cf_list(std::string_view value) {
  std::vector<std::string> names;
  std::string name;
  for (char c : value) {
    if (c == ',' || c == ' ' || c == '\t' || c == '\n') {
      if (!name.empty()) {
        names.push_back(std::move(name));
        name.clear();
      }
    } else {
      name += c;
    }
  }
  if (!name.empty()) {
    names.push_back(std::move(name));
  }
  return names;
}

// postconf -n leaves out a class definition no longer declared (an "unused
// parameter"): what it prints is what Postfix reads.
bool main_cf_uses_table(const MainCf& main_cf, std::string_view path) {
  std::string needle(path);
  for (const auto& [name, value] : main_cf) {
    for (std::size_t at = value.find(needle); at != std::string::npos;
         at = value.find(needle, at + 1)) {
      auto end = at + needle.size();
      bool table = at > 0 && value[at - 1] == ':';
      if (table && (end == value.size() ||
                    std::string_view(", \t}").find(value[end]) !=
                        std::string_view::npos)) {
        return true;
      }
    }
  }
  return false;
}

} // namespace mailgroup
