// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The inside of a parsed rule, shared by the parser (rule_parser.cpp), the
// evaluator (rule_node.cpp) and Rule (rule.cpp). Not for use outside core.

#include "core/directory/index.hpp"

#include <re2/re2.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace mailgroup {

struct Literal {
  enum class Kind { string, number, date } kind = Kind::string;
  std::string text;
  double number = 0;
};

// A finite decimal number: an optional sign, digits, and optionally a point
// and more digits (7, -2.5, +3, .5); surrounding space ignored. Not nan,
// inf, hexadecimal or exponents: a directory value "nan" or "1e3" is text.
bool parse_number(std::string_view s, double& out);

struct RuleNode {
  enum class Kind { and_, or_, not_, compare, in, contains, startswith,
                    endswith, matches, exists } kind;
  std::string op; // for compare
  bool negated = false; // not in
  std::string attribute;
  std::size_t attribute_column = 0; // position in the text
  std::size_t index = 0;            // bound directory column
  const Directory::Column* column = nullptr;
  // The outcome for each distinct value of the column, computed on first
  // sight: -1 unknown, else 0 or 1. A rule belongs to one thread.
  mutable std::vector<std::int8_t> cache;
  std::vector<Literal> literals;
  std::unique_ptr<RE2> regex;
  std::vector<std::unique_ptr<RuleNode>> children;
  std::size_t begin = 0, end = 0; // source range, for explain

  // `person` is an index in department order (Directory::email).
  bool eval(std::size_t person) const;
  // The outcome for one value (before caching).
  bool test(std::string_view value) const;
};

// Parses `text` into a tree; throws Error(data) with a caret display.
std::unique_ptr<RuleNode> parse_rule_tree(std::string_view text);

} // namespace mailgroup
