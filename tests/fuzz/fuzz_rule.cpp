// SPDX-License-Identifier: GPL-3.0-or-later
// The rule parser and evaluator: parse errors are mailgroup::Error; a parsed
// rule binds or fails cleanly and evaluates every person without crashing.
#include "core/directory/index.hpp"
#include "core/directory/rule.hpp"
#include "core/util/error.hpp"

#include <cstdint>
#include <memory>
#include <string>

namespace {
const mailgroup::Directory& people() {
  static std::unique_ptr<mailgroup::Directory> directory = [] {
    std::vector<std::string> warnings;
    mailgroup::DirectoryConfig config;
    config.status_column_optional = true;
    return mailgroup::load_directory(
        "email,department,title,level,hire_date,location,note\n"
        "a@x.example,Eng,Senior Engineer,7,2019-05-01,Z\xc3\xbcrich,\n"
        "b@x.example,Eng/Sub,Sales Rep,10,2024-01-31T09:00,Berlin,x\n"
        "c@x.example,Ops,engineer,n/a,unknown,berlin,\"a,b\"\n",
        "people.csv", config, {}, warnings);
  }();
  return *directory;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    auto rule = mailgroup::Rule::parse(text);
    rule.bind(people());
    for (std::size_t i = 0; i < people().size(); ++i) {
      rule.matches(people(), i);
      rule.explain(people(), i);
    }
  } catch (const mailgroup::Error&) {
  }
  return 0;
}
