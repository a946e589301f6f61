#!/usr/bin/env bash
# Nested groups: cycles are refused naming the cycle; a member group cannot
# be deleted from under its parent.
source "$(dirname "$0")/common.sh"
new_store
run create a@example.com --member b@example.com
run create b@example.com --member c@example.com
run create c@example.com --member person@example.com
expect_ok

before=$(snapshot_store)
run member add c@example.com a@example.com
expect_exit 65
expect_stderr 'mailgroup: error: nested groups form a cycle: a@example.com -> b@example.com -> c@example.com -> a@example.com'
run member add c@example.com c@example.com
expect_exit 65
expect_stderr 'mailgroup: error: nested groups form a cycle: c@example.com -> c@example.com'
[ "$before" = "$(snapshot_store)" ] || fail "a refused cycle changed the store"

run show a@example.com
expect_stdout 'address:              a@example.com
name:                 
description:          
applicant:            @ME@
created:              2026-01-31T09:00:00Z
administrators:       boss@example.com
email audit:          off
sending permission:   domain
whitelist:            (none)
show in contacts:     yes
notify new members:   no
leave needs approval: no
ignore auto-replies:  no
require login:        no
send as group:        no
frozen:               no
members (1):
  b@example.com (group)'

run delete b@example.com
expect_exit 64
expect_stderr 'mailgroup: error: b@example.com is a member of a@example.com; remove it there first (mailgroup member remove a@example.com b@example.com)'

run delete a@example.com b@example.com --dry-run
expect_ok
expect_stdout 'would delete group a@example.com
would delete group b@example.com'
[ "$before" = "$(snapshot_store)" ] || fail "delete --dry-run changed the store"

run delete a@example.com b@example.com
expect_ok
run list
expect_stdout 'c@example.com'
[ ! -e "$MAILGROUP_STORE/groups/a@example.com.toml" ] || fail "a's file is still there"

run delete x@example.com
expect_exit 67
finish
