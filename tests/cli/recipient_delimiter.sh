#!/usr/bin/env bash
# generate refuses a Postfix whose recipient_delimiter holds more than '+':
# Postfix would strip team-x@ to team@ and deliver to team@'s members, while
# the access tables, the policy index and the nesting checks know only
# team+x@. Nothing is written.
source "$(dirname "$0")/common.sh"
postfix_config
new_store
OUT="$WORK/maps"
run create team@example.com --permission members --member m@people.example.net
expect_ok
for mode in "" --policy; do
  for delimiter in "+-" "-" "+."; do
    echo "recipient_delimiter = $delimiter" >"$PF/main.cf"
    run generate postfix --output "$OUT" --postfix-config "$PF" $mode
    expect_exit 78
    expect_stderr "mailgroup: error: main.cf sets recipient_delimiter = $delimiter, but mailgroup's checks know only '+' as the extension delimiter: Postfix would deliver a group's address with another delimiter past them; set recipient_delimiter = + (or leave it empty) with postconf -e, then generate again"
    [ -e "$OUT" ] && fail "generate wrote $OUT for recipient_delimiter = $delimiter"
  done
  for delimiter in "+" "++" ""; do
    echo "recipient_delimiter = $delimiter" >"$PF/main.cf"
    run generate postfix --output "$OUT" --postfix-config "$PF" $mode
    expect_exit 0
    rm -rf "$OUT"
  done
done
finish
