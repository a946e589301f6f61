#!/usr/bin/env bash
# create --from FILE: many groups in one transaction, from TOML or JSON
# Lines; every problem at FILE:LINE(:COL), and nothing written unless all
# of them are good.
source "$(dirname "$0")/common.sh"
new_store
DIR="$MAILGROUP_STORE/people.csv"
cat >"$DIR" <<'CSV'
email,department,title,level,status
ada@example.com,Engineering,CTO,9,active
ken@example.com,Engineering/Platform,Engineer,5,active
CSV
sed -i 's|^path = ""|path = "people.csv"|' "$MAILGROUP_STORE/mailgroup.toml"
# A stand-in for sendmail(1) that notes whom each notice is for.
printf '#!/bin/sh\ngrep "^To:" >>"%s/sent"\n' "$WORK" >"$WORK/sendmail"
chmod +x "$WORK/sendmail"
sed -i "s|\"/bin/true\",|\"$WORK/sendmail\",|" "$MAILGROUP_STORE/mailgroup.toml"
snapshot_store() {
  (cd "$MAILGROUP_STORE" && find . -type f ! -name .lock ! -name people.csv -print0 |
    sort -z | xargs -0 sha256sum)
}

cat >"$WORK/groups.toml" <<'EOF2'
[[group]]
address = "sales@example.com"
name = "Sales"
administrators = ["lead@example.com"]
members = ["ann@example.com", "team@example.com"]

[[group]]
address = "team@example.com"
members = ["bob@example.org"]
notify_members = true

[[group]]
address = "eng@example.com"
department = "Engineering"
include_subdepartments = true
where = "level >= 5"
EOF2

# The plan first: nothing written.
before=$(snapshot_store)
run create --from "$WORK/groups.toml" --dry-run
expect_ok
expect_stdout 'would create group eng@example.com
would create group sales@example.com
would create group team@example.com'
[ "$before" = "$(snapshot_store)" ] || fail "--dry-run changed the store"

run create --from "$WORK/groups.toml"
expect_ok
expect_stdout ""
run list
expect_stdout 'eng@example.com
sales@example.com
team@example.com'
expect_file "$MAILGROUP_STORE/groups/sales@example.com.toml" 'address = "sales@example.com"
administrators = [
  "lead@example.com",
]
applicant = "@ME@"
audit = false
auditors = []
created = 2026-01-31T09:00:00Z
description = ""
frozen = false
ignore_auto_replies = false
leave_needs_approval = false
members = [
  "ann@example.com",
  "team@example.com",
]
name = "Sales"
notify_members = false
permission = "domain"
show_in_contacts = true
whitelist = []'
expect_file "$MAILGROUP_STORE/groups/eng@example.com.toml" 'address = "eng@example.com"
administrators = [
  "boss@example.com",
]
applicant = "@ME@"
audit = false
auditors = []
created = 2026-01-31T09:00:00Z
description = ""
frozen = false
ignore_auto_replies = false
leave_needs_approval = false
members = []
name = ""
notify_members = false
permission = "domain"
show_in_contacts = true
whitelist = []

[dynamic]
department = "Engineering"
exclude = []
include_subdepartments = true
where = "level >= 5"'
# One log entry a group, as for one create each.
expect_file <(cut -d, -f2- "$MAILGROUP_STORE/log.jsonl") '"actor":"@ME@","login":"@ME@","uid":@UID@,"command":"create","group":"eng@example.com","action":"created","changes":[]}
"actor":"@ME@","login":"@ME@","uid":@UID@,"command":"create","group":"sales@example.com","action":"created","changes":[]}
"actor":"@ME@","login":"@ME@","uid":@UID@,"command":"create","group":"team@example.com","action":"created","changes":[]}'
# The welcome notice of team's new member (not of sales, which does not
# notify, nor of team itself) was sent, as one create each would send it.
run outbox list
expect_ok
expect_stdout ""
expect_file "$WORK/sent" "To: bob@example.org"

# Again: every group exists.
before=$(snapshot_store)
run create --from "$WORK/groups.toml"
expect_exit 73
expect_stderr "mailgroup: error: $WORK/groups.toml:1:1: group sales@example.com already exists (use 'mailgroup set' to change it, or --exist-ok)
mailgroup: error: $WORK/groups.toml:7:1: group team@example.com already exists (use 'mailgroup set' to change it, or --exist-ok)
mailgroup: error: $WORK/groups.toml:12:1: group eng@example.com already exists (use 'mailgroup set' to change it, or --exist-ok)"
[ "$before" = "$(snapshot_store)" ] || fail "a refused create --from changed the store"
run create --from "$WORK/groups.toml" --exist-ok
expect_exit 0
expect_stderr "mailgroup: note: groups sales@example.com, team@example.com, eng@example.com already exist; left as they are"
[ "$before" = "$(snapshot_store)" ] || fail "create --from --exist-ok changed the store"

