#!/usr/bin/env bash
# check: hand-edited files are validated by the same rules as the CLI, and
# every problem is listed as file:line:col.
source "$(dirname "$0")/common.sh"
new_store
run create team@example.com --member a@example.com
run check
expect_ok
expect_stdout ""
run check --format json
expect_ok
expect_stdout '{
  "ok": true,
  "problems": [],
  "warnings": []
}'

G="$MAILGROUP_STORE/groups"
cat >"$G/ops@example.com.toml" <<'TOML'
address = "ops@example.com"
administrators = ["boss@example.com"]
memebrs = ["x@example.com"]
permission = "everyone"
whitelist = ["@partner.example", "no good@x.example"]
frozen = "yes"
TOML
cat >"$G/broken@example.com.toml" <<'TOML'
address = "broken@example.com"
members = [ "a@example.com",
TOML
cat >"$G/wrong@example.com.toml" <<'TOML'
address = "right@example.com"
administrators = ["boss@example.com"]
TOML
cat >"$G/far@example.net.toml" <<'TOML'
address = "far@example.net"
administrators = ["boss@example.com"]
TOML

run check
expect_exit 65
expect_stderr "mailgroup: error: $G/broken@example.com.toml:2:30: Error while parsing array: encountered end-of-file
mailgroup: error: $G/ops@example.com.toml:3:1: unknown key 'memebrs'; did you mean 'members'?
mailgroup: error: $G/ops@example.com.toml:4:14: invalid sending permission \"everyone\": use domain, members, anyone or whitelist
mailgroup: error: $G/ops@example.com.toml:5:34: invalid address \"no good@x.example\": contains whitespace
mailgroup: error: $G/ops@example.com.toml:6:10: 'frozen' must be true or false
mailgroup: error: $G/wrong@example.com.toml:1:1: file name does not match its address \"right@example.com\"; rename it to right@example.com.toml"

run check --format json
expect_exit 65
python3 - "$WORK/stdout" <<'PY' || fail "check --format json is wrong"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["ok"] is False
assert len(d["problems"]) == 6, d
p = d["problems"][1]
assert p["line"] == 3 and p["column"] == 1 and p["file"].endswith("ops@example.com.toml"), p
PY

# A command that changes one group reads only what it needs: it refuses a
# broken file it touches, naming the problem; check (above), generate and
# sync see every file.
run member add broken@example.com b@example.com
expect_exit 65
run generate postfix --output "$WORK/out"
expect_exit 65
rm "$G/broken@example.com.toml" "$G/ops@example.com.toml" "$G/wrong@example.com.toml"

# Problems that need the whole store.
run check
expect_exit 65
expect_stderr "mailgroup: error: $G/far@example.net.toml:1:11: group \"far@example.net\" is not in a domain of this store (example.com, example.org); add the domain to mailgroup.toml or fix the address"
rm "$G/far@example.net.toml"

cat >>"$MAILGROUP_STORE/mailgroup.toml" <<'TOML'
[postfx]
x = 1
TOML
run check
expect_exit 78
expect_stderr "mailgroup: error: $MAILGROUP_STORE/mailgroup.toml:38:2: unknown key 'postfx'; did you mean 'postfix'?"
# nan is not a share between 0 and 1 (it would switch the removal cap off).
sed -i 's/^max_removal_share = .*/max_removal_share = nan/' "$MAILGROUP_STORE/mailgroup.toml"
run check
expect_exit 78
CHECKS=$((CHECKS + 1))
grep -q "'max_removal_share' must be between 0 and 1" "$WORK/stderr" || fail "stderr: $(cat "$WORK/stderr")"
finish
