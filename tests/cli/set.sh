#!/usr/bin/env bash
# set changes settings, turns them back off, and keeps the applicant.
source "$(dirname "$0")/common.sh"
new_store
run create team@example.com --name Team
expect_ok

run set team@example.com --permission whitelist --audit --auditor a@example.com --dry-run
expect_ok
expect_stdout 'would change group team@example.com: audit: no -> yes
would change group team@example.com: auditors: +a@example.com
would change group team@example.com: permission: "domain" -> "whitelist"'
grep -q 'permission = "domain"' "$MAILGROUP_STORE/groups/team@example.com.toml" ||
  fail "set --dry-run wrote the file"

run set team@example.com --permission whitelist --audit --auditor a@example.com \
  --hidden --notify-members --leave-approval --ignore-auto-replies \
  --admin x@example.com --description 'New'
expect_ok
run set team@example.com --no-audit --shown --no-notify-members \
  --no-leave-approval --no-ignore-auto-replies --name 'Team 2'
expect_ok
run show team@example.com
expect_ok
expect_stdout 'address:              team@example.com
name:                 Team 2
description:          New
applicant:            @ME@
created:              2026-01-31T09:00:00Z
administrators:       x@example.com
email audit:          off
sending permission:   whitelist
whitelist:            (none)
show in contacts:     yes
notify new members:   no
leave needs approval: no
ignore auto-replies:  no
require login:        no
send as group:        no
frozen:               no
members (0):'

# Nothing to change is quiet and leaves the file alone.
before=$(snapshot_store)
run set team@example.com --name 'Team 2'
expect_ok
expect_stdout ""
[ "$before" = "$(snapshot_store)" ] || fail "a no-op set rewrote the file"

run set nobody@example.com --name X
expect_exit 67
expect_stderr 'mailgroup: error: no group "nobody@example.com"'

run set team@example.com --applicant mallory
expect_exit 64

finish
