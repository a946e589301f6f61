// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/util/mime.hpp"

#include "core/util/text.hpp"

#include <optional>

namespace mailgroup {

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  return -1;
}

int base64_digit(char c) {
  if (c >= 'A' && c <= 'Z') {
    return c - 'A';
  }
  if (c >= 'a' && c <= 'z') {
    return c - 'a' + 26;
  }
  if (c >= '0' && c <= '9') {
    return c - '0' + 52;
  }
  if (c == '+') {
    return 62;
  }
  if (c == '/') {
    return 63;
  }
  return -1;
}

std::optional<std::string> decode_q(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '_') {
      out += ' ';
    } else if (c == '=') {
      if (i + 2 >= text.size()) {
        return std::nullopt;
      }
      int high = hex_digit(text[i + 1]);
      int low = hex_digit(text[i + 2]);
      if (high < 0 || low < 0) {
        return std::nullopt;
      }
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<std::string> decode_b(std::string_view text) {
  std::string out;
  unsigned bits = 0;
  int count = 0;
  std::size_t padding = 0;
  for (char c : text) {
    if (c == '=') {
      ++padding;
      continue;
    }
    int digit = base64_digit(c);
    if (digit < 0 || padding > 0) {
      return std::nullopt;
    }
    bits = (bits << 6) | static_cast<unsigned>(digit);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += static_cast<char>((bits >> count) & 0xff);
    }
  }
  if (padding > 2 || (text.size() % 4) != 0) {
    return std::nullopt;
  }
  return out;
}

std::string latin1_to_utf8(std::string_view text) {
  std::string out;
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x80) {
      out += c;
    } else {
      out += static_cast<char>(0xc0 | (byte >> 6));
      out += static_cast<char>(0x80 | (byte & 0x3f));
    }
  }
  return out;
}

// One encoded-word at the start of `text` ("=?cs?e?text?="): its decoded
// text and its length, or nullopt.
std::optional<std::pair<std::string, std::size_t>> encoded_word(
    std::string_view text) {
  if (!text.starts_with("=?")) {
    return std::nullopt;
  }
  auto charset_end = text.find('?', 2);
  if (charset_end == std::string_view::npos || charset_end + 2 >= text.size() ||
      text[charset_end + 2] != '?') {
    return std::nullopt;
  }
  auto end = text.find("?=", charset_end + 3);
  if (end == std::string_view::npos) {
    return std::nullopt;
  }
  auto charset = ascii_lower(text.substr(2, charset_end - 2));
  charset = charset.substr(0, charset.find('*')); // RFC 2231 language
  char encoding = text[charset_end + 1];
  auto payload = text.substr(charset_end + 3, end - charset_end - 3);
  if (payload.find_first_of(" \t") != std::string_view::npos) {
    return std::nullopt;
  }
  std::optional<std::string> bytes;
  if (encoding == 'Q' || encoding == 'q') {
    bytes = decode_q(payload);
  } else if (encoding == 'B' || encoding == 'b') {
    bytes = decode_b(payload);
  }
  if (!bytes) {
    return std::nullopt;
  }
  if (charset == "iso-8859-1" || charset == "latin1") {
    bytes = latin1_to_utf8(*bytes);
  } else if (charset != "utf-8" && charset != "us-ascii") {
    return std::nullopt;
  }
  if (!is_valid_utf8(*bytes)) {
    return std::nullopt;
  }
  return std::make_pair(std::move(*bytes), end + 2);
}

} // namespace

std::string decode_header_words(std::string_view value) {
  std::string out;
  std::string pending_space; // between words; dropped if two words meet
  bool after_word = false;
  std::size_t i = 0;
  while (i < value.size()) {
    if (auto word = encoded_word(value.substr(i))) {
      if (!after_word) {
        out += pending_space;
      }
      pending_space.clear();
      out += word->first;
      i += word->second;
      after_word = true;
      continue;
    }
    char c = value[i++];
    if (c == ' ' || c == '\t') {
      pending_space += c;
      continue;
    }
    out += pending_space;
    pending_space.clear();
    out += c;
    after_word = false;
  }
  return out + pending_space;
}

} // namespace mailgroup
