#!/usr/bin/env bash
# generate postfix --apply: main.cf follows main.cf.fragment (postconf -e,
# no shell), only when it differs; old classes and their tables go after.
source "$(dirname "$0")/common.sh"
postfix_config
new_store
OUT="$WORK/maps"
gen() { run generate postfix --output "$OUT" --postfix-config "$PF" "$@"; }
live() { /usr/sbin/postconf -c "$PF" -n 2>/dev/null | grep -v -e '^compatibility_level' -e '^config_directory'; }
fragment() { grep -v '^#' "$OUT/main.cf.fragment" | sort; }

run generate postfix --output "$OUT" --apply --check
expect_exit 64
expect_stderr "--check excludes --apply
Run with --help or --help-all for more information."
[ ! -e "$OUT" ] || fail "a refused run wrote something"

run create team@example.com --permission members --member m@people.example.net
gen --apply
expect_exit 0
expect_stderr "mailgroup: local_senders: created (2 entries)
mailgroup: main.cf.fragment: created
mailgroup: null_sender: created (1 entry)
mailgroup: recipient_access: created (1 entry)
mailgroup: virtual: created (1 entry)
mailgroup: main.cf: 4 settings applied, Postfix not running (it reads main.cf when it starts)
mailgroup: senders: 1 table created, 0 changed, 0 removed"
[ -e "$OUT/recipient_access.db" ] || fail "--apply did not build the tables"
expect_file <(live) "$(fragment)"

# Nothing changed: nothing done, nothing said.
gen --apply
expect_ok
# A membership change needs no main.cf change.
run member add team@example.com n@people.example.net
gen --apply
expect_exit 0
expect_stderr "mailgroup: virtual: 1 entry changed
mailgroup: senders: 0 tables created, 1 changed, 0 removed"

# main.cf changed by hand is put back, a mailgroup class it declares and
# the fragment does not removed.
/usr/sbin/postconf -c "$PF" -e 'smtpd_restriction_classes=mailgroup_domain'
gen --apply
expect_exit 0
expect_stderr "mailgroup: main.cf: 4 settings applied, 1 old class removed, Postfix not running (it reads main.cf when it starts)"
expect_file <(live) "$(fragment)"

# The site's own restriction classes stay declared beside ours.
/usr/sbin/postconf -c "$PF" -e 'smtpd_restriction_classes=site_class, mailgroup_domain' 'site_class=permit'
gen --apply
expect_exit 0
expect_stderr "mailgroup: main.cf: 4 settings applied, 1 old class removed, Postfix not running (it reads main.cf when it starts)"
/usr/sbin/postconf -c "$PF" -h smtpd_restriction_classes | grep -q 'site_class' ||
  fail "the site's class was dropped: $(/usr/sbin/postconf -c "$PF" -h smtpd_restriction_classes)"
gen --apply
expect_exit 0
expect_stderr ""
/usr/sbin/postconf -c "$PF" -X site_class
/usr/sbin/postconf -c "$PF" -e "smtpd_restriction_classes=$(fragment | sed -n 's/^smtpd_restriction_classes = //p')"

# A new group with a class of its own, and a group that goes: the old
# class leaves main.cf, then its table goes.
run create wl@example.com --permission whitelist --member w@people.example.net
run delete team@example.com
gen --apply
expect_exit 0
expect_stderr "mailgroup: main.cf.fragment: changed
mailgroup: recipient_access: 2 entries changed
mailgroup: virtual: 2 entries changed
mailgroup: main.cf: 4 settings applied, 1 old class removed, Postfix not running (it reads main.cf when it starts)
mailgroup: senders: 1 table created, 0 changed, 1 removed"
expect_file <(live) "$(fragment)"
[ "$(ls "$OUT/senders" | wc -l)" = 2 ] || fail "the old table is still there: $(ls "$OUT/senders")"

# postconf cannot read main.cf: an error that says so, main.cf untouched.
run create new@example.com --permission members --member x@people.example.net
mv "$PF/main.cf" "$PF/away.cf"
gen --apply
expect_exit 74
expect_stderr "mailgroup: error: postmap failed on $OUT/senders/$(printf new@example.com | python3 -c '
import sys
h = 0xcbf29ce484222325
for b in sys.stdin.buffer.read():
    h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
print(f"{h:016x}")'): postmap: fatal: open $PF/main.cf: No such file or directory"
mv "$PF/away.cf" "$PF/main.cf"

# Policy mode names a service master.cf must run: without it every
# recipient would get 451, so nothing is applied.
before=$(live)
gen --apply --policy
expect_exit 78
expect_stderr "mailgroup: error: master.cf has no mailgroup-policy service: Postfix would answer 451 to every recipient. Add master.cf.fragment's entry to master.cf first (nothing was applied)"
expect_file <(live) "$before"

