#!/usr/bin/env bash
# freeze and unfreeze record the state, the reason and the time.
source "$(dirname "$0")/common.sh"
new_store
run create team@example.com
run freeze team@example.com --reason 'project ended'
expect_ok
run show team@example.com --format json
python3 - "$WORK/stdout" <<'PY' || fail "freeze did not record state, reason and time"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["frozen"] is True and d["frozen_reason"] == "project ended"
assert d["frozen_at"] == "2026-01-31T09:00:00Z"
PY
grep -qx 'frozen_at = 2026-01-31T09:00:00Z' "$MAILGROUP_STORE/groups/team@example.com.toml" ||
  fail "frozen_at is not a TOML date-time"
run freeze team@example.com
expect_exit 0
expect_stderr "mailgroup: note: team@example.com is already frozen"
run unfreeze team@example.com
expect_ok
run unfreeze team@example.com
expect_exit 0
expect_stderr "mailgroup: note: team@example.com is not frozen"
run show team@example.com --format json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert not d["frozen"] and d["frozen_at"] is None' "$WORK/stdout" ||
  fail "unfreeze left state behind"
finish
