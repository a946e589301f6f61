// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Pending leave requests: requests.toml in the store, so they survive
// restarts and show up in git like every other change. Decided requests are
// dropped from the file; the change log keeps their history.

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mailgroup {

struct LeaveRequest {
  std::uint64_t id = 0;
  std::string group;
  std::string member;
  std::string requested_by;
  std::string time;
  std::string reason;

  bool operator==(const LeaveRequest&) const = default;
};

// The shape of `request list --format json`.
void to_json(nlohmann::ordered_json& json, const LeaveRequest& request);

struct Requests {
  // IDs are never reused, so "request 7" in a log or a mail means one thing.
  std::uint64_t next_id = 1;
  std::vector<LeaveRequest> pending; // by id

  bool operator==(const Requests&) const = default;

  const LeaveRequest* find(std::uint64_t id) const;
  const LeaveRequest* find(std::string_view group, std::string_view member) const;
  void erase(std::uint64_t id);
};

// Parses requests.toml; problems are reported as Error(data) with
// `source:line:col`.
Requests parse_requests(std::string_view text, const std::string& source);
std::string format_requests(const Requests& requests);

} // namespace mailgroup
