#!/usr/bin/env bash
# sync skips its work when .sync-stamp says that nothing it reads has
# changed since a run that found nothing to do: the group files, resolved/,
# mailgroup.toml, requests.toml by metadata, the directory by content
# (SHA-256), the options and the program. Every kind of change still makes
# a whole run, and only a quiet, clean run with inputs older than 2 s
# writes a stamp.
source "$(dirname "$0")/common.sh"
new_store
DIR="$MAILGROUP_STORE/people.csv"
STAMP="$MAILGROUP_STORE/.sync-stamp"
cat >"$DIR" <<'CSV'
email,department,title,level,status
ada@example.com,Engineering,CTO,9,active
ken@example.com,Engineering/Kernel,Engineer,5,active
rob@example.com,Engineering/Kernel,Engineer,6,active
CSV
sed -i 's|^path = ""|path = "people.csv"|' "$MAILGROUP_STORE/mailgroup.toml"
run create eng@example.com --department Engineering --include-subdepartments --where 'level >= 5'
expect_ok

# sync_quiet: a sync that prints nothing; says whether the stamp answered
# (MAILGROUP_TIMING shows sync's steps).
answered=
sync_quiet() {
  MAILGROUP_TIMING=1 run sync "$@"
  expect_exit 0
  expect_stdout ""
  if grep -q 'nothing changed since the last sync (.sync-stamp)' "$WORK/stderr"; then
    answered=yes
    grep -q 'loading every group' "$WORK/stderr" && fail "the stamp answered, then the whole store was read"
  else
    answered=no
    grep -q 'loading every group' "$WORK/stderr" || fail "neither the stamp nor a whole run"
  fi
}
# stamped ARGS: inputs old enough; a quiet whole run writes the stamp, and
# the next run is answered by it, changing nothing.
stamped() {
  sleep 2.1
  sync_quiet "$@"
  [ -f "$STAMP" ] || fail "no stamp after a quiet run on inputs 2 s old"
  BEFORE=$(cat "$STAMP")
  sync_quiet "$@"
  [ "$answered" = yes ] || fail "the stamp did not answer a run with nothing new"
  [ "$(cat "$STAMP")" = "$BEFORE" ] || fail "a run the stamp answered rewrote it"
}
# whole_run TEXT...: the run after a change did the work and printed TEXT.
whole_run() {
  MAILGROUP_TIMING=1 run sync
  expect_exit 0
  expect_stdout "$1"
  grep -q 'loading every group' "$WORK/stderr" || fail "the stamp answered after: $2"
}

run sync
expect_ok
expect_stdout 'eng@example.com: joined ada@example.com
eng@example.com: joined ken@example.com
eng@example.com: joined rob@example.com'
[ -e "$STAMP" ] && fail "a stamp written by a run that changed the store"
stamped
grep -q '^groups/eng@example.com.toml 100644 ' "$STAMP" || fail "the stamp lacks the group files"
grep -q '^resolved/eng@example.com.members 100644 ' "$STAMP" || fail "the stamp lacks resolved/"
grep -q "^directory .*people.csv $(stat -c %s "$DIR") sha256 $(sha256sum <"$DIR" | cut -d' ' -f1)\$" "$STAMP" ||
  fail "the stamp lacks the directory's digest"

# The export written again with the same rows (a new file, new times) is
# the same input.
cp "$DIR" "$DIR.new" && mv "$DIR.new" "$DIR"
sync_quiet
[ "$answered" = yes ] || fail "a directory rewritten with the same bytes made a whole run"

# A person is demoted; the file keeps its size, times and inode (the content is
# what counts).
touch -r "$DIR" "$WORK/times"
python3 - "$DIR" <<'PY'
import sys
with open(sys.argv[1], "r+") as f:
    text = f.read()
    f.seek(0)
    f.write(text.replace("rob@example.com,Engineering/Kernel,Engineer,6,",
                         "rob@example.com,Engineering/Kernel,Engineer,4,"))
PY
touch -r "$WORK/times" "$DIR"
whole_run 'eng@example.com: left rob@example.com' "a person demoted"

# A rule edited by hand in place: same size, same inode.
stamped
python3 - "$MAILGROUP_STORE/groups/eng@example.com.toml" <<'PY'
import sys
with open(sys.argv[1], "r+") as f:
    text = f.read()
    assert "level >= 5" in text
    f.seek(0)
    f.write(text.replace("level >= 5", "level >= 6"))
PY
whole_run 'eng@example.com: left ken@example.com' "a rule edited in place"

# resolved/ removed by hand: written again.
stamped
rm "$MAILGROUP_STORE/resolved/eng@example.com.members"
whole_run 'eng@example.com: joined ada@example.com' "a resolved file removed"
[ -f "$MAILGROUP_STORE/resolved/eng@example.com.members" ] || fail "the resolved file was not written again"

# A new group; a new option; mailgroup.toml changed; requests.toml appeared.
stamped
run create all@example.com --department Engineering --include-subdepartments
expect_ok
whole_run 'all@example.com: joined ada@example.com
all@example.com: joined ken@example.com
all@example.com: joined rob@example.com' "a group created"
stamped
sync_quiet --skip-invalid
[ "$answered" = no ] || fail "the stamp answered a run with other options"
stamped
sed -i 's|^removal_threshold = 3|removal_threshold = 4|' "$MAILGROUP_STORE/mailgroup.toml"
sync_quiet
[ "$answered" = no ] || fail "the stamp answered after mailgroup.toml changed"
stamped
echo >>"$MAILGROUP_STORE/requests.toml"
sync_quiet
[ "$answered" = no ] || fail "the stamp answered after requests.toml changed"

# --directory names another file with the same rows: its own input.
stamped
cp "$DIR" "$WORK/other.csv"
sync_quiet --directory "$WORK/other.csv"
[ "$answered" = no ] || fail "the stamp answered for another directory file"

# A run with warnings writes no stamp (the next says them again), nor does
# a dry run.
stamped
echo 'bad row,,' >>"$DIR"
rm -f "$STAMP"
sleep 2.1
MAILGROUP_TIMING=1 run sync --skip-invalid
expect_exit 0
grep -q 'warning' "$WORK/stderr" || fail "no warning for the bad row"
[ -e "$STAMP" ] && fail "a stamp written by a run with warnings"
run sync --dry-run
expect_exit 65
[ -e "$STAMP" ] && fail "a stamp written by a dry run"

# A stamp that is a symbolic link, or garbage, never answers.
sed -i '$d' "$DIR"
stamped
cp "$STAMP" "$WORK/stamp"
rm "$STAMP" && ln -s "$WORK/stamp" "$STAMP"
sync_quiet
[ "$answered" = no ] || fail "a symbolic link as the stamp answered"
rm -f "$STAMP" && echo garbage >"$STAMP"
sync_quiet
[ "$answered" = no ] || fail "a garbage stamp answered"
finish
