// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/postfix/policy.hpp"

#include "core/model/address.hpp"
#include "core/postfix/answers.hpp"
#include "core/util/error.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace mailgroup {

namespace {

constexpr std::string_view k_dunno = answers::dunno;
constexpr std::string_view k_ok = "OK";
constexpr std::string_view k_hold = "HOLD";
constexpr std::string_view k_frozen = answers::frozen;
constexpr std::string_view k_not_allowed = answers::not_allowed;
constexpr std::string_view k_no_auto_replies = answers::no_auto_replies;

void assign_lower(std::string& target, std::string_view value) {
  target.assign(value);
  for (char& c : target) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
}

// `address` without its extension (team+x@d -> team@d, Postfix's
// recipient_delimiter +), written into `buffer`; empty if it has none.
// Whatever its length: Postfix strips the extension of a recipient of any
// length before it expands virtual, so a long one must not pass as "not a
// group".
std::string_view without_extension(std::string_view address,
                                   std::string& buffer) {
  auto at = address.rfind('@');
  auto plus = address.find('+');
  if (at == std::string_view::npos || plus == std::string_view::npos ||
      plus > at) {
    return {};
  }
  buffer.assign(address.substr(0, plus));
  buffer.append(address.substr(at));
  return buffer;
}

// Whether access(5) would find `sender` in a table of `set`'s keys: the
// address, the address without its extension, then its domain and each
// parent domain (parent_domain_matches_subdomains, Postfix's default).
// The null sender is looked up as <>, which no set holds.
bool sender_listed(const PolicyIndex& index,
                   SenderSet set,
                   std::string_view sender) {
  // A sender without a domain is never a domain's: Postfix would look it
  // up as sender@$myorigin, which the service does not know, so it is
  // only ever itself (a bare partner.example must not pass as a whitelisted
  // @partner.example).
  if (sender.empty() || sender.find('@') == std::string_view::npos) {
    return false;
  }
  if (index.contains(set, sender)) {
    return true;
  }
  std::string buffer;
  if (auto base = without_extension(sender, buffer);
      !base.empty() && index.contains(set, base)) {
    return true;
  }
  auto at = sender.rfind('@');
  return any_parent_domain(sender.substr(at + 1), [&](std::string_view domain) {
    return index.contains(set, domain);
  });
}

PolicyIndexFile::Identity identity_of(const struct stat& info) {
  return {static_cast<std::uint64_t>(info.st_dev),
          static_cast<std::uint64_t>(info.st_ino),
          static_cast<std::int64_t>(info.st_size),
          static_cast<std::int64_t>(info.st_mtim.tv_sec),
          static_cast<std::int64_t>(info.st_mtim.tv_nsec), 0};
}

} // namespace

PolicyRequestReader::Status PolicyRequestReader::fail(std::string why) {
  m_error = std::move(why);
  return Status::error;
}

void PolicyRequestReader::store(std::string_view line) {
  auto equals = line.find('=');
  auto name = line.substr(0, equals);
  auto value = line.substr(equals + 1);
  if (name == "request") {
    m_request.request.assign(value);
  } else if (name == "protocol_state") {
    m_request.protocol_state.assign(value);
  } else if (name == "sender") {
    assign_lower(m_request.sender, value);
  } else if (name == "recipient") {
    assign_lower(m_request.recipient, value);
  } else if (name == "sasl_username") {
    // Postfix compares logins without case (reject_sender_login_mismatch);
    // [users] holds them in lower case.
    assign_lower(m_request.sasl_username, value);
  }
}

