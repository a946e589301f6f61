// SPDX-License-Identifier: GPL-3.0-or-later
// Parsing a rule: a hand-written lexer and recursive-descent parser with
// depth and length limits and caret error messages.
#include "core/directory/rule_node.hpp"

#include "core/directory/rule.hpp"
#include "core/util/error.hpp"
#include "core/util/text.hpp"

#include <fmt/format.h>

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

// NNNN-NN-NN: meant as a date, whether or not that day exists.
bool date_shaped(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') {
    return false;
  }
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
    if (!is_digit(s[i])) {
      return false;
    }
  }
  return true;
}

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
      check_date(word, column);
      double number = 0;
      Tok kind = is_calendar_date(word)         ? Tok::date
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

  // A date that names no day (2020-02-30) is an error, not text.
  void check_date(std::string_view word, std::size_t column) const {
    if (date_shaped(word)) {
      if (auto why = calendar_date_error(word); !why.empty()) {
        fail(column, fmt::format("{} is not a date: {}", word, why));
      }
    }
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
      check_date(literal.text, m_token.column);
      literal.kind = is_calendar_date(literal.text) ? Literal::Kind::date
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

} // namespace

std::unique_ptr<RuleNode> parse_rule_tree(std::string_view text) {
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
  Parser parser(text);
  if (trim(text).empty()) {
    parser.fail(1, "the rule is empty");
  }
  return parser.parse();
}

} // namespace mailgroup