# The site's own restrictions (RBLs, policy services) share the list, and a
# cron job's --apply must never drop them. Without mailgroup's entry it
# refuses, writing nothing; with it, it keeps the list and changes only its
# own entry: here for another table type, then for the policy service.
restrictions() { /usr/sbin/postconf -c "$PF" -h smtpd_recipient_restrictions; }
run member add team@example.com o@people.example.net
/usr/sbin/postconf -c "$PF" -e "smtpd_recipient_restrictions=reject_rbl_client zen.example, permit_sasl_authenticated"
before=$(live)
maps_before=$(cat "$OUT/virtual")
gen --apply
expect_exit 78
expect_stderr "mailgroup: error: main.cf sets smtpd_recipient_restrictions = reject_rbl_client zen.example, permit_sasl_authenticated without mailgroup's entry, and --apply does not rewrite a site's restrictions: add 'check_recipient_access hash:$OUT/recipient_access' to it where it belongs (after the anti-spam checks: an OK ends the list), e.g. with postconf -e, then run again (nothing was applied)"
expect_file <(live) "$before"
[ "$(cat "$OUT/virtual")" = "$maps_before" ] || fail "a refused --apply wrote the virtual map"

/usr/sbin/postconf -c "$PF" -e "smtpd_recipient_restrictions=reject_rbl_client zen.example, check_recipient_access hash:$OUT/recipient_access, permit_sasl_authenticated"
gen --apply
expect_exit 0
expect_stderr "mailgroup: main.cf.fragment: changed
mailgroup: recipient_access: 1 entry changed
mailgroup: virtual: 1 entry changed
mailgroup: main.cf: 5 settings applied, Postfix not running (it reads main.cf when it starts)
mailgroup: senders: 1 table created, 0 changed, 0 removed"
expect_file <(restrictions) "reject_rbl_client zen.example, check_recipient_access hash:$OUT/recipient_access, permit_sasl_authenticated"
gen --apply
expect_ok

if [ -e /usr/lib/postfix/postfix-lmdb.so ]; then
  gen --apply --table-type lmdb
  expect_exit 0
  expect_file <(restrictions) "reject_rbl_client zen.example, check_recipient_access lmdb:$OUT/recipient_access, permit_sasl_authenticated"
  gen --apply --table-type lmdb
  expect_ok
fi

# Two entries of mailgroup's: only one could be rewritten in place, the
# other would name a table no longer built.
keep=$(restrictions)
/usr/sbin/postconf -c "$PF" -e "smtpd_recipient_restrictions=$keep, check_recipient_access lmdb:$OUT/recipient_access"
before=$(live)
gen --apply
expect_exit 78
expect_stderr "mailgroup: error: main.cf's smtpd_recipient_restrictions names mailgroup's table or service 2 times: keep one entry, then run again (nothing was applied)"
expect_file <(live) "$before"
# A list that mailgroup's entry would take past one postconf argument.
# (The site's list as long as postconf takes; the policy entry is longer.)
site=$(python3 - "$OUT" <<'PY'
import sys
entry = f"check_recipient_access hash:{sys.argv[1]}/recipient_access"
words = [f"check_client_access hash:/etc/postfix/c{i}" for i in range(2800)]
site = ", ".join(words + [entry])
pad = 131071 - len("smtpd_recipient_restrictions=") - len(site)
assert pad > 40
print(", ".join(words + ["check_client_access hash:/etc/postfix/" + "p" * (pad - 40), entry]))
PY
)
/usr/sbin/postconf -c "$PF" -e "smtpd_recipient_restrictions=$site" || fail "postconf refused the site's list"
[ "$(restrictions)" = "$site" ] || fail "the site's list was not set"
gen --apply --policy
expect_exit 78
grep -q "^mailgroup: error: smtpd_recipient_restrictions would be 1[0-9]* bytes with main.cf's own entries, more than postconf -e takes in one argument (128 KiB)" "$WORK/stderr" ||
  fail "a list too long for postconf was not refused: $(cat "$WORK/stderr")"
/usr/sbin/postconf -c "$PF" -e "smtpd_recipient_restrictions=$keep"
# A master.cf with other services but not the policy one: refused too
# (postconf -M answers an unmatched name with status 0).
printf 'smtp inet n - y - - smtpd\n' >"$PF/master.cf"
before=$(live)
gen --apply --policy
expect_exit 78
expect_stderr "mailgroup: error: master.cf has no mailgroup-policy service: Postfix would answer 451 to every recipient. Add master.cf.fragment's entry to master.cf first (nothing was applied)"
expect_file <(live) "$before"

printf 'mailgroup-policy unix - n n - 0 spawn user=nobody argv=/bin/true\n' >"$PF/master.cf"
gen --apply --policy
expect_exit 0
expect_file <(restrictions) "reject_rbl_client zen.example, reject_non_fqdn_recipient, check_policy_service unix:private/mailgroup-policy, permit_sasl_authenticated"
gen --apply --policy
expect_ok
expect_file <(restrictions) "reject_rbl_client zen.example, reject_non_fqdn_recipient, check_policy_service unix:private/mailgroup-policy, permit_sasl_authenticated"
finish
