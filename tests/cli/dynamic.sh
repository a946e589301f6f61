#!/usr/bin/env bash
# Department groups: create with checks against the directory, eval,
# --explain, and sync (joins, leaves, departures, excludes, refusals, quiet
# second run).
source "$(dirname "$0")/common.sh"
new_store
DIR="$MAILGROUP_STORE/people.csv"
cat >"$DIR" <<'CSV'
email,department,title,level,status
ada@example.com,Engineering,CTO,9,active
grace@example.com,Engineering/Platform,Principal Engineer,8,active
ken@example.com,Engineering/Platform/Kernel,Engineer,5,active
dennis@example.com,Engineering/Platform/Kernel,Engineer,6,left
alan@example.com,Research,Researcher,8,active
CSV
sed -i 's|^path = ""|path = "people.csv"|; s|^removal_threshold = 3|removal_threshold = 2|' "$MAILGROUP_STORE/mailgroup.toml"
# The directory lives in the store here; what a command must not change is
# everything else.
snapshot_store() {
  (cd "$MAILGROUP_STORE" && find . -type f ! -name .lock ! -name .sync-stamp ! -name .group-names ! -name people.csv -print0 |
    sort -z | xargs -0 sha256sum)
}

run create eng@example.com --department Engineering --include-subdepartments --where 'titel contains "engineer"'
expect_exit 65
expect_stderr 'mailgroup: error: invalid rule at column 1: the directory has no attribute "titel"; did you mean "title"?
  titel contains "engineer"
  ^'
run create eng@example.com --department Enginering
expect_exit 65
expect_stderr "mailgroup: error: department \"Enginering\" is not in the directory $DIR; did you mean \"Engineering\"?"
run create eng@example.com --department Engineering --where 'level >'
expect_exit 65
run list
expect_stdout ""

run create eng@example.com --department Engineering --include-subdepartments --where 'title contains "engineer" and level >= 6' --notify-members
expect_ok
run create kernel@example.com --department Engineering/Platform/Kernel --member ext@partner.example
expect_ok

run eval
expect_ok
expect_stdout 'eng@example.com	grace@example.com
kernel@example.com	ext@partner.example
kernel@example.com	ken@example.com'
run eval kernel@example.com --format json
expect_ok
expect_stdout '[
  {
    "address": "kernel@example.com",
    "members": [
      "ext@partner.example",
      "ken@example.com"
    ],
    "directory_members": [
      "ken@example.com"
    ]
  }
]'

run eval eng@example.com --explain ken@example.com
expect_exit 1
expect_stdout "ken@example.com is not a member of eng@example.com
directory: $DIR:4
department: \"Engineering/Platform/Kernel\" is in or under \"Engineering\": yes
active: yes
rule: no
  all of -> false
    title contains \"engineer\" -> true (title = \"Engineer\")
    level >= 6 -> false (level = \"5\")
excluded: no
static member: no"
expect_stderr ""
run eval kernel@example.com --explain dennis@example.com
expect_exit 1
expect_stdout "dennis@example.com is not a member of kernel@example.com
directory: $DIR:5
department: \"Engineering/Platform/Kernel\" is in \"Engineering/Platform/Kernel\": yes
active: no
rule: none (everyone in the department)
excluded: no
static member: no"
run eval kernel@example.com --explain nobody@example.com --format json
expect_exit 1
expect_stdout '{
  "address": "kernel@example.com",
  "email": "nobody@example.com",
  "member": false,
  "reasons": [
    "nobody@example.com is not a member of kernel@example.com",
    "directory: nobody@example.com is not in '"$DIR"'",
    "excluded: no",
    "static member: no"
  ]
}'
run eval eng@example.com --explain grace@example.com
expect_exit 0

# Nothing resolved yet: the Postfix step sees static members only.
run member list kernel@example.com
expect_stdout 'ext@partner.example'

before=$(snapshot_store)
run sync --dry-run
expect_ok
expect_stdout 'eng@example.com: joined grace@example.com
kernel@example.com: joined ken@example.com'
[ "$before" = "$(snapshot_store)" ] || fail "sync --dry-run wrote"
run sync
expect_ok
expect_stdout 'eng@example.com: joined grace@example.com
kernel@example.com: joined ken@example.com'
expect_file "$MAILGROUP_STORE/resolved/kernel@example.com.members" "# Members of kernel@example.com from the directory at the last 'mailgroup sync'.
# Written by sync; edits here are overwritten.
ken@example.com"
run member list kernel@example.com
expect_stdout 'ext@partner.example
ken@example.com'

