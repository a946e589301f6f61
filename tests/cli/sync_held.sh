#!/usr/bin/env bash
# sync holds back only the groups it must (a department gone from the
# directory, a mass removal), keeping their last members, refreshes the
# others, and says so with exit status 3.
source "$(dirname "$0")/common.sh"
new_store
DIR="$MAILGROUP_STORE/people.csv"
cat >"$DIR" <<'CSV'
email,department,status
e1@example.com,Engineering,active
e2@example.com,Engineering,active
s1@example.com,Sales,active
s2@example.com,Sales,active
s3@example.com,Sales,active
s4@example.com,Sales,active
o1@example.com,Ops,active
CSV
sed -i 's|^path = ""|path = "people.csv"|' "$MAILGROUP_STORE/mailgroup.toml"
for g in eng:Engineering sales:Sales ops:Ops; do
  run create "${g%%:*}@example.com" --department "${g#*:}"
  expect_ok
done
run sync --summary
expect_ok
expect_stdout 'eng@example.com: 2 joined, 0 left
ops@example.com: 1 joined, 0 left
sales@example.com: 4 joined, 0 left'
run generate postfix --output "$WORK/maps"
expect_exit 0
R="$MAILGROUP_STORE/resolved"
eng_before=$(cat "$R/eng@example.com.members")
sales_before=$(cat "$R/sales@example.com.members")

# Engineering is renamed; Sales loses three of four; Ops gains one.
sed -i 's/,Engineering,/,R\&D,/; /^s[123]@/d' "$DIR"
echo 'o2@example.com,Ops,active' >>"$DIR"
H_ENG="mailgroup: warning: eng@example.com held back, keeping its last members: department \"Engineering\" is not in the directory. Fix the directory, or the group with 'mailgroup set eng@example.com --department PATH'"
H_SALES="mailgroup: warning: sales@example.com held back, keeping its last members: it would lose 3 of its 4 members (75%, more than the 50% allowed). Check the directory, or run again with --force to apply"
run sync
expect_exit 3
expect_stderr "$H_ENG
$H_SALES"
expect_stdout 'ops@example.com: joined o2@example.com'
expect_file "$R/eng@example.com.members" "$eng_before"
expect_file "$R/sales@example.com.members" "$sales_before"
run member list eng@example.com
expect_stdout 'e1@example.com
e2@example.com'
run member list ops@example.com
expect_stdout 'o1@example.com
o2@example.com'
run log ops@example.com
expect_stdout '2026-01-31T09:00:00Z @ME@ "create" ops@example.com: created
2026-01-31T09:00:00Z @ME@ "sync" ops@example.com: joined: 1 (o1@example.com)
2026-01-31T09:00:00Z @ME@ "sync" ops@example.com: left: 0
2026-01-31T09:00:00Z @ME@ "sync" ops@example.com: joined: 1 (o2@example.com)
2026-01-31T09:00:00Z @ME@ "sync" ops@example.com: left: 0'
run log eng@example.com
expect_stdout '2026-01-31T09:00:00Z @ME@ "create" eng@example.com: created
2026-01-31T09:00:00Z @ME@ "sync" eng@example.com: joined: 2 (e1@example.com, e2@example.com)
2026-01-31T09:00:00Z @ME@ "sync" eng@example.com: left: 0'
run generate postfix --output "$WORK/maps"
expect_exit 0
grep '^eng@example.com' "$WORK/maps/virtual" >"$WORK/eng.line"
expect_file "$WORK/eng.line" 'eng@example.com	e1@example.com,e2@example.com'
# The same again: nothing to write, still held back.
run sync
expect_exit 3
expect_stdout ""
# eval reports the missing department and shows no members, changing nothing.
run eval eng@example.com
expect_exit 0
expect_stderr 'mailgroup: warning: eng@example.com: department "Engineering" is not in the directory'

# --force applies the mass removal; a missing department stays held back.
run sync --force
expect_exit 3
expect_stderr "$H_ENG"
expect_stdout 'sales@example.com: left s1@example.com
sales@example.com: left s2@example.com
sales@example.com: left s3@example.com'
expect_file "$R/eng@example.com.members" "$eng_before"

# Pointing the group at the new name refreshes it: exit 0.
run set eng@example.com --department 'R&D'
expect_ok
run sync
expect_ok
expect_stdout ""
finish
