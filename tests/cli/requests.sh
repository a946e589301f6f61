#!/usr/bin/env bash
# member leave, request list/approve/deny: who may act (--as and [users]),
# pending requests surviving in requests.toml, the change log, dry runs,
# directory members, refusals that change nothing.
source "$(dirname "$0")/common.sh"
new_store
cat >>"$MAILGROUP_STORE/mailgroup.toml" <<TOML
"$ME" = "boss@example.com"
"bob.smith" = "bob@example.com"
TOML
run create open@example.com --member bob@example.com --member carol@example.com
expect_ok
run create sales@example.com --leave-approval --admin boss@example.com \
  --admin lead@example.com --member bob@example.com --member carol@example.com
expect_ok

# No approval needed: the member leaves at once.
run member leave open@example.com bob@example.com --as bob@example.com
expect_ok
expect_stdout ""
run member list open@example.com
expect_stdout "carol@example.com"

# $USER decides nothing: the owner (root, here) acts as the store's owner.
before=$(snapshot_store)
USER=bob.smith run member leave sales@example.com bob@example.com --dry-run
expect_ok
expect_stdout "would change group sales@example.com: members: -bob@example.com"
# Someone with no rights on the group may not take a member out.
run member leave sales@example.com bob@example.com --as nobody@example.com
expect_exit 77
expect_stderr "mailgroup: error: @ME@ (uid @UID@) as nobody@example.com may not take bob@example.com out of sales@example.com: only the member themself, its administrators (boss@example.com, lead@example.com) and store administrators may"
# Someone else may not ask for a member.
run member leave sales@example.com carol@example.com --as bob@example.com
expect_exit 77
expect_stderr "mailgroup: error: @ME@ (uid @UID@) as bob@example.com may not take carol@example.com out of sales@example.com: only the member themself, its administrators (boss@example.com, lead@example.com) and store administrators may"
run member leave sales@example.com bob@example.com --as 'bob@exa mple.com'
expect_exit 65
expect_stderr 'mailgroup: error: invalid address "bob@exa mple.com": contains whitespace'
run member leave sales@example.com bob@example.com --as bob@example.com --reason $'two\nlines'
expect_exit 65
expect_stderr 'mailgroup: error: invalid reason "two\nlines": contains a control character (it must be one line)'
run member leave nosuch@example.com bob@example.com --as bob@example.com
expect_exit 67
[ "$before" = "$(snapshot_store)" ] || fail "a refused leave changed the store"
run member leave sales@example.com bob@example.com --as bob@example.com --dry-run
expect_exit 0
expect_stdout "would log for sales@example.com: request 1: bob@example.com asks to leave"
[ "$before" = "$(snapshot_store)" ] || fail "leave --dry-run changed the store"

# Approval needed: a request is recorded once; its number goes to stdout.
run member leave sales@example.com bob@example.com --as bob@example.com --reason 'moving to support'
expect_exit 0
expect_stdout "1"
expect_stderr "mailgroup: note: leaving sales@example.com needs an administrator's approval: recorded as request 1 (mailgroup request approve 1)"
run member leave sales@example.com bob@example.com --as bob@example.com
expect_exit 0
expect_stdout ""
expect_stderr "mailgroup: note: bob@example.com already asked to leave sales@example.com: request 1 waits for an administrator"
run member leave sales@example.com carol@example.com --as carol@example.com
expect_exit 0
expect_stdout "2"
run member leave sales@example.com zed@example.com --as zed@example.com
expect_exit 0
expect_stderr "mailgroup: note: zed@example.com is not a member of sales@example.com"
expect_file "$MAILGROUP_STORE/requests.toml" "# Pending leave requests; see 'mailgroup request' in mailgroup(1).
next_id = 3

[[request]]
id = 1
group = \"sales@example.com\"
member = \"bob@example.com\"
reason = \"moving to support\"
requested_by = \"bob@example.com\"
time = 2026-01-31T09:00:00Z

[[request]]
id = 2
group = \"sales@example.com\"
member = \"carol@example.com\"
requested_by = \"carol@example.com\"
time = 2026-01-31T09:00:00Z"
run member list sales@example.com
expect_stdout "bob@example.com
carol@example.com"

run request list
expect_ok
expect_stdout "1	sales@example.com	bob@example.com	2026-01-31T09:00:00Z	bob@example.com	moving to support
2	sales@example.com	carol@example.com	2026-01-31T09:00:00Z	carol@example.com	"
run request list open@example.com
expect_ok
expect_stdout ""
run request list sales@example.com --format json
expect_ok
expect_stdout '[
  {
    "id": 1,
    "group": "sales@example.com",
    "member": "bob@example.com",
    "requested_by": "bob@example.com",
    "time": "2026-01-31T09:00:00Z",
    "reason": "moving to support"
  },
  {
    "id": 2,
    "group": "sales@example.com",
    "member": "carol@example.com",
    "requested_by": "carol@example.com",
    "time": "2026-01-31T09:00:00Z",
    "reason": ""
  }
]'

