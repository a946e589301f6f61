#!/usr/bin/env bash
# On a full disk a change and its log entry are one commit: a member add of
# 12,000 addresses either lands with its log entry or changes nothing, and
# the log is never left cut mid-line. A small tmpfs (needs root) is filled
# to leave a little less room each round.
source "$(dirname "$0")/common.sh"
[ "$(id -u)" -eq 0 ] || { echo "full_disk: SKIPPED (needs root to mount a tmpfs)"; exit 125; }
DISK="$WORK/disk"
mkdir -p "$DISK"
mount -t tmpfs -o size=1536k tmpfs "$DISK" 2>/dev/null ||
  { echo "full_disk: SKIPPED (cannot mount a tmpfs here)"; exit 125; }
trap 'umount "$DISK"; rm -rf "$WORK"' EXIT
export MAILGROUP_STORE="$DISK/store"
new_store
run create g@example.com --member seed@example.com
expect_ok
members=$(for i in $(seq 1 12000); do echo "m$i@example.com"; done)

landed=0
refused=0
for free_kib in $(seq 0 64 1100); do
  rm -f "$DISK/filler"
  avail=$(($(stat -f -c '%a * %S' "$DISK") / 1024))
  if [ "$avail" -gt "$free_kib" ]; then
    fallocate -l "$(((avail - free_kib) * 1024))" "$DISK/filler" 2>/dev/null ||
      head -c "$(((avail - free_kib) * 1024))" /dev/zero >"$DISK/filler" 2>/dev/null
  fi
  before=$(snapshot_store)
  run_stdin "$members" member add g@example.com -
  rm -f "$DISK/filler"
  CHECKS=$((CHECKS + 1))
  if [ "$STATUS" = 0 ]; then
    landed=$((landed + 1))
    grep -q '"command":"member add"' "$MAILGROUP_STORE/log.jsonl" ||
      fail "free ${free_kib}K: the change landed without its log entry"
    break
  fi
  refused=$((refused + 1))
  [ "$STATUS" = 74 ] || [ "$STATUS" = 73 ] || fail "free ${free_kib}K: exit $STATUS"
  # Nothing changed, or the change is committed and the next write finishes
  # it; in both cases no line is torn.
  run check
  expect_exit 0
  CHECKS=$((CHECKS + 1))
  if grep -q 'not a log entry' "$WORK/stderr"; then
    fail "free ${free_kib}K: torn log: $(cat "$WORK/stderr")"
  fi
  if [ ! -e "$MAILGROUP_STORE/.commit" ]; then
    CHECKS=$((CHECKS + 1))
    [ "$before" = "$(snapshot_store)" ] || fail "free ${free_kib}K: refused, yet the store changed"
  fi
done
CHECKS=$((CHECKS + 1))
[ "$landed" = 1 ] && [ "$refused" -gt 0 ] ||
  fail "expected refusals and then a landing, got $refused refused, $landed landed"
# The next write finishes anything left; log and members agree.
run member add g@example.com last@example.com
expect_ok
run check
expect_ok
n=$(grep -c '"command":"member add"' "$MAILGROUP_STORE/log.jsonl")
CHECKS=$((CHECKS + 1))
[ "$n" = 2 ] || fail "expected 2 member add entries in the log, found $n"
echo "full_disk: $refused rounds refused, then the change landed"
finish
