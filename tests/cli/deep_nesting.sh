#!/usr/bin/env bash
# Groups nested in a chain deeper than Postfix expands
# (virtual_alias_recursion_limit, 1000) are an error that names the group,
# and no chain, however long, crashes a command: the nesting is walked on a
# stack of its own. (A chain of 40,000 hand-written group files overflowed
# the call stack of check, list and generate.)
source "$(dirname "$0")/common.sh"
new_store
# chain N: groups c0 -> c1 -> ... -> c(N-1) -> a person, as files.
chain() {
  rm -f "$MAILGROUP_STORE"/groups/*.toml
  python3 - "$MAILGROUP_STORE/groups" "$1" <<'PY'
import sys
folder, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    member = f"c{i + 1}@example.com" if i + 1 < n else "p@people.example.net"
    with open(f"{folder}/c{i}@example.com.toml", "w") as f:
        f.write(f'address = "c{i}@example.com"\nadministrators = ["boss@example.com"]\n'
                f'members = ["{member}"]\n')
PY
}
chain 1000
run check
expect_ok
run generate postfix --output "$WORK/maps"
expect_exit 0
grep -q "^c0@example.com	p@people.example.net\$" "$WORK/maps/virtual" || fail "c0 not expanded to its person in the virtual map"

chain 1001
for args in check list "generate postfix --output $WORK/maps2" "show c5@example.com"; do
  read -ra argv <<<"$args"
  run "${argv[@]}"
  if [ "${argv[0]}" = show ]; then
    expect_exit 0 # one group: its file alone is read
    continue
  fi
  expect_exit 65
  expect_stderr "mailgroup: error: $MAILGROUP_STORE/groups/c0@example.com.toml:1:11: \"c0@example.com\" nests groups 1001 levels deep; Postfix expands at most 1000 (virtual_alias_recursion_limit): make the chain shorter"
done
[ -e "$WORK/maps2" ] && fail "generate wrote maps for a chain too deep"

# 40,000 levels: an error, not a crash.
chain 40000
run check
expect_exit 65
expect_stderr "mailgroup: error: $MAILGROUP_STORE/groups/c0@example.com.toml:1:11: \"c0@example.com\" nests groups 40000 levels deep; Postfix expands at most 1000 (virtual_alias_recursion_limit): make the chain shorter"
# A cycle at the end of a long chain is named, from where the walk met it.
sed -i 's|"p@people.example.net"|"c39998@example.com"|' "$MAILGROUP_STORE/groups/c39999@example.com.toml"
run check
expect_exit 65
expect_stderr "mailgroup: error: $MAILGROUP_STORE/groups: nested groups form a cycle: c39998@example.com -> c39999@example.com -> c39998@example.com"
finish
