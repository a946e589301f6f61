// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/address.hpp"

#include "core/util/error.hpp"
#include "core/util/text.hpp"

#include <fmt/format.h>

#include <array>

namespace mailgroup {

namespace {

constexpr std::size_t k_max_address = 254;
constexpr std::size_t k_max_local = 64;
constexpr std::size_t k_max_domain = 253;
constexpr std::size_t k_max_label = 63;

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9');
}

// RFC 5322 atext without the quote characters (' and `), '#', which we refuse
// for map safety.
bool is_local_char(char c) {
  if (is_alnum(c)) {
    return true;
  }
  switch (c) {
  case '!':
  case '$':
  case '%':
  case '&':
  case '*':
  case '+':
  case '-':
  case '/':
  case '=':
  case '?':
  case '^':
  case '_':
  case '{':
  case '|':
  case '}':
  case '~':
  case '.':
    return true;
  default:
    return false;
  }
}

// Problems that make a string unusable in any map, checked first so the
// message names the dangerous thing rather than a syntax detail.
std::optional<std::string> unsafe_character(std::string_view text) {
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
        c == '\f') {
      return "contains whitespace";
    }
    if (byte < 0x20 || byte == 0x7f) {
      return "contains a control character";
    }
    if (byte >= 0x80) {
      return "contains a non-ASCII character (write an internationalised "
             "domain in its xn-- form)";
    }
    if (c == ',') {
      return "contains a comma";
    }
    if (c == '"' || c == '\'' || c == '`') {
      return "contains a quote";
    }
    if (c == '#') {
      return "contains '#'";
    }
  }
  return std::nullopt;
}

std::optional<std::string> domain_problem(std::string_view domain) {
  if (domain.empty()) {
    return "has an empty domain";
  }
  if (domain.size() > k_max_domain) {
    return fmt::format("has a domain longer than {} characters", k_max_domain);
  }
  if (domain.front() == '[') {
    return "has an address literal as domain, which mailgroup does not "
           "accept";
  }
  if (domain.find('.') == std::string_view::npos) {
    return fmt::format("has domain {} without a dot (use a fully qualified "
                       "domain)",
                       quote(domain));
  }
  for (auto label : split(domain, '.')) {
    if (label.empty()) {
      return fmt::format("has an empty label in domain {}", quote(domain));
    }
    if (label.size() > k_max_label) {
      return fmt::format("has a domain label longer than {} characters",
                         k_max_label);
    }
    if (label.front() == '-' || label.back() == '-') {
      return fmt::format("has domain label {} starting or ending with '-'",
                         quote(label));
    }
    for (char c : label) {
      if (!is_alnum(c) && c != '-') {
        return fmt::format("has {} in its domain, which is not allowed",
                           quote(std::string_view(&c, 1)));
      }
    }
  }
  return std::nullopt;
}

std::optional<std::string> address_problem(std::string_view text) {
  if (text.empty()) {
    return "is empty";
  }
  if (auto unsafe = unsafe_character(text)) {
    return unsafe;
  }
  if (text.size() > k_max_address) {
    return fmt::format("is longer than {} characters", k_max_address);
  }
  auto at = text.rfind('@');
  if (at == std::string_view::npos) {
    return "has no '@'";
  }
  if (at == 0) {
    return "has no local part (a bare @domain is not an address)";
  }
  auto local = text.substr(0, at);
  if (local.find('@') != std::string_view::npos) {
    return "has more than one '@'";
  }
  if (local.size() > k_max_local) {
    return fmt::format("has a local part longer than {} characters",
                       k_max_local);
  }
  if (local.front() == '.' || local.back() == '.' ||
      local.find("..") != std::string_view::npos) {
    return "has a local part with a leading, trailing or double dot";
  }
  for (char c : local) {
    if (!is_local_char(c)) {
      return fmt::format("has {} in its local part, which is not allowed",
                         quote(std::string_view(&c, 1)));
    }
  }
  return domain_problem(text.substr(at + 1));
}

} // namespace

std::optional<std::string> normalize_address(std::string_view text,
                                             std::string* why) {
  if (auto problem = address_problem(text)) {
    *why = *problem;
    return std::nullopt;
  }
  return ascii_lower(text);
}

std::optional<std::string> normalize_domain(std::string_view text,
                                            std::string* why) {
  auto problem = unsafe_character(text);
  if (!problem) {
    problem = domain_problem(text);
  }
  if (problem) {
    *why = *problem;
    return std::nullopt;
  }
  return ascii_lower(text);
}

