#!/usr/bin/env bash
# Welcome notices: what is sent and to whom (create, member add, sync),
# --no-notify, a failing sendmail (the change stands, the notice waits in
# the outbox), outbox list/flush, notices that no longer apply, bad [notify]
# and [users] settings. The real Postfix path is in tests/postfix.
source "$(dirname "$0")/common.sh"
new_store
SENT="$WORK/sent"
mkdir "$SENT"
cat >"$WORK/sendmail" <<SH
#!/bin/sh
# A stand-in for sendmail(1): keeps each message; fails while \$WORK/down exists.
if [ -e "$WORK/down" ]; then
  echo "postdrop: warning: unable to look up public/pickup: No such file or directory" >&2
  exit 75
fi
message=\$(echo "argv: \$*"; cat)
# mailgroup sends several at once: number them under a lock.
exec 9>"$WORK/sendmail.lock"
flock 9
n=\$(ls "$SENT" | wc -l)
printf '%s\\n' "\$message" >"$SENT/\$n.eml"
SH
chmod +x "$WORK/sendmail"
sed -i "s|\"/bin/true\",|\"$WORK/sendmail\",|; s|^from = .*|from = \"groups@example.com\"|" "$MAILGROUP_STORE/mailgroup.toml"

# A group that notifies: its first members are welcomed, one message each.
run create sales@example.com --notify-members --name 'Sales – Europe' \
  --description 'Everyone who sells to customers in Europe, from Lisbon to Helsinki, including the partner managers.' \
  --admin boss@example.com --admin lead@example.com --member bob@example.com
expect_ok
expect_stdout ""
expect_file "$SENT/0.eml" "argv: -t -oi
From: groups@example.com
To: bob@example.com
Subject: You are now a member of sales@example.com
Auto-Submitted: auto-generated
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

You are now a member of the mail group Sales – Europe
<sales@example.com>.

Everyone who sells to customers in Europe, from Lisbon to Helsinki,
including the partner managers.

Mail sent to sales@example.com now reaches you at bob@example.com.

Its administrators: boss@example.com, lead@example.com.

To leave the group, ask one of its administrators.

-- 
This notice was sent automatically by mailgroup."

# Only who really joins; a nested group is not a person; --no-notify and
# --dry-run send nothing; a group that does not notify sends nothing.
run create quiet@example.com --member q@example.com
expect_ok
run member add sales@example.com bob@example.com carol@example.com quiet@example.com --dry-run
expect_exit 0
run member add sales@example.com bob@example.com carol@example.com quiet@example.com
expect_exit 0
expect_stderr "mailgroup: note: bob@example.com is already a member of sales@example.com"
run member add sales@example.com dora@example.com --no-notify
expect_ok
run member add quiet@example.com erin@example.com
expect_ok
[ "$(ls "$SENT")" = "$(printf '0.eml\n1.eml')" ] || fail "sent: $(ls "$SENT")"
grep -q '^To: carol@example.com$' "$SENT/1.eml" || fail "the second notice is not carol's"
grep -q '^To leave the group, ask one of its administrators.$' "$SENT/1.eml" || fail "carol's notice: how to leave"

# sendmail fails: the membership stands, the notice waits in the outbox.
touch "$WORK/down"
run member add sales@example.com fred@example.com
expect_exit 0
expect_stdout ""
expect_stderr "mailgroup: warning: could not send the welcome notice for sales@example.com to fred@example.com: $WORK/sendmail exited with status 75: postdrop: warning: unable to look up public/pickup: No such file or directory
mailgroup: warning: 1 notice kept in the outbox; the next run, or 'mailgroup outbox flush', tries again"
run member list sales@example.com
expect_stdout "bob@example.com
carol@example.com
dora@example.com
fred@example.com
quiet@example.com"
run outbox list
expect_ok
expect_stdout "2026-01-31T09:00:00Z	sales@example.com	fred@example.com	welcome notice	1	$WORK/sendmail exited with status 75: postdrop: warning: unable to look up public/pickup: No such file or directory"
run outbox flush
expect_exit 75
run outbox list --format json
expect_ok
expect_stdout "[
  {
    \"time\": \"2026-01-31T09:00:00Z\",
    \"group\": \"sales@example.com\",
    \"to\": \"fred@example.com\",
    \"kind\": \"welcome\",
    \"member\": \"fred@example.com\",
    \"request\": null,
    \"source\": \"member add\",
    \"attempts\": 2,
    \"error\": \"$WORK/sendmail exited with status 75: postdrop: warning: unable to look up public/pickup: No such file or directory\"
  }
]"
run member add sales@example.com gina@example.com
expect_exit 0
run member remove sales@example.com gina@example.com
expect_ok
# Back up: the next run sends what waited, and drops what no longer applies.
rm "$WORK/down"
run outbox flush
expect_exit 0
expect_stdout ""
expect_stderr "mailgroup: note: dropped 1 queued notice that no longer applies (no longer a member, or the group is gone or quiet)"
grep -q '^To: fred@example.com$' "$SENT/2.eml" || fail "fred's notice was not sent on flush"
[ ! -e "$SENT/3.eml" ] || fail "gina, who left, was welcomed"
run outbox list
expect_ok
expect_stdout ""
run outbox flush
expect_ok

