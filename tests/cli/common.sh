# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by every tests/cli/*.sh: runs the real binary ($MAILGROUP) in a
# scratch store and compares exit status, stdout and stderr exactly.
set -u

: "${MAILGROUP:?set MAILGROUP to the mailgroup binary}"
: "${SOURCE_DIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"

TEST_NAME=$(basename "$0" .sh)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mailgroup-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export MAILGROUP_STORE="$WORK/store"
export MAILGROUP_NOW=2026-01-31T09:00:00Z
# mailgroup knows the caller by uid, never by $USER: expected texts write
# the login of whoever runs the tests (root in CI) as @ME@, its uid as @UID@.
ME=$(id -un)
MY_UID=$(id -u)
export USER=tester # a decoy: mailgroup must not read it
# Run through sudo, mailgroup would (rightly) treat the tests as a delegated
# caller; the tests that want that use sudo themselves.
unset SUDO_USER SUDO_UID SUDO_GID SUDO_COMMAND
FAILURES=0
CHECKS=0

# run ARGS...: runs mailgroup, keeping stdout, stderr and the exit status.
run() {
  "$MAILGROUP" "$@" >"$WORK/stdout" 2>"$WORK/stderr" </dev/null
  STATUS=$?
}

# run_stdin TEXT ARGS...: like run, with TEXT on standard input.
run_stdin() {
  local input=$1
  shift
  printf '%s' "$input" | "$MAILGROUP" "$@" >"$WORK/stdout" 2>"$WORK/stderr"
  STATUS=$?
}

fail() {
  FAILURES=$((FAILURES + 1))
  # The line of the test script, however deep the helpers go.
  local depth=$((${#BASH_LINENO[@]} - 2))
  printf 'FAIL %s (line %s): %s\n' "$TEST_NAME" "${BASH_LINENO[depth]}" "$*" >&2
}

expect_exit() {
  CHECKS=$((CHECKS + 1))
  if [ "$STATUS" != "$1" ]; then
    fail "exit status $STATUS, expected $1; stderr: $(cat "$WORK/stderr")"
  fi
}

# expect_stdout TEXT / expect_stderr TEXT: the whole output, exactly (a
# trailing newline is implied, as with $(...)).
expect_stdout() { expect_file "$WORK/stdout" "$1"; }
expect_stderr() { expect_file "$WORK/stderr" "$1"; }

# expect_ok: exit 0, nothing on stderr.
expect_ok() {
  expect_exit 0
  expect_stderr ""
}

# expect_file FILE TEXT: FILE holds exactly TEXT (@ME@ and @UID@ in TEXT
# stand for the login and uid running the tests).
expect_file() {
  CHECKS=$((CHECKS + 1))
  local actual expected=${2//@ME@/$ME}
  expected=${expected//@UID@/$MY_UID}
  actual=$(cat "$1")
  if [ "$actual" != "$expected" ]; then
    fail "$1 differs:$(diff <(printf '%s\n' "$expected") <(printf '%s\n' "$actual"))"
  fi
}

# snapshot_store: a fingerprint of every file in the store, to prove that a
# failed command changed nothing. (.sync-stamp is a cache a sync that finds
# nothing to do may write: sync_stamp.sh checks it; .group-names one a
# reader may write: group_names.sh.)
snapshot_store() {
  (cd "$MAILGROUP_STORE" && find . -type f ! -name .lock ! -name .sync-stamp ! -name .group-names -print0 | sort -z |
    xargs -0 sha256sum)
}

# new_store: a store whose welcome notices go nowhere (notify.sh checks
# them with its own stand-in for sendmail).
new_store() {
  run init --domain example.com --domain example.org --admin boss@example.com
  expect_ok
  sed -i 's|^  "/usr/sbin/sendmail",|  "/bin/true",|' "$MAILGROUP_STORE/mailgroup.toml"
}

# kill_randomly MAX_MS INPUT ARGS...: starts mailgroup ARGS in the
# background with INPUT on its standard input and kill -9s it after a random
# 0 to MAX_MS milliseconds: somewhere between before it starts and after it
# ends. Its output is thrown away.
kill_randomly() {
  local max_us=$(($1 * 1000)) input=$2
  shift 2
  printf '%s' "$input" | "$MAILGROUP" "$@" >/dev/null 2>&1 &
  local pid=$!
  local us=$(((RANDOM * 32768 + RANDOM) % max_us))
  sleep "$((us / 1000000)).$(printf '%06d' $((us % 1000000)))"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
}

# postfix_config: skips the test (125) without postmap; else $PF is a
# minimal Postfix configuration directory for postmap -c.
postfix_config() {
  if ! [ -x /usr/sbin/postmap ]; then
    echo "SKIPPED: postmap not installed"
    exit 125
  fi
  PF="$WORK/pf"
  mkdir "$PF" && echo 'compatibility_level = 3.6' >"$PF/main.cf"
}

finish() {
  if [ "$FAILURES" -ne 0 ]; then
    echo "$TEST_NAME: $FAILURES of $CHECKS checks failed" >&2
    exit 1
  fi
  echo "$TEST_NAME: $CHECKS checks passed"
  exit 0
}
