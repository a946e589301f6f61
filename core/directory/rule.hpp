// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The condition language of department groups (`--where`), documented in
// mailgroup-rules(7). Parsed once into a tree; attribute names are bound to
// directory columns once; evaluation touches no allocator.
//
//   expr       := or
//   or         := and ("or" and)*
//   and        := unary ("and" unary)*
//   unary      := "not" unary | "(" expr ")" | comparison
//   comparison := NAME op value | NAME ["not"] "in" "[" value ("," value)* "]"
//               | NAME ("contains" | "startswith" | "endswith") value
//               | NAME "matches" STRING | NAME "exists"
//   op         := "==" | "!=" | "<" | "<=" | ">" | ">="
//   value      := STRING | NUMBER | DATE      (DATE: 2024-01-31, unquoted)

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace mailgroup {

class Directory;

struct RuleNode;

// An attribute a rule mentions, with where it does (1-based column).
struct RuleAttribute {
  std::string name;
  std::size_t column = 0;
};

class Rule {
public:
  // Parses `text`. Throws Error(data) whose message names the column and
  // shows the expression with a caret under the problem.
  static Rule parse(std::string_view text);

  Rule(Rule&&) noexcept;
  Rule& operator=(Rule&&) noexcept;
  ~Rule();

  const std::string& text() const { return m_text; }
  std::vector<RuleAttribute> attributes() const;

  // Resolves attribute names to `directory`'s columns; an unknown attribute
  // throws Error(data) with a caret and a "did you mean".
  void bind(const Directory& directory);

  // True if person `i` of the bound directory satisfies the rule.
  bool matches(const Directory& directory, std::size_t i) const;

  // One line a comparison, with its outcome for person `i`, indented by
  // nesting, for `eval --explain`.
  std::vector<std::string> explain(const Directory& directory,
                                   std::size_t i) const;

private:
  Rule() = default;
  std::string m_text;
  std::unique_ptr<RuleNode> m_root;
};

// The expression with a caret under `column`, two lines, for error messages.
std::string caret_display(std::string_view text, std::size_t column);

} // namespace mailgroup
