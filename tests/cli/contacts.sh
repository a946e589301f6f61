#!/usr/bin/env bash
# export contacts: groups shown in contacts, never hidden ones, as vCard
# 4.0, LDIF and CSV, each read back by a real parser.
source "$(dirname "$0")/common.sh"
# Debian's parsers (python3-vobject, python3-ldap) live with Debian's python.
/usr/bin/python3 -c 'import vobject, ldif' 2>/dev/null ||
  { echo "SKIPPED: python3-vobject or python3-ldap missing"; exit 125; }
new_store
run create sales@example.com --name 'Sales, EMEA; "Team"' \
  --description 'Zürich & München — a description long enough to need folding in a vCard line'
run create hidden@example.com --name Secret --hidden
run create a=b@example.com
expect_ok

run export contacts
expect_ok
printf 'BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:group\r\nFN:a=b@example.com\r\nEMAIL;TYPE=work:a=b@example.com\r\nUID:mailto:a=b@example.com\r\nEND:VCARD\r\n' >"$WORK/first"
CHECKS=$((CHECKS + 1))
head -c "$(wc -c <"$WORK/first")" "$WORK/stdout" | cmp -s - "$WORK/first" || fail "the first card differs: $(head -8 "$WORK/stdout" | od -c | head)"
CHECKS=$((CHECKS + 1))
/usr/bin/python3 - "$WORK/stdout" <<'PY' || fail "vobject did not read the vCards back"
import sys, vobject
cards = list(vobject.readComponents(open(sys.argv[1], encoding="utf-8").read()))
assert len(cards) == 2, cards
by_mail = {c.email.value: c for c in cards}
assert set(by_mail) == {"a=b@example.com", "sales@example.com"}, by_mail
sales = by_mail["sales@example.com"]
assert sales.fn.value == 'Sales, EMEA; "Team"', sales.fn.value
assert sales.note.value.startswith("Zürich & München"), sales.note.value
assert sales.note.value.endswith("folding in a vCard line"), sales.note.value
assert sales.kind.value == "group"
PY

run export contacts --format ldif
expect_ok
CHECKS=$((CHECKS + 1))
/usr/bin/python3 - "$WORK/stdout" <<'PY' || fail "python-ldap's LDIF parser did not read the entries back"
import sys, ldif
parser = ldif.LDIFRecordList(open(sys.argv[1], "rb"))
parser.parse()
entries = dict(parser.all_records)
assert set(entries) == {"mail=a\\=b@example.com,ou=groups,dc=example,dc=com",
                        "mail=sales@example.com,ou=groups,dc=example,dc=com"}, entries
sales = entries["mail=sales@example.com,ou=groups,dc=example,dc=com"]
assert sales["cn"] == ['Sales, EMEA; "Team"'.encode()], sales
assert sales["description"][0].decode().startswith("Zürich"), sales
assert sales["mail"] == [b"sales@example.com"]
PY
run export contacts --format ldif --base-dn 'ou=lists,o=Example'
grep -q '^dn: mail=sales@example.com,ou=lists,o=Example$' "$WORK/stdout" || fail "--base-dn not used"

run export contacts --format csv
expect_ok
expect_stdout 'name,address,description
a=b@example.com,a=b@example.com,
"Sales, EMEA; ""Team""",sales@example.com,Zürich & München — a description long enough to need folding in a vCard line'
grep -q hidden "$WORK/stdout" && fail "a hidden group was exported"
run export contacts --format xml
expect_exit 64
finish
