#!/usr/bin/env bash
# Hostile files get a clear error in bounded time and memory and change
# nothing: deeply nested or oversized TOML, directories with huge fields, a
# million columns, invalid UTF-8.
source "$(dirname "$0")/common.sh"
new_store
run create team@example.com
before=$(snapshot_store)
G="$MAILGROUP_STORE/groups"

# Arrays nested 100,000 deep.
python3 -c 'import sys; sys.stdout.write("address = \"deep@example.com\"\nadministrators = [\"a@example.com\"]\nx = " + "[" * 100000 + "]" * 100000 + "\n")' >"$G/deep@example.com.toml"
run check
expect_exit 65
grep -q "deep@example.com.toml:3:" "$WORK/stderr" || fail "no located error for deep nesting: $(head -c 300 "$WORK/stderr")"
rm "$G/deep@example.com.toml"

# A group file over the size limit.
python3 -c 'import sys; sys.stdout.write("address = \"big@example.com\"\nadministrators = [\"a@example.com\"]\ndescription = \"" + "x" * (17 << 20) + "\"\n")' >"$G/big@example.com.toml"
run check
expect_exit 65
expect_stderr "mailgroup: error: $G/big@example.com.toml: larger than 16 MiB; a group file is never that big"
rm "$G/big@example.com.toml"
[ "$before" = "$(snapshot_store)" ] || fail "the store changed"

# The directories below have no status column: everyone is active.
sed -i 's|^status_column_optional = false|status_column_optional = true|' "$MAILGROUP_STORE/mailgroup.toml"
run create dept@example.com --department Eng
D="$WORK/people.csv"
# A huge field and a million columns: loaded or refused, in bounded time.
python3 -c '
import sys
sys.stdout.write("email,department,note\n")
sys.stdout.write("a@example.com,Eng," + "x" * (50 << 20) + "\n")' >"$D"
run eval dept@example.com --directory "$D"
expect_ok
expect_stdout "a@example.com"
python3 -c '
import sys
sys.stdout.write("email,department," + ",".join(f"c{i}" for i in range(1000000)) + "\n")
sys.stdout.write("a@example.com,Eng" + "," * 1000000 + "\n")' >"$D"
run eval dept@example.com --directory "$D"
expect_ok
expect_stdout "a@example.com"
python3 -c '
import sys
sys.stdout.write("email,department,c1\n")
sys.stdout.write("a@example.com,Eng" + "," * 1000000 + "\n")' >"$D"
run eval dept@example.com --directory "$D"
expect_exit 65
expect_stderr "mailgroup: error: $D:2: 1000002 fields, but the header has 3"
printf 'email,department\na@example.com,Eng\n"b@example.com,Eng\n' >"$D"
run eval dept@example.com --directory "$D"
expect_exit 65
expect_stderr "mailgroup: error: $D:3:1: unbalanced quote: this quoted field never ends"
printf 'email,department\na@example.com,Ing\xe9nierie\n' >"$D"
run eval dept@example.com --directory "$D"
expect_exit 65
expect_stderr "mailgroup: error: $D:2:18: not valid UTF-8 (export the directory as UTF-8)"
finish
