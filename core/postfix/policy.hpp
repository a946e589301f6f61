// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The policy service's protocol and decision (Postfix's policy delegation,
// SMTPD_POLICY_README): requests are name=value lines ending with an empty
// line; the answer is `action=...` and an empty line. The decision is the
// one the maps make (maps.hpp): the same texts, the same lookups.

#include "core/postfix/policy_index.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace mailgroup {

// What the service answers when its index cannot be read: fail closed.
inline constexpr std::string_view k_policy_unavailable =
    "451 4.3.0 Group policy unavailable, try again later";

// The attributes the decision needs, sender and recipient in lower case
// (Postfix's indexed tables fold their keys).
struct PolicyRequest {
  std::string request; // smtpd_access_policy
  std::string protocol_state;
  std::string sender; // empty: the null sender
  std::string recipient;
  std::string sasl_username; // empty: the client did not log in
};

// Reads requests from a byte stream in pieces of any size, in bounded
// memory: a line may be at most k_max_line bytes, a request at most
// k_max_attributes lines; anything else is a protocol error, after which
// the reader reads nothing more (the connection should be closed).
class PolicyRequestReader {
public:
  static constexpr std::size_t k_max_line = 8192;
  static constexpr std::size_t k_max_attributes = 256;

  enum class Status { need_more, request, error };

  // Consumes `input` up to the end of one request (`request()` then holds
  // it) or all of it.
  Status read(std::string_view& input);
  const PolicyRequest& request() const { return m_request; }
  const std::string& error() const { return m_error; }

private:
  Status fail(std::string why);
  void store(std::string_view line);

  PolicyRequest m_request;
  std::string m_line; // a line split across pieces
  std::size_t m_attributes = 0;
  bool m_complete = false;
  std::string m_error;
};

// How decide_policy came to its answer: what `mailgroup explain` shows.
struct PolicyTrace {
  std::string_view group; // the group the index gave; empty: none
  std::string_view rule;  // which rule answered: "sender_not_allowed", ...
  std::vector<std::string> steps; // each look-up, in order
};

// The access(5) action for `request`: DUNNO for anything but a recipient
// at RCPT that is a group (or, team+x@, whose base team@ is one). A view
// into `index` or a constant. With `trace`, also says how (views into
// `index`); without, it allocates nothing.
std::string_view decide_policy(const PolicyIndex& index,
                               const PolicyRequest& request,
                               PolicyTrace* trace = nullptr);

// The index file as the service sees it: re-read when it is replaced (its
// device, inode, size or modification time differ), kept unavailable while
// it cannot be read or does not check.
class PolicyIndexFile {
public:
  explicit PolicyIndexFile(std::string path) : m_path(std::move(path)) {}

  // What stat says of the file, or the error it gave.
  struct Identity {
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
    std::int64_t size = -1;
    std::int64_t seconds = 0;
    std::int64_t nanoseconds = 0;
    int error = -1; // -1: never looked
    bool operator==(const Identity&) const = default;
  };

  // Looks at the file; true if what it holds changed since the last look
  // (a new index loaded, or a problem appeared or changed).
  bool refresh();
  // nullptr while the index cannot be used; `problem()` says why.
  const PolicyIndex* index() const { return m_index.get(); }
  const std::string& problem() const { return m_problem; }

private:
  std::string m_path;
  Identity m_identity; // of the file last read, or its stat error
  std::unique_ptr<PolicyIndex> m_index;
  std::string m_problem;
};

} // namespace mailgroup
