#!/usr/bin/env bash
# explain: the decision Postfix makes for an envelope, from the maps
# generate postfix makes: which entry, which class, which answer, who gets it.
source "$(dirname "$0")/common.sh"
new_store
run create team@example.com --permission members --member m@people.example.net --member sub@example.com
run create sub@example.com --member s@people.example.net
run create ice@example.com --member i@people.example.net --refusal-text 'Archived'
run freeze ice@example.com
run create press@example.com --permission anyone --audit --auditor boss@example.com --ignore-auto-replies --member p@people.example.net
expect_ok
C=mailgroup_members_$(printf team@example.com | python3 -c '
import sys
h = 0xcbf29ce484222325
for b in sys.stdin.buffer.read():
    h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
print(f"{h:016x}")')
T=senders/${C#mailgroup_members_}
run explain --sender Eve@Evil.Example team@example.com ice@example.com
expect_ok
expect_stdout "MAIL FROM:<Eve@Evil.Example> RCPT TO:<team@example.com>
  recipient_access: team@example.com -> $C
  $C: check_sender_access $T: eve@evil.example not found
  $C: check_sender_access static:{550 5.7.1 Sender not allowed to post to this group} -> 550 5.7.1 Sender not allowed to post to this group
  answer: 550 5.7.1 Sender not allowed to post to this group
MAIL FROM:<Eve@Evil.Example> RCPT TO:<ice@example.com>
  recipient_access: ice@example.com -> 550 5.2.1 Archived
  answer: 550 5.2.1 Archived"
run explain --sender s@people.example.net team+x@example.com nobody@example.com
expect_ok
expect_stdout "MAIL FROM:<s@people.example.net> RCPT TO:<team+x@example.com>
  recipient_access: team@example.com -> $C
  $C: check_sender_access $T: s@people.example.net -> OK
  virtual: team@example.com -> m@people.example.net,s@people.example.net
  answer: 250 accepted
  delivered to: m+x@people.example.net, s+x@people.example.net
MAIL FROM:<s@people.example.net> RCPT TO:<nobody@example.com>
  recipient_access: nobody@example.com not found
  virtual: nobody@example.com not found
  answer: 550 5.1.1 User unknown in virtual alias table (when its domain is a virtual alias domain)"
# A member's sub-address as the sender: access(5) tries it without its
# extension (as the real Postfix does: test_postfix.py).
run explain --sender m+lists@people.example.net team@example.com
expect_ok
expect_stdout "MAIL FROM:<m+lists@people.example.net> RCPT TO:<team@example.com>
  recipient_access: team@example.com -> $C
  $C: check_sender_access $T: m@people.example.net -> OK
  virtual: team@example.com -> m@people.example.net,s@people.example.net
  answer: 250 accepted
  delivered to: m@people.example.net, s@people.example.net"
run explain --sender '' press@example.com
expect_ok
expect_stdout "MAIL FROM:<> RCPT TO:<press@example.com>
  recipient_access: press@example.com -> mailgroup_anyone_hold_noauto
  mailgroup_anyone_hold_noauto: check_sender_access null_sender: <> -> 550 5.7.1 This group does not accept automatic replies
  answer: 550 5.7.1 This group does not accept automatic replies"
run explain --sender a@example.com press@example.com
expect_ok
expect_stdout "MAIL FROM:<a@example.com> RCPT TO:<press@example.com>
  recipient_access: press@example.com -> mailgroup_anyone_hold_noauto
  mailgroup_anyone_hold_noauto: check_sender_access null_sender: a@example.com not found
  mailgroup_anyone_hold_noauto: check_sender_access static:HOLD -> HOLD
  virtual: press@example.com -> p@people.example.net
  answer: 250 accepted, then held for the auditors
  delivered to: p@people.example.net"
# --format json: the same replay, with the group and the rule by name.
run explain --sender Eve@Evil.Example team+x@example.com nobody@example.com --format json
expect_ok
expect_stdout "[
  {
    \"mode\": \"maps\",
    \"login\": null,
    \"sender\": \"Eve@Evil.Example\",
    \"recipient\": \"team+x@example.com\",
    \"group\": \"team@example.com\",
    \"rule\": \"$C\",
    \"steps\": [
      \"recipient_access: team@example.com -> $C\",
      \"$C: check_sender_access $T: eve@evil.example not found\",
      \"$C: check_sender_access static:{550 5.7.1 Sender not allowed to post to this group} -> 550 5.7.1 Sender not allowed to post to this group\"
    ],
    \"answer\": \"550 5.7.1 Sender not allowed to post to this group\",
    \"held\": false,
    \"delivered_to\": []
  },
  {
    \"mode\": \"maps\",
    \"login\": null,
    \"sender\": \"Eve@Evil.Example\",
    \"recipient\": \"nobody@example.com\",
    \"group\": null,
    \"rule\": null,
    \"steps\": [
      \"recipient_access: nobody@example.com not found\",
      \"virtual: nobody@example.com not found\"
    ],
    \"answer\": \"550 5.1.1 User unknown in virtual alias table (when its domain is a virtual alias domain)\",
    \"held\": false,
    \"delivered_to\": []
  }
]"

