#!/usr/bin/env bash
# A lock held too long by another process ends in a clear error (exit 75)
# after --wait, never a hang; readers need no lock.
source "$(dirname "$0")/common.sh"
command -v flock >/dev/null || { echo "SKIPPED: flock(1) missing"; exit 125; }
new_store
run create team@example.com
before=$(snapshot_store)

flock -o "$MAILGROUP_STORE/.lock" sleep 30 >/dev/null 2>&1 &
holder=$!
trap 'pkill -P $holder; kill $holder 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 50); do
  flock -n "$MAILGROUP_STORE/.lock" true 2>/dev/null || break
  sleep 0.1
done

start=$(date +%s%N)
run --wait 0.3 member add team@example.com a@example.com
elapsed=$((($(date +%s%N) - start) / 1000000))
expect_exit 75
expect_stderr "mailgroup: error: the store is locked by another mailgroup process ($MAILGROUP_STORE/.lock); gave up after 0.3 s (raise it with --wait SECONDS)"
CHECKS=$((CHECKS + 1))
[ "$elapsed" -lt 20000 ] || fail "gave up only after ${elapsed} ms"
[ "$before" = "$(snapshot_store)" ] || fail "a locked-out writer changed the store"

run member list team@example.com
expect_ok

pkill -P "$holder"; kill "$holder"
wait "$holder" 2>/dev/null
run --wait 5 member add team@example.com a@example.com
expect_ok
finish