# JSON Lines, from standard input; a bad line in the middle writes nothing.
lines='{"address": "a@example.com", "members": ["x@example.com"]}
{"address": "b@example.com", "permission": "everyone"}
{"address": "c@example.com", "admins": ["it@example.com"]}
{"address": "d@example.com"}'
before=$(snapshot_store)
run_stdin "$lines" create --from - --from-format jsonl
expect_exit 65
expect_stderr "mailgroup: error: <stdin>:2: invalid sending permission \"everyone\": use domain, members, anyone or whitelist
mailgroup: error: <stdin>:3: unknown key 'admins'"
[ "$before" = "$(snapshot_store)" ] || fail "a bad line changed the store"
[ ! -e "$MAILGROUP_STORE/groups/a@example.com.toml" ] || fail "a@ written"

# What only create's own checks see, at the definition's line.
printf '%s\n' '{"address": "a@example.com"}' \
  '{"address": "b@example.net"}' \
  '{"address": "c@example.com", "audit": true}' \
  '{"address": "d@example.com", "department": "Enginering"}' \
  '{"address": "e@example.com", "where": "level > 3"}' >"$WORK/bad.jsonl"
run create --from "$WORK/bad.jsonl"
expect_exit 65
expect_stderr "mailgroup: error: $WORK/bad.jsonl:2: \"b@example.net\" is not in a domain of this store (example.com, example.org); add the domain to mailgroup.toml first
mailgroup: error: $WORK/bad.jsonl:3: email audit on c@example.com needs at least one auditor: give --auditor ADDRESS
mailgroup: error: $WORK/bad.jsonl:4: department \"Enginering\" is not in the directory $DIR; did you mean \"Engineering\"?
mailgroup: error: $WORK/bad.jsonl:5: e@example.com is not a department group; give --department PATH to make it one"
[ "$before" = "$(snapshot_store)" ] || fail "bad definitions changed the store"

# The same address twice, and a cycle of nested groups: with the groups of
# the store, and within the file.
printf '%s\n' '{"address": "x@example.com"}' '{"address": "X@example.com"}' >"$WORK/twice.jsonl"
run create --from "$WORK/twice.jsonl"
expect_exit 65
expect_stderr "mailgroup: error: $WORK/twice.jsonl:2: group x@example.com is defined twice (first at $WORK/twice.jsonl:1); keep one definition"
printf '%s\n' '{"address": "p@example.com", "members": ["q@example.com"]}' \
  '{"address": "q@example.com", "members": ["p@example.com"]}' >"$WORK/cycle.jsonl"
run create --from "$WORK/cycle.jsonl"
expect_exit 65
expect_stderr "mailgroup: error: $WORK/cycle.jsonl:1: nested groups form a cycle: p@example.com -> q@example.com -> p@example.com"
run member add sales@example.com ann@example.org
expect_ok
printf '%s\n' '{"address": "ann@example.org", "members": ["sales@example.com"]}' >"$WORK/cycle2.jsonl"
before=$(snapshot_store)
run create --from "$WORK/cycle2.jsonl" --dry-run
expect_exit 65
expect_stderr "mailgroup: error: $WORK/cycle2.jsonl:1: nested groups form a cycle: ann@example.org -> sales@example.com -> ann@example.org"
[ "$before" = "$(snapshot_store)" ] || fail "a cycle changed the store"

# The form, and how to use --from.
run create --from "$WORK/groups.txt"
expect_exit 64
expect_stderr "mailgroup: error: cannot tell the format of \"$WORK/groups.txt\" from its name; give --from-format toml or --from-format jsonl"
run create --from -
expect_exit 64
expect_stderr "mailgroup: error: cannot tell the format of standard input from its name; give --from-format toml or --from-format jsonl"
run create --from "$WORK/missing.toml"
expect_exit 66
expect_stderr "mailgroup: error: no file \"$WORK/missing.toml\"; give the file of group definitions"
run create --from "$WORK/groups.toml" --name Sales
expect_exit 64
expect_stderr "--name excludes --from
Run with --help or --help-all for more information."
run create extra@example.com --from "$WORK/groups.toml"
expect_exit 64
expect_stderr "ADDRESS excludes --from
Run with --help or --help-all for more information."
run create --from-format toml
expect_exit 64
expect_stderr "--from-format requires --from
Run with --help or --help-all for more information."
run create
expect_exit 64
expect_stderr "mailgroup: error: give the group's ADDRESS, or --from FILE to create many"
printf '[[group]]\naddress = "y@example.com"\nmembrs = []\n' >"$WORK/typo.toml"
run create --from "$WORK/typo.toml"
expect_exit 65
expect_stderr "mailgroup: error: $WORK/typo.toml:3:1: unknown key 'membrs'; did you mean 'members'?"
# An empty file creates nothing, quietly.
: >"$WORK/empty.toml"
run create --from "$WORK/empty.toml"
expect_ok
expect_stdout ""
[ "$before" = "$(snapshot_store)" ] || fail "refusals changed the store"
finish
