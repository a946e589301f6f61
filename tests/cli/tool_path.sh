#!/usr/bin/env bash
# Programs mailgroup runs never come from the caller's PATH: Postfix's tools
# are found in its command_directory (postconf at a fixed place), and the
# configured sendmail must be an absolute path.
source "$(dirname "$0")/common.sh"
new_store
run create press@example.com --audit --auditor boss@example.com --member m@people.example.net
expect_ok

# Stand-ins for every tool, first in PATH; each leaves a mark if run.
FAKE="$WORK/fakebin"
mkdir "$FAKE"
for tool in postmap postconf postqueue postsuper postcat sendmail mg-sendmail; do
  printf '#!/bin/sh\necho "$0 $*" >>"%s/ran"\n' "$WORK" >"$FAKE/$tool"
  chmod +x "$FAKE/$tool"
done
export PATH="$FAKE:$PATH"
ran() {
  CHECKS=$((CHECKS + 1))
  [ ! -e "$WORK/ran" ] || fail "$1 ran a program from PATH: $(cat "$WORK/ran")"
  rm -f "$WORK/ran"
}

if [ -x /usr/sbin/postmap ] && [ -x /usr/sbin/postconf ]; then
  mkdir "$WORK/pf"
  printf 'compatibility_level = 3.6\ncommand_directory = /usr/sbin\n' >"$WORK/pf/main.cf"
  run generate postfix --output "$WORK/maps" --postmap --postfix-config "$WORK/pf"
  expect_exit 0
  ran "generate --postmap"
  CHECKS=$((CHECKS + 1))
  [ -s "$WORK/maps/virtual.db" ] || fail "the real postmap did not build virtual.db"

  # Without --postfix-config: the default instance's command_directory
  # (or, with no /etc/postfix/main.cf, /usr/sbin's postmap saying so).
  run generate postfix --output "$WORK/maps2" --postmap
  [ -e /etc/postfix/main.cf ] && expect_exit 0
  ran "generate --postmap (default configuration)"

  # A command_directory that lacks the tool: an error, and no PATH fallback.
  printf 'compatibility_level = 3.6\ncommand_directory = %s/nowhere\n' "$WORK" >"$WORK/pf/main.cf"
  run member add press@example.com n@people.example.net
  run generate postfix --output "$WORK/maps" --postmap --postfix-config "$WORK/pf"
  expect_exit 74
  expect_stderr "mailgroup: error: $WORK/nowhere/postmap not found: Postfix's tools are looked for in its command_directory ($WORK/nowhere), never in PATH; is Postfix installed?"
  ran "generate --postmap with a bad command_directory"
fi

if [ -x /usr/sbin/postqueue ]; then
  run held list --postfix-config "$WORK/no-postfix"
  expect_exit 74
  expect_stderr "mailgroup: error: /usr/sbin/postqueue -c $WORK/no-postfix -j failed (exit status 69): postqueue: fatal: open $WORK/no-postfix/main.cf: No such file or directory"
  ran "held list"
  run held release 4BC1DA9600A --as boss@example.com --postfix-config "$WORK/no-postfix"
  expect_exit 74
  ran "held release"
fi

# sendmail as a bare name would be looked up in PATH: refused where it is
# configured.
sed -i 's|^  "/bin/true",|  "mg-sendmail",|' "$MAILGROUP_STORE/mailgroup.toml"
run member add press@example.com o@people.example.net
expect_exit 78
expect_stderr "mailgroup: error: $MAILGROUP_STORE/mailgroup.toml:30:12: 'sendmail' must start with an absolute path: mailgroup does not search PATH for \"mg-sendmail\"; write e.g. \"/usr/sbin/sendmail\""
run outbox flush
expect_exit 78
ran "a sendmail given as a bare name"
finish
