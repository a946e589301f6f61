// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/directory/rule.hpp"

#include "core/directory/index.hpp"
#include "core/directory/rule_node.hpp"
#include "core/util/error.hpp"
#include "core/util/text.hpp"

#include <fmt/format.h>

namespace mailgroup {

namespace {

void collect(const RuleNode& node, std::vector<RuleAttribute>& out) {
  if (!node.attribute.empty()) {
    out.push_back({node.attribute, node.attribute_column});
  }
  for (const auto& child : node.children) {
    collect(*child, out);
  }
}

void bind_node(RuleNode& node, const Directory& d, std::string_view text) {
  if (!node.attribute.empty()) {
    node.index = d.attribute_index(node.attribute);
    if (node.index != Directory::npos) {
      node.column = &d.column(node.index);
      node.cache.assign(node.column->values.size(), -1);
    }
    if (node.index == Directory::npos) {
      auto hint = closest_match(node.attribute, d.attributes());
      throw Error(ErrorKind::data,
                  fmt::format("invalid rule at column {}: the directory has no "
                              "attribute {}{}\n{}",
                              node.attribute_column, quote(node.attribute),
                              hint.empty() ? fmt::format(" (it has: {})",
                                                         fmt::join(d.attributes(),
                                                                   ", "))
                                           : fmt::format("; did you mean {}?",
                                                         quote(hint)),
                              caret_display(text, node.attribute_column)));
    }
  }
  for (auto& child : node.children) {
    bind_node(*child, d, text);
  }
}

void explain_node(const RuleNode& node, const Directory& d, std::size_t i,
                  std::string_view text, std::size_t depth,
                  std::vector<std::string>& out) {
  bool result = node.eval(i);
  auto source = text.substr(node.begin, node.end - node.begin);
  std::string indent(depth * 2, ' ');
  using K = RuleNode::Kind;
  if (node.kind == K::and_ || node.kind == K::or_ || node.kind == K::not_) {
    out.push_back(fmt::format("{}{} -> {}", indent,
                              node.kind == K::and_  ? "all of"
                              : node.kind == K::or_ ? "any of"
                                                    : "not",
                              result ? "true" : "false"));
    for (const auto& child : node.children) {
      explain_node(*child, d, i, text, depth + 1, out);
    }
    return;
  }
  out.push_back(fmt::format("{}{} -> {} ({} = {})", indent, source,
                            result ? "true" : "false", node.attribute,
                            quote(d.value(i, node.index))));
}

} // namespace

std::string caret_display(std::string_view text, std::size_t column) {
  return fmt::format("  {}\n  {}^", text,
                     std::string(column > 0 ? column - 1 : 0, ' '));
}

Rule Rule::parse(std::string_view text) {
  Rule rule;
  rule.m_text = std::string(text);
  // The tree's literals are copies; it does not point into the text.
  rule.m_root = parse_rule_tree(rule.m_text);
  return rule;
}

Rule::Rule(Rule&&) noexcept = default;
Rule& Rule::operator=(Rule&&) noexcept = default;
Rule::~Rule() = default;

std::vector<RuleAttribute> Rule::attributes() const {
  std::vector<RuleAttribute> out;
  collect(*m_root, out);
  return out;
}

void Rule::bind(const Directory& directory) {
  bind_node(*m_root, directory, m_text);
}

// The rule was bound to `directory` (bind): its columns are indexed by
// person already.
bool Rule::matches(const Directory& /*directory*/, std::size_t i) const {
  return m_root->eval(i);
}

std::vector<std::string> Rule::explain(const Directory& directory,
                                       std::size_t i) const {
  std::vector<std::string> out;
  explain_node(*m_root, directory, i, m_text, 0, out);
  return out;
}

} // namespace mailgroup
