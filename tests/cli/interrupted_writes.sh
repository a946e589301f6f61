#!/usr/bin/env bash
# What a killed writer leaves aside is removed by the next writer; a
# one-group command lists groups/ and resolved/ for it only when the killed
# writer was in the middle of a commit (its marker is there), so that it
# does not read 20,000 names under the lock on every run.
source "$(dirname "$0")/common.sh"
new_store
run create team@example.com
expect_ok
G="$MAILGROUP_STORE/groups"
marker="$MAILGROUP_STORE/.writing.tmp-0000000000000000"
# A commit leaves no marker behind.
[ ! -e "$marker" ] || fail "a commit left its marker"

# Killed during a commit: the marker and a file aside.
touch "$marker" "$G/.team@example.com.toml.tmp-0123456789abcdef"
run member add team@example.com a@example.com
expect_ok
[ ! -e "$G/.team@example.com.toml.tmp-0123456789abcdef" ] || fail "the file aside stayed"
[ ! -e "$marker" ] || fail "the marker stayed"

# A file aside without the marker (left by a power loss, or an older
# version): 'check' reports it, a one-group command leaves it, and a
# command that loads every group removes it.
touch "$G/.team@example.com.toml.tmp-00000000000000aa"
run member add team@example.com b@example.com
expect_ok
run check
expect_exit 0
expect_stderr "mailgroup: warning: $G/.team@example.com.toml.tmp-00000000000000aa: a temporary file left by an interrupted write; the next mailgroup sync or delete removes it"
run delete team@example.com
expect_ok
[ ! -e "$G/.team@example.com.toml.tmp-00000000000000aa" ] || fail "delete left the file aside"
finish
