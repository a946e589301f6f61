#!/usr/bin/env bash
# Groups nested behind the cycle check: a directory row that is a group's
# address is left out (a department group's directory members are people);
# a loop through resolved members or a sub-address (team+x@) is found by
# check; generate never loops, and a sub-address of an audited group does
# not carry its mail past the audit.
source "$(dirname "$0")/common.sh"
new_store
DIR="$WORK/people.csv"
printf 'email,department,status\nann@example.com,Sales,active\nall@example.com,Sales,active\neng@example.com,Eng,active\nbob@example.com,Eng,active\nEng+Team@Example.com,Eng,active\n' >"$DIR"
sed -i "s|^path = \"\"|path = \"$DIR\"|" "$MAILGROUP_STORE/mailgroup.toml"
run create sal@example.com --department Sales
expect_ok
run create eng@example.com --department Eng
expect_ok
run create all@example.com --member sal@example.com --permission anyone
expect_ok
run sync
expect_exit 0
expect_stdout "eng@example.com: joined bob@example.com
sal@example.com: joined ann@example.com"
expect_stderr "mailgroup: warning: $DIR:3: all@example.com is a group, not a person; left out of every department group (nest it as a static member instead)
mailgroup: warning: $DIR:4: eng@example.com is a group, not a person; left out of every department group (nest it as a static member instead)
mailgroup: warning: $DIR:6: eng+team@example.com is the group eng@example.com (a sub-address), not a person; left out of every department group (nest it as a static member instead)"
expect_file "$MAILGROUP_STORE/resolved/sal@example.com.members" "$(printf '# Members of sal@example.com from the directory at the last '"'"'mailgroup sync'"'"'.\n# Written by sync; edits here are overwritten.\nann@example.com')"
run check
expect_ok

# A loop written into a resolved file by hand is a cycle like any other.
echo all@example.com >>"$MAILGROUP_STORE/resolved/sal@example.com.members"
run check
expect_exit 65
expect_stderr "mailgroup: error: $MAILGROUP_STORE/groups: nested groups form a cycle: all@example.com -> sal@example.com -> all@example.com"
run generate postfix --output "$WORK/maps"
expect_exit 65
sed -i '$d' "$MAILGROUP_STORE/resolved/sal@example.com.members"

# A sub-address reaches its base group: team+x@ in team@ is a loop.
run create team@example.com --member a@example.com
run member add team@example.com team+x@example.com
expect_exit 65
expect_stderr "mailgroup: error: nested groups form a cycle: team@example.com -> team@example.com"

# An audited group reached through a sub-address is held back like one
# nested by its own address.
run create press@example.com --permission members --audit --auditor boss@example.com --member alice@example.com
run create open@example.com --permission anyone --member press+x@example.com --member carol@example.com
expect_ok
run generate postfix --output "$WORK/maps"
expect_exit 0
CHECKS=$((CHECKS + 1))
grep -q 'press@example.com is audited but nested in open@example.com' "$WORK/stderr" || fail "no warning: $(cat "$WORK/stderr")"
CHECKS=$((CHECKS + 1))
grep '^open@example.com' "$WORK/maps/virtual" | grep -q 'press\|alice' && fail "open@ reaches press@: $(grep '^open@' "$WORK/maps/virtual")"
grep -qx $'open@example.com\tcarol@example.com' "$WORK/maps/virtual" || fail "virtual: $(grep '^open@' "$WORK/maps/virtual")"
finish
