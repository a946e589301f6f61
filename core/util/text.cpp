// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/util/text.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace mailgroup {

std::string escape_quoted(std::string_view text,
                          std::string (*code)(unsigned char byte),
                          bool escape_high) {
  std::string out = "\"";
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\t':
      out += "\\t";
      break;
    default:
      if (byte < 0x20 || byte == 0x7f || (escape_high && byte > 0x7f)) {
        out += code(byte);
      } else {
        out += c;
      }
    }
  }
  out += '"';
  return out;
}

std::string quote(std::string_view text) {
  return escape_quoted(
      text, [](unsigned char b) { return fmt::format("\\x{:02x}", b); }, true);
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) {
             return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a')
                                           : c;
           };
           return lower(x) == lower(y);
         });
}

std::string_view trim(std::string_view text) {
  auto space = [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  };
  std::size_t first = 0;
  std::size_t last = text.size();
  while (first < last && space(text[first])) {
    ++first;
  }
  while (last > first && space(text[last - 1])) {
    --last;
  }
  return text.substr(first, last - first);
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> pieces;
  std::size_t start = 0;
  while (true) {
    auto end = text.find(separator, start);
    if (end == std::string_view::npos) {
      pieces.push_back(text.substr(start));
      return pieces;
    }
    pieces.push_back(text.substr(start, end - start));
    start = end + 1;
  }
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment: a swap of two neighbours counts as one edit,
  // the commonest typo ("memebrs").
  std::vector<std::vector<std::size_t>> d(a.size() + 1,
                                          std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) {
    d[i][0] = i;
  }
  for (std::size_t j = 0; j <= b.size(); ++j) {
    d[0][j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1,
                          d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

std::string closest_match(std::string_view wanted,
                          const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = 0;
  for (const auto& candidate : candidates) {
    auto distance = edit_distance(wanted, candidate);
    if (best.empty() || distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  // More than a fifth of the word changed is no longer a typo.
  if (best.empty() || best_distance == 0 ||
      best_distance > std::max<std::size_t>(wanted.size() / 5, 1)) {
    return {};
  }
  return best;
}

} // namespace mailgroup

#include "core/util/error.hpp"

#include <cstdlib>
#include <ctime>

namespace mailgroup {

bool is_valid_utf8(std::string_view text) {
  return utf8_error_offset(text) == std::string_view::npos;
}

std::size_t utf8_error_offset(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      ++i;
      continue;
    }
    std::size_t length;
    unsigned code;
    if ((byte & 0xe0) == 0xc0) {
      length = 2;
      code = byte & 0x1fu;
    } else if ((byte & 0xf0) == 0xe0) {
      length = 3;
      code = byte & 0x0fu;
    } else if ((byte & 0xf8) == 0xf0) {
      length = 4;
      code = byte & 0x07u;
    } else {
      return i;
    }
    if (i + length > text.size()) {
      return i;
    }
    for (std::size_t k = 1; k < length; ++k) {
      auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xc0) != 0x80) {
        return i;
      }
      code = (code << 6) | (next & 0x3fu);
    }
    static constexpr unsigned minimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < minimum[length] || code > 0x10ffff ||
        (code >= 0xd800 && code <= 0xdfff)) {
      return i;
    }
    i += length;
  }
  return std::string_view::npos;
}

void require_single_line_text(std::string_view what, std::string_view text) {
  if (!is_valid_utf8(text)) {
    throw Error(ErrorKind::data,
                fmt::format("invalid {} {}: not valid UTF-8", what,
                            quote(text)));
  }
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      throw Error(ErrorKind::data,
                  fmt::format("invalid {} {}: contains a control character "
                              "(it must be one line)",
                              what,
                              quote(text)));
    }
  }
}

namespace {

// Whether `text` is `shape` with each 'd' an ASCII digit.
bool has_shape(std::string_view text, std::string_view shape) {
  if (text.size() != shape.size()) {
    return false;
  }
  for (std::size_t i = 0; i < shape.size(); ++i) {
    bool ok = shape[i] == 'd' ? (text[i] >= '0' && text[i] <= '9')
                              : text[i] == shape[i];
    if (!ok) {
      return false;
    }
  }
  return true;
}

} // namespace

std::string calendar_date_error(std::string_view text) {
  if (!has_shape(text, "dddd-dd-dd")) {
    return "not of the form YYYY-MM-DD";
  }
  auto number = [&](std::size_t at, std::size_t digits) {
    int value = 0;
    for (std::size_t i = at; i < at + digits; ++i) {
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  int year = number(0, 4);
  int month = number(5, 2);
  int day = number(8, 2);
  if (month < 1 || month > 12) {
    return fmt::format("there is no month {}", month);
  }
  static constexpr const char* names[] = {
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  static constexpr int lengths[] = {31, 28, 31, 30, 31, 30,
                                    31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  int last = lengths[month - 1] + (month == 2 && leap ? 1 : 0);
  if (day < 1 || day > last) {
    return fmt::format("there is no day {} in {} {}", day, names[month - 1],
                       year);
  }
  return {};
}

bool is_calendar_date(std::string_view text) {
  return calendar_date_error(text).empty();
}

namespace {
bool clock_override_allowed = true;
}

void refuse_clock_override() { clock_override_allowed = false; }

std::string now_rfc3339() {
  const char* fixed =
      clock_override_allowed ? std::getenv("MAILGROUP_NOW") : nullptr;
  if (fixed && *fixed) {
    std::string_view text(fixed);
    if (!has_shape(text, "dddd-dd-ddTdd:dd:ddZ")) {
      throw Error(ErrorKind::usage,
                  fmt::format("MAILGROUP_NOW={} is not of the form "
                              "2026-01-31T09:00:00Z",
                              quote(text)));
    }
    return std::string(text);
  }
  return rfc3339(std::time(nullptr));
}

std::string rfc3339(std::time_t time) {
  std::tm utc{};
  ::gmtime_r(&time, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

} // namespace mailgroup
