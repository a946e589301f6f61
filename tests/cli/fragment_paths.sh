#!/usr/bin/env bash
# generate postfix: a path written into main.cf.fragment (the map directory,
# by default --output made absolute) must mean to Postfix what it says:
# whitespace, commas, $, braces, '#', control characters and non-ASCII are
# refused (exit 64) before anything is written.
source "$(dirname "$0")/common.sh"
new_store
run create sales@example.com --member a@people.example.net
expect_ok
TAIL="; use an absolute path of only letters, digits and / . _ - + @"

# --output, which is the map directory unless --map-dir is given.
run generate postfix --output "$WORK/out dir,x"
expect_exit 64
expect_stderr "mailgroup: error: --output (made absolute, the map directory unless --map-dir is given) \"$WORK/out dir,x\" cannot be written into main.cf.fragment: byte $((${#WORK} + 5)) is whitespace, where main.cf splits a list$TAIL"
CHECKS=$((CHECKS + 1))
[ ! -e "$WORK/out dir,x" ] || fail "a refused --output was created"

# A relative --output is made absolute: the working directory counts too.
mkdir "$WORK/a,b"
(cd "$WORK/a,b" && "$MAILGROUP" generate postfix --output maps >"$WORK/stdout" 2>"$WORK/stderr")
STATUS=$?
expect_exit 64
expect_stderr "mailgroup: error: --output (made absolute, the map directory unless --map-dir is given) \"$WORK/a,b/maps\" cannot be written into main.cf.fragment: byte $((${#WORK} + 3)) is a comma, where main.cf splits a list$TAIL"

# --map-dir: a newline would add a setting of its own (postconf -e applies
# each line of the fragment).
run generate postfix --output "$WORK/maps" --map-dir $'/etc/postfix/m\nrelayhost = [evil.example]:25\nx'
expect_exit 64
expect_stderr "mailgroup: error: --map-dir \"/etc/postfix/m\\nrelayhost = [evil.example]:25\\nx\" cannot be written into main.cf.fragment: byte 15 is a newline, which would start a main.cf setting of its own$TAIL"
CHECKS=$((CHECKS + 1))
[ ! -e "$WORK/maps" ] || fail "a refused run wrote the maps"

refused() {
  local label=$1 dir=$2 why=$3
  run generate postfix --output "$WORK/maps" --map-dir "$dir"
  expect_exit 64
  CHECKS=$((CHECKS + 1))
  grep -qF -- "$why$TAIL" "$WORK/stderr" || fail "$label: $(cat "$WORK/stderr")"
}
refused "comma" "/etc/postfix/a,b" "byte 15 is a comma, where main.cf splits a list"
refused "space" "/etc/postfix/a b" "byte 15 is whitespace, where main.cf splits a list"
refused "tab" $'/etc/postfix/a\tb' "byte 15 is whitespace, where main.cf splits a list"
refused "CR" $'/etc/postfix/a\rb' "byte 15 is a control character"
refused "dollar" '/etc/postfix/$config_directory' "byte 14 is '\$', which main.cf expands as a parameter"
refused "open brace" '/etc/postfix/{a' "byte 14 is a brace, which main.cf reads as grouping"
refused "close brace" '/etc/postfix/a}' "byte 15 is a brace, which main.cf reads as grouping"
refused "hash" '/etc/postfix/#a' "byte 14 is '#', which can start a main.cf comment"
refused "non-ASCII" '/etc/postfix/é' "byte 14 is a byte outside ASCII"
refused "equals" '/etc/postfix/a=b' "byte 15 is a character Postfix may treat specially"
refused "colon" '/etc/postfix/a:b' "byte 15 is a character Postfix may treat specially"
refused "relative" 'etc/postfix' "it is not absolute, and Postfix's daemons do not run in this directory"
refused "comment" '#/etc/postfix' "it is not absolute, and Postfix's daemons do not run in this directory"
CHECKS=$((CHECKS + 1))
[ ! -e "$WORK/maps" ] || fail "a refused run wrote the maps"

# What is allowed, and lands in the fragment as given.
run generate postfix --output "$WORK/maps" --map-dir /etc/postfix/mail-group_1.d/+x@y
expect_exit 0
CHECKS=$((CHECKS + 1))
grep -qx 'virtual_alias_maps = hash:/etc/postfix/mail-group_1.d/+x@y/virtual' "$WORK/maps/main.cf.fragment" ||
  fail "the map directory is not in the fragment: $(cat "$WORK/maps/main.cf.fragment")"
finish
