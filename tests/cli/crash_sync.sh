#!/usr/bin/env bash
# kill -9 at random moments during syncs that rewrite hundreds of groups
# in one batch: afterwards `mailgroup check` passes and every group's
# members are wholly the old or wholly the new ones.
source "$(dirname "$0")/common.sh"
new_store
# The directories have no status column: everyone is active.
sed -i 's|^status_column_optional = false|status_column_optional = true|' "$MAILGROUP_STORE/mailgroup.toml"
ROUNDS=${CRASH_ROUNDS:-150}
A="$WORK/a.csv"
B="$WORK/b.csv"
{
  echo "email,department,team"
  for i in $(seq 1 3000); do echo "p$i@example.com,Eng/T$((i % 300)),x"; done
} >"$A"
{
  echo "email,department,team"
  for i in $(seq 1 3000); do echo "p$i@example.com,Eng/T$(((i + 1) % 300)),x"; done
} >"$B"
G="$MAILGROUP_STORE/groups"
for t in $(seq 0 299); do
  printf 'address = "t%s@example.com"\nadministrators = ["boss@example.com"]\n\n[dynamic]\ndepartment = "Eng/T%s"\n' "$t" "$t" >"$G/t$t@example.com.toml"
done
run sync --directory "$A"
expect_ok
a_state=$(cat "$MAILGROUP_STORE"/resolved/*.members | sha256sum)
run sync --directory "$B" --force
expect_ok
b_state=$(cat "$MAILGROUP_STORE"/resolved/*.members | sha256sum)

for round in $(seq 1 "$ROUNDS"); do
  dir=$A
  [ $((round % 2)) -eq 0 ] && dir=$B
  kill_randomly 100 "" --wait 30 sync --directory "$dir" --force
done
run check
expect_exit 0
# What killed writers leave is reported, and is nothing else.
CHECKS=$((CHECKS + 1))
if grep -v -e 'a temporary file left by an interrupted write; the next mailgroup write removes it$' \
  -e 'a commit was interrupted; the next mailgroup write finishes it$' "$WORK/stderr" | grep -q .; then
  fail "check: $(cat "$WORK/stderr")"
fi
# Each file whole: it is one of the two versions of that group's file.
for t in $(seq 0 299); do
  f="$MAILGROUP_STORE/resolved/t$t@example.com.members"
  CHECKS=$((CHECKS + 1))
  n=$(grep -vc '^#' "$f")
  [ "$n" -eq 10 ] || fail "$f has $n members: torn?"
done
# And a clean sync still converges.
run sync --directory "$A" --force
expect_exit 0
CHECKS=$((CHECKS + 1))
[ "$(cat "$MAILGROUP_STORE"/resolved/*.members | sha256sum)" = "$a_state" ] || fail "sync did not converge"
# That write finished or removed whatever the kills left.
run check
expect_ok
finish
