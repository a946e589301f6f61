#!/usr/bin/env bash
# held: the refusals that need no running Postfix (the workflow itself is
# tested against a real instance in tests/postfix).
source "$(dirname "$0")/common.sh"
new_store
run create press@example.com --audit --auditor ada@example.com --member m@example.com
expect_ok
before=$(snapshot_store)
# Who may release is decided per message, after reading the queue: that is
# tested against a real Postfix (tests/postfix), as real users.
run held drop 4BC1DA9600A --as 'ada@@example.com'
expect_exit 65
run held list nosuch@example.com
expect_exit 67
if command -v postqueue >/dev/null || [ -x /usr/sbin/postqueue ]; then
  run held list --postfix-config "$WORK/no-postfix"
  expect_exit 74
  expect_stderr "mailgroup: error: /usr/sbin/postqueue -c $WORK/no-postfix -j failed (exit status 69): postqueue: fatal: open $WORK/no-postfix/main.cf: No such file or directory"
  # [postfix] config_directory is the default instance.
  printf '[postfix]\nconfig_directory = "%s"\n' "$WORK/no-postfix" >>"$MAILGROUP_STORE/mailgroup.toml"
  before=$(snapshot_store)
  run held list
  expect_stderr "mailgroup: error: /usr/sbin/postqueue -c $WORK/no-postfix -j failed (exit status 69): postqueue: fatal: open $WORK/no-postfix/main.cf: No such file or directory"
  run held release 4BC1DA9600A --as ada@example.com --postfix-config "$WORK/no-postfix"
  expect_exit 74
fi
[ "$before" = "$(snapshot_store)" ] || fail "a refused held command changed the store"
finish