PolicyRequestReader::Status PolicyRequestReader::read(std::string_view& input) {
  if (!m_error.empty()) {
    return Status::error;
  }
  if (m_complete) {
    m_request.request.clear();
    m_request.protocol_state.clear();
    m_request.sender.clear();
    m_request.recipient.clear();
    m_request.sasl_username.clear();
    m_attributes = 0;
    m_complete = false;
  }
  while (!input.empty()) {
    auto newline = input.find('\n');
    auto piece = input.substr(0, newline);
    if (m_line.size() + piece.size() > k_max_line) {
      return fail(fmt::format("a request line longer than {} bytes",
                              k_max_line));
    }
    if (newline == std::string_view::npos) {
      m_line.append(piece);
      input = {};
      return Status::need_more;
    }
    input.remove_prefix(newline + 1);
    std::string_view line = piece;
    if (!m_line.empty()) {
      m_line.append(piece);
      line = m_line;
    }
    if (line.empty()) {
      if (m_request.request != "smtpd_access_policy") {
        return fail(m_attributes == 0
                        ? std::string("an empty request")
                        : "a request without request=smtpd_access_policy");
      }
      m_complete = true;
      return Status::request;
    }
    if (++m_attributes > k_max_attributes) {
      return fail(fmt::format("a request of more than {} attributes",
                              k_max_attributes));
    }
    auto equals = line.find('=');
    if (equals == std::string_view::npos || equals == 0) {
      return fail(fmt::format("request line {} is not name=value",
                              m_attributes));
    }
    store(line);
    m_line.clear();
  }
  return Status::need_more;
}

namespace {

std::string_view kind_name(PolicyKind kind) {
  switch (kind) {
  case PolicyKind::anyone:
    return "anyone may post";
  case PolicyKind::local:
    return "senders of the store's domains";
  case PolicyKind::listed:
    return "members or whitelist only";
  case PolicyKind::frozen:
    return "frozen";
  }
  return "unknown";
}

// What the index says of `group`, for the trace.
std::string describe(const PolicyGroup& group) {
  std::string out(kind_name(group.kind));
  if (group.kind == PolicyKind::listed) {
    out += fmt::format(" ({} entr{})", group.senders.length,
                       group.senders.length == 1 ? "y" : "ies");
  }
  if (group.flags & k_policy_hold) {
    out += ", held for the auditors";
  }
  if (group.flags & k_policy_no_auto) {
    out += ", no automatic replies";
  }
  if (group.flags & k_policy_require_login) {
    out += ", login required";
  }
  if (!group.refusal.empty()) {
    out += fmt::format(", refusal \"{}\"", group.refusal);
  }
  return out;
}

} // namespace

