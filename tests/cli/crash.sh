#!/usr/bin/env bash
# kill -9 at random moments during writes: every group file stays whole (old
# or new), every change is in the change log and nothing else is, and
# `mailgroup check` passes afterwards.
source "$(dirname "$0")/common.sh"
new_store
ROUNDS=${CRASH_ROUNDS:-200}
for g in $(seq 1 20); do
  "$MAILGROUP" create "g$g@example.com" --member "seed@example.com" || fail "create g$g"
done
members=$(for i in $(seq 1 300); do echo "m$i@example.com"; done)

for round in $(seq 1 "$ROUNDS"); do
  g=$((round % 20 + 1))
  action=add
  [ $((round % 2)) -eq 0 ] || action=remove
  kill_randomly 10 "$members"$'\n' --wait 30 member "$action" "g$g@example.com" -
done

# The next write finishes an interrupted commit and removes what killed
# writers left behind.
run create after@example.com --member seed@example.com
expect_ok
leftovers=$(find "$MAILGROUP_STORE" -name '.*.tmp-*' -o -name .commit | wc -l)
CHECKS=$((CHECKS + 1))
[ "$leftovers" = 0 ] || fail "$leftovers temporary files left after a write"
run check
expect_ok
# Every change is in the log, and nothing the log names is missing: the
# last logged change of each group says what its file holds.
python3 - "$MAILGROUP_STORE" <<'PY' || fail "log and group files disagree"
import json, sys, tomllib
store = sys.argv[1]
last = {}
for line in open(f"{store}/log.jsonl"):
    entry = json.loads(line)
    if entry["action"] == "changed":
        last[entry["group"]] = entry["command"]
for g in range(1, 21):
    address = f"g{g}@example.com"
    members = tomllib.load(open(f"{store}/groups/{address}.toml", "rb"))["members"]
    expected = 301 if last.get(address) == "member add" else 1
    if len(members) != expected:
        sys.exit(f"{address}: {len(members)} members, log says {expected}")
PY
CHECKS=$((CHECKS + 1))
for g in $(seq 1 20); do
  f="$MAILGROUP_STORE/groups/g$g@example.com.toml"
  CHECKS=$((CHECKS + 1))
  n=$(python3 -c 'import sys, tomllib; print(len(tomllib.load(open(sys.argv[1], "rb"))["members"]))' "$f")
  # Whole: the seed alone (old), or the seed plus all 300 (new).
  [ "$n" = 1 ] || [ "$n" = 301 ] || fail "$f has $n members: torn?"
done
echo "crash: $ROUNDS kills"
finish
