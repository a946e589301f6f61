// SPDX-License-Identifier: GPL-3.0-or-later
// Evaluating a rule: typed comparisons, cached per distinct value.
#include "core/directory/rule_node.hpp"

#include "core/util/text.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace mailgroup {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

} // namespace

// The date part of a directory value ("2024-01-31" or "2024-01-31T09:00"),
// or empty.
std::string_view date_part(std::string_view s) {
  s = trim(s);
  if (s.size() >= 10 && is_calendar_date(s.substr(0, 10)) &&
      (s.size() == 10 || s[10] == 'T' || s[10] == ' ')) {
    return s.substr(0, 10);
  }
  return {};
}

bool parse_number(std::string_view s, double& out) {
  s = trim(s);
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    ++i;
  }
  std::size_t digits = 0;
  while (i < s.size() && is_digit(s[i])) {
    ++i;
    ++digits;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_digit(s[i])) {
      ++i;
      ++digits;
    }
  }
  if (digits == 0 || i != s.size()) {
    return false;
  }
  if (s.front() == '+') {
    s.remove_prefix(1); // from_chars takes no '+'
  }
  double value = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || ptr != s.data() + s.size() ||
      !std::isfinite(value)) {
    return false; // out of range: 400 digits
  }
  out = value;
  return true;
}

int compare_ci(std::string_view a, std::string_view b) {
  auto n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    auto x = static_cast<unsigned char>(a[i]);
    auto y = static_cast<unsigned char>(b[i]);
    if (x >= 'A' && x <= 'Z') {
      x = static_cast<unsigned char>(x - 'A' + 'a');
    }
    if (y >= 'A' && y <= 'Z') {
      y = static_cast<unsigned char>(y - 'A' + 'a');
    }
    if (x != y) {
      return x < y ? -1 : 1;
    }
  }
  return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
}

bool find_ci(std::string_view haystack, std::string_view needle,
             bool at_start, bool at_end) {
  if (needle.size() > haystack.size()) {
    return false;
  }
  if (at_start) {
    return iequals(haystack.substr(0, needle.size()), needle);
  }
  if (at_end) {
    return iequals(haystack.substr(haystack.size() - needle.size()), needle);
  }
  for (std::size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
    if (iequals(haystack.substr(i, needle.size()), needle)) {
      return true;
    }
  }
  return false;
}



// -1, 0, 1, or 2 when the value cannot be compared with the literal (a
// number literal against a value that is not a number, say).
namespace {

// -1, 0, 1, or 2 when the value cannot be compared with the literal (a
// number literal against a value that is not a number, say).
int compare(std::string_view value, const Literal& literal) {
  switch (literal.kind) {
  case Literal::Kind::number: {
    double v = 0;
    if (!parse_number(value, v)) {
      return 2;
    }
    return v < literal.number ? -1 : (v > literal.number ? 1 : 0);
  }
  case Literal::Kind::date: {
    auto d = date_part(value);
    if (d.empty()) {
      return 2;
    }
    auto c = d.compare(literal.text);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  case Literal::Kind::string:
    return compare_ci(value, literal.text);
  }
  return 2;
}

} // namespace

bool RuleNode::eval(std::size_t person) const {
  switch (kind) {
  case Kind::and_:
    return std::all_of(children.begin(), children.end(),
                       [&](const auto& c) { return c->eval(person); });
  case Kind::or_:
    return std::any_of(children.begin(), children.end(),
                       [&](const auto& c) { return c->eval(person); });
  case Kind::not_:
    return !children[0]->eval(person);
  default: {
    auto id = column->ids[person];
    auto& known = cache[id];
    if (known < 0) {
      known = test(column->values[id]) ? 1 : 0;
    }
    return known != 0;
  }
  }
}

bool RuleNode::test(std::string_view value) const {
  switch (kind) {
  case Kind::compare: {
    int c = compare(value, literals[0]);
    if (op == "==") return c == 0;
    if (op == "!=") return c != 0;
    if (c == 2) return false;
    if (op == "<") return c < 0;
    if (op == "<=") return c <= 0;
    if (op == ">") return c > 0;
    return c >= 0;
  }
  case Kind::in: {
    bool found = std::any_of(literals.begin(), literals.end(),
                             [&](const Literal& l) {
                               return compare(value, l) == 0;
                             });
    return found != negated;
  }
  // Directory values arrive trimmed.
  case Kind::contains:
    return find_ci(value, literals[0].text, false, false);
  case Kind::startswith:
    return find_ci(value, literals[0].text, true, false);
  case Kind::endswith:
    return find_ci(value, literals[0].text, false, true);
  case Kind::matches:
    return RE2::PartialMatch(
        re2::StringPiece(value.data(), value.size()), *regex);
  case Kind::exists:
    return !value.empty();
  default:
    return false;
  }
}

} // namespace mailgroup
