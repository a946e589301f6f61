#!/usr/bin/env bash
# sync --skip-invalid with a skipped duplicate row and a condition: the
# rows left out are out of every index, so the condition reads the right
# values (it once read past the end of a column).
source "$(dirname "$0")/common.sh"
new_store
DIR="$MAILGROUP_STORE/people.csv"
cat >"$DIR" <<'CSV'
email,department,level,status
u1@example.com,Engineering,3,active
U1@example.com,Engineering,9,active
u2@example.com,Engineering,7,active
u3@example.com,Engineering,8,active
CSV
sed -i 's|^path = ""|path = "people.csv"|' "$MAILGROUP_STORE/mailgroup.toml"
run create eng@example.com --department Engineering --where 'level >= 5'
expect_ok
run sync
expect_exit 65
expect_stderr "mailgroup: error: $DIR:3: duplicate email u1@example.com (first on line 2)"
run sync --skip-invalid
expect_exit 0
expect_stderr "mailgroup: warning: $DIR:3: duplicate email u1@example.com (first on line 2); row skipped"
expect_stdout 'eng@example.com: joined u2@example.com
eng@example.com: joined u3@example.com'
run eval eng@example.com --skip-invalid --explain u3@example.com
expect_exit 0
expect_stdout "u3@example.com is a member of eng@example.com
directory: $DIR:5
department: \"Engineering\" is in \"Engineering\": yes
active: yes
rule: yes
  level >= 5 -> true (level = \"8\")
excluded: no
static member: no"
finish
