#!/usr/bin/env bash
# The change log: every change appends who, when, which command and what;
# mailgroup log filters by group and time, in text or JSON.
source "$(dirname "$0")/common.sh"
new_store
run create team@example.com --name Team
run member add team@example.com b@example.com a@example.com
run member add team@example.com a@example.com
run member add team@example.com x@example.com --dry-run
MAILGROUP_NOW=2026-02-02T10:00:00Z run set team@example.com --permission members --name 'Team "A"'
# SUDO_USER, USER and LOGNAME are anyone's to set: the log names the uid's
# login all the same.
SUDO_USER=alice USER=alice LOGNAME=alice MAILGROUP_NOW=2026-02-03T10:00:00Z run freeze team@example.com --reason gone
run create other@example.com
MAILGROUP_NOW=2026-02-04T10:00:00Z run delete other@example.com
expect_ok

run log
expect_ok
expect_stdout '2026-01-31T09:00:00Z @ME@ "create" team@example.com: created
2026-01-31T09:00:00Z @ME@ "member add" team@example.com: members: +a@example.com +b@example.com
2026-02-02T10:00:00Z @ME@ "set" team@example.com: name: "Team" -> "Team \"A\""
2026-02-02T10:00:00Z @ME@ "set" team@example.com: permission: "domain" -> "members"
2026-02-03T10:00:00Z @ME@ "freeze" team@example.com: frozen: no -> yes
2026-02-03T10:00:00Z @ME@ "freeze" team@example.com: frozen_reason: (none) -> "gone"
2026-01-31T09:00:00Z @ME@ "create" other@example.com: created
2026-02-04T10:00:00Z @ME@ "delete" other@example.com: deleted'

run log team@example.com --since 2026-02-02T10:00:01Z
expect_stdout '2026-02-03T10:00:00Z @ME@ "freeze" team@example.com: frozen: no -> yes
2026-02-03T10:00:00Z @ME@ "freeze" team@example.com: frozen_reason: (none) -> "gone"'
run log other@example.com --since 2026-02-04 --format json
expect_ok
expect_stdout '[
  {
    "time": "2026-02-04T10:00:00Z",
    "actor": "@ME@",
    "login": "@ME@",
    "uid": @UID@,
    "command": "delete",
    "group": "other@example.com",
    "action": "deleted",
    "changes": []
  }
]'
run log --format json
/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d) == 6, d' "$WORK/stdout" ||
  fail "log --format json is not the 6 entries"
run log --since yesterday
expect_exit 64
expect_stderr 'mailgroup: error: --since "yesterday": give a date (2026-01-31) or a time (2026-01-31T09:00:00Z)'
# Days that do not exist are not dates.
for since in 2026-02-30 2026-13-45 2025-02-29T00:00:00Z 2026-01-31x; do
  run log --since "$since"
  expect_exit 64
  expect_stderr "mailgroup: error: --since \"$since\": give a date (2026-01-31) or a time (2026-01-31T09:00:00Z)"
done
run log --since 2024-02-29
expect_exit 0

# Sync logs joins and leaves, naming up to 20 addresses.
printf 'email,department,status\np1@example.com,Eng,active\np2@example.com,Eng,active\n' >"$WORK/people.csv"
run create eng@example.com --department Eng
run sync --directory "$WORK/people.csv"
run log eng@example.com
expect_stdout '2026-01-31T09:00:00Z @ME@ "create" eng@example.com: created
2026-01-31T09:00:00Z @ME@ "sync" eng@example.com: joined: 2 (p1@example.com, p2@example.com)
2026-01-31T09:00:00Z @ME@ "sync" eng@example.com: left: 0'

# A damaged line is reported where it is broken and skipped: one bad line
# never makes the whole log unreadable.
printf '{"time": "x", oops\n' >>"$MAILGROUP_STORE/log.jsonl"
run log eng@example.com
expect_exit 0
expect_stderr "mailgroup: warning: $MAILGROUP_STORE/log.jsonl:9:15: not a log entry: invalid JSON here; skipped"
expect_stdout '2026-01-31T09:00:00Z @ME@ "create" eng@example.com: created
2026-01-31T09:00:00Z @ME@ "sync" eng@example.com: joined: 2 (p1@example.com, p2@example.com)
2026-01-31T09:00:00Z @ME@ "sync" eng@example.com: left: 0'

# A last line cut short by a crash (no newline): check reports it, log skips
# it, and the next write starts a line of its own instead of gluing its
# entry to the torn one.
printf '{"time": "2026-01-31T09:00:00Z", "act' >>"$MAILGROUP_STORE/log.jsonl"
run check
expect_exit 0
expect_stderr "mailgroup: warning: $MAILGROUP_STORE/log.jsonl:9:15: not a log entry: invalid JSON here (cut short by a crash, or edited by hand); 'mailgroup log' skips it
mailgroup: warning: $MAILGROUP_STORE/log.jsonl:10:38: not a log entry: invalid JSON here (cut short by a crash, or edited by hand); 'mailgroup log' skips it"
run set eng@example.com --name Engineers
expect_ok
run log eng@example.com
expect_exit 0
expect_stderr "mailgroup: warning: $MAILGROUP_STORE/log.jsonl:9:15: not a log entry: invalid JSON here; skipped
mailgroup: warning: $MAILGROUP_STORE/log.jsonl:10:38: not a log entry: invalid JSON here; skipped"
expect_stdout '2026-01-31T09:00:00Z @ME@ "create" eng@example.com: created
2026-01-31T09:00:00Z @ME@ "sync" eng@example.com: joined: 2 (p1@example.com, p2@example.com)
2026-01-31T09:00:00Z @ME@ "sync" eng@example.com: left: 0
2026-01-31T09:00:00Z @ME@ "set" eng@example.com: name: (none) -> "Engineers"'
finish
