#!/usr/bin/env bash
# Several kinds of writers at once, for a bounded time: member add, set,
# freeze/unfreeze, sync and generate, with readers parsing JSON all along.
# No update is lost, no file is torn, nobody deadlocks, and no reader ever
# sees a partial file.
source "$(dirname "$0")/common.sh"
new_store
DIR="$WORK/people.csv"
{
  echo "email,department,status"
  for i in $(seq 1 200); do echo "p$i@example.com,Eng,active"; done
} >"$DIR"
run create team@example.com
run create ops@example.com --description 0
run create eng@example.com --department Eng
expect_ok
OUT="$WORK/maps"
stop=$(($(date +%s) + ${MIXED_SECONDS:-6}))
mg() { "$MAILGROUP" --wait 60 "$@"; }

adder() { # adds its own members one by one
  local n=0
  while [ "$(date +%s)" -lt "$stop" ]; do
    n=$((n + 1))
    mg member add team@example.com "w$1-$n@example.com" || { echo "adder $1 failed" >>"$WORK/errors"; return; }
  done
  echo "$n" >"$WORK/added.$1"
}
setter() { # counts up in the description
  local n=0
  while [ "$(date +%s)" -lt "$stop" ]; do
    n=$((n + 1))
    mg set ops@example.com --description "$n" || echo "setter failed" >>"$WORK/errors"
  done
  echo "$n" >"$WORK/set"
}
freezer() {
  local n=0
  while [ "$(date +%s)" -lt "$stop" ]; do
    n=$((n + 1))
    mg freeze ops@example.com >/dev/null 2>&1 && mg unfreeze ops@example.com >/dev/null 2>&1 ||
      echo "freezer failed" >>"$WORK/errors"
  done
}
syncer() {
  while [ "$(date +%s)" -lt "$stop" ]; do
    mg sync --directory "$DIR" --force >/dev/null || echo "sync failed" >>"$WORK/errors"
  done
}
generator() {
  while [ "$(date +%s)" -lt "$stop" ]; do
    mg generate postfix --output "$OUT" 2>/dev/null || echo "generate failed" >>"$WORK/errors"
  done
}
reader() {
  while [ "$(date +%s)" -lt "$stop" ]; do
    "$MAILGROUP" show team@example.com --format json >"$WORK/read.json" 2>>"$WORK/read.err" &&
      python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$WORK/read.json" ||
      echo "reader saw a broken file" >>"$WORK/errors"
  done
}

pids=()
for w in 1 2 3; do adder "$w" & pids+=($!); done
setter & pids+=($!)
freezer & pids+=($!)
syncer & pids+=($!)
generator & pids+=($!)
reader & pids+=($!)
# Bounded: every worker must be done shortly after the deadline.
for pid in "${pids[@]}"; do
  timeout 120 tail --pid="$pid" -f /dev/null || fail "a worker hung"
done
CHECKS=$((CHECKS + 1))
[ ! -s "$WORK/errors" ] || fail "errors: $(sort "$WORK/errors" | uniq -c)"

# No lost update: every member each adder added is there, the description
# is the setter's last value, ops is unfrozen, eng has the directory's 200.
expected=$(for w in 1 2 3; do for n in $(seq 1 "$(cat "$WORK/added.$w")"); do echo "w$w-$n@example.com"; done; done | sort)
run member list team@example.com
expect_stdout "$expected"
run show ops@example.com --format json
python3 - "$WORK/stdout" "$(cat "$WORK/set")" <<'PY' || fail "ops lost an update"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["description"] == sys.argv[2], (d["description"], sys.argv[2])
assert d["frozen"] is False
PY
run member list eng@example.com
CHECKS=$((CHECKS + 1))
[ "$(wc -l <"$WORK/stdout")" -eq 200 ] || fail "eng has $(wc -l <"$WORK/stdout") members"
run check
expect_ok
run generate postfix --output "$OUT" --check
expect_exit 1
adds=0
for f in "$WORK"/added.*; do adds=$((adds + $(cat "$f"))); done
echo "mixed: $adds adds, $(cat "$WORK/set") sets"
finish