std::string_view decide_policy(const PolicyIndex& index,
                               const PolicyRequest& request,
                               PolicyTrace* trace) {
  // The trace costs nothing when there is none (the service's case).
  auto answer = [trace](std::string_view rule, std::string_view action,
                        auto&& step) {
    if (trace) {
      trace->rule = rule;
      trace->steps.push_back(fmt::format("{} -> {}", step(), action));
    }
    return action;
  };
  // check_recipient_access acts at RCPT TO; so does this.
  if (request.protocol_state != "RCPT" || request.recipient.empty()) {
    return answer("not_rcpt", k_dunno, [] {
      return std::string("policy: not a recipient at RCPT TO");
    });
  }
  // Postfix drops the dots that may end a domain (team@example.com.)
  // before it resolves the address: so must the lookup, or that spelling
  // would pass unchecked.
  std::string_view recipient = request.recipient;
  while (recipient.size() > 1 && recipient.back() == '.') {
    recipient.remove_suffix(1);
  }
  // As access(5) looks up team+x@: the address first (a sub-address group
  // of its own), then team@.
  std::string buffer;
  std::string missing; // the last address looked up in vain
  auto lookup = [&](std::string_view address) {
    if (trace && !missing.empty()) {
      trace->steps.push_back(
          fmt::format("policy.index: {} not a group", missing));
    }
    auto found = index.find_group(address);
    if (!found) {
      if (auto base = without_extension(address, buffer); !base.empty()) {
        if (trace) {
          trace->steps.push_back(
              fmt::format("policy.index: {} not a group", address));
        }
        address = base;
        found = index.find_group(base);
      }
    }
    if (!found) {
      missing.assign(address);
    }
    return found;
  };
  auto group = lookup(recipient);
  // Postfix's allow_percent_hack (on by default) turns user%domain@host,
  // host local, into user@domain before its own lookups, but the service
  // is given the address as sent: a group reached so is decided as itself
  // (were host not local, the answer is only stricter than needed).
  std::string rewritten;
  while (!group) {
    auto at = recipient.rfind('@');
    auto percent = recipient.substr(0, at).rfind('%');
    if (at == std::string_view::npos || percent == std::string_view::npos) {
      break;
    }
    rewritten = fmt::format("{}@{}", recipient.substr(0, percent),
                            recipient.substr(percent + 1, at - percent - 1));
    recipient = rewritten;
    group = lookup(recipient);
  }
  if (!group) {
    return answer("no_group", k_dunno, [&missing] {
      return fmt::format("policy.index: {} not a group", missing);
    });
  }
  if (trace) {
    trace->group = group->address;
    trace->steps.push_back(fmt::format("policy.index: {}: {}", group->address,
                                       describe(*group)));
  }
  auto refusal_or = [&group](std::string_view fallback) {
    return group->refusal.empty() ? fallback : group->refusal;
  };
  // The order of the restriction classes: auto-replies, then HOLD (which
  // does not end the evaluation), then the sender check.
  if (group->kind == PolicyKind::frozen) {
    return answer("frozen", refusal_or(k_frozen),
                  [] { return std::string("policy: frozen"); });
  }
  if ((group->flags & k_policy_no_auto) && request.sender.empty()) {
    return answer("no_auto_replies", k_no_auto_replies, [] {
      return std::string("policy: the null sender, no automatic replies");
    });
  }
  bool hold = (group->flags & k_policy_hold) != 0;
  auto set = group->kind == PolicyKind::local ? index.local_domains()
                                               : group->senders;
  const std::string_view sender =
      request.sender.empty() ? std::string_view("<>") : request.sender;
  if (group->flags & k_policy_require_login) {
    // The maps' check_sasl_access: the login's address, not the sender.
    if (request.sasl_username.empty()) {
      return answer("login_required", answers::login_required, [] {
        return std::string("policy: not logged in");
      });
    }
    const std::string_view login = request.sasl_username;
    auto address = index.find_login(login);
    if (!address) {
      return answer("login_not_allowed",
                    refusal_or(answers::login_not_allowed), [login] {
                      return fmt::format("policy: login {} not under [users]",
                                         login);
                    });
    }
    const std::string_view owner = *address;
    if (group->kind != PolicyKind::anyone &&
        !sender_listed(index, set, owner)) {
      return answer("login_not_allowed",
                    refusal_or(answers::login_not_allowed), [login, owner] {
                      return fmt::format("policy: login {} is {}, not listed",
                                         login, owner);
                    });
    }
    return answer("login_allowed", hold ? k_hold : k_ok, [login, owner] {
      return fmt::format("policy: login {} is {}, allowed", login, owner);
    });
  }
  if (group->kind == PolicyKind::anyone) {
    return answer("anyone", hold ? k_hold : k_dunno, [sender] {
      return fmt::format("policy: sender {}, anyone may post", sender);
    });
  }
  if (!sender_listed(index, set, request.sender)) {
    return answer("sender_not_allowed", refusal_or(k_not_allowed), [sender] {
      return fmt::format("policy: sender {} not listed", sender);
    });
  }
  return answer("sender_allowed", hold ? k_hold : k_ok, [sender] {
    return fmt::format("policy: sender {} listed", sender);
  });
}

bool PolicyIndexFile::refresh() {
  struct stat info {};
  // Called before every request: a stat and a compare, no allocation.
  Identity identity;
  if (::stat(m_path.c_str(), &info) != 0) {
    identity.error = errno;
  } else {
    identity = identity_of(info);
  }
  if (identity == m_identity) {
    return false;
  }
  m_index.reset();
  m_identity = identity;
  // Read from the descriptor and name what was read by it: a rename
  // between stat and open is seen again on the next look.
  int fd = ::open(m_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || ::fstat(fd, &info) != 0) {
    m_problem = fmt::format("cannot read the policy index {}: {}", m_path,
                            std::strerror(errno));
    if (fd >= 0) {
      ::close(fd);
    }
    return true;
  }
  m_identity = identity_of(info);
  std::string bytes(static_cast<std::size_t>(info.st_size), '\0');
  std::size_t done = 0;
  while (done < bytes.size()) {
    auto got = ::read(fd, bytes.data() + done, bytes.size() - done);
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got <= 0) {
      break;
    }
    done += static_cast<std::size_t>(got);
  }
  ::close(fd);
  if (done != bytes.size()) {
    m_problem = fmt::format("cannot read the policy index {}: it changed "
                            "while being read",
                            m_path);
    return true;
  }
  try {
    m_index = std::make_unique<PolicyIndex>(std::move(bytes), m_path);
    m_problem.clear();
  } catch (const Error& e) {
    m_problem = e.what();
  }
  return true;
}

} // namespace mailgroup