# A sendmail that cannot be run at all is reported the same way.
sed -i "s|\"$WORK/sendmail\",|\"$WORK/no-such-sendmail\",|" "$MAILGROUP_STORE/mailgroup.toml"
run member add sales@example.com hank@example.com
expect_exit 0
expect_stderr "mailgroup: warning: could not send the welcome notice for sales@example.com to hank@example.com: cannot run $WORK/no-such-sendmail: No such file or directory
mailgroup: warning: 1 notice kept in the outbox; the next run, or 'mailgroup outbox flush', tries again"
sed -i "s|\"$WORK/no-such-sendmail\",|\"$WORK/sendmail\",|" "$MAILGROUP_STORE/mailgroup.toml"

# sync welcomes who the directory brings in (and says how they leave), and
# retries the outbox on the way.
cat >"$WORK/people.csv" <<'CSV'
email,department,status
ivy@example.com,Support,active
CSV
run create support@example.com --department Support --notify-members
expect_ok
run sync --directory "$WORK/people.csv"
expect_exit 0
expect_stdout "support@example.com: joined ivy@example.com"
grep -q '^To: hank@example.com$' "$SENT/3.eml" || fail "sync did not retry the outbox first"
expect_file "$SENT/4.eml" "argv: -t -oi
From: groups@example.com
To: ivy@example.com
Subject: You are now a member of support@example.com
Auto-Submitted: auto-generated
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

You are now a member of the mail group support@example.com.

Mail sent to support@example.com now reaches you at ivy@example.com.

Its administrators: boss@example.com.

You are a member through your department in the employee directory, and
leave the group when that changes. To leave it sooner, ask one of its
administrators.

-- 
This notice was sent automatically by mailgroup."
printf 'email,department,status\nivy@example.com,Support,active\njay@example.com,Support,active\n' >"$WORK/people.csv"
run sync --directory "$WORK/people.csv" --no-notify
expect_exit 0
[ ! -e "$SENT/5.eml" ] || fail "sync --no-notify sent a notice"

# A leave request is mailed to each administrator of the group.
run create board@example.com --leave-approval --name 'The board' \
  --admin boss@example.com --admin lead@example.com --member max@example.com --member zoe@example.com
expect_ok
n=$(ls "$SENT" | wc -l)
run member leave board@example.com max@example.com --as max@example.com --reason 'too many meetings'
expect_exit 0
expect_stdout "1"
# Sent side by side: which of the two files is whose is up to the race.
boss_mail=$(grep -l '^To: boss@example.com$' "$SENT/$n.eml" "$SENT/$((n + 1)).eml")
lead_mail=$(grep -l '^To: lead@example.com$' "$SENT/$n.eml" "$SENT/$((n + 1)).eml")
expect_file "$boss_mail" "argv: -t -oi
From: groups@example.com
To: boss@example.com
Subject: Request 1: max@example.com asks to leave board@example.com
Auto-Submitted: auto-generated
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

max@example.com asks to leave the mail group The board
<board@example.com>.

Reason: too many meetings

Leaving it needs an administrator's approval, and you are one. Request 1
was made at 2026-01-31T09:00:00Z by max@example.com.

To decide:

  mailgroup request approve 1
  mailgroup request deny 1 --reason TEXT

-- 
This notice was sent automatically by mailgroup."
[ -n "$lead_mail" ] || fail "the second administrator was not told"
[ ! -e "$SENT/$((n + 2)).eml" ] || fail "more than one notice per administrator"
run member leave board@example.com zoe@example.com --as zoe@example.com --no-notify
expect_stdout "2"
[ ! -e "$SENT/$((n + 2)).eml" ] || fail "leave --no-notify told the administrators"
# A request notice that could not be sent is dropped once the request is
# decided.
touch "$WORK/down"
run member leave board@example.com zoe@example.com --as lead@example.com
expect_ok
run member add board@example.com amy@example.com --no-notify
expect_ok
run member leave board@example.com amy@example.com --as amy@example.com
expect_exit 0
expect_stdout "3"
run outbox list --format json
expect_ok
CHECKS=$((CHECKS + 1))
[ "$(grep -c '"kind": "leave request",' "$WORK/stdout")" = 2 ] && grep -q '"request": 3,' "$WORK/stdout" ||
  fail "outbox list --format json: $(cat "$WORK/stdout")"
