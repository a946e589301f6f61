#!/usr/bin/env bash
# 50 concurrent `member add` processes on one group: all 50 members land and
# none fails (they queue on the store lock).
source "$(dirname "$0")/common.sh"
new_store
run create team@example.com
expect_ok

pids=()
for i in $(seq 1 50); do
  "$MAILGROUP" --wait 60 member add team@example.com "user$i@example.com" \
    >"$WORK/out.$i" 2>&1 &
  pids+=($!)
done
failed=0
for pid in "${pids[@]}"; do
  wait "$pid" || failed=$((failed + 1))
done
CHECKS=$((CHECKS + 1))
[ "$failed" -eq 0 ] || fail "$failed of 50 writers failed: $(cat "$WORK"/out.* | sort | uniq -c)"
CHECKS=$((CHECKS + 1))
[ -z "$(cat "$WORK"/out.*)" ] || fail "writers printed: $(cat "$WORK"/out.*)"

run member list team@example.com
expect_ok
expected=$(for i in $(seq 1 50); do echo "user$i@example.com"; done | sort)
expect_stdout "$expected"
run check
expect_ok
# 51 changes, 51 whole log lines, none torn or interleaved.
CHECKS=$((CHECKS + 1))
/usr/bin/python3 - "$MAILGROUP_STORE/log.jsonl" <<'PY' || fail "the change log is torn"
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 51, len(lines)
added = sorted(json.loads(l)["changes"][0] for l in lines[1:])
assert added == sorted(f"members: +user{i}@example.com" for i in range(1, 51)), added[:3]
PY
finish
