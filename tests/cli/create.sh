#!/usr/bin/env bash
# create and show: every setting, text and JSON, and the refusals.
source "$(dirname "$0")/common.sh"
new_store

run create Sales@Example.com --name 'Sales team' --description 'All of sales' \
  --admin lead@example.com --admin boss@example.com --permission members \
  --audit --auditor audit@example.com --hidden --notify-members \
  --leave-approval --ignore-auto-replies --member b@example.com \
  --member A@example.org
expect_ok
expect_stdout ""
expect_file "$MAILGROUP_STORE/groups/sales@example.com.toml" 'address = "sales@example.com"
administrators = [
  "boss@example.com",
  "lead@example.com",
]
applicant = "@ME@"
audit = true
auditors = [
  "audit@example.com",
]
created = 2026-01-31T09:00:00Z
description = "All of sales"
frozen = false
ignore_auto_replies = true
leave_needs_approval = true
members = [
  "a@example.org",
  "b@example.com",
]
name = "Sales team"
notify_members = true
permission = "members"
show_in_contacts = false
whitelist = []'

run show sales@example.com
expect_ok
expect_stdout 'address:              sales@example.com
name:                 Sales team
description:          All of sales
applicant:            @ME@
created:              2026-01-31T09:00:00Z
administrators:       boss@example.com, lead@example.com
email audit:          on (auditors: audit@example.com)
sending permission:   members
whitelist:            (none)
show in contacts:     no
notify new members:   yes
leave needs approval: yes
ignore auto-replies:  yes
require login:        no
send as group:        no
frozen:               no
members (2):
  a@example.org
  b@example.com'

run show SALES@example.com --format json
expect_ok
expect_stdout '{
  "address": "sales@example.com",
  "name": "Sales team",
  "description": "All of sales",
  "applicant": "@ME@",
  "created": "2026-01-31T09:00:00Z",
  "administrators": [
    "boss@example.com",
    "lead@example.com"
  ],
  "audit": true,
  "auditors": [
    "audit@example.com"
  ],
  "permission": "members",
  "refusal_text": null,
  "whitelist": [],
  "show_in_contacts": false,
  "notify_members": true,
  "leave_needs_approval": true,
  "ignore_auto_replies": true,
  "require_login": false,
  "members_may_send_as_group": false,
  "frozen": false,
  "frozen_reason": null,
  "frozen_at": null,
  "members": [
    "a@example.org",
    "b@example.com"
  ],
  "effective_members": [
    "a@example.org",
    "b@example.com"
  ],
  "dynamic": null
}'
# The JSON is valid: python's parser reads it back.
"$MAILGROUP" show sales@example.com --format json |
  python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["permission"]=="members"' ||
  fail "show --format json is not valid JSON"

before=$(snapshot_store)
run create sales@example.com
expect_exit 73
expect_stderr "mailgroup: error: group sales@example.com already exists (use 'mailgroup set' to change it, or --exist-ok)"

run create sales@example.com --exist-ok --name Other
expect_exit 0
expect_stderr "mailgroup: note: group sales@example.com already exists; left as it is"

run create team@elsewhere.net
expect_exit 65
expect_stderr 'mailgroup: error: "team@elsewhere.net" is not in a domain of this store (example.com, example.org); add the domain to mailgroup.toml first'

run create '@example.com'
expect_exit 65
expect_stderr 'mailgroup: error: invalid address "@example.com": has no local part (a bare @domain is not an address)'

run create team@example.com --audit
expect_exit 64
expect_stderr 'mailgroup: error: email audit on team@example.com needs at least one auditor: give --auditor ADDRESS'

run create team@example.com --member ok@example.com --member 'bad,one@example.com'
expect_exit 65
expect_stderr 'mailgroup: error: invalid address "bad,one@example.com": contains a comma'

run create team@example.com --permission everyone
expect_exit 64

run create team@example.com --hidden --shown
expect_exit 64

run create team@example.com --name $'two\nlines'
expect_exit 65
expect_stderr 'mailgroup: error: invalid name "two\nlines": contains a control character (it must be one line)'
[ "$before" = "$(snapshot_store)" ] || fail "a refused create changed the store"

run create team@example.com --dry-run
expect_ok
expect_stdout "would create group team@example.com"
[ "$before" = "$(snapshot_store)" ] || fail "create --dry-run changed the store"

# Without default administrators, a group needs --admin.
run --store "$WORK/bare" init --domain example.com
run --store "$WORK/bare" create team@example.com
expect_exit 64
expect_stderr "mailgroup: error: team@example.com needs at least one administrator: give --admin ADDRESS (or set [defaults] administrators in mailgroup.toml)"

# The applicant is who runs create, by uid: a SUDO_USER the caller set is
# not believed.
SUDO_USER=alice run create team@example.com
expect_ok
run show team@example.com --format json
ME=$ME python3 -c 'import json,os,sys; d=json.load(open(sys.argv[1])); assert d["applicant"]==os.environ["ME"], d' "$WORK/stdout" ||
  fail "SUDO_USER was taken as the applicant"

finish
