// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/workflows/contacts.hpp"

#include "core/model/address.hpp"
#include "core/util/csv.hpp"
#include "core/util/text.hpp"

#include <fmt/format.h>

namespace mailgroup {

namespace {

template <typename F> void for_each_shown(const Snapshot& snapshot, F&& f) {
  for (const auto& [address, group] : snapshot.groups) {
    if (group.show_in_contacts) {
      f(group);
    }
  }
}

const std::string& display_name(const Group& group) {
  return group.name.empty() ? group.address : group.name;
}

// RFC 6350 3.4: backslash, comma, semicolon and newline are escaped in text.
std::string vcard_text(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
    case '\\':
      out += "\\\\";
      break;
    case ',':
      out += "\\,";
      break;
    case ';':
      out += "\\;";
      break;
    case '\n':
      out += "\\n";
      break;
    default:
      out += c;
    }
  }
  return out;
}

// RFC 6350 3.2: lines longer than 75 octets continue on lines starting with
// a space, never splitting a UTF-8 sequence.
void vcard_line(std::string& out, const std::string& line) {
  std::size_t start = 0;
  std::size_t limit = 75;
  while (line.size() - start > limit) {
    std::size_t end = start + limit;
    while (end > start && (static_cast<unsigned char>(line[end]) & 0xc0) == 0x80) {
      --end;
    }
    out.append(line, start, end - start);
    out += "\r\n ";
    start = end;
    limit = 74; // the leading space counts
  }
  out.append(line, start);
  out += "\r\n";
}

// RFC 4514: characters with a meaning in a DN are escaped in a value.
std::string dn_value(std::string_view value) {
  std::string out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (std::string_view(",+\"\\<>;=").find(c) != std::string_view::npos ||
        (i == 0 && (c == '#' || c == ' ')) ||
        (i + 1 == value.size() && c == ' ')) {
      out += '\\';
    }
    out += c;
  }
  return out;
}

std::string base64(std::string_view data) {
  static constexpr char digits[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    auto n = (static_cast<unsigned char>(data[i]) << 16) |
             (static_cast<unsigned char>(data[i + 1]) << 8) |
             static_cast<unsigned char>(data[i + 2]);
    out += digits[(n >> 18) & 63];
    out += digits[(n >> 12) & 63];
    out += digits[(n >> 6) & 63];
    out += digits[n & 63];
  }
  if (i < data.size()) {
    auto n = static_cast<unsigned char>(data[i]) << 16;
    if (i + 1 < data.size()) {
      n |= static_cast<unsigned char>(data[i + 1]) << 8;
    }
    out += digits[(n >> 18) & 63];
    out += digits[(n >> 12) & 63];
    out += i + 1 < data.size() ? digits[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// RFC 2849: a value that is not a SAFE-STRING is written base64.
std::string ldif_attribute(std::string_view name, std::string_view value) {
  bool safe = value.empty() ||
              (value.front() != ' ' && value.front() != ':' &&
               value.front() != '<' && value.back() != ' ');
  for (char c : value) {
    auto byte = static_cast<unsigned char>(c);
    if (byte == 0 || byte == '\n' || byte == '\r' || byte >= 0x80) {
      safe = false;
    }
  }
  return safe ? fmt::format("{}: {}\n", name, value)
              : fmt::format("{}:: {}\n", name, base64(value));
}

std::string default_base(std::string_view address) {
  std::string base = "ou=groups";
  for (auto label : split(domain_of(address), '.')) {
    base += fmt::format(",dc={}", label);
  }
  return base;
}

} // namespace

std::string contacts_vcard(const Snapshot& snapshot) {
  std::string out;
  for_each_shown(snapshot, [&](const Group& group) {
    vcard_line(out, "BEGIN:VCARD");
    vcard_line(out, "VERSION:4.0");
    vcard_line(out, "KIND:group");
    vcard_line(out, "FN:" + vcard_text(display_name(group)));
    vcard_line(out, "EMAIL;TYPE=work:" + group.address);
    vcard_line(out, "UID:mailto:" + group.address);
    if (!group.description.empty()) {
      vcard_line(out, "NOTE:" + vcard_text(group.description));
    }
    vcard_line(out, "END:VCARD");
  });
  return out;
}

std::string contacts_ldif(const Snapshot& snapshot, const std::string& base_dn) {
  std::string out = "version: 1\n";
  for_each_shown(snapshot, [&](const Group& group) {
    auto base = base_dn.empty() ? default_base(group.address) : base_dn;
    out += "\n";
    out += ldif_attribute("dn", fmt::format("mail={},{}",
                                            dn_value(group.address), base));
    out += "objectClass: top\nobjectClass: inetOrgPerson\n";
    out += ldif_attribute("cn", display_name(group));
    out += ldif_attribute("sn", display_name(group));
    out += ldif_attribute("mail", group.address);
    if (!group.description.empty()) {
      out += ldif_attribute("description", group.description);
    }
  });
  return out;
}

std::string contacts_csv(const Snapshot& snapshot) {
  std::string out = "name,address,description\n";
  for_each_shown(snapshot, [&](const Group& group) {
    out += fmt::format("{},{},{}\n", csv_cell(display_name(group)),
                       csv_cell(group.address), csv_cell(group.description));
  });
  return out;
}

} // namespace mailgroup
