#!/usr/bin/env bash
# A group address never names a path: no write outside the store, no group
# hidden in a sub-folder of groups/, no group file read through a link.
source "$(dirname "$0")/common.sh"
new_store
outside="$WORK/outside"
mkdir -p "$outside" "$MAILGROUP_STORE/groups/a"
before=$(snapshot_store)

for address in "$outside/evil@example.com" a/b@example.com 'x/y/z@example.com'; do
  run create "$address" --member ann@example.com
  expect_exit 65
  expect_stderr "mailgroup: error: invalid group address \"$address\": \"/\" is not allowed in a group's local part, which names its file in the store; use only letters, digits and . - _ + ="
done
# Dots cannot climb either: the address rules refuse a leading or double dot.
for address in ../b@example.com 'x/../../y@example.com' .hidden@example.com; do
  run create "$address"
  expect_exit 65
  expect_stderr "mailgroup: error: invalid address \"$address\": has a local part with a leading, trailing or double dot"
done
# Other characters that are valid in a mailbox but not in a group's name.
for c in '&' '*' '?' '{' '|' '~' '$' '!' '%' '^'; do
  run create "a${c}b@example.com"
  expect_exit 65
  expect_stderr "mailgroup: error: invalid group address \"a${c}b@example.com\": \"$c\" is not allowed in a group's local part, which names its file in the store; use only letters, digits and . - _ + ="
done
CHECKS=$((CHECKS + 1))
[ -z "$(find "$outside" "$MAILGROUP_STORE/groups/a" -type f)" ] ||
  fail "files written: $(find "$outside" "$MAILGROUP_STORE/groups/a" -type f)"
CHECKS=$((CHECKS + 1))
[ "$before" = "$(snapshot_store)" ] || fail "the store changed"

# Such addresses are fine as members: they are mailboxes, not file names.
run create team+urgent@example.com --member 'a/b@example.com' --member 'r&d@example.com'
expect_ok
run list
expect_stdout "team+urgent@example.com"

# A hand-written group file cannot smuggle such an address in either.
cat >"$MAILGROUP_STORE/groups/evil.toml" <<'TOML'
address = "x/evil@example.com"
administrators = ["boss@example.com"]
TOML
run check
expect_exit 65
expect_stderr "mailgroup: error: $MAILGROUP_STORE/groups/evil.toml:1:11: invalid group address \"x/evil@example.com\": \"/\" is not allowed in a group's local part, which names its file in the store; use only letters, digits and . - _ + ="
rm "$MAILGROUP_STORE/groups/evil.toml"

# A group file that is a link to a file elsewhere is refused, not read.
printf 'address = "x@example.com"\n' >"$outside/x.toml"
ln -s "$outside/x.toml" "$MAILGROUP_STORE/groups/x@example.com.toml"
run list
expect_exit 65
expect_stderr "mailgroup: error: $MAILGROUP_STORE/groups/x@example.com.toml: is a symbolic link; a group file must be a regular file in groups/ (replace the link with the file)"
rm "$MAILGROUP_STORE/groups/x@example.com.toml"
finish
