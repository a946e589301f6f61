#!/usr/bin/env bash
# .group-names keeps the addresses of groups/ for the commands on one group
# (`show` marks the members that are groups from it). It is believed only
# while groups/ is as it records, is written only when groups/ is 2 s old,
# and a cache cut short, edited, made a link or a directory, is listed
# again: `show` is right whatever the file says.
source "$(dirname "$0")/common.sh"
new_store
NAMES="$MAILGROUP_STORE/.group-names"
# More members than show looks up one by one (64): it reads the names.
{
  echo email,department,status
  echo ada@example.com,Engineering,active
  for i in $(seq -w 1 68); do echo "p$i@example.com,Engineering,active"; done
  echo zed@example.com,Engineering,active
} >"$MAILGROUP_STORE/people.csv"
PEOPLE=$(for i in $(seq -w 1 68); do echo "  p$i@example.com"; done)
sed -i 's|^path = ""|path = "people.csv"|' "$MAILGROUP_STORE/mailgroup.toml"
run create eng@example.com --department Engineering
expect_ok
run sync --no-notify
expect_ok
run create team@example.com --member eng@example.com
expect_ok

# expect_members MARK_ADA MARK_ZED: show eng@'s members, ada@ and zed@
# marked as groups or not.
members_of_eng() {
  run show eng@example.com
  expect_exit 0
  sed -n '/^members/,$p' "$WORK/stdout" >"$WORK/members"
}
expect_members() {
  members_of_eng
  expect_file "$WORK/members" "members (70):
  ada@example.com$1
$PEOPLE
  zed@example.com$2"
}

# Right after a change to groups/, show lists it and writes no cache: a
# later change within the clock tick could leave the same times.
expect_members "" ""
[ -e "$NAMES" ] && fail ".group-names written while groups/ was younger than 2 s"

sleep 2.1
expect_members "" ""
expect_file "$NAMES" "$(printf 'mailgroup group names 1\ngroups %s\ncount 2\neng@example.com\nteam@example.com' \
  "$(stat -c '%d:%i' "$MAILGROUP_STORE/groups") $(python3 -c '
import os, sys
s = os.lstat(sys.argv[1])
print(f"{s.st_mtime_ns // 10**9}.{s.st_mtime_ns % 10**9:09d} {s.st_ctime_ns // 10**9}.{s.st_ctime_ns % 10**9:09d}")' "$MAILGROUP_STORE/groups")")"
BEFORE=$(cat "$NAMES")
expect_members "" ""
[ "$(cat "$NAMES")" = "$BEFORE" ] || fail "a show the cache answered rewrote it"

# A group made with a person's address is a member that is a group at
# once: the cache no longer describes groups/.
run create zed@example.com --member ada@example.com
expect_ok
expect_members "" " (group)"

# By hand, as git does: a file removed, one renamed into place.
sleep 2.1
expect_members "" " (group)"
rm "$MAILGROUP_STORE/groups/zed@example.com.toml"
expect_members "" ""
sleep 2.1
expect_members "" ""
sed 's/team@example.com/ada@example.com/; s/"eng@example.com"/"zed@example.com"/' \
  "$MAILGROUP_STORE/groups/team@example.com.toml" >"$WORK/ada.toml"
mv "$WORK/ada.toml" "$MAILGROUP_STORE/groups/ada@example.com.toml"
expect_members " (group)" ""
rm "$MAILGROUP_STORE/groups/ada@example.com.toml"

# The cache as the last show wrote it, with the last name cut off (as a
# crash could leave it) or a name written twice: not believed. (One edited
# to agree with itself is: it is as much the store as groups/ is.)
sleep 2.1
run create zed@example.com --member ada@example.com
expect_ok
sleep 2.1
expect_members "" " (group)"
grep -q '^zed@example.com$' "$NAMES" || fail "no cache naming zed@ to cut short"
GOOD=$(cat "$NAMES")
printf '%s' "$GOOD" | sed '$d' >"$NAMES"
expect_members "" " (group)"
printf '%s\n' "$GOOD" | sed 's/^zed@example.com$/eng@example.com/' >"$NAMES"
expect_members "" " (group)"
# A line break missing at the end, an empty line, another version.
printf '%s' "$GOOD" >"$NAMES"
expect_members "" " (group)"
printf '%s\n\n' "$GOOD" >"$NAMES"
expect_members "" " (group)"
printf '%s\n' "$GOOD" | sed '1s/ 1$/ 2/' >"$NAMES"
expect_members "" " (group)"
# Each of these was listed again and replaced by a good cache.
[ "$(cat "$NAMES")" = "$GOOD" ] || fail "a bad cache was not written again"

# A link in its place is neither read nor written through, a directory is
# left alone: show lists groups/ each time and is right.
rm "$NAMES"
printf 'mailgroup group names 1\n' >"$WORK/elsewhere"
ln -s "$WORK/elsewhere" "$NAMES"
expect_members "" " (group)"
[ -L "$NAMES" ] && fail ".group-names is still a link"
expect_file "$WORK/elsewhere" "mailgroup group names 1"
rm "$NAMES"
mkdir "$NAMES"
expect_members "" " (group)"
expect_members "" " (group)"
[ -d "$NAMES" ] || fail "the directory in .group-names' place was removed"
rmdir "$NAMES"

# init keeps it out of git.
grep -qx '/.group-names' "$MAILGROUP_STORE/.gitignore" || fail ".gitignore does not name .group-names"
finish
