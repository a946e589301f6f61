#!/usr/bin/env bash
# The man pages lint clean, render, and document every option --help shows.
source "$(dirname "$0")/common.sh"
command -v mandoc >/dev/null || { echo "SKIPPED: mandoc not installed"; exit 125; }
M="$SOURCE_DIR/man"
for page in "$M/mailgroup.1" "$M/mailgroup.toml.5" "$M/mailgroup-rules.7"; do
  CHECKS=$((CHECKS + 1))
  out=$(mandoc -T lint -W warning "$page" 2>&1) || fail "mandoc -T lint $page: $out"
  [ -z "$out" ] || fail "mandoc -T lint $page: $out"
  CHECKS=$((CHECKS + 1))
  mandoc -T ascii "$page" >/dev/null || fail "$page does not render"
done
text=$(mandoc -T ascii "$M/mailgroup.1" | col -b)
for section in NAME SYNOPSIS DESCRIPTION COMMANDS "EXIT STATUS" ENVIRONMENT FILES EXAMPLES "SEE ALSO" POSTFIX "JSON OUTPUT" "ACTING AS SOMEONE" NOTICES "POLICY SERVICE"; do
  CHECKS=$((CHECKS + 1))
  grep -q "^$section" <<<"$text" || fail "mailgroup.1 has no $section section"
done
for command in "" init check create set delete list show freeze unfreeze \
  "member add" "member remove" "member list" "whitelist add" \
  "whitelist remove" "whitelist list" eval sync "generate postfix" \
  "export contacts" log "member leave" "request list" "request approve" \
  "request deny" "outbox list" "outbox flush" "held list" "held release" \
  "held drop" policy; do
  "$MAILGROUP" $command --help >"$WORK/help" 2>&1 || fail "$command --help failed"
  for option in $(grep -oE -- '--[a-z][a-z-]*' "$WORK/help" | sort -u); do
    CHECKS=$((CHECKS + 1))
    grep -qF -- "$option" <<<"$text" || fail "mailgroup.1 does not document $option (of '$command')"
  done
  # Every command is documented under COMMANDS.
  if [ -n "$command" ]; then
    CHECKS=$((CHECKS + 1))
    grep -qE "^ +mailgroup $command( |$)|and \"?mailgroup $command|mailgroup ${command%% *} [a-z|]*${command##* }" <<<"$text" ||
      grep -qF "mailgroup ${command%% *}" <<<"$text" || fail "mailgroup.1 does not document '$command'"
  fi
done
finish
