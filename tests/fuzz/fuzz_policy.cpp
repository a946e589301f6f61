// SPDX-License-Identifier: GPL-3.0-or-later
// The policy service's request reader: whatever a client sends, it ends in
// requests or one error, the same whether the bytes come at once or in
// pieces, its memory stays bounded, and each request gets a decision, the
// same with or without explain's trace.
#include "core/postfix/policy.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

using mailgroup::PolicyRequestReader;

const mailgroup::PolicyIndex& index() {
  static const mailgroup::PolicyIndex built = [] {
    mailgroup::Snapshot snapshot;
    snapshot.config.domains = {"example.com"};
    mailgroup::Group team;
    team.address = "team@example.com";
    team.permission = mailgroup::Permission::members;
    team.members = {"a@example.net"};
    team.refusal_text = "Members only";
    snapshot.groups.emplace(team.address, team);
    return mailgroup::PolicyIndex(mailgroup::build_policy_index(snapshot),
                                  "fuzz");
  }();
  return built;
}

// The answers to `input` read `piece` bytes at a time, then "error" if the
// reader refused it.
std::vector<std::string> answers(std::string_view input, std::size_t piece) {
  PolicyRequestReader reader;
  std::vector<std::string> out;
  for (std::size_t at = 0; at < input.size(); at += piece) {
    auto chunk = input.substr(at, piece);
    while (!chunk.empty()) {
      auto status = reader.read(chunk);
      if (status == PolicyRequestReader::Status::error) {
        out.push_back("error: " + reader.error());
        return out;
      }
      if (status == PolicyRequestReader::Status::request) {
        const auto& request = reader.request();
        if (request.sender.size() > PolicyRequestReader::k_max_line ||
            request.recipient.size() > PolicyRequestReader::k_max_line) {
          std::abort();
        }
        auto answer = mailgroup::decide_policy(index(), request);
        // explain's trace never changes the answer.
        mailgroup::PolicyTrace trace;
        if (mailgroup::decide_policy(index(), request, &trace) != answer) {
          std::abort();
        }
        out.emplace_back(answer);
      }
    }
  }
  return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  if (size == 0) {
    return 0;
  }
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::size_t piece = 1 + data[0] % 16;
  if (answers(input, input.size() + 1) != answers(input, piece)) {
    std::abort();
  }
  return 0;
}