# Policy mode (mailgroup.toml): the decision from the policy index that
# generate writes, as the service makes it.
printf '[postfix]\nmode = "policy"\n' >>"$MAILGROUP_STORE/mailgroup.toml"
run explain --sender Eve@Evil.Example team@example.com ice@example.com team+x@example.com
expect_ok
expect_stdout "MAIL FROM:<Eve@Evil.Example> RCPT TO:<team@example.com>
  policy.index: team@example.com: members or whitelist only (2 entries)
  policy: sender eve@evil.example not listed -> 550 5.7.1 Sender not allowed to post to this group
  answer: 550 5.7.1 Sender not allowed to post to this group
MAIL FROM:<Eve@Evil.Example> RCPT TO:<ice@example.com>
  policy.index: ice@example.com: frozen, refusal \"550 5.2.1 Archived\"
  policy: frozen -> 550 5.2.1 Archived
  answer: 550 5.2.1 Archived
MAIL FROM:<Eve@Evil.Example> RCPT TO:<team+x@example.com>
  policy.index: team+x@example.com not a group
  policy.index: team@example.com: members or whitelist only (2 entries)
  policy: sender eve@evil.example not listed -> 550 5.7.1 Sender not allowed to post to this group
  answer: 550 5.7.1 Sender not allowed to post to this group"
run explain --sender s@people.example.net team+x@example.com nobody@example.com team
expect_ok
expect_stdout "MAIL FROM:<s@people.example.net> RCPT TO:<team+x@example.com>
  policy.index: team+x@example.com not a group
  policy.index: team@example.com: members or whitelist only (2 entries)
  policy: sender s@people.example.net listed -> OK
  virtual: team@example.com -> m@people.example.net,s@people.example.net
  answer: 250 accepted
  delivered to: m+x@people.example.net, s+x@people.example.net
MAIL FROM:<s@people.example.net> RCPT TO:<nobody@example.com>
  policy.index: nobody@example.com not a group -> DUNNO
  virtual: nobody@example.com not found
  answer: 550 5.1.1 User unknown in virtual alias table (when its domain is a virtual alias domain)
MAIL FROM:<s@people.example.net> RCPT TO:<team>
  reject_non_fqdn_recipient: team has no domain
  answer: 504 5.5.2 <team>: Recipient address rejected: need fully-qualified address"
run explain --sender '' press@example.com
expect_ok
expect_stdout "MAIL FROM:<> RCPT TO:<press@example.com>
  policy.index: press@example.com: anyone may post, held for the auditors, no automatic replies
  policy: the null sender, no automatic replies -> 550 5.7.1 This group does not accept automatic replies
  answer: 550 5.7.1 This group does not accept automatic replies"
run explain --sender a@example.com press@example.com --format json
expect_ok
expect_stdout "[
  {
    \"mode\": \"policy\",
    \"login\": null,
    \"sender\": \"a@example.com\",
    \"recipient\": \"press@example.com\",
    \"group\": \"press@example.com\",
    \"rule\": \"anyone\",
    \"steps\": [
      \"policy.index: press@example.com: anyone may post, held for the auditors, no automatic replies\",
      \"policy: sender a@example.com, anyone may post -> HOLD\",
      \"virtual: press@example.com -> p@people.example.net\"
    ],
    \"answer\": \"250 accepted, then held for the auditors\",
    \"held\": true,
    \"delivered_to\": [
      \"p@people.example.net\"
    ]
  }
]"
sed -i '/^\[postfix\]$/,$d' "$MAILGROUP_STORE/mailgroup.toml"

run explain team@example.com
expect_exit 64
expect_stderr "--sender is required
Run with --help or --help-all for more information."
finish
