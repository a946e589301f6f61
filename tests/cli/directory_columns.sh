#!/usr/bin/env bash
# Every configured directory column must be in the directory: a renamed
# status column must not make everyone (the terminated too) active.
source "$(dirname "$0")/common.sh"
new_store
DIR="$MAILGROUP_STORE/people.csv"
sed -i 's|^path = ""|path = "people.csv"|' "$MAILGROUP_STORE/mailgroup.toml"
cat >"$DIR" <<'CSV'
email,department,status
ann@example.com,Engineering,active
bob@example.com,Engineering,terminated
CSV
run create eng@example.com --department Engineering
expect_ok
run sync
expect_ok
expect_stdout 'eng@example.com: joined ann@example.com'

# The export renames the column.
sed -i '1s/.*/email,department,employment_status/' "$DIR"
before=$(snapshot_store)
run sync
expect_exit 65
expect_stdout ""
expect_stderr "mailgroup: error: $DIR:1: no \"status\" column (the header has: email, department, employment_status); name the status column in mailgroup.toml, [directory] status_column, or set status_column_optional = true there if the directory has none (then everyone in it is active)"
[ "$before" = "$(snapshot_store)" ] || fail "a sync with a missing column changed the store"
run sync --skip-invalid
expect_exit 65
run eval eng@example.com
expect_exit 65
# create and set check against the directory too.
run create other@example.com --department Engineering
expect_exit 65
[ "$before" = "$(snapshot_store)" ] || fail "a refused create changed the store"

# The fix the message names.
sed -i 's|^status_column = "status"|status_column = "employment_status"|' "$MAILGROUP_STORE/mailgroup.toml"
run sync
expect_ok
expect_stdout ""

# A TOML directory lacking the column, and the other configured columns.
cat >"$WORK/people.toml" <<'TOML'
[[employee]]
email = "ann@example.com"
department = "Engineering"
TOML
run eval --directory "$WORK/people.toml"
expect_exit 65
expect_stderr "mailgroup: error: $WORK/people.toml:1: no \"employment_status\" column (the header has: department, email); name the status column in mailgroup.toml, [directory] status_column, or set status_column_optional = true there if the directory has none (then everyone in it is active)"
printf 'mail,department,employment_status\nann@example.com,Engineering,active\n' >"$WORK/p.csv"
run eval --directory "$WORK/p.csv"
expect_exit 65
expect_stderr "mailgroup: error: $WORK/p.csv:1: no \"email\" column (the header has: mail, department, employment_status); name it in mailgroup.toml, [directory] email_column"
printf 'email,dept,employment_status\nann@example.com,Engineering,active\n' >"$WORK/p.csv"
run eval --directory "$WORK/p.csv"
expect_exit 65
expect_stderr "mailgroup: error: $WORK/p.csv:1: no \"department\" column (the header has: email, dept, employment_status); name it in mailgroup.toml, [directory] department_column"

# A directory without statuses, said so: everyone is active.
sed -i 's|^status_column_optional = false|status_column_optional = true|' "$MAILGROUP_STORE/mailgroup.toml"
run eval eng@example.com --directory "$WORK/people.toml"
expect_ok
expect_stdout 'ann@example.com'
run check
expect_ok
sed -i 's|^status_column_optional = true|status_column_optional = "yes"|' "$MAILGROUP_STORE/mailgroup.toml"
run check
expect_exit 78
finish