// One pass with a character table: the common case of a valid address
// costs one look-up a character. Anything it does not accept goes through
// address_problem, the definition, which it must agree with (the unit tests
// compare both on every case).
bool is_normal_address(std::string_view text) {
  static const auto table = [] {
    std::array<unsigned char, 256> t{};
    constexpr unsigned char local = 1, domain = 2;
    for (int c = 'a'; c <= 'z'; ++c) {
      t[static_cast<std::size_t>(c)] = local | domain;
    }
    for (int c = '0'; c <= '9'; ++c) {
      t[static_cast<std::size_t>(c)] = local | domain;
    }
    for (char c : std::string_view("!$%&*+/=?^_{|}~")) {
      t[static_cast<unsigned char>(c)] = local;
    }
    t['-'] = local | domain;
    t['.'] = local | domain;
    return t;
  }();
  auto at = text.rfind('@');
  if (at == std::string_view::npos || at == 0 || at > k_max_local ||
      text.size() > k_max_address || at + 1 == text.size()) {
    return false;
  }
  char previous = '.';
  for (std::size_t i = 0; i < at; ++i) {
    char c = text[i];
    if (!(table[static_cast<unsigned char>(c)] & 1) ||
        (c == '.' && previous == '.')) {
      return false;
    }
    previous = c;
  }
  if (previous == '.') {
    return false;
  }
  // Domain: labels of [a-z0-9-], not starting or ending with '-', at least
  // one dot.
  std::size_t label = 0;
  bool dot = false;
  previous = '.';
  for (std::size_t i = at + 1; i < text.size(); ++i) {
    char c = text[i];
    if (!(table[static_cast<unsigned char>(c)] & 2)) {
      return false;
    }
    if (c == '.') {
      if (previous == '.' || previous == '-') {
        return false;
      }
      dot = true;
      label = 0;
    } else {
      if (c == '-' && previous == '.') {
        return false;
      }
      if (++label > k_max_label) {
        return false;
      }
    }
    previous = c;
  }
  return dot && previous != '.' && previous != '-' &&
         text.size() - at - 1 <= k_max_domain;
}

std::string require_address(std::string_view text) {
  std::string why;
  auto address = normalize_address(text, &why);
  if (!address) {
    throw Error(ErrorKind::data,
                fmt::format("invalid address {}: {}", quote(text), why));
  }
  return *address;
}

std::string require_group_address(std::string_view text) {
  auto address = require_address(text);
  for (char c : local_part_of(address)) {
    if (!is_alnum(c) && c != '.' && c != '-' && c != '_' && c != '+' &&
        c != '=') {
      throw Error(
          ErrorKind::data,
          fmt::format("invalid group address {}: {} is not allowed in a "
                      "group's local part, which names its file in the "
                      "store; use only letters, digits and . - _ + =",
                      quote(text),
                      quote(std::string_view(&c, 1))));
    }
  }
  return address;
}

std::string require_domain(std::string_view text) {
  std::string why;
  auto domain = normalize_domain(text, &why);
  if (!domain) {
    // domain_problem words its reasons for an address ("has a domain ...");
    // they read as well for a domain on its own.
    throw Error(ErrorKind::data,
                fmt::format("invalid domain {}: {}", quote(text), why));
  }
  return *domain;
}

std::string require_sender_entry(std::string_view text) {
  if (!text.empty() && text.front() == '@') {
    std::string why;
    auto domain = normalize_domain(text.substr(1), &why);
    if (!domain) {
      throw Error(ErrorKind::data,
                  fmt::format("invalid sender domain {}: {}", quote(text),
                              why));
    }
    return "@" + *domain;
  }
  return require_address(text);
}

std::string login_name_error(std::string_view login) {
  if (login.empty()) {
    return "it is empty";
  }
  if (login.size() > k_max_address) {
    return fmt::format("it is {} bytes long, more than {}", login.size(),
                       k_max_address);
  }
  for (std::size_t i = 0; i < login.size(); ++i) {
    char c = login[i];
    auto byte = static_cast<unsigned char>(c);
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
        std::string_view("._-+=@").find(c) != std::string_view::npos) {
      continue;
    }
    std::string what;
    if (c == ' ' || c == '\t') {
      what = "whitespace, where Postfix splits a list of logins";
    } else if (c == '\n' || c == '\r') {
      what = "a line break, which would end a map line";
    } else if (byte < 0x20 || byte == 0x7f) {
      what = "a control character";
    } else if (c == ',') {
      what = "a comma, where Postfix splits a list of logins";
    } else if (c == '#') {
      what = "'#', which starts a comment in a map";
    } else if (c >= 'A' && c <= 'Z') {
      what = "upper case; Postfix compares logins without case, so write "
             "it in lower case";
    } else if (byte >= 0x80) {
      what = "a byte outside ASCII";
    } else {
      what = fmt::format("{}, which a login name may not hold",
                         quote(std::string_view(&c, 1)));
    }
    return fmt::format("byte {} is {}", i + 1, what);
  }
  auto at = login.find('@');
  if (at != std::string_view::npos) {
    if (login.find('@', at + 1) != std::string_view::npos) {
      return "it has more than one '@'";
    }
    if (at == 0) {
      return "it starts with '@', which Postfix's tables read as a whole "
             "domain";
    }
    if (at + 1 == login.size()) {
      return "it ends with '@', which Postfix's tables read as that name at "
             "every domain";
    }
    std::string why;
    if (!normalize_domain(login.substr(at + 1), &why)) {
      return fmt::format("its domain: {}", why);
    }
  }
  auto local = login.substr(0, at);
  if (local.front() == '.' || local.back() == '.' ||
      local.find("..") != std::string_view::npos) {
    return "it has a dot at an end or two in a row";
  }
  return {};
}

std::string require_login_name(std::string_view login) {
  if (auto why = login_name_error(login); !why.empty()) {
    throw Error(ErrorKind::data,
                fmt::format("invalid login name {}: {}", quote(login), why));
  }
  return std::string(login);
}

bool is_domain_entry(std::string_view entry) {
  return !entry.empty() && entry.front() == '@';
}

std::string_view domain_of(std::string_view address) {
  auto at = address.rfind('@');
  return at == std::string_view::npos ? std::string_view{}
                                      : address.substr(at + 1);
}

std::string_view local_part_of(std::string_view address) {
  auto at = address.rfind('@');
  return at == std::string_view::npos ? address : address.substr(0, at);
}

} // namespace mailgroup
