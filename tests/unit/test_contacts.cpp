// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/workflows/contacts.hpp"

#include <doctest/doctest.h>

using namespace mailgroup;

namespace {

Group group(std::string address, std::string name, std::string description) {
  Group g;
  g.address = std::move(address);
  g.name = std::move(name);
  g.description = std::move(description);
  return g;
}

// sales (named, described), support (no name), and a hidden group.
Snapshot store() {
  Snapshot snapshot;
  snapshot.config.domains = {"example.com"};
  for (auto g : {group("sales@example.com", "Sales, EMEA", "Deals; offers"),
                 group("support@mail.example.com", "", ""),
                 group("hidden@example.com", "Hidden", "")}) {
    g.show_in_contacts = g.address != "hidden@example.com";
    snapshot.groups.emplace(g.address, g);
  }
  return snapshot;
}

Snapshot one(Group g) {
  Snapshot snapshot;
  snapshot.groups.emplace(g.address, g);
  return snapshot;
}

} // namespace

TEST_SUITE("contacts") {
  TEST_CASE("vCard: one group card each, hidden groups left out, text "
            "escaped") {
    CHECK(contacts_vcard(store()) ==
          "BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:group\r\n"
          "FN:Sales\\, EMEA\r\n"
          "EMAIL;TYPE=work:sales@example.com\r\n"
          "UID:mailto:sales@example.com\r\n"
          "NOTE:Deals\\; offers\r\n"
          "END:VCARD\r\n"
          "BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:group\r\n"
          "FN:support@mail.example.com\r\n"
          "EMAIL;TYPE=work:support@mail.example.com\r\n"
          "UID:mailto:support@mail.example.com\r\n"
          "END:VCARD\r\n");
  }

  TEST_CASE("vCard: a backslash and a line break are escaped") {
    auto text = contacts_vcard(one(group("a@example.com", "a\\b", "x\ny")));
    CHECK(text.find("\r\nFN:a\\\\b\r\n") != std::string::npos);
    CHECK(text.find("\r\nNOTE:x\\ny\r\n") != std::string::npos);
  }

  TEST_CASE("vCard: long lines fold at 75 octets, never inside a UTF-8 "
            "character") {
    // "NOTE:" and 69 x's, then "é" (2 bytes) would straddle octet 75.
    auto description = std::string(69, 'x') + "\xc3\xa9" + std::string(80, 'y');
    auto text = contacts_vcard(one(group("a@example.com", "", description)));
    auto note = text.substr(text.find("NOTE:"));
    note = note.substr(0, note.find("\r\nEND:VCARD"));
    CHECK(note == "NOTE:" + std::string(69, 'x') + "\r\n \xc3\xa9" +
                      std::string(72, 'y') + "\r\n " + std::string(8, 'y'));
  }

  TEST_CASE("LDIF: an entry a group under its domain, or under the base "
            "given") {
    CHECK(contacts_ldif(store(), "") ==
          "version: 1\n"
          "\n"
          "dn: mail=sales@example.com,ou=groups,dc=example,dc=com\n"
          "objectClass: top\nobjectClass: inetOrgPerson\n"
          "cn: Sales, EMEA\n"
          "sn: Sales, EMEA\n"
          "mail: sales@example.com\n"
          "description: Deals; offers\n"
          "\n"
          "dn: mail=support@mail.example.com,ou=groups,dc=mail,dc=example,"
          "dc=com\n"
          "objectClass: top\nobjectClass: inetOrgPerson\n"
          "cn: support@mail.example.com\n"
          "sn: support@mail.example.com\n"
          "mail: support@mail.example.com\n");
    auto text = contacts_ldif(store(), "ou=lists,o=Example");
    CHECK(text.find("dn: mail=sales@example.com,ou=lists,o=Example\n") !=
          std::string::npos);
  }

  TEST_CASE("LDIF: a DN escapes what DNs mean; unsafe values go base64") {
    auto text = contacts_ldif(
        one(group("a+b=c@example.com", " M\xc3\xbcller", "line\nbreak")), "");
    CHECK(text ==
          "version: 1\n"
          "\n"
          "dn: mail=a\\+b\\=c@example.com,ou=groups,dc=example,dc=com\n"
          "objectClass: top\nobjectClass: inetOrgPerson\n"
          "cn:: IE3DvGxsZXI=\n"
          "sn:: IE3DvGxsZXI=\n"
          "mail: a+b=c@example.com\n"
          "description:: bGluZQpicmVhaw==\n");
    CHECK(contacts_ldif(one(group("a@example.com", ":x", "")), "")
              .find("cn:: Ong=\n") != std::string::npos);
    CHECK(contacts_ldif(one(group("a@example.com", "<x", "")), "")
              .find("cn:: PHg=\n") != std::string::npos);
    CHECK(contacts_ldif(one(group("a@example.com", "x ", "")), "")
              .find("cn:: eCA=\n") != std::string::npos);
  }

  TEST_CASE("CSV: a header, then one quoted-where-needed row a group") {
    CHECK(contacts_csv(store()) ==
          "name,address,description\n"
          "\"Sales, EMEA\",sales@example.com,Deals; offers\n"
          "support@mail.example.com,support@mail.example.com,\n");
  }

  TEST_CASE("CSV: a cell a spreadsheet would run as a formula is defused") {
    auto text = contacts_csv(
        one(group("a@example.com", "=HYPERLINK(\"x\")", "+1, -1 or @x")));
    CHECK(text == "name,address,description\n"
                  "\"'=HYPERLINK(\"\"x\"\")\",a@example.com,"
                  "\"'+1, -1 or @x\"\n");
  }
}