run outbox list
expect_stdout "2026-01-31T09:00:00Z	board@example.com	boss@example.com	leave request 3	1	$WORK/sendmail exited with status 75: postdrop: warning: unable to look up public/pickup: No such file or directory
2026-01-31T09:00:00Z	board@example.com	lead@example.com	leave request 3	1	$WORK/sendmail exited with status 75: postdrop: warning: unable to look up public/pickup: No such file or directory"
run request deny 3 --as boss@example.com
expect_ok
rm "$WORK/down"
run outbox flush
expect_exit 0
expect_stderr "mailgroup: note: dropped 2 queued notices that no longer apply (no longer a member, or the group is gone or quiet)"
[ ! -e "$SENT/$((n + 2)).eml" ] || fail "a notice for a decided request was sent"

# Notices go out after the store lock is released: a sendmail that itself
# changes the store (with no wait for the lock) succeeds.
cat >"$WORK/busy-sendmail" <<SH
#!/bin/sh
cat >/dev/null
"$MAILGROUP" --wait 0 member add quiet@example.com probe@example.com --no-notify
echo \$? >"$WORK/inner-status"
SH
chmod +x "$WORK/busy-sendmail"
sed -i "s|\"$WORK/sendmail\",|\"$WORK/busy-sendmail\",|" "$MAILGROUP_STORE/mailgroup.toml"
run member add sales@example.com lou@example.com
expect_ok
expect_file "$WORK/inner-status" "0"
sed -i "s|\"$WORK/busy-sendmail\",|\"$WORK/sendmail\",|" "$MAILGROUP_STORE/mailgroup.toml"

# A damaged outbox file is reported where it is broken.
printf '{"group": "sales@example.com", "member": "x y@example.com"}\n' >"$MAILGROUP_STORE/outbox/broken.jsonl"
run outbox list
expect_exit 65
expect_stderr "mailgroup: error: $MAILGROUP_STORE/outbox/broken.jsonl:1: not a queued notice: invalid address \"x y@example.com\": contains whitespace"
# ... and does not make a change that succeeded look failed.
run member add sales@example.com kim@example.com
expect_exit 0
expect_stderr "mailgroup: warning: welcome notices: $MAILGROUP_STORE/outbox/broken.jsonl:1: not a queued notice: invalid address \"x y@example.com\": contains whitespace"
rm "$MAILGROUP_STORE/outbox/broken.jsonl"
run outbox flush
expect_ok

# Bad settings are refused where they are.
cp "$MAILGROUP_STORE/mailgroup.toml" "$WORK/good.toml"
sed -i 's|^from = .*|from = "groups at example.com"|; s|^sendmail = \[|sendmail = []\nold = [|' "$MAILGROUP_STORE/mailgroup.toml"
printf '"ann" = 3\n' >>"$MAILGROUP_STORE/mailgroup.toml"
run list
expect_exit 78
expect_stderr "mailgroup: error: $MAILGROUP_STORE/mailgroup.toml:29:8: 'from': invalid address \"groups at example.com\": contains whitespace
mailgroup: error: $MAILGROUP_STORE/mailgroup.toml:30:12: 'sendmail' must name a command, e.g. sendmail = [\"/usr/sbin/sendmail\", \"-t\", \"-oi\"]
mailgroup: error: $MAILGROUP_STORE/mailgroup.toml:31:1: unknown key 'old'
mailgroup: error: $MAILGROUP_STORE/mailgroup.toml:39:9: [users] maps login names to addresses: write \"ann\" = \"ADDRESS\""
# A description of 3,000 bytes without a space (and one with multibyte
# characters) is cut into lines of at most 72 bytes: RFC 5322 allows 998.
rm -f "$SENT"/*.eml "$WORK/down"
export MAILGROUP_STORE="$WORK/store2"
new_store
sed -i "s|\"/bin/true\",|\"$WORK/sendmail\",|" "$MAILGROUP_STORE/mailgroup.toml"
long=$(printf 'x%.0s' $(seq 1 3000))
umlauts=$(printf '\xc3\xbc%.0s' $(seq 1 200))
run create long@example.com --notify-members --description "$long $umlauts" --member lena@example.com
expect_ok
CHECKS=$((CHECKS + 1))
longest=$(awk '{ if (length($0) > max) max = length($0) } END { print max }' "$SENT"/*.eml)
LC_ALL=C awk 'length($0) > 72 && !/^(argv|To|From|Subject|Content|MIME|Auto|Precedence|X-|List)/ { bad = 1 } END { exit bad }' "$SENT"/*.eml ||
  fail "a body line is longer than 72 bytes (longest: $longest)"
CHECKS=$((CHECKS + 1))
[ "$(tr -d '\n' <"$SENT/0.eml" | grep -o 'x\{3000\}' | wc -l)" = 1 ] || fail "the long word is not kept whole across its lines"
CHECKS=$((CHECKS + 1))
iconv -f UTF-8 -t UTF-8 "$SENT/0.eml" >/dev/null || fail "a UTF-8 sequence was cut"
finish
