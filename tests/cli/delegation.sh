#!/usr/bin/env bash
# Delegated administration (mailgroup(1), DELEGATION) with real,
# unprivileged users running `sudo mailgroup` through the shipped rule
# (examples/sudoers, installed by examples/setup-delegation.sh): each row of
# the rights table, and that nothing a caller controls (environment, --as,
# --store, options naming files) changes who mailgroup thinks they are or
# what root opens for them. Needs root: it adds users, a group and a
# sudoers file, and removes them when it ends.
source "$(dirname "$0")/common.sh"
if [ "$(id -u)" -ne 0 ]; then
  echo "SKIPPED: delegation.sh needs root (useradd, sudoers)"
  exit 125
fi
for tool in sudo runuser useradd userdel groupadd groupdel visudo; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIPPED: $tool not installed (apt-get install sudo passwd util-linux)"
    exit 125
  fi
done

# Accounts are mgt-NAME-PID; those a killed run left behind go first.
PREFIX=mgt
for name in $(getent passwd | cut -d: -f1 | grep -E "^$PREFIX-[a-z]+-[0-9]+$"); do
  kill -0 "${name##*-}" 2>/dev/null || userdel "$name" 2>/dev/null
done
for name in $(getent group | cut -d: -f1 | grep -E "^$PREFIX-[a-z]+-[0-9]+$"); do
  kill -0 "${name##*-}" 2>/dev/null || groupdel "$name" 2>/dev/null
done
rm -f $(ls /etc/sudoers.d/mailgroup-test-* 2>/dev/null | while read -r f; do
  kill -0 "${f##*-}" 2>/dev/null || echo "$f"
done)

