#!/usr/bin/env bash
# generate postfix --apply past what postconf -e can take: one argument of
# execve(2) holds at most 128 KiB, and smtpd_restriction_classes passes
# that at about 3,650 classes. Refused before anything is written, pointing
# at the policy service.
source "$(dirname "$0")/common.sh"
postfix_config
new_store
python3 -c '
import json
for i in range(3700):
    print(json.dumps({"address": f"t{i:04d}@example.com", "permission": "members",
                      "members": [f"m{i}@people.example.net"]}))' >"$WORK/groups.jsonl"
run create --from "$WORK/groups.jsonl" --no-notify
expect_exit 0
before=$(/usr/sbin/postconf -c "$PF" -n)
run generate postfix --output "$WORK/maps" --apply --postfix-config "$PF"
expect_exit 78
expect_stderr "mailgroup: error: main.cf.fragment's smtpd_restriction_classes is 133198 bytes, more than postconf -e takes in one argument (128 KiB): at this many members-only and whitelist groups (3700 classes) use the policy service ([postfix] mode = \"policy\" in mailgroup.toml, see POLICY SERVICE in mailgroup(1)), or put the fragment into main.cf by hand (nothing was applied)"
[ "$(/usr/sbin/postconf -c "$PF" -n)" = "$before" ] || fail "main.cf changed"
[ -e "$WORK/maps/virtual" ] && fail "the maps were written"
# Without --apply the maps are written, for a main.cf edited by hand.
run generate postfix --output "$WORK/maps"
expect_exit 0
[ -s "$WORK/maps/main.cf.fragment" ] || fail "no fragment"
finish
