#!/usr/bin/env bash
# generate postfix compares what Postfix reads, the built databases, not
# only the text sources. A crash between renaming a new virtual.db into
# place and renaming its source leaves the old text beside the new
# database; once the store is back to the old content, the text matches,
# but virtual.db still has the member. The states are made by hand here.
source "$(dirname "$0")/common.sh"
postfix_config
OUT="$WORK/maps"
new_store
run create sales@example.com --member a@people.example.net
run create team@example.com --permission members --member t@people.example.net
expect_ok
gen() { run generate postfix --output "$OUT" --postfix-config "$PF" "$@"; }
lookup() { /usr/sbin/postmap -c "$PF" -q "$1" "hash:$OUT/$2"; }
ERR="mailgroup: error: $OUT is out of date; run 'mailgroup generate postfix --output $OUT --postmap'"

gen --postmap
expect_exit 0
cp "$OUT/virtual" "$WORK/virtual.before"

# The torn state: x added and built, then the old text back (as the crash
# leaves it), then x removed again.
run member add sales@example.com x@people.example.net
gen --postmap
expect_exit 0
cp "$OUT/virtual.db" "$WORK/virtual.db.with-x"
cp "$WORK/virtual.before" "$OUT/virtual"
run member remove sales@example.com x@people.example.net
expect_ok
CHECKS=$((CHECKS + 1))
[ "$(lookup sales@example.com virtual)" = a@people.example.net,x@people.example.net ] ||
  fail "the torn state was not made"

# --check says so, with --postmap and without (a manifest is there).
gen --check --postmap
expect_exit 1
expect_stderr "mailgroup: virtual.db: out of date
$ERR"
gen --check
expect_exit 1
expect_stderr "mailgroup: virtual.db: out of date
$ERR"
# generate rebuilds it.
gen --postmap
expect_exit 0
expect_stderr "mailgroup: virtual.db: out of date, rebuilt"
CHECKS=$((CHECKS + 1))
[ "$(lookup sales@example.com virtual)" = a@people.example.net ] ||
  fail "virtual.db still has the removed member: $(lookup sales@example.com virtual)"
gen --check --postmap
expect_ok
gen --postmap
expect_ok

# A database put back by hand (an old copy): not the file that was built.
cp "$WORK/virtual.db.with-x" "$OUT/virtual.db"
gen --check
expect_exit 1
expect_stderr "mailgroup: virtual.db: out of date
$ERR"
gen --postmap
expect_exit 0
expect_stderr "mailgroup: virtual.db: out of date, rebuilt"
CHECKS=$((CHECKS + 1))
[ "$(lookup sales@example.com virtual)" = a@people.example.net ] || fail "the old copy stayed"

# A missing database, a sender table's too.
rm "$OUT/recipient_access.db" "$OUT"/senders/*.db
gen --check
expect_exit 1
expect_stderr "mailgroup: recipient_access.db: missing
mailgroup: senders: 1 database out of date or missing
$ERR"
gen --postmap
expect_exit 0
expect_stderr "mailgroup: recipient_access.db: missing, built
mailgroup: senders: 1 database rebuilt"
gen --check
expect_ok

# A source changed by hand after its build: changed, and its database with
# it (the text alone does not say what Postfix reads).
sed -i 's/^sales@example.com\t.*/sales@example.com\tthief@evil.example/' "$OUT/virtual"
gen --check
expect_exit 1
expect_stderr "mailgroup: virtual: 1 entry changed
$ERR"
gen --postmap
expect_exit 0
expect_stderr "mailgroup: virtual: 1 entry changed"
CHECKS=$((CHECKS + 1))
[ "$(lookup sales@example.com virtual)" = a@people.example.net ] || fail "virtual.db was not rebuilt"

# A lost or damaged manifest: every database is rebuilt once.
echo "virtual	hash	garbage" >"$OUT/.mailgroup-manifest"
gen --check
expect_exit 1
expect_stderr "mailgroup: local_senders.db: out of date
mailgroup: null_sender.db: out of date
mailgroup: recipient_access.db: out of date
mailgroup: virtual.db: out of date
mailgroup: senders: 1 database out of date or missing
$ERR"
rm "$OUT/.mailgroup-manifest"
# Without a manifest a plain check compares the sources only, as before
# mailgroup built databases here.
gen --check
expect_ok
gen --postmap
expect_exit 0
expect_stderr "mailgroup: local_senders.db: out of date, rebuilt
mailgroup: null_sender.db: out of date, rebuilt
mailgroup: recipient_access.db: out of date, rebuilt
mailgroup: virtual.db: out of date, rebuilt
mailgroup: senders: 1 database rebuilt"
gen --check --postmap
expect_ok

# Another table type: the hash databases do not count for lmdb.
if /usr/sbin/postconf -c "$PF" -m | grep -qx lmdb; then
  gen --check --postmap --table-type lmdb
  expect_exit 1
  gen --postmap --table-type lmdb
  expect_exit 0
  gen --check --postmap --table-type lmdb
  expect_ok
fi
finish
