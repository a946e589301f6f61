#!/usr/bin/env bash
# Usage errors exit 64; help and version exit 0 on stdout.
source "$(dirname "$0")/common.sh"
new_store
run
expect_exit 64
run frobnicate
expect_exit 64
run create
expect_exit 64
run list --format yaml
expect_exit 64
run --help
expect_exit 0
grep -q '^  create' "$WORK/stdout" || fail "--help does not list create"
run --version
expect_ok
grep -Eq '^mailgroup [0-9]+\.[0-9]+\.[0-9]+' "$WORK/stdout" || fail "--version: $(cat "$WORK/stdout")"
run --wait -1 list
expect_exit 64
# A closed stdout is an I/O error, not silent success.
"$MAILGROUP" list >&- 2>"$WORK/stderr"
STATUS=$?
CHECKS=$((CHECKS + 1))
[ "$STATUS" -eq 74 ] || [ "$STATUS" -eq 0 ] || fail "closed stdout gave $STATUS"
finish
