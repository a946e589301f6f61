// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/requests.hpp"

#include "core/model/address.hpp"
#include "core/util/text.hpp"
#include "core/util/toml_io.hpp"

#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace mailgroup {

const LeaveRequest* Requests::find(std::uint64_t id) const {
  auto it = std::find_if(pending.begin(), pending.end(),
                         [&](const auto& r) { return r.id == id; });
  return it == pending.end() ? nullptr : &*it;
}

const LeaveRequest* Requests::find(std::string_view group,
                                   std::string_view member) const {
  auto it = std::find_if(pending.begin(), pending.end(), [&](const auto& r) {
    return r.group == group && r.member == member;
  });
  return it == pending.end() ? nullptr : &*it;
}

void Requests::erase(std::uint64_t id) {
  std::erase_if(pending, [&](const auto& r) { return r.id == id; });
}

namespace {

constexpr double k_max_id = 9007199254740991.0; // exact in a TOML float

std::optional<std::uint64_t> read_id(TomlFields& fields, std::string_view key) {
  auto number = fields.number(key);
  if (!number) {
    return std::nullopt;
  }
  if (*number < 1 || *number > k_max_id ||
      *number != static_cast<double>(static_cast<std::uint64_t>(*number))) {
    fields.report(key, fmt::format("'{}' must be a whole number, 1 or more",
                                   key));
    return std::nullopt;
  }
  return static_cast<std::uint64_t>(*number);
}

LeaveRequest read_request(TomlFields& fields) {
  LeaveRequest request;
  request.id = read_id(fields, "id").value_or(0);
  if (!request.id && !fields.has("id")) {
    fields.report("id", "a request needs an 'id'");
  }
  auto address = [&](std::string_view key, std::string& target) {
    if (auto text = fields.string(key)) {
      try {
        target = require_address(*text);
      } catch (const Error& e) {
        fields.report(key, fmt::format("'{}': {}", key, e.what()));
      }
    } else {
      fields.report(key, fmt::format("a request needs '{}'", key));
    }
  };
  address("group", request.group);
  address("member", request.member);
  address("requested_by", request.requested_by);
  request.time = fields.timestamp("time").value_or("");
  if (auto reason = fields.string("reason")) {
    try {
      require_single_line_text("reason", *reason);
      request.reason = *reason;
    } catch (const Error& e) {
      fields.report("reason", fmt::format("'reason': {}", e.what()));
    }
  }
  fields.report_unknown_keys();
  return request;
}

} // namespace

Requests parse_requests(std::string_view text, const std::string& source) {
  auto table = parse_toml(text, source, ErrorKind::data);
  std::vector<Diagnostic> diagnostics;
  TomlFields fields(table, source, diagnostics);
  Requests requests;
  requests.next_id = read_id(fields, "next_id").value_or(1);
  if (const auto* array = fields.tables("request")) {
    for (const auto& element : *array) {
      TomlFields inner(*element.as_table(), source, diagnostics);
      auto request = read_request(inner);
      if (request.id && requests.find(request.id)) {
        diagnostics.push_back(
            {location_of(element, source),
             fmt::format("request {} is listed twice", request.id)});
      }
      requests.pending.push_back(std::move(request));
    }
  }
  for (const auto& request : requests.pending) {
    if (request.id >= requests.next_id) {
      requests.next_id = request.id + 1;
    }
  }
  fields.report_unknown_keys();
  if (!diagnostics.empty()) {
    throw Error(ErrorKind::data, std::move(diagnostics));
  }
  std::sort(requests.pending.begin(), requests.pending.end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
  return requests;
}

std::string format_requests(const Requests& requests) {
  TomlWriter out;
  out.comment("Pending leave requests; see 'mailgroup request' in mailgroup(1).");
  out.raw("next_id", fmt::format("{}", requests.next_id));
  for (const auto& request : requests.pending) {
    out.raw_line(fmt::format("\n[[request]]"));
    out.raw("id", fmt::format("{}", request.id));
    out.string("group", request.group);
    out.string("member", request.member);
    if (!request.reason.empty()) {
      out.string("reason", request.reason);
    }
    out.string("requested_by", request.requested_by);
    if (!request.time.empty()) {
      out.raw("time", request.time);
    }
  }
  return out.text();
}

void to_json(nlohmann::ordered_json& json, const LeaveRequest& request) {
  json = {{"id", request.id},
          {"group", request.group},
          {"member", request.member},
          {"requested_by", request.requested_by},
          {"time", request.time},
          {"reason", request.reason}};
}

} // namespace mailgroup
