#!/usr/bin/env bash
# The shipped examples stay true: the demo rebuilds exactly examples/store,
# whose committed maps are current, and check-maps.sh passes on them.
source "$(dirname "$0")/common.sh"
EX="$SOURCE_DIR/examples"
run_demo() {
  "$EX/demo.sh" "$MAILGROUP" "$WORK/demo" >"$WORK/demo.out" 2>&1
}
CHECKS=$((CHECKS + 1))
run_demo || fail "demo.sh failed: $(tail -5 "$WORK/demo.out")"
CHECKS=$((CHECKS + 1))
diff -r -x .lock -x outbox -x log.jsonl "$EX/store" "$WORK/demo/store" >"$WORK/diff" ||
  fail "examples/store differs from what demo.sh builds:
$(cat "$WORK/diff")"
# The log names whoever ran the demo: compare it without who.
anonymous() { sed -E 's/"actor":"[^"]*","login":"[^"]*","uid":[0-9]+,//' "$1"; }
CHECKS=$((CHECKS + 1))
diff <(anonymous "$EX/store/log.jsonl") <(anonymous "$WORK/demo/store/log.jsonl") >"$WORK/diff" ||
  fail "examples/store/log.jsonl differs from what demo.sh logs: $(cat "$WORK/diff")"
grep -q '^engineering@example.com: joined ada@example.com$' "$WORK/demo.out" ||
  fail "the demo's sync did not report its joins"

# Work on a copy: even a dry run takes the store's lock file.
cp -r "$EX" "$WORK/examples"
EX="$WORK/examples"
run --store "$EX/store" generate postfix --output "$EX/postfix" --map-dir /etc/postfix/mailgroup --check
expect_ok
run --store "$EX/store" sync --dry-run
expect_ok
expect_stdout ""
PATH="$(dirname "$MAILGROUP"):$PATH" bash "$EX/check-maps.sh" "$EX/store" "$EX/postfix" >"$WORK/out" 2>&1
STATUS=$?
expect_exit 0
bash -n "$EX/demo.sh" || fail "demo.sh has a syntax error"
finish
