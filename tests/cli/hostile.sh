#!/usr/bin/env bash
# The one address validator refuses everything that could inject or corrupt a
# Postfix map line; the message names the value (escaped) and the reason.
source "$(dirname "$0")/common.sh"
new_store
run create team@example.com
before=$(snapshot_store)

refuse() {
  local address=$1 reason=$2 shown=$3
  run member add team@example.com "$address"
  expect_exit 65
  expect_stderr "mailgroup: error: invalid address $shown: $reason"
}
refuse 'a b@example.com' 'contains whitespace' '"a b@example.com"'
refuse $'a\tb@example.com' 'contains whitespace' '"a\tb@example.com"'
refuse $'a@example.com\nevil@x.example' 'contains whitespace' '"a@example.com\nevil@x.example"'
refuse $'a@example.com\r' 'contains whitespace' '"a@example.com\r"'
refuse $'a\x01@example.com' 'contains a control character' '"a\x01@example.com"'
refuse 'a,b@example.com' 'contains a comma' '"a,b@example.com"'
refuse '"a"@example.com' 'contains a quote' '"\"a\"@example.com"'
refuse "o'brien@example.com" 'contains a quote' "\"o'brien@example.com\""
refuse '#a@example.com' "contains '#'" '"#a@example.com"'
refuse 'josé@example.com' 'contains a non-ASCII character (write an internationalised domain in its xn-- form)' '"jos\xc3\xa9@example.com"'
refuse '@example.com' 'has no local part (a bare @domain is not an address)' '"@example.com"'
refuse 'example.com' "has no '@'" '"example.com"'
refuse 'a@b@example.com' "has more than one '@'" '"a@b@example.com"'
refuse 'a@' 'has an empty domain' '"a@"'
refuse 'a@localhost' 'has domain "localhost" without a dot (use a fully qualified domain)' '"a@localhost"'
refuse 'a@[192.0.2.1]' 'has an address literal as domain, which mailgroup does not accept' '"a@[192.0.2.1]"'
refuse 'a@-x.example' 'has domain label "-x" starting or ending with '"'-'" '"a@-x.example"'
refuse 'a@x..example' 'has an empty label in domain "x..example"' '"a@x..example"'
refuse 'a@x_y.example' 'has "_" in its domain, which is not allowed' '"a@x_y.example"'
refuse '.a@example.com' 'has a local part with a leading, trailing or double dot' '".a@example.com"'
refuse 'a..b@example.com' 'has a local part with a leading, trailing or double dot' '"a..b@example.com"'
refuse 'a(b)@example.com' 'has "(" in its local part, which is not allowed' '"a(b)@example.com"'
refuse 'a\b@example.com' 'has "\\" in its local part, which is not allowed' '"a\\b@example.com"'
long_local=$(printf 'x%.0s' $(seq 65))
refuse "$long_local@example.com" 'has a local part longer than 64 characters' "\"$long_local@example.com\""
long_domain=$(printf 'abcdefghi.%.0s' $(seq 25))example.com
refuse "a@$long_domain" 'is longer than 254 characters' "\"a@$long_domain\""
[ "$before" = "$(snapshot_store)" ] || fail "a refused address changed the store"

# The limits themselves are fine.
ok_local=$(printf 'x%.0s' $(seq 64))
run member add team@example.com "$ok_local@example.com" 'first.last+tag@sub.example.com' 'a!$%&*/=?^_{|}~-@example.com'
expect_ok
finish
