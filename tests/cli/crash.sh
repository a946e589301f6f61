#!/usr/bin/env bash
# kill -9 at random moments during writes: every group file stays whole (old
# or new) and `mailgroup check` passes afterwards.
source "$(dirname "$0")/common.sh"
new_store
ROUNDS=${CRASH_ROUNDS:-200}
for g in $(seq 1 20); do
  "$MAILGROUP" create "g$g@example.com" --member "seed@example.com" || fail "create g$g"
done
members=$(for i in $(seq 1 300); do echo "m$i@example.com"; done)

for round in $(seq 1 "$ROUNDS"); do
  g=$((round % 20 + 1))
  if [ $((round % 2)) -eq 0 ]; then
    printf '%s\n' "$members" | "$MAILGROUP" --wait 30 member add "g$g@example.com" - >/dev/null 2>&1 &
  else
    printf '%s\n' "$members" | "$MAILGROUP" --wait 30 member remove "g$g@example.com" - >/dev/null 2>&1 &
  fi
  pid=$!
  # Kill somewhere between "before it starts" and "after it ends".
  sleep "0.00$((RANDOM % 10))$((RANDOM % 10))"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
done

run check
expect_ok
for g in $(seq 1 20); do
  f="$MAILGROUP_STORE/groups/g$g@example.com.toml"
  CHECKS=$((CHECKS + 1))
  n=$(python3 -c 'import sys, tomllib; print(len(tomllib.load(open(sys.argv[1], "rb"))["members"]))' "$f")
  # Whole: the seed alone (old), or the seed plus all 300 (new).
  [ "$n" = 1 ] || [ "$n" = 301 ] || fail "$f has $n members: torn?"
done
leftovers=$(find "$MAILGROUP_STORE/groups" -name '.*.tmp-*' | wc -l)
echo "crash: $ROUNDS kills, $leftovers temporary files left behind (ignored by the store)"
finish
