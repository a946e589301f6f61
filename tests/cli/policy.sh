#!/usr/bin/env bash
# generate postfix in policy mode and the policy service on stdin/stdout:
# exact files, answers, fail-closed and protocol errors.
source "$(dirname "$0")/common.sh"
new_store
OUT="$WORK/maps"
run create team@example.com --permission members --member m@people.example.net
run create ice@example.org --member x@people.example.net
run freeze ice@example.org
expect_ok

run generate postfix --output "$OUT" --policy
expect_exit 0
expect_stderr "mailgroup: main.cf.fragment: created
mailgroup: master.cf.fragment: created
mailgroup: policy.index: created
mailgroup: virtual: created (1 entry)"
grep -v '^#' "$OUT/main.cf.fragment" >"$WORK/settings"
expect_file "$WORK/settings" "virtual_alias_maps = hash:$OUT/virtual
mailgroup-policy_time_limit = 3600s
smtpd_recipient_restrictions = reject_non_fqdn_recipient, check_policy_service unix:private/mailgroup-policy"
grep -v '^#' "$OUT/master.cf.fragment" >"$WORK/service"
expect_file "$WORK/service" "mailgroup-policy unix - n n - - spawn
  user=nobody argv=$(readlink -f "$MAILGROUP") policy --index $OUT/policy.index"
[ ! -e "$OUT/recipient_access" ] || fail "policy mode wrote recipient_access"

run generate postfix --output "$OUT" --policy
expect_ok
expect_stdout ""

# [postfix] mode = "policy" does what --policy does.
printf '[postfix]\nmode = "policy"\n' >>"$MAILGROUP_STORE/mailgroup.toml"
run generate postfix --output "$OUT"
expect_ok
run check
expect_ok
sed -i 's/^mode = "policy"/mode = "tables"/' "$MAILGROUP_STORE/mailgroup.toml"
run generate postfix --output "$OUT"
expect_exit 78
LINE=$(grep -n '^mode' "$MAILGROUP_STORE/mailgroup.toml" | cut -d: -f1)
expect_stderr "mailgroup: error: $MAILGROUP_STORE/mailgroup.toml:$LINE:8: 'mode' must be \"maps\" or \"policy\", not \"tables\""

ask() { # SENDER RECIPIENT
  printf 'request=smtpd_access_policy\nprotocol_state=RCPT\nsender=%s\nrecipient=%s\n\n' "$1" "$2"
}
# Four requests on one connection (command substitution would drop the
# empty lines that end them: they go through a file).
{
  ask m@people.example.net team@example.com
  ask Eve@Evil.example TEAM+x@example.com
  ask a@example.com ice@example.org
  ask a@example.com nobody@example.com
} >"$WORK/requests"
REQUESTS=$(cat "$WORK/requests"; echo .)
REQUESTS=${REQUESTS%.}
run_stdin "$REQUESTS" policy --index "$OUT/policy.index" --log stderr
expect_exit 0
expect_stdout "action=OK

action=550 5.7.1 Sender not allowed to post to this group

action=550 5.2.1 Mailbox unavailable

action=DUNNO"
expect_stderr "mailgroup: policy: loaded the policy index: 2 groups"

# Fail closed: a damaged index answers 451 4.3.0, and says so once.
head -c 100 "$OUT/policy.index" >"$WORK/damaged.index"
run_stdin "$REQUESTS" policy --index "$WORK/damaged.index" --log stderr
expect_exit 0
expect_stdout "$(printf 'action=451 4.3.0 Group policy unavailable, try again later\n\n%.0s' 1 2 3 4)"
SIZE=$(stat -c %s "$OUT/policy.index")
expect_stderr "mailgroup: policy: $WORK/damaged.index: 100 bytes where the header promises $SIZE: truncated or damaged; answering 451 4.3.0 Group policy unavailable, try again later until it is regenerated"

# A protocol error closes the connection after the answers before it.
REQUESTS=$(ask a@example.com team@example.com; echo garbage)
run_stdin "$REQUESTS
" policy --index "$OUT/policy.index" --log stderr
expect_exit 65
expect_stdout "action=550 5.7.1 Sender not allowed to post to this group"
expect_stderr "mailgroup: policy: loaded the policy index: 2 groups
mailgroup: policy: closing the connection: request line 1 is not name=value"
finish