# A second sync with nothing new prints nothing and writes nothing.
before=$(snapshot_store)
run sync
expect_ok
expect_stdout ""
[ "$before" = "$(snapshot_store)" ] || fail "a no-op sync changed the store"

# People join and leave; an exclude persists.
cat >>"$DIR" <<'CSV'
linus@example.com,Engineering/Platform/Kernel,Senior Engineer,7,active
margaret@example.com,Engineering,Staff Engineer,7,active
CSV
run set eng@example.com --exclude margaret@example.com
run sync
expect_ok
expect_stdout 'eng@example.com: joined linus@example.com
kernel@example.com: joined linus@example.com'
run member remove eng@example.com linus@example.com
expect_exit 0
expect_stderr "mailgroup: note: linus@example.com is a member of eng@example.com through the directory; exclude it with 'mailgroup set eng@example.com --exclude linus@example.com'"

sed -i '/^ken@/d' "$DIR"
run sync --summary
expect_ok
expect_stdout 'kernel@example.com: 0 joined, 1 left'

# A mass removal holds back only that group (exit 3, its last members
# kept); the others refresh. Then refusals of the whole run: an empty
# directory, a missing one.
cp "$DIR" "$WORK/people.bak"
sed -i '/^grace@/d; s/^linus@example.com,\(.*\),active$/linus@example.com,\1,left/' "$DIR"
eng_before=$(cat "$MAILGROUP_STORE/resolved/eng@example.com.members")
run sync --dry-run
expect_exit 3
expect_stdout 'kernel@example.com: left linus@example.com'
run sync
expect_exit 3
expect_stderr 'mailgroup: warning: eng@example.com held back, keeping its last members: it would lose 2 of its 2 members (100%, more than the 50% allowed). Check the directory, or run again with --force to apply'
expect_stdout 'kernel@example.com: left linus@example.com'
expect_file "$MAILGROUP_STORE/resolved/eng@example.com.members" "$eng_before"
run member list kernel@example.com
expect_stdout 'ext@partner.example'
run sync
expect_exit 3
expect_stdout ""
run sync --force
expect_ok
expect_stdout 'eng@example.com: left grace@example.com
eng@example.com: left linus@example.com'
cp "$WORK/people.bak" "$DIR"
run sync
expect_stdout 'eng@example.com: joined grace@example.com
eng@example.com: joined linus@example.com
kernel@example.com: joined linus@example.com'

printf 'email,department,status\n' >"$DIR"
before=$(snapshot_store)
run sync
expect_exit 69
expect_stderr "mailgroup: error: $DIR has no active employees; refusing to empty every department group (nothing was changed)"
: >"$DIR"
run sync
expect_exit 69
expect_stderr "mailgroup: error: $DIR: the directory is empty"
rm "$DIR"
run sync
expect_exit 69
expect_stderr "mailgroup: error: cannot read the employee directory $DIR: no such file (nothing was changed)"
run eval
expect_exit 66
[ "$before" = "$(snapshot_store)" ] || fail "a refused sync changed the store"

# A bad row fails the whole load, naming file and line.
cp "$WORK/people.bak" "$DIR"
printf 'bad-address,Engineering,X,1,active\n' >>"$DIR"
run sync
expect_exit 65
expect_stderr "mailgroup: error: $DIR:8: invalid email \"bad-address\": has no '@'"
run sync --skip-invalid
expect_exit 0
expect_stderr "mailgroup: warning: $DIR:8: invalid email \"bad-address\": has no '@'; row skipped"

# A TOML directory works the same way.
cat >"$WORK/people.toml" <<'TOML'
[[employee]]
email = "ken@example.com"
department = "Engineering/Platform/Kernel"
title = "Engineer"
level = 5
status = "active"
TOML
run eval kernel@example.com --directory "$WORK/people.toml"
expect_ok
expect_stdout 'ext@partner.example
ken@example.com'

run set kernel@example.com --static
expect_ok
[ ! -e "$MAILGROUP_STORE/resolved/kernel@example.com.members" ] || fail "--static left resolved members behind"
run eval kernel@example.com
expect_exit 64
expect_stderr "mailgroup: error: kernel@example.com is not a department group"
finish
