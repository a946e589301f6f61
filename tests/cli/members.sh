#!/usr/bin/env bash
# member add/remove/list, idempotence, stdin bulk, all or nothing.
source "$(dirname "$0")/common.sh"
new_store
run create team@example.com
expect_ok

run member add team@example.com B@example.com a@example.com
expect_ok
expect_stdout ""
run member add team@example.com a@example.com c@example.com
expect_exit 0
expect_stderr "mailgroup: note: a@example.com is already a member of team@example.com"
run member list team@example.com
expect_ok
expect_stdout 'a@example.com
b@example.com
c@example.com'

run member remove team@example.com c@example.com zz@example.com
expect_exit 0
expect_stderr "mailgroup: note: zz@example.com is not a member of team@example.com"

run_stdin $'# new hires\nd@example.com\n\n  e@example.org  \n' member add team@example.com - f@example.com
expect_ok
run member list team@example.com --format json
expect_ok
expect_stdout '{
  "address": "team@example.com",
  "members": [
    "a@example.com",
    "b@example.com",
    "d@example.com",
    "e@example.org",
    "f@example.com"
  ],
  "static_members": [
    "a@example.com",
    "b@example.com",
    "d@example.com",
    "e@example.org",
    "f@example.com"
  ],
  "directory_members": [],
  "excluded": []
}'

# One bad address among many: nothing is added, and the line is named.
before=$(snapshot_store)
run_stdin $'g@example.com\nh@example.com\nnot an address\n' member add team@example.com -
expect_exit 65
expect_stderr 'mailgroup: error: <stdin>:3: invalid address "not an address": contains whitespace'
run member add team@example.com g@example.com 'h#1@example.com'
expect_exit 65
expect_stderr "mailgroup: error: invalid address \"h#1@example.com\": contains '#'"
[ "$before" = "$(snapshot_store)" ] || fail "a refused member add changed the store"

run member add team@example.com x@example.com --dry-run
expect_ok
expect_stdout "would change group team@example.com: members: +x@example.com"
[ "$before" = "$(snapshot_store)" ] || fail "member add --dry-run changed the store"

run member add nosuch@example.com x@example.com
expect_exit 67
expect_stderr 'mailgroup: error: no group "nosuch@example.com"'

run member list tem@example.com
expect_exit 67
expect_stderr 'mailgroup: error: no group "tem@example.com"; did you mean "team@example.com"?'

run member frobnicate team@example.com
expect_exit 64

# Many notes of one kind become one line naming the first three.
run create bulk@example.com --member b1@example.com --member b2@example.com --member b3@example.com --member b4@example.com
run_stdin $'b1@example.com\nb2@example.com\nb3@example.com\nb4@example.com\n' member add bulk@example.com -
expect_exit 0
expect_stderr "mailgroup: note: 4 addresses are already members of bulk@example.com: b1@example.com, b2@example.com, b3@example.com and 1 more"
run member add bulk@example.com b1@example.com b2@example.com b9@example.com
expect_exit 0
expect_stderr "mailgroup: note: b1@example.com is already a member of bulk@example.com
mailgroup: note: b2@example.com is already a member of bulk@example.com"
run member remove bulk@example.com x1@example.com x2@example.com x3@example.com x4@example.com x5@example.com b9@example.com
expect_exit 0
expect_stderr "mailgroup: note: 5 addresses are not members of bulk@example.com: x1@example.com, x2@example.com, x3@example.com and 2 more"
run member list bulk@example.com
expect_stdout "b1@example.com
b2@example.com
b3@example.com
b4@example.com"
finish