ADMINS="$PREFIX-admins-$$"
SUDOERS="/etc/sudoers.d/mailgroup-test-$$"
NAMES="ada bob ceo aud dan eve boss pm sly"
cleanup() {
  rm -f "$SUDOERS" "$SUDOERS"_keep
  for n in $NAMES; do userdel "$PREFIX-$n-$$" 2>/dev/null; done
  groupdel "$ADMINS" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
groupadd "$ADMINS"
for n in $NAMES; do
  useradd --no-create-home --shell /usr/sbin/nologin --groups "$ADMINS" \
    "$PREFIX-$n-$$"
  declare "L_$n=$PREFIX-$n-$$" "U_$n=$(id -u "$PREFIX-$n-$$")"
done

# The binary where everyone can reach it (the build tree may be under a
# 0700 /root) and only root can change it; the store beside it.
chmod 0755 "$WORK"
cd "$WORK" || exit 1
mkdir -m 0755 "$WORK/bin"
install -m 0755 "$MAILGROUP" "$WORK/bin/mailgroup"
BIN="$WORK/bin/mailgroup"
STORE="$MAILGROUP_STORE"

# The store, set up by its owner (root, without sudo).
new_store
cat >>"$STORE/mailgroup.toml" <<TOML
"$L_ada" = "ada@example.com"
"$L_bob" = "bob@example.com"
"$L_ceo" = "ceo@example.com"
"$L_aud" = "aud@example.com"
"$L_dan" = "dan@example.com"
"$L_boss" = "boss@example.com"
"$L_pm" = "postmaster@example.org"
"$L_sly" = "sly@example.com"
TOML
run create sales@example.com --hidden --admin ada@example.com --leave-approval \
  --member bob@example.com --member carol@example.com
expect_ok
run create board@example.com --hidden --admin ceo@example.com --leave-approval \
  --audit --auditor aud@example.com --member bob@example.com --member x@example.com
expect_ok
run create news@example.com --member bob@example.com --member carol@example.com
expect_ok
run create team@example.com --hidden --admin ada@example.com --member t@example.com
expect_ok
run create old@example.com --hidden --admin ada@example.com --member o@example.com
expect_ok

run_setup() {
  SUDOERS_FILE="$SUDOERS" MAILGROUP_BIN="$BIN" ADMINS_GROUP="$ADMINS" \
    "$SOURCE_DIR/examples/setup-delegation.sh" "$@" >"$WORK/stdout" 2>"$WORK/stderr"
  STATUS=$?
}
run_setup "$STORE"
expect_ok
expect_stdout "setup-delegation: $STORE belongs to root (0700); $SUDOERS lets %$ADMINS run $BIN"
expect_file <(stat -c '%U %a' "$STORE" "$STORE/mailgroup.toml" "$STORE/groups" \
  "$STORE/groups/sales@example.com.toml" "$SUDOERS") "root 700
root 600
root 700
root 600
root 440"
run_setup "$STORE" # again: changes nothing, still fine
expect_ok

# as LOGIN ARGS...: LOGIN runs `sudo mailgroup --store STORE ARGS...`;
# as_in DIR LOGIN ARGS...: the same on store DIR.
as_in() {
  local store=$1 login=$2
  shift 2
  runuser -u "$login" -- sudo -n "$BIN" --store "$store" "$@" \
    >"$WORK/stdout" 2>"$WORK/stderr" </dev/null
  STATUS=$?
}
as() { as_in "$STORE" "$@"; }
# without_times: stdout without its time column (sudo resets
# MAILGROUP_NOW: the clock is the real one), tab-separated or not.
without_times() {
  sed -E 's/(^|\t| )20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z/\1TIME/g' "$WORK/stdout" >"$WORK/timeless"
}
# refused TEXT: exit 77 and TEXT as the one error line.
refused() {
  expect_exit 77
  expect_stderr "mailgroup: error: $1"
  expect_stdout ""
}
# unchanged: the store is as it was at the last `before`.
before() { BEFORE=$(snapshot_store); }
unchanged() {
  CHECKS=$((CHECKS + 1))
  [ "$BEFORE" = "$(snapshot_store)" ] || fail "a refused command changed the store"
}

SA="boss@example.com, postmaster@example.com, postmaster@example.org"
ADA="$L_ada (uid $U_ada) as ada@example.com"
BOB="$L_bob (uid $U_bob) as bob@example.com"
DAN="$L_dan (uid $U_dan) as dan@example.com"
EVE="$L_eve (uid $U_eve)"
AUD="$L_aud (uid $U_aud) as aud@example.com"
BOARD_ONLY="only its administrators (ceo@example.com) and store administrators ($SA) may"
HIDDEN_BOARD="it is not shown in contacts; its administrators (ceo@example.com), its auditors (aud@example.com) and store administrators ($SA) may"

# ---- A group's administrator changes their group ----
as "$L_ada" set sales@example.com --name 'Sales team' --description 'Deals'
expect_ok
expect_stdout ""
as "$L_ada" member add sales@example.com dora@example.com
expect_ok
as "$L_ada" member remove sales@example.com carol@example.com
expect_ok
as "$L_ada" whitelist add sales@example.com partner@vendor.example
expect_ok
as "$L_ada" whitelist remove sales@example.com partner@vendor.example
expect_ok
as "$L_ada" whitelist add sales@example.com @vendor.example
expect_ok
as "$L_ada" freeze sales@example.com --reason 'stock take'
expect_ok
as "$L_ada" unfreeze sales@example.com
expect_ok
as "$L_ada" show sales@example.com
expect_ok
expect_stdout "address:              sales@example.com
name:                 Sales team
description:          Deals
applicant:            root
created:              2026-01-31T09:00:00Z
administrators:       ada@example.com
email audit:          off
sending permission:   domain
whitelist:            @vendor.example
show in contacts:     no
notify new members:   no
leave needs approval: yes
ignore auto-replies:  no
require login:        no
send as group:        no
frozen:               no
members (2):
  bob@example.com
  dora@example.com"
as "$L_ada" member list sales@example.com
expect_ok
expect_stdout "bob@example.com
dora@example.com"
as "$L_ada" whitelist list sales@example.com
expect_ok
expect_stdout "@vendor.example"

# ---- ... and no other ----
before
as "$L_ada" set board@example.com --name Mine
refused "$ADA may not change board@example.com: $BOARD_ONLY"
as "$L_ada" member add board@example.com ada@example.com
refused "$ADA may not change board@example.com: $BOARD_ONLY"
as "$L_ada" member remove board@example.com bob@example.com
refused "$ADA may not change board@example.com: $BOARD_ONLY"
as "$L_ada" whitelist add board@example.com @evil.example
refused "$ADA may not change board@example.com: $BOARD_ONLY"
as "$L_ada" whitelist remove board@example.com @evil.example
refused "$ADA may not change board@example.com: $BOARD_ONLY"
as "$L_ada" freeze board@example.com
refused "$ADA may not freeze board@example.com: $BOARD_ONLY"
as "$L_ada" unfreeze board@example.com
refused "$ADA may not unfreeze board@example.com: $BOARD_ONLY"
as "$L_ada" set news@example.com --name Mine
refused "$ADA may not change news@example.com: only its administrators (boss@example.com) and store administrators ($SA) may"
unchanged

# ---- Nesting: putting a group into yours needs the right on it too ----
before
as "$L_ada" member add sales@example.com board@example.com
refused "$ADA may not put group board@example.com into sales@example.com: $BOARD_ONLY"
as "$L_ada" member add sales@example.com news@example.com
refused "$ADA may not put group news@example.com into sales@example.com: only its administrators (boss@example.com) and store administrators ($SA) may"
# Postfix reaches board@ through board+x@ (recipient_delimiter), and so do
# generate and the cycle check: the same nesting.
as "$L_ada" member add sales@example.com board+x@example.com
refused "$ADA may not put group board@example.com into sales@example.com: $BOARD_ONLY"
as "$L_ada" member add sales@example.com BOARD@Example.COM
refused "$ADA may not put group board@example.com into sales@example.com: $BOARD_ONLY"
unchanged
# Both hers: fine.
as "$L_ada" member add sales@example.com team@example.com
expect_ok

# ---- Leave requests: decided by the request's group's administrators ----
as "$L_bob" member leave sales@example.com bob@example.com --reason 'new job'
expect_exit 0
expect_stdout "1"
as "$L_bob" member leave board@example.com bob@example.com
expect_exit 0
expect_stdout "2"
before
as "$L_ada" request approve 2
refused "$ADA may not approve request 2 (bob@example.com leaving board@example.com): $BOARD_ONLY"
as "$L_ada" request deny 2 --reason no
refused "$ADA may not deny request 2 (bob@example.com leaving board@example.com): $BOARD_ONLY"
# A member may not decide their own request.
as "$L_bob" request approve 1
refused "$BOB may not approve request 1 (bob@example.com leaving sales@example.com): only its administrators (ada@example.com) and store administrators ($SA) may"
unchanged
# request list: what one may decide, and one's own.
as "$L_ada" request list
expect_ok
without_times
expect_file "$WORK/timeless" "1	sales@example.com	bob@example.com	TIME	bob@example.com	new job"
as "$L_ceo" request list
expect_ok
without_times
expect_file "$WORK/timeless" "2	board@example.com	bob@example.com	TIME	bob@example.com	"
as "$L_bob" request list
expect_ok
without_times
expect_file "$WORK/timeless" "1	sales@example.com	bob@example.com	TIME	bob@example.com	new job
2	board@example.com	bob@example.com	TIME	bob@example.com	"
as "$L_dan" request list
expect_ok
expect_stdout ""
as "$L_ada" request approve 1
expect_ok
as "$L_ceo" request deny 2 --reason 'board needs you'
expect_ok
as "$L_ada" member list sales@example.com
expect_stdout "dora@example.com
team@example.com"

# ---- Members: leave themselves, not others ----
before
as "$L_bob" member leave board@example.com x@example.com
refused "$BOB may not take x@example.com out of board@example.com: only the member themself, its administrators (ceo@example.com) and store administrators may"
as "$L_dan" member leave news@example.com bob@example.com
refused "$DAN may not take bob@example.com out of news@example.com: only the member themself, its administrators (boss@example.com) and store administrators may"
as "$L_eve" member leave news@example.com bob@example.com
refused "$EVE may not take bob@example.com out of news@example.com: login \"$L_eve\" has no address under [users] in mailgroup.toml; the store's owner can add \"$L_eve\" = \"ADDRESS\" there"
unchanged
as "$L_bob" member leave news@example.com bob@example.com
expect_ok
as "$L_bob" member list news@example.com
expect_ok
expect_stdout "carol@example.com"

# ---- delete: store administrators; group administrators if allowed ----
before
as "$L_ada" delete old@example.com
refused "$ADA may not delete old@example.com: only store administrators ($SA) may ([delegation] administrators_may_delete is off)"
unchanged
printf '[delegation]\nadministrators_may_delete = true\n' >"$WORK/delegation.toml"
python3 - "$STORE/mailgroup.toml" "$WORK/delegation.toml" <<'PY'
import sys
path, extra = sys.argv[1], open(sys.argv[2]).read()
text = open(path).read()
# Before [users], the last table.
text = text.replace("[users]", extra + "\n[users]", 1)
open(path, "w").write(text)
PY
before
as "$L_ada" delete board@example.com
refused "$ADA may not delete board@example.com: $BOARD_ONLY"
unchanged
as "$L_ada" delete old@example.com
expect_ok
as "$L_ada" list
expect_ok
expect_stdout "news@example.com
sales@example.com
team@example.com"

# ---- Anyone: the groups shown in contacts; nothing else ----
for who in "$L_dan" "$L_eve"; do
  as "$who" list
  expect_ok
  expect_stdout "news@example.com"
  as "$who" show news@example.com
  expect_ok
  as "$who" member list news@example.com
  expect_ok
  expect_stdout "carol@example.com"
  as "$who" whitelist list news@example.com
  expect_ok
  as "$who" export contacts --format csv
  expect_ok
  expect_stdout "name,address,description
news@example.com,news@example.com,"
done
before
as "$L_dan" show board@example.com
refused "$DAN may not show board@example.com: $HIDDEN_BOARD"
as "$L_dan" member list board@example.com
refused "$DAN may not list the members of board@example.com: $HIDDEN_BOARD"
as "$L_dan" whitelist list board@example.com
refused "$DAN may not list the whitelist of board@example.com: $HIDDEN_BOARD"
as "$L_eve" show sales@example.com
refused "$EVE may not show sales@example.com: it is not shown in contacts; its administrators (ada@example.com), its auditors (nobody) and store administrators ($SA) may"
as "$L_dan" member add news@example.com dan@example.com
refused "$DAN may not change news@example.com: only its administrators (boss@example.com) and store administrators ($SA) may"
as "$L_eve" freeze news@example.com
refused "$EVE may not freeze news@example.com: only its administrators (boss@example.com) and store administrators ($SA) may"
unchanged

# ---- Auditors read the groups they audit, and change nothing ----
as "$L_aud" list
expect_ok
expect_stdout "board@example.com
news@example.com"
as "$L_aud" member list board@example.com
expect_ok
expect_stdout "bob@example.com
x@example.com"
before
as "$L_aud" set board@example.com --no-audit
refused "$AUD may not change board@example.com: $BOARD_ONLY"
unchanged

# ---- Store administrators only ----
before
for cmd in "create x@example.com:create x@example.com" \
  "check:check the store" "eval:evaluate department groups" \
  "explain --sender a@example.com news@example.com:explain Postfix's answers" \
  "outbox list:list the outbox" "outbox flush:flush the outbox" \
  "sync:sync"; do
  read -ra args <<<"${cmd%%:*}"
  as "$L_ada" "${args[@]}"
  refused "$ADA may not ${cmd#*:}: only store administrators ($SA) may"
done
unchanged
# [defaults] administrators, and postmaster@ a local domain.
as "$L_boss" create x@example.com --hidden --member y@example.com
expect_ok
as "$L_boss" check
expect_ok
as "$L_pm" set board@example.com --description 'The board'
expect_ok
as "$L_pm" show board@example.com --format json
expect_exit 0
# Commands that are root's alone, whoever asks through sudo.
before
as "$L_boss" init --domain example.com
refused "$L_boss (uid $U_boss) may not create a store through sudo: only root may"
as "$L_boss" generate postfix --output "$WORK/maps"
refused "$L_boss (uid $U_boss) may not generate Postfix's files through sudo: only root may"
as "$L_boss" policy --index "$WORK/index"
refused "$L_boss (uid $U_boss) may not run the policy service through sudo: only root may"
unchanged

# ---- The change log: a group administrator sees their groups' ----
as "$L_ada" log
expect_ok
without_times
expect_file "$WORK/timeless" 'TIME root "create" sales@example.com: created
TIME root "create" team@example.com: created
TIME ada@example.com "set" sales@example.com: name: (none) -> "Sales team"
TIME ada@example.com "set" sales@example.com: description: (none) -> "Deals"
TIME ada@example.com "member add" sales@example.com: members: +dora@example.com
TIME ada@example.com "member remove" sales@example.com: members: -carol@example.com
TIME ada@example.com "whitelist add" sales@example.com: whitelist: +partner@vendor.example
TIME ada@example.com "whitelist remove" sales@example.com: whitelist: -partner@vendor.example
TIME ada@example.com "whitelist add" sales@example.com: whitelist: +@vendor.example
TIME ada@example.com "freeze" sales@example.com: frozen: no -> yes
TIME ada@example.com "freeze" sales@example.com: frozen_reason: (none) -> "stock take"
TIME ada@example.com "unfreeze" sales@example.com: frozen: yes -> no
TIME ada@example.com "unfreeze" sales@example.com: frozen_reason: "stock take" -> (none)
TIME ada@example.com "member add" sales@example.com: members: +team@example.com
TIME bob@example.com "member leave" sales@example.com: request 1: bob@example.com asks to leave (new job)
TIME ada@example.com "request approve" sales@example.com: members: -bob@example.com
TIME ada@example.com "request approve" sales@example.com: request 1 approved: bob@example.com leaves'
as "$L_dan" log
expect_ok
expect_stdout ""
before
as "$L_ada" log board@example.com
refused "$ADA may not read the change log of board@example.com: $BOARD_ONLY"
unchanged

# ---- Nothing the caller controls changes who they are ----
before
NOT_BOARD="$ADA may not change board@example.com: $BOARD_ONLY"
# The names sudo and login shells set: never read.
runuser -u "$L_ada" -- env SUDO_USER="$L_boss" USER="$L_boss" LOGNAME="$L_boss" \
  SUDO_UID="$U_boss" sudo -n "$BIN" --store "$STORE" set board@example.com --name Mine \
  >"$WORK/stdout" 2>"$WORK/stderr" </dev/null
STATUS=$?
refused "$NOT_BOARD"
# The rule allows the binary only: not `env SUDO_UID=0 mailgroup`.
runuser -u "$L_ada" -- sudo -n env SUDO_UID=0 "$BIN" --store "$STORE" \
  set board@example.com --name Mine >"$WORK/stdout" 2>"$WORK/stderr" </dev/null
STATUS=$?
expect_exit 1
expect_stderr "sudo: a password is required"
# --as is the owner's.
as "$L_ada" set board@example.com --name Mine --as boss@example.com
expect_exit 64
as "$L_ada" request approve 2 --as ceo@example.com
refused "$L_ada may not use --as: only root or the store's owner may act for someone else; you act as yourself (ada@example.com)"
as "$L_eve" member leave board@example.com bob@example.com --as bob@example.com
refused "$L_eve may not use --as: only root or the store's owner may act for someone else; you act as yourself (no address under [users])"
unchanged

# sudo keeps neither MAILGROUP_STORE nor MAILGROUP_NOW.
# A store ada owns, where she is everybody: refused through sudo.
mkdir -m 0755 "$WORK/ada"
chown "$L_ada" "$WORK/ada"
runuser -u "$L_ada" -- env MAILGROUP_STORE="$WORK/ada/store" MAILGROUP_NOW= \
  "$BIN" init --domain example.com --admin ada@example.com >/dev/null 2>&1 ||
  fail "ada cannot make a store of her own"
runuser -u "$L_ada" -- env MAILGROUP_NOW= "$BIN" --store "$WORK/ada/store" \
  create board@example.com --member ada@example.com >/dev/null 2>&1 ||
  fail "ada cannot change a store of her own"
ADA_BEFORE=$(cd "$WORK/ada/store" && find . -type f ! -name .lock -print0 | sort -z | xargs -0 sha256sum)
as_in "$WORK/ada/store" "$L_ada" member add board@example.com eve@evil.example
refused "$L_ada (uid $U_ada) runs mailgroup through sudo, so the store must be one only root can change: $WORK/ada belongs to uid $U_ada, not to root"
runuser -u "$L_ada" -- env MAILGROUP_STORE="$WORK/ada/store" sudo -n "$BIN" \
  member add board@example.com eve@evil.example >"$WORK/stdout" 2>"$WORK/stderr" </dev/null
STATUS=$?
if [ ! -e /etc/mailgroup ]; then # the default store, not hers
  refused "$L_ada (uid $U_ada) runs mailgroup through sudo, so the store must be one only root can change: /etc/mailgroup: No such file or directory"
fi
# A store only root may write, in a directory she may: refused too (she
# could swap it for one of hers).
mkdir -m 0755 "$WORK/ada/copy"
cp -a "$STORE" "$WORK/ada/copy/store"
as_in "$WORK/ada/copy/store" "$L_ada" member add board@example.com eve@evil.example
refused "$L_ada (uid $U_ada) runs mailgroup through sudo, so the store must be one only root can change: $WORK/ada belongs to uid $U_ada, not to root"
# ... or in a directory of root's her group may write.
mkdir -m 0775 "$WORK/shared"
chgrp "$L_ada" "$WORK/shared"
cp -a "$STORE" "$WORK/shared/store"
as_in "$WORK/shared/store" "$L_ada" member add board@example.com eve@evil.example
refused "$L_ada (uid $U_ada) runs mailgroup through sudo, so the store must be one only root can change: $WORK/shared is writable by others than its owner (mode 775)"
# ... or whose mailgroup.toml is hers.
mkdir -m 0755 "$WORK/root2"
cp -a "$STORE" "$WORK/root2/store"
chown "$L_ada" "$WORK/root2/store/mailgroup.toml"
as_in "$WORK/root2/store" "$L_ada" member add board@example.com eve@evil.example
refused "$L_ada (uid $U_ada) runs mailgroup through sudo, so the store must be one only root can change: $WORK/root2/store/mailgroup.toml belongs to uid $U_ada, not to root"
[ "$ADA_BEFORE" = "$(cd "$WORK/ada/store" && find . -type f ! -name .lock -print0 | sort -z | xargs -0 sha256sum)" ] ||
  fail "a refused command changed ada's own store"
unchanged

# Options naming files: root would open them for the caller.
NAMING="may not name files or directories through sudo: root would open them for you; leave the option out to use the store's own"
for args in "sync --directory /etc/shadow" "eval --directory /etc/shadow" \
  "held list --postfix-config /tmp/x" "held release 4BC1DA9600A --postfix-config /tmp/x" \
  "held drop 4BC1DA9600A --postfix-config /tmp/x"; do
  read -ra argv <<<"$args"
  as "$L_boss" "${argv[@]}"
  refused "$L_boss (uid $U_boss) $NAMING"
done
unchanged

# A --store through a link she can swap: checked and used as one path.
# (Checked on the link's target and then opened through the link, a swap
# in between had root work on her store, where she is the owner.)
mkdir -m 0755 "$WORK/ada/evil"
chown "$L_ada" "$WORK/ada/evil"
cp -a "$WORK/ada/store" "$WORK/ada/evil/store"
chown -R "$L_ada" "$WORK/ada/evil/store"
runuser -u "$L_ada" -- bash -c '
  cd "$1" || exit 1
  for i in $(seq 1 100000); do
    ln -sfn "$2" l1 && mv -T l1 link
    ln -sfn "$3" l2 && mv -T l2 link
  done' swap "$WORK/ada" "$STORE" "$WORK/ada/evil/store" 2>/dev/null &
SWAPPER=$!
sleep 0.2
seen_hers=0
for i in $(seq 1 200); do
  as_in "$WORK/ada/link" "$L_ada" list
  grep -q . "$WORK/stdout" && ! grep -qx 'sales@example.com' "$WORK/stdout" &&
    seen_hers=$((seen_hers + 1))
done
kill "$SWAPPER" 2>/dev/null
wait "$SWAPPER" 2>/dev/null
CHECKS=$((CHECKS + 1))
[ "$seen_hers" = 0 ] || fail "root listed ada's own store through a swapped link ($seen_hers of 200)"

# What sudo itself refuses: variables on its command line, other commands.
runuser -u "$L_ada" -- sudo -n SUDO_UID=0 MAILGROUP_NOW=2001-01-01T00:00:00Z \
  "$BIN" --store "$STORE" list >"$WORK/stdout" 2>"$WORK/stderr" </dev/null
STATUS=$?
expect_exit 1
expect_stderr "sudo: sorry, you are not allowed to set the following environment variables: SUDO_UID, MAILGROUP_NOW"

# A careless rule that keeps variables (env_keep): mailgroup still ignores
# MAILGROUP_NOW, still checks the store MAILGROUP_STORE names, and sudo sets
# SUDO_UID itself.
printf 'Defaults:%s env_keep += "MAILGROUP_NOW MAILGROUP_STORE SUDO_UID SUDO_USER"\n' \
  "$L_sly" >"$SUDOERS-keep"
chmod 0440 "$SUDOERS-keep"
visudo -cqf "$SUDOERS-keep" || fail "the env_keep rule is not valid sudoers"
mv "$SUDOERS-keep" "$SUDOERS"_keep
run create sly@example.com --hidden --admin sly@example.com --member s@example.com
expect_ok
before
runuser -u "$L_sly" -- env MAILGROUP_STORE="$WORK/ada/store" sudo -n "$BIN" \
  member add board@example.com eve@evil.example >"$WORK/stdout" 2>"$WORK/stderr" </dev/null
STATUS=$?
refused "$L_sly (uid $U_sly) runs mailgroup through sudo, so the store must be one only root can change: $WORK/ada belongs to uid $U_ada, not to root"
runuser -u "$L_sly" -- env SUDO_UID=0 SUDO_USER=root sudo -n "$BIN" --store "$STORE" \
  set board@example.com --name Mine >"$WORK/stdout" 2>"$WORK/stderr" </dev/null
STATUS=$?
refused "$L_sly (uid $U_sly) as sly@example.com may not change board@example.com: $BOARD_ONLY"
unchanged
runuser -u "$L_sly" -- env MAILGROUP_NOW=2001-01-01T00:00:00Z sudo -n "$BIN" --store "$STORE" \
  member add sly@example.com s2@example.com >"$WORK/stdout" 2>"$WORK/stderr" </dev/null
STATUS=$?
expect_ok
CHECKS=$((CHECKS + 1))
tail -n 1 "$STORE/log.jsonl" | grep -q '"time":"2001-' &&
  fail "MAILGROUP_NOW set the time of a change made through sudo"
rm -f "$SUDOERS"_keep

# ---- Without sudo, a user cannot touch the store at all ----
before
runuser -u "$L_ada" -- "$BIN" --store "$STORE" member add sales@example.com z@example.com \
  >"$WORK/stdout" 2>"$WORK/stderr" </dev/null
STATUS=$?
expect_exit 74
expect_stderr "mailgroup: error: cannot open lock file $STORE/.lock: Permission denied"
# Even if its modes let her read it, she writes nothing.
chmod -R go+rX "$STORE"
runuser -u "$L_ada" -- "$BIN" --store "$STORE" member add sales@example.com z@example.com \
  >"$WORK/stdout" 2>"$WORK/stderr" </dev/null
STATUS=$?
expect_exit 74
expect_stderr "mailgroup: error: cannot open lock file $STORE/.lock: Permission denied"
chmod -R go-rwx "$STORE"
unchanged

# ---- The change log names the real caller ----
# Through sudo the clock is the real one: times are left out.
run log --format json
expect_ok
python3 - "$WORK/stdout" >"$WORK/actors" <<'PY'
import json, sys
for e in json.load(open(sys.argv[1])):
    print(e["actor"], e.get("login", "-"), e.get("uid", "-"), e["command"], e["group"])
PY
expect_file "$WORK/actors" "root root 0 create sales@example.com
root root 0 create board@example.com
root root 0 create news@example.com
root root 0 create team@example.com
root root 0 create old@example.com
ada@example.com $L_ada $U_ada set sales@example.com
ada@example.com $L_ada $U_ada member add sales@example.com
ada@example.com $L_ada $U_ada member remove sales@example.com
ada@example.com $L_ada $U_ada whitelist add sales@example.com
ada@example.com $L_ada $U_ada whitelist remove sales@example.com
ada@example.com $L_ada $U_ada whitelist add sales@example.com
ada@example.com $L_ada $U_ada freeze sales@example.com
ada@example.com $L_ada $U_ada unfreeze sales@example.com
ada@example.com $L_ada $U_ada member add sales@example.com
bob@example.com $L_bob $U_bob member leave sales@example.com
bob@example.com $L_bob $U_bob member leave board@example.com
ada@example.com $L_ada $U_ada request approve sales@example.com
ada@example.com $L_ada $U_ada request approve sales@example.com
ceo@example.com $L_ceo $U_ceo request deny board@example.com
bob@example.com $L_bob $U_bob member leave news@example.com
ada@example.com $L_ada $U_ada delete old@example.com
boss@example.com $L_boss $U_boss create x@example.com
postmaster@example.org $L_pm $U_pm set board@example.com
root root 0 create sly@example.com
sly@example.com $L_sly $U_sly member add sly@example.com"
# Every line of log.jsonl has the three fields.
python3 - "$STORE/log.jsonl" <<'PY' || fail "a log.jsonl entry lacks actor, login or uid"
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    assert isinstance(e["actor"], str) and isinstance(e["login"], str) and isinstance(e["uid"], int), e
PY

finish
