#!/usr/bin/env bash
# A group's refusal text: validated on create/set and in a hand-edited file,
# stored, shown, and written into the Postfix answers with RFC 3463 codes.
source "$(dirname "$0")/common.sh"
new_store
G="$MAILGROUP_STORE/groups"
OUT="$WORK/maps"
TEXT='Only members may post; write to owner@example.com'
run create team@example.com --permission members --member m@people.example.net --refusal-text "$TEXT"
expect_ok
grep -qx "refusal_text = \"$TEXT\"" "$G/team@example.com.toml" || fail "the text is not stored"
run show team@example.com
expect_exit 0
grep -qx "refusal text:         $TEXT" "$WORK/stdout" || fail "show does not show it: $(cat "$WORK/stdout")"
run show team@example.com --format json
grep -q "\"refusal_text\": \"$TEXT\"" "$WORK/stdout" || fail "JSON lacks it: $(cat "$WORK/stdout")"
run create sales@example.com --member s@people.example.net --refusal-text 'Sales takes mail from example.com only'
run create open@example.com --member o@people.example.net
run create ice@example.com --member i@people.example.net --refusal-text 'This list is archived'
run freeze ice@example.com
run create cold@example.com --member c@people.example.net
run freeze cold@example.com
expect_ok

digest() {
  printf '%s' "$1" | python3 -c '
import sys
h = 0xcbf29ce484222325
for b in sys.stdin.buffer.read():
    h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
print(f"{h:016x}")'
}
TEAM=$(digest team@example.com)
SALES=$(digest sales@example.com)
run generate postfix --output "$OUT"
expect_exit 0
grep -v '^#' "$OUT/recipient_access" >"$WORK/access"
expect_file "$WORK/access" "cold@example.com	550 5.2.1 Mailbox unavailable
ice@example.com	550 5.2.1 This list is archived
open@example.com	mailgroup_domain
sales@example.com	mailgroup_domain_$SALES
team@example.com	mailgroup_members_$TEAM"
grep '^mailgroup_' "$OUT/main.cf.fragment" >"$WORK/classes"
expect_file "$WORK/classes" "mailgroup_domain = check_sender_access hash:$OUT/local_senders, check_sender_access static:{550 5.7.1 Sender not allowed to post to this group}
mailgroup_domain_$SALES = check_sender_access hash:$OUT/local_senders, check_sender_access static:{550 5.7.1 Sales takes mail from example.com only}
mailgroup_members_$TEAM = check_sender_access hash:$OUT/senders/$TEAM, check_sender_access static:{550 5.7.1 $TEXT}"

# Policy mode: the service answers with the same texts, word for word.
run generate postfix --output "$WORK/policy" --policy
expect_exit 0
ask() { # SENDER RECIPIENT
  printf 'request=smtpd_access_policy\nprotocol_state=RCPT\nsender=%s\nrecipient=%s\n\n' "$1" "$2"
}
{
  ask eve@evil.example team@example.com
  ask eve@evil.example sales+x@example.com
  ask a@example.com ice@example.com
  ask a@example.com cold@example.com
  ask eve@evil.example open@example.com
  ask m@people.example.net team@example.com
} >"$WORK/requests"
REQUESTS=$(cat "$WORK/requests"; echo .)
run_stdin "${REQUESTS%.}" policy --index "$WORK/policy/policy.index"
expect_exit 0
expect_stdout "action=550 5.7.1 $TEXT

action=550 5.7.1 Sales takes mail from example.com only

action=550 5.2.1 This list is archived

action=550 5.2.1 Mailbox unavailable

action=550 5.7.1 Sender not allowed to post to this group

action=OK"
# An index of version 2 (before refusal texts) is refused whole: 451 4.3.0.
python3 -c 'import sys; b = bytearray(open(sys.argv[1], "rb").read()); b[8] = 2; open(sys.argv[2], "wb").write(b)' \
  "$WORK/policy/policy.index" "$WORK/old.index"
REQUEST=$(ask eve@evil.example team@example.com; echo .)
run_stdin "${REQUEST%.}" policy --index "$WORK/old.index" --log stderr
expect_exit 0
expect_stdout "action=451 4.3.0 Group policy unavailable, try again later"
expect_stderr "mailgroup: policy: $WORK/old.index: index version 2, this mailgroup reads version 3: run 'mailgroup generate postfix' again; answering 451 4.3.0 Group policy unavailable, try again later until it is regenerated"

# Back to the default: the key goes.
run set sales@example.com --refusal-text ''
expect_ok
grep -q refusal_text "$G/sales@example.com.toml" && fail "an empty text was stored"
run log sales@example.com
grep -q "refusal_text" "$WORK/stdout" || fail "the change is not in the log: $(cat "$WORK/stdout")"

# Bad texts change nothing.
before=$(snapshot_store)
bad() {
  run set team@example.com --refusal-text "$1"
  expect_exit 64
  expect_stderr "mailgroup: error: invalid --refusal-text $2: $3; give one line of printable ASCII, or \"\" for the default"
}
bad "$(printf 'two\nlines')" '"two\nlines"' 'byte 4 is not printable ASCII (it must be one line of ASCII)'
bad 'café' '"caf\xc3\xa9"' 'byte 4 is not printable ASCII (it must be one line of ASCII)'
bad ' padded' '" padded"' 'it starts or ends with a space'
bad 'padded ' '"padded "' 'it starts or ends with a space'
bad 'costs $5' '"costs $5"' "byte 7 is '\$', which main.cf would expand or group"
bad 'a {b}' '"a {b}"' "byte 3 is '{', which main.cf would expand or group"
bad 'a b}' '"a b}"' "byte 4 is '}', which main.cf would expand or group"
LONG=$(printf 'x%.0s' $(seq 201))
bad "$LONG" "\"$LONG\"" 'it is 201 bytes long, more than 200'
run set team@example.com --refusal-text "$(printf 'x%.0s' $(seq 200))"
expect_ok
[ "$before" != "$(snapshot_store)" ] || fail "200 bytes were refused"
run set team@example.com --refusal-text "$TEXT"
expect_ok

# A hand-edited file with a bad text: where, what, how to fix.
sed -i 's/^refusal_text = .*/refusal_text = "tab\\there"/' "$G/team@example.com.toml"
run check
expect_exit 65
expect_stderr "mailgroup: error: $G/team@example.com.toml:$(grep -n '^refusal_text' "$G/team@example.com.toml" | cut -d: -f1):16: invalid 'refusal_text' \"tab\\there\": byte 4 is not printable ASCII (it must be one line of ASCII); write one line of printable ASCII, or remove the key for the default"
finish
