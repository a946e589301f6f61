#!/usr/bin/env bash
# The root department, the organisation itself, written as the separator
# alone; department spellings that can never match are refused at create,
# set and in group files.
source "$(dirname "$0")/common.sh"
new_store
DIR="$MAILGROUP_STORE/people.csv"
cat >"$DIR" <<'CSV'
email,department,status
ceo@example.com,,active
ada@example.com,Engineering,active
ken@example.com,Engineering/Kernel,active
bob@example.com,Sales,left
CSV
sed -i 's|^path = ""|path = "people.csv"|' "$MAILGROUP_STORE/mailgroup.toml"
snapshot_store() {
  (cd "$MAILGROUP_STORE" && find . -type f ! -name .lock ! -name people.csv -print0 |
    sort -z | xargs -0 sha256sum)
}

run create all@example.com --department / --include-subdepartments
expect_ok
run create top@example.com --department /
expect_ok
run eval all@example.com
expect_ok
expect_stdout 'ada@example.com
ceo@example.com
ken@example.com'
run eval top@example.com
expect_ok
expect_stdout 'ceo@example.com'
run eval all@example.com --explain ken@example.com
expect_exit 0
expect_stdout "ken@example.com is a member of all@example.com
directory: $DIR:4
department: \"Engineering/Kernel\" is in or under \"/\": yes
active: yes
rule: none (everyone in the department)
excluded: no
static member: no"
run eval top@example.com --explain ceo@example.com
expect_exit 0
expect_stdout "ceo@example.com is a member of top@example.com
directory: $DIR:2
department: \"/\" is in \"/\": yes
active: yes
rule: none (everyone in the department)
excluded: no
static member: no"
run sync
expect_ok
expect_stdout 'all@example.com: joined ada@example.com
all@example.com: joined ceo@example.com
all@example.com: joined ken@example.com
top@example.com: joined ceo@example.com'

# Spellings that can never match, refused before anything is written.
before=$(snapshot_store)
run create x@example.com --department ""
expect_exit 65
expect_stderr 'mailgroup: error: invalid --department "": it is empty; "/" alone names the whole organisation'
run create x@example.com --department //
expect_exit 65
expect_stderr 'mailgroup: error: invalid --department "//": it has an empty part (a leading, trailing or doubled "/"), so it names no department; did you mean "/"?'
run create x@example.com --department Engineering/
expect_exit 65
expect_stderr 'mailgroup: error: invalid --department "Engineering/": it has an empty part (a leading, trailing or doubled "/"), so it names no department; did you mean "Engineering"?'
run create x@example.com --department /Engineering
expect_exit 65
run create x@example.com --department Engineering//Kernel
expect_exit 65
expect_stderr 'mailgroup: error: invalid --department "Engineering//Kernel": it has an empty part (a leading, trailing or doubled "/"), so it names no department; did you mean "Engineering/Kernel"?'
run create x@example.com --department Engineering/..
expect_exit 65
expect_stderr 'mailgroup: error: invalid --department "Engineering/..": it has a part "..": a department path names departments from the top down and never goes up'
run set top@example.com --department Sales/
expect_exit 65
run set top@example.com --department ' '
expect_exit 65
[ "$before" = "$(snapshot_store)" ] || fail "a refused department changed the store"

# Without a directory configured, the spelling is still checked.
sed -i 's|^path = "people.csv"|path = ""|' "$MAILGROUP_STORE/mailgroup.toml"
run create x@example.com --department Engineering/
expect_exit 65
run create y@example.com --department /
expect_ok

# A hand-edited group file.
sed -i 's|^department = "/"|department = "Engineering/"|' "$MAILGROUP_STORE/groups/top@example.com.toml"
run check
expect_exit 65
expect_stderr "mailgroup: error: $MAILGROUP_STORE/groups/top@example.com.toml:21:14: invalid 'department' \"Engineering/\": it has an empty part (a leading, trailing or doubled \"/\"), so it names no department; did you mean \"Engineering\"?"
finish
