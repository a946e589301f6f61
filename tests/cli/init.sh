#!/usr/bin/env bash
# init creates a store; a second init, bad domains and a missing store fail.
source "$(dirname "$0")/common.sh"

run list
expect_exit 66
expect_stderr "mailgroup: error: no store at $MAILGROUP_STORE (no mailgroup.toml there); create one with 'mailgroup init --domain DOMAIN' or point --store or MAILGROUP_STORE at one"

run init --domain 'exa mple.com'
expect_exit 65
expect_stderr 'mailgroup: error: invalid domain "exa mple.com": contains whitespace'
[ ! -e "$MAILGROUP_STORE" ] || fail "a failed init left $MAILGROUP_STORE behind"

run init --domain Example.COM --domain example.org --admin Boss@Example.com --dry-run
expect_ok
expect_stdout "would create a store at $MAILGROUP_STORE"
[ ! -e "$MAILGROUP_STORE" ] || fail "init --dry-run wrote the store"

run init --domain Example.COM --domain example.org --admin Boss@Example.com
expect_ok
expect_stdout ""
expect_file "$MAILGROUP_STORE/mailgroup.toml" '# mailgroup store settings; see mailgroup.toml(5).
domains = [
  "example.com",
  "example.org",
]

[defaults]
administrators = [
  "boss@example.com",
]
permission = "domain"

[directory]
active_values = [
  "active",
]
department_column = "department"
department_separator = "/"
email_column = "email"
path = ""
status_column = "status"
status_column_optional = false

[sync]
max_removal_share = 0.5
removal_threshold = 3

[notify]
from = "postmaster@example.com"
sendmail = [
  "/usr/sbin/sendmail",
  "-t",
  "-oi",
]

[users]
# login = "address": who a login is (mailgroup(1), DELEGATION)'
[ -d "$MAILGROUP_STORE/groups" ] || fail "init made no groups/ directory"

run init --domain example.com
expect_exit 73
expect_stderr "mailgroup: error: a store already exists at $MAILGROUP_STORE (it has mailgroup.toml)"

run list
expect_ok
expect_stdout ""

run --store "$WORK/other" init --domain example.net
expect_ok
[ -f "$WORK/other/mailgroup.toml" ] || fail "--store was not honoured"

finish
