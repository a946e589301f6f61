#!/usr/bin/env bash
# generate postfix skips a run when its stamp says nothing it reads or wrote
# has changed; every kind of change still makes it do the whole run. A run
# that does the whole work removes the old stamp, and writes a new one only
# when its inputs are older than the timestamps' resolution (2 s).
source "$(dirname "$0")/common.sh"
new_store
OUT="$WORK/maps"
STAMP="$OUT/.mailgroup-stamp"
run create sales@example.com --member a@people.example.net --member b@people.example.net
run create team@example.com --permission members --member m@people.example.net
expect_ok

# A run right after a change writes the maps, and no stamp.
run generate postfix --output "$OUT"
expect_exit 0
[ -e "$STAMP" ] && fail "a stamp written for inputs changed just now"

# stamped: inputs old enough; a whole run that changes nothing writes the
# stamp; then a run that the stamp answers leaves it as it was.
stamped() {
  sleep 2.1
  run generate postfix --output "$OUT" "$@"
  expect_ok
  [ -f "$STAMP" ] || fail "no stamp after a run on inputs 2 s old"
  BEFORE=$(cat "$STAMP" 2>/dev/null)
  run generate postfix --output "$OUT" "$@"
  expect_ok
  [ "$(cat "$STAMP" 2>/dev/null)" = "$BEFORE" ] || fail "the stamp changed on a run with nothing to do"
}
# whole_run: the last run did the work (it took the stamp away, or wrote
# another).
whole_run() {
  CHECKS=$((CHECKS + 1))
  [ "$(cat "$STAMP" 2>/dev/null)" != "$BEFORE" ] || fail "the stamp answered: $1"
}

stamped
grep -q '^groups/team@example.com.toml 100644 ' "$STAMP" || fail "the stamp lacks the group files"
grep -q '^virtual 100644 ' "$STAMP" || fail "the stamp lacks the outputs"

# A change through mailgroup.
run member add sales@example.com c@people.example.net
run generate postfix --output "$OUT"
expect_exit 0
expect_stderr "mailgroup: virtual: 1 entry changed"
whole_run "member add"
[ -e "$STAMP" ] && fail "a stamp for a group changed just now"

# A group file edited in place (same inode, same size).
stamped
python3 - "$MAILGROUP_STORE/groups/sales@example.com.toml" <<'PY'
import sys
with open(sys.argv[1], "r+") as f:
    text = f.read()
    f.seek(0)
    f.write(text.replace('"c@people', '"d@people'))
PY
run generate postfix --output "$OUT"
expect_exit 0
expect_stderr "mailgroup: virtual: 1 entry changed"
grep -q 'd@people.example.net' "$OUT/virtual" || fail "the in-place edit is not in virtual"

# A group file removed by hand.
stamped
rm "$MAILGROUP_STORE/groups/team@example.com.toml"
run generate postfix --output "$OUT"
expect_exit 0
expect_stderr "mailgroup: main.cf.fragment: changed
mailgroup: recipient_access: 1 entry changed
mailgroup: virtual: 1 entry changed
mailgroup: senders: 0 tables created, 0 changed, 1 removed"
run create team@example.com --permission members --member m@people.example.net
expect_ok
run generate postfix --output "$OUT"
expect_exit 0

# An output removed, or edited in place: put back.
stamped
GOOD=$(cat "$OUT/virtual")
rm "$OUT/virtual"
run generate postfix --output "$OUT"
expect_exit 0
expect_stderr "mailgroup: virtual: created (2 entries)"
stamped
python3 - "$OUT/virtual" <<'PY'
import sys
with open(sys.argv[1], "r+") as f:
    text = f.read()
    f.seek(0)
    f.write(text.replace("a@people", "x@people"))
PY
run generate postfix --output "$OUT"
expect_exit 0
expect_stderr "mailgroup: virtual: 1 entry changed"
expect_file "$OUT/virtual" "$GOOD"
# A file added beside the outputs.
stamped
touch "$OUT/senders/stray"
run generate postfix --output "$OUT"
expect_ok
whole_run "a file added to senders/"
rm "$OUT/senders/stray"

# mailgroup.toml, requests.toml and resolved/ are inputs too.
stamped
echo '# a comment' >>"$MAILGROUP_STORE/mailgroup.toml"
run generate postfix --output "$OUT"
expect_ok
whole_run "mailgroup.toml edited"
stamped
mkdir -p "$MAILGROUP_STORE/resolved"
touch "$MAILGROUP_STORE/resolved/.x"
run generate postfix --output "$OUT"
expect_ok
whole_run "a file added to resolved/"
rm "$MAILGROUP_STORE/resolved/.x"

# Other options, or another program, are another run.
stamped
run generate postfix --output "$OUT" --expansion-limit 999
expect_ok
whole_run "another --expansion-limit"
cp "$MAILGROUP" "$WORK/mailgroup-copy"
stamped
run_copy() { "$WORK/mailgroup-copy" "$@" >"$WORK/stdout" 2>"$WORK/stderr"; STATUS=$?; }
run_copy generate postfix --output "$OUT"
expect_ok
whole_run "another program"

# A file read through a symbolic link: the target's change counts.
mv "$MAILGROUP_STORE/mailgroup.toml" "$WORK/mailgroup.toml"
ln -s "$WORK/mailgroup.toml" "$MAILGROUP_STORE/mailgroup.toml"
run generate postfix --output "$OUT"
expect_ok
stamped
sed -i 's/^  "example.org",/  "example.org",\n  "example.net",/' "$WORK/mailgroup.toml"
run generate postfix --output "$OUT"
expect_exit 0
expect_stderr "mailgroup: local_senders: 1 entry changed"
rm "$MAILGROUP_STORE/mailgroup.toml"
mv "$WORK/mailgroup.toml" "$MAILGROUP_STORE/mailgroup.toml"
run generate postfix --output "$OUT"
expect_ok
mv "$OUT/virtual" "$WORK/virtual"
ln -s "$WORK/virtual" "$OUT/virtual"
stamped
echo 'evil@example.com attacker@evil.example' >>"$WORK/virtual"
run generate postfix --output "$OUT"
expect_exit 0
expect_stderr "mailgroup: virtual: 1 entry changed"
rm -f "$OUT/virtual"
run generate postfix --output "$OUT"
expect_exit 0

# A stamp that is a symbolic link is not read, and is removed, not followed.
echo 'keep me' >"$WORK/target"
rm -f "$STAMP"
ln -s "$WORK/target" "$STAMP"
run generate postfix --output "$OUT"
expect_ok
[ -L "$STAMP" ] && fail "the planted link is still there"
expect_file "$WORK/target" "keep me"

# --check trusts the stamp as well, and a check writes none.
stamped
run generate postfix --output "$OUT" --check
expect_ok
rm "$OUT/virtual"
run generate postfix --output "$OUT" --check
expect_exit 1
[ -e "$OUT/virtual" ] && fail "--check wrote a file"
finish
