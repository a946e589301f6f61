// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Address-book exports of the groups shown in contacts (never hidden ones):
// name, address and description.

#include "core/store/store.hpp"

#include <string>

namespace mailgroup {

// vCard 4.0 (RFC 6350), one KIND:group card a group; CRLF line ends, lines
// folded at 75 octets.
std::string contacts_vcard(const Snapshot& snapshot);

// LDIF (RFC 2849) entries under `base_dn` (default: ou=groups plus the dc=
// parts of each group's domain), base64 where a value needs it.
std::string contacts_ldif(const Snapshot& snapshot, const std::string& base_dn);

// CSV (RFC 4180) with a header: name,address,description.
std::string contacts_csv(const Snapshot& snapshot);

} // namespace mailgroup
