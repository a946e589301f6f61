// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/rule.hpp"

#include "core/directory.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <charconv>
#include <cstdint>

namespace mailgroup {

namespace {

constexpr std::size_t k_max_depth = 200;
constexpr std::size_t k_max_length = 64 * 1024;

enum class Tok {
  name, string, number, date, op, lparen, rparen, lbracket, rbracket, comma,
  end
};

struct Token {
  Tok kind;
  std::string text;     // names and operators as written; strings unquoted
  std::size_t column;   // 1-based
  std::size_t end;      // 0-based offset just past the token
};

bool is_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9') || c == '.' || c == '-';
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool looks_like_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') {
    return false;
  }
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
    if (!is_digit(s[i])) {
      return false;
    }
  }
  int month = (s[5] - '0') * 10 + (s[6] - '0');
  int day = (s[8] - '0') * 10 + (s[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

// The date part of a directory value ("2024-01-31" or "2024-01-31T09:00"),
// or empty.
std::string_view date_part(std::string_view s) {
  s = trim(s);
  if (s.size() >= 10 && looks_like_date(s.substr(0, 10)) &&
      (s.size() == 10 || s[10] == 'T' || s[10] == ' ')) {
    return s.substr(0, 10);
  }
  return {};
}

bool parse_number(std::string_view s, double& out) {
  s = trim(s);
  if (s.empty()) {
    return false;
  }
  if (s.front() == '+') {
    s.remove_prefix(1);
  }
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
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

struct Literal {
  enum class Kind { string, number, date } kind = Kind::string;
  std::string text;
  double number = 0;
};

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

  // `row` is the person's source row (Directory::row_of).
  bool eval(std::size_t row) const {
    switch (kind) {
    case Kind::and_:
      return std::all_of(children.begin(), children.end(),
                         [&](const auto& c) { return c->eval(row); });
    case Kind::or_:
      return std::any_of(children.begin(), children.end(),
                         [&](const auto& c) { return c->eval(row); });
    case Kind::not_:
      return !children[0]->eval(row);
    default: {
      auto id = column->ids[row];
      auto& known = cache[id];
      if (known < 0) {
        known = test(column->values[id]) ? 1 : 0;
      }
      return known != 0;
    }
    }
  }

  bool test(std::string_view value) const {
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
};

namespace {

class Parser {
public:
  explicit Parser(std::string_view text) : m_text(text) { advance(); }

  std::unique_ptr<RuleNode> parse() {
    auto node = parse_or();
    if (m_token.kind != Tok::end) {
      fail(m_token.column,
           fmt::format("expected 'and', 'or' or the end, found {}",
                       describe(m_token)));
    }
    return node;
  }

  [[noreturn]] void fail(std::size_t column, const std::string& message) const {
    throw Error(ErrorKind::data,
                fmt::format("invalid rule at column {}: {}\n{}", column,
                            message, caret_display(m_text, column)));
  }

private:
  static std::string describe(const Token& t) {
    switch (t.kind) {
    case Tok::end:
      return "the end of the rule";
    case Tok::string:
      return fmt::format("the string {}", quote(t.text));
    default:
      return fmt::format("'{}'", t.text);
    }
  }

  bool keyword(std::string_view word) const {
    return m_token.kind == Tok::name && iequals(m_token.text, word);
  }

  void advance() {
    std::size_t i = m_pos;
    while (i < m_text.size() && (m_text[i] == ' ' || m_text[i] == '\t')) {
      ++i;
    }
    std::size_t column = i + 1;
    if (i >= m_text.size()) {
      m_token = {Tok::end, "", column, i};
      m_pos = i;
      return;
    }
    char c = m_text[i];
    auto single = [&](Tok kind) {
      m_token = {kind, std::string(1, c), column, i + 1};
      m_pos = i + 1;
    };
    switch (c) {
    case '(':
      return single(Tok::lparen);
    case ')':
      return single(Tok::rparen);
    case '[':
      return single(Tok::lbracket);
    case ']':
      return single(Tok::rbracket);
    case ',':
      return single(Tok::comma);
    default:
      break;
    }
    if (c == '=' || c == '!' || c == '<' || c == '>') {
      std::string op(1, c);
      if (i + 1 < m_text.size() && m_text[i + 1] == '=') {
        op += '=';
      }
      if (op == "=" || op == "!") {
        fail(column, fmt::format("unknown operator '{}' (use == or !=)", op));
      }
      m_token = {Tok::op, op, column, i + op.size()};
      m_pos = i + op.size();
      return;
    }
    if (c == '"' || c == '\'') {
      std::string value;
      std::size_t j = i + 1;
      while (true) {
        if (j >= m_text.size()) {
          fail(column, "this string is never closed");
        }
        if (m_text[j] == '\\' && j + 1 < m_text.size()) {
          value += m_text[j + 1];
          j += 2;
          continue;
        }
        if (m_text[j] == c) {
          break;
        }
        value += m_text[j++];
      }
      m_token = {Tok::string, value, column, j + 1};
      m_pos = j + 1;
      return;
    }
    if (is_digit(c) || c == '-' || c == '+' || c == '.') {
      std::size_t j = i + 1;
      while (j < m_text.size() &&
             (is_digit(m_text[j]) || m_text[j] == '.' || m_text[j] == '-' ||
              m_text[j] == 'e' || m_text[j] == 'E')) {
        ++j;
      }
      std::string word(m_text.substr(i, j - i));
      double number = 0;
      Tok kind = looks_like_date(word)           ? Tok::date
                 : parse_number(word, number) ? Tok::number
                                                : Tok::end;
      if (kind == Tok::end) {
        fail(column, fmt::format("{} is neither a number nor a date "
                                 "(YYYY-MM-DD)",
                                 quote(word)));
      }
      m_token = {kind, word, column, j};
      m_pos = j;
      return;
    }
    if (is_name_start(c)) {
      std::size_t j = i + 1;
      while (j < m_text.size() && is_name_char(m_text[j])) {
        ++j;
      }
      m_token = {Tok::name, std::string(m_text.substr(i, j - i)), column, j};
      m_pos = j;
      return;
    }
    fail(column, fmt::format("unexpected character {}",
                             quote(std::string_view(&m_text[i], 1))));
  }

  void enter(std::size_t column) {
    if (++m_depth > k_max_depth) {
      fail(column, fmt::format("the rule is nested too deeply (more than {} "
                               "levels)",
                               k_max_depth));
    }
  }

  std::unique_ptr<RuleNode> combine(RuleNode::Kind kind,
                                    std::unique_ptr<RuleNode> first,
                                    std::string_view word) {
    if (!keyword(word)) {
      return first;
    }
    auto node = std::make_unique<RuleNode>();
    node->kind = kind;
    node->begin = first->begin;
    node->children.push_back(std::move(first));
    while (keyword(word)) {
      advance();
      node->children.push_back(kind == RuleNode::Kind::or_ ? parse_and()
                                                            : parse_unary());
    }
    node->end = node->children.back()->end;
    return node;
  }

  std::unique_ptr<RuleNode> parse_or() {
    return combine(RuleNode::Kind::or_, parse_and(), "or");
  }

  std::unique_ptr<RuleNode> parse_and() {
    return combine(RuleNode::Kind::and_, parse_unary(), "and");
  }

  std::unique_ptr<RuleNode> parse_unary() {
    enter(m_token.column);
    std::unique_ptr<RuleNode> node;
    if (keyword("not")) {
      auto begin = m_token.column - 1;
      advance();
      node = std::make_unique<RuleNode>();
      node->kind = RuleNode::Kind::not_;
      node->children.push_back(parse_unary());
      node->begin = begin;
      node->end = node->children.back()->end;
    } else if (m_token.kind == Tok::lparen) {
      auto open = m_token.column;
      advance();
      node = parse_or();
      if (m_token.kind != Tok::rparen) {
        fail(m_token.column,
             fmt::format("expected ')' to close the '(' at column {}, found {}",
                         open, describe(m_token)));
      }
      node->begin = open - 1;
      node->end = m_token.end;
      advance();
    } else {
      node = parse_comparison();
    }
    --m_depth;
    return node;
  }

  Literal parse_value(const char* after) {
    Literal literal;
    literal.text = m_token.text;
    switch (m_token.kind) {
    case Tok::string:
      literal.kind = looks_like_date(literal.text) ? Literal::Kind::date
                                                   : Literal::Kind::string;
      break;
    case Tok::number:
      literal.kind = Literal::Kind::number;
      parse_number(literal.text, literal.number);
      break;
    case Tok::date:
      literal.kind = Literal::Kind::date;
      break;
    default:
      fail(m_token.column,
           fmt::format("expected a value (a \"string\", a number or a date) "
                       "after {}, found {}",
                       after, describe(m_token)));
    }
    m_last_end = m_token.end;
    advance();
    return literal;
  }

  std::unique_ptr<RuleNode> parse_comparison() {
    if (m_token.kind != Tok::name) {
      fail(m_token.column,
           fmt::format("expected an attribute name, 'not' or '(', found {}",
                       describe(m_token)));
    }
    auto node = std::make_unique<RuleNode>();
    node->attribute = m_token.text;
    node->attribute_column = m_token.column;
    node->begin = m_token.column - 1;
    advance();
    using K = RuleNode::Kind;
    if (m_token.kind == Tok::op) {
      node->kind = K::compare;
      node->op = m_token.text;
      advance();
      node->literals.push_back(parse_value(fmt::format("'{}'", node->op).c_str()));
    } else if (keyword("in") || keyword("not")) {
      node->kind = K::in;
      if (keyword("not")) {
        node->negated = true;
        advance();
        if (!keyword("in")) {
          fail(m_token.column, fmt::format("expected 'in' after 'not', found {}",
                                           describe(m_token)));
        }
      }
      advance();
      if (m_token.kind != Tok::lbracket) {
        fail(m_token.column, fmt::format("expected '[' after 'in', found {}",
                                         describe(m_token)));
      }
      advance();
      while (true) {
        node->literals.push_back(parse_value("'['"));
        if (m_token.kind == Tok::comma) {
          advance();
          continue;
        }
        if (m_token.kind != Tok::rbracket) {
          fail(m_token.column, fmt::format("expected ',' or ']' in the list, "
                                           "found {}",
                                           describe(m_token)));
        }
        m_last_end = m_token.end;
        advance();
        break;
      }
    } else if (keyword("contains") || keyword("startswith") ||
               keyword("endswith")) {
      node->kind = keyword("contains")     ? K::contains
                   : keyword("startswith") ? K::startswith
                                           : K::endswith;
      auto word = ascii_lower(m_token.text);
      advance();
      node->literals.push_back(parse_value(fmt::format("'{}'", word).c_str()));
    } else if (keyword("matches")) {
      node->kind = K::matches;
      advance();
      if (m_token.kind != Tok::string) {
        fail(m_token.column, fmt::format("expected a \"regular expression\" "
                                         "after 'matches', found {}",
                                         describe(m_token)));
      }
      RE2::Options options;
      options.set_case_sensitive(false);
      options.set_log_errors(false);
      options.set_max_mem(8 << 20);
      node->regex = std::make_unique<RE2>(m_token.text, options);
      if (!node->regex->ok()) {
        fail(m_token.column, fmt::format("invalid regular expression: {}",
                                         node->regex->error()));
      }
      m_last_end = m_token.end;
      advance();
    } else if (keyword("exists")) {
      node->kind = K::exists;
      m_last_end = m_token.end;
      advance();
    } else {
      fail(m_token.column,
           fmt::format("expected an operator after {} (==, !=, <, <=, >, >=, "
                       "in, contains, startswith, endswith, matches, exists), "
                       "found {}",
                       quote(node->attribute), describe(m_token)));
    }
    node->end = m_last_end;
    return node;
  }

  std::string_view m_text;
  std::size_t m_pos = 0;
  Token m_token{Tok::end, "", 1, 0};
  std::size_t m_depth = 0;
  std::size_t m_last_end = 0;
};

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
  bool result = node.eval(d.row_of(i));
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
  if (text.size() > k_max_length) {
    throw Error(ErrorKind::data,
                fmt::format("invalid rule: longer than {} characters",
                            k_max_length));
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x20 && byte != '\t') {
      throw Error(ErrorKind::data,
                  fmt::format("invalid rule at column {}: control character "
                              "(a rule is one line)",
                              i + 1));
    }
  }
  Rule rule;
  rule.m_text = std::string(text);
  Parser parser(rule.m_text);
  if (trim(text).empty()) {
    parser.fail(1, "the rule is empty");
  }
  rule.m_root = parser.parse();
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

bool Rule::matches(const Directory& directory, std::size_t i) const {
  return m_root->eval(directory.row_of(i));
}

std::vector<std::string> Rule::explain(const Directory& directory,
                                       std::size_t i) const {
  std::vector<std::string> out;
  explain_node(*m_root, directory, i, m_text, 0, out);
  return out;
}

} // namespace mailgroup
