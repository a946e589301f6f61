#!/usr/bin/env bash
# Hand-edited group files cannot inject or alter a Postfix map entry: every
# hostile value is refused at load, generate writes nothing, and the maps
# from before stay exactly as they were.
source "$(dirname "$0")/common.sh"
new_store
OUT="$WORK/maps"
run create sales@example.com --member a@people.example.net
run generate postfix --output "$OUT"
expect_exit 0
maps_before=$(cd "$OUT" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
G="$MAILGROUP_STORE/groups"

try_member() {
  local label=$1 toml_value=$2 message=$3
  printf 'address = "evil@example.com"\nadministrators = ["boss@example.com"]\nmembers = [%s]\n' \
    "$toml_value" >"$G/evil@example.com.toml"
  run generate postfix --output "$OUT"
  expect_exit 65
  expect_stderr "mailgroup: error: $G/evil@example.com.toml:3:12: $message"
  CHECKS=$((CHECKS + 1))
  [ "$maps_before" = "$(cd "$OUT" && find . -type f -print0 | sort -z | xargs -0 sha256sum)" ] ||
    fail "$label: the maps changed"
}
try_member "LF" '"x@people.example.net\nroot@example.com\tOK"' \
  'invalid address "x@people.example.net\nroot@example.com\tOK": contains whitespace'
try_member "CR" '"x@people.example.net\r"' \
  'invalid address "x@people.example.net\r": contains whitespace'
try_member "space" '"x@people.example.net OK"' \
  'invalid address "x@people.example.net OK": contains whitespace'
try_member "comment" '"#x@people.example.net"' \
  "invalid address \"#x@people.example.net\": contains '#'"
try_member "comma" '"x@people.example.net,all@example.com"' \
  'invalid address "x@people.example.net,all@example.com": contains a comma'
try_member "quote" '"\"x\"@people.example.net"' \
  'invalid address "\"x\"@people.example.net": contains a quote'
try_member "catch-all" '"@people.example.net"' \
  'invalid address "@people.example.net": has no local part (a bare @domain is not an address)'
try_member "NUL" '"x\u0000@people.example.net"' \
  'invalid address "x\x00@people.example.net": contains a control character'

# A hostile whitelist entry or group address.
printf 'address = "evil@example.com"\nadministrators = ["boss@example.com"]\nwhitelist = ["@partner.example OK\\nx"]\n' >"$G/evil@example.com.toml"
run generate postfix --output "$OUT"
expect_exit 65
expect_stderr "mailgroup: error: $G/evil@example.com.toml:3:14: invalid sender domain \"@partner.example OK\\nx\": contains whitespace"
rm "$G/evil@example.com.toml"

# Keys that collide after lower-casing: the second file's name no longer
# matches its (normalised) address, so it is refused rather than merged.
printf 'address = "SALES@Example.com"\nadministrators = ["boss@example.com"]\nmembers = ["thief@evil.example"]\n' >"$G/SALES@Example.com.toml"
run generate postfix --output "$OUT"
expect_exit 65
expect_stderr "mailgroup: error: $G/SALES@Example.com.toml:1:1: file name does not match its address \"sales@example.com\"; rename it to sales@example.com.toml"
rm "$G/SALES@Example.com.toml"
CHECKS=$((CHECKS + 1))
[ "$maps_before" = "$(cd "$OUT" && find . -type f -print0 | sort -z | xargs -0 sha256sum)" ] ||
  fail "the maps changed"
run generate postfix --output "$OUT" --check
expect_ok
finish
