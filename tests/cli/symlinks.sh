#!/usr/bin/env bash
# Lock, temporary and output files cannot be redirected through symlinks
# planted in the store or the output directory; files get safe modes.
source "$(dirname "$0")/common.sh"
new_store
run create team@example.com --member a@example.com
victim="$WORK/victim"
echo "precious" >"$victim"

# A planted lock file.
rm -f "$MAILGROUP_STORE/.lock"
ln -s "$victim" "$MAILGROUP_STORE/.lock"
run member add team@example.com b@example.com
expect_exit 74
expect_stderr "mailgroup: error: cannot open lock file $MAILGROUP_STORE/.lock: Too many levels of symbolic links"
expect_file "$victim" "precious"
rm "$MAILGROUP_STORE/.lock"

# Planted names beside the maps: postmap's work files and the sources.
OUT="$WORK/maps"
mkdir -p "$OUT/senders"
ln -s "$victim" "$OUT/.virtual.new"
ln -s "$victim" "$OUT/.virtual.new.db"
ln -s "$victim" "$OUT/recipient_access"
if command -v postmap >/dev/null || [ -x /usr/sbin/postmap ]; then
  mkdir -p "$WORK/pf" && echo 'compatibility_level = 3.6' >"$WORK/pf/main.cf"
  run generate postfix --output "$OUT" --postmap --postfix-config "$WORK/pf"
else
  run generate postfix --output "$OUT"
fi
expect_exit 0
expect_file "$victim" "precious"
CHECKS=$((CHECKS + 1))
[ ! -L "$OUT/recipient_access" ] || fail "recipient_access is still a symlink"
# senders/ as a link: tables would be written, and files deleted, where it
# points.
mkdir "$WORK/elsewhere" && echo "precious" >"$WORK/elsewhere/0123456789abcdef"
run create open@example.com --permission members --member a@example.com
mv "$OUT/senders" "$WORK/senders.real" && ln -s "$WORK/elsewhere" "$OUT/senders"
run generate postfix --output "$OUT"
expect_exit 73
expect_stderr "mailgroup: error: $OUT/senders is a symbolic link; mailgroup writes sender tables only into a real directory: remove the link"
expect_file "$WORK/elsewhere/0123456789abcdef" "precious"
CHECKS=$((CHECKS + 1))
[ "$(ls "$WORK/elsewhere")" = 0123456789abcdef ] || fail "written through the link: $(ls "$WORK/elsewhere")"
rm "$OUT/senders" && mv "$WORK/senders.real" "$OUT/senders"
run delete open@example.com

# The output directory's lock file.
rm "$OUT/.mailgroup.lock"
ln -s "$victim" "$OUT/.mailgroup.lock"
run generate postfix --output "$OUT"
expect_exit 74
expect_stderr "mailgroup: error: cannot open lock file $OUT/.mailgroup.lock: Too many levels of symbolic links"
expect_file "$victim" "precious"
rm "$OUT/.mailgroup.lock"

# Modes: nothing world-writable, whatever the umask.
(umask 000 && "$MAILGROUP" member add team@example.com c@example.com)
CHECKS=$((CHECKS + 1))
bad=$(find "$MAILGROUP_STORE" "$OUT" -perm -o+w ! -type l)
[ -z "$bad" ] || fail "world-writable: $bad"
CHECKS=$((CHECKS + 1))
[ "$(stat -c %a "$MAILGROUP_STORE/groups/team@example.com.toml")" = 644 ] ||
  fail "group file mode $(stat -c %a "$MAILGROUP_STORE/groups/team@example.com.toml")"
# Directories too: 0755 (the outbox 0700) whatever the umask, like the
# files' 0644.
(umask 077 && "$MAILGROUP" --store "$WORK/tight/store/" init --domain example.com --admin boss@example.com >/dev/null)
CHECKS=$((CHECKS + 1))
[ "$(stat -c %a "$WORK/tight/store" "$WORK/tight/store/groups" "$WORK/tight/store/mailgroup.toml" | tr '\n' ' ')" = "755 755 644 " ] ||
  fail "modes under umask 077: $(stat -c '%n %a' "$WORK/tight/store" "$WORK/tight/store/groups" "$WORK/tight/store/mailgroup.toml")"
printf 'email,department,status\np@example.com,Eng,active\n' >"$WORK/tight/people.csv"
(umask 077 && "$MAILGROUP" --store "$WORK/tight/store" create eng@example.com --department Eng >/dev/null 2>&1 &&
  "$MAILGROUP" --store "$WORK/tight/store" sync --directory "$WORK/tight/people.csv" >/dev/null 2>&1 &&
  "$MAILGROUP" --store "$WORK/tight/store" generate postfix --output "$WORK/tight/maps" >/dev/null 2>&1)
CHECKS=$((CHECKS + 1))
[ "$(stat -c %a "$WORK/tight/store/resolved" "$WORK/tight/maps" "$WORK/tight/maps/senders" | tr '\n' ' ')" = "755 755 755 " ] ||
  fail "modes under umask 077: $(stat -c '%n %a' "$WORK/tight/store/resolved" "$WORK/tight/maps" "$WORK/tight/maps/senders")"
finish