# Only administrators decide.
before=$(snapshot_store)
run request approve 1 --as bob@example.com
expect_exit 77
expect_stderr "mailgroup: error: @ME@ (uid @UID@) as bob@example.com may not approve request 1 (bob@example.com leaving sales@example.com): only its administrators (boss@example.com, lead@example.com) and store administrators (boss@example.com, postmaster@example.com, postmaster@example.org) may"
run request deny 2 --as carol@example.com
expect_exit 77
expect_stderr "mailgroup: error: @ME@ (uid @UID@) as carol@example.com may not deny request 2 (carol@example.com leaving sales@example.com): only its administrators (boss@example.com, lead@example.com) and store administrators (boss@example.com, postmaster@example.com, postmaster@example.org) may"
run request approve 9
expect_exit 67
expect_stderr "mailgroup: error: no pending request 9; 'mailgroup request list' shows the pending ones"
run request approve one
expect_exit 64
run request approve 1 --dry-run
expect_exit 0
expect_stdout "would change group sales@example.com: members: -bob@example.com
would log for sales@example.com: request 1 approved: bob@example.com leaves"
[ "$before" = "$(snapshot_store)" ] || fail "a refused or dry-run decision changed the store"

# The owner's login is boss@example.com through [users]; lead acts with --as.
run request approve 1
expect_ok
expect_stdout ""
run request deny 2 --as lead@example.com --reason 'needed until March'
expect_ok
run member list sales@example.com
expect_stdout "carol@example.com"
run request list
expect_stdout ""
run request approve 1
expect_exit 67
expect_file "$MAILGROUP_STORE/requests.toml" "# Pending leave requests; see 'mailgroup request' in mailgroup(1).
next_id = 3"
run log sales@example.com
expect_ok
expect_stdout '2026-01-31T09:00:00Z boss@example.com "create" sales@example.com: created
2026-01-31T09:00:00Z @ME@ as bob@example.com "member leave" sales@example.com: request 1: bob@example.com asks to leave (moving to support)
2026-01-31T09:00:00Z @ME@ as carol@example.com "member leave" sales@example.com: request 2: carol@example.com asks to leave
2026-01-31T09:00:00Z boss@example.com "request approve" sales@example.com: members: -bob@example.com
2026-01-31T09:00:00Z boss@example.com "request approve" sales@example.com: request 1 approved: bob@example.com leaves
2026-01-31T09:00:00Z @ME@ as lead@example.com "request deny" sales@example.com: request 2 denied: carol@example.com stays (needed until March)'

# An administrator leaves members at once, approval or not.
run member leave sales@example.com carol@example.com
expect_ok
run member list sales@example.com
expect_stdout ""

# A member the directory puts in is excluded, or the next sync would bring
# them back.
cat >"$WORK/people.csv" <<'CSV'
email,department,status
dan@example.com,Support,active
eve@example.com,Support,active
CSV
run create support@example.com --department Support --leave-approval
expect_ok
run sync --directory "$WORK/people.csv"
expect_exit 0
run member leave support@example.com dan@example.com --as dan@example.com
expect_stdout "3"
run request approve 3
expect_exit 0
expect_stderr "mailgroup: note: dan@example.com is in support@example.com through the directory; added to its exclusions so that sync keeps them out"
run member list support@example.com
expect_stdout "eve@example.com"
run sync --directory "$WORK/people.csv"
expect_ok
expect_stdout ""

# Deleting a group drops its pending requests; a damaged requests.toml is
# reported where it is broken.
run member leave support@example.com eve@example.com --as eve@example.com
expect_stdout "4"
run delete support@example.com
expect_ok
run request list
expect_stdout ""
# ... and so does removing its file by hand (or with git).
run create gone@example.com --leave-approval --member gil@example.com
expect_ok
run member leave gone@example.com gil@example.com --as gil@example.com
expect_stdout "5"
rm "$MAILGROUP_STORE/groups/gone@example.com.toml"
run request list
expect_ok
expect_stdout ""
run request approve 5
expect_exit 67
printf 'next_id = 5\n[[request]]\nid = 5\ngroup = "a@example.com"\nmember = "b@@example.com"\nrequested_by = "b@example.com"\ncolour = 1\n' >"$MAILGROUP_STORE/requests.toml"
run request list
expect_exit 65
expect_stderr "mailgroup: error: $MAILGROUP_STORE/requests.toml:5:10: 'member': invalid address \"b@@example.com\": has more than one '@'
mailgroup: error: $MAILGROUP_STORE/requests.toml:7:1: unknown key 'colour'"
# A request number is a whole number from 1: -1 is not read as 2^64-1.
for id in -1 0 1.5 x 99999999999999999999; do
  run request approve -- "$id"
  expect_exit 64
  expect_stderr "ID: \"$id\" is not a whole number from 1 up
Run with --help or --help-all for more information."
done
finish
