#!/usr/bin/env bash
# generate postfix --postmap runs one at a time in an output directory: a
# lock file there (exit 75 when another run keeps it past --wait), unique
# work names, and the work files of a run that died removed by the next.
# Many concurrent runs from different stores leave every table's database
# agreeing with its text source.
source "$(dirname "$0")/common.sh"
postfix_config
OUT="$WORK/maps"
new_store
run create sales@example.com --member a@people.example.net
expect_ok
gen() { run generate postfix --output "$OUT" --postmap --postfix-config "$PF" "$@"; }

# Another holder of the lock: refused after --wait, for --check too.
gen
expect_exit 0
exec 8<"$OUT/.mailgroup.lock"
flock -n 8 || fail "cannot take the lock for the test"
run member add sales@example.com b@people.example.net
before=$(cd "$OUT" && ls -la --time-style=+%s.%N)
run --wait 0.3 generate postfix --output "$OUT" --postmap --postfix-config "$PF"
expect_exit 75
expect_stderr "mailgroup: error: the output directory $OUT is locked by another mailgroup process ($OUT/.mailgroup.lock); gave up after 0.3 s (raise it with --wait SECONDS)"
run --wait 0.3 generate postfix --output "$OUT" --check
expect_exit 75
CHECKS=$((CHECKS + 1))
[ "$before" = "$(cd "$OUT" && ls -la --time-style=+%s.%N)" ] || fail "a run that did not get the lock wrote"
exec 8<&-

# A check of a directory never written takes no lock and writes nothing.
run generate postfix --output "$WORK/never" --check
expect_exit 1
CHECKS=$((CHECKS + 1))
[ ! -e "$WORK/never" ] || fail "--check created its output directory"

# Work files of a run that died (and of older versions' fixed names) go;
# other files stay.
for name in .virtual.tmp-0123456789abcdef .virtual.tmp-0123456789abcdef.db \
  .main.cf.fragment.tmp-fedcba9876543210 .virtual.new .virtual.new.db \
  senders/.0123456789abcdef.tmp-00000000000000aa.db .keep-me .virtual.tmp-x; do
  echo junk >"$OUT/$name"
done
gen
expect_exit 0
left=$(cd "$OUT" && find . -name '.*' -type f ! -name .mailgroup-stamp | sort)
expect_file /dev/stdin "$left" <<<"./.keep-me
./.mailgroup-manifest
./.mailgroup.lock
./.virtual.tmp-x"

# Many runs at once, each from its own store, into one directory.
STORES=8
for i in $(seq 1 $STORES); do
  export MAILGROUP_STORE="$WORK/store$i"
  new_store
  for j in $(seq 1 "$i"); do
    run create "g$j@example.com" --member "m$i-$j@people.example.net" --member "x$j@people.example.net"
  done
  [ $((i % 2)) = 0 ] && run create team@example.com --permission members --member "t$i@people.example.net"
  expect_ok
done
CONC="$WORK/concurrent"
for round in 1 2 3; do
  for i in $(seq 1 $STORES); do
    "$MAILGROUP" --store "$WORK/store$i" --wait 120 generate postfix --output "$CONC" \
      --postmap --postfix-config "$PF" >/dev/null 2>"$WORK/err.$round.$i" &
  done
done
failed=0
for job in $(jobs -p); do wait "$job" || failed=$((failed + 1)); done
CHECKS=$((CHECKS + 1))
[ "$failed" = 0 ] || fail "$failed concurrent runs failed: $(cat "$WORK"/err.*)"

# Every database holds exactly what its text says.
for source in "$CONC"/local_senders "$CONC"/null_sender "$CONC"/recipient_access \
  "$CONC"/virtual "$CONC"/senders/*; do
  case $source in *.db | */senders/\*) continue ;; esac
  CHECKS=$((CHECKS + 1))
  want=$(grep -v '^#' "$source" | sort)
  got=$(postmap -c "$PF" -s "hash:$source" 2>&1 | sort)
  [ "$want" = "$got" ] || fail "${source#"$CONC"/}.db differs from its text:$(diff <(echo "$want") <(echo "$got"))"
done
CHECKS=$((CHECKS + 1))
left=$(cd "$CONC" && find . -name '.*' -type f ! -name .mailgroup.lock ! -name .mailgroup-manifest ! -name .mailgroup-stamp)
[ -z "$left" ] || fail "work files left: $left"
# The directory is one store's output, whole (databases included).
current=0
for i in $(seq 1 $STORES); do
  "$MAILGROUP" --store "$WORK/store$i" generate postfix --output "$CONC" --check \
    >/dev/null 2>&1 && current=$((current + 1))
done
CHECKS=$((CHECKS + 1))
[ "$current" = 1 ] || fail "$current stores' output is current, not exactly one"
finish
