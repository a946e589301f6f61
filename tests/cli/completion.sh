#!/usr/bin/env bash
# The bash completion answers from its COMP_WORDS/COMP_CWORD like bash
# would call it; zsh and fish scripts at least parse.
source "$(dirname "$0")/common.sh"
new_store
run create sales@example.com
run create support@example.com
source "$SOURCE_DIR/completions/mailgroup.bash"

complete_words() {
  COMP_WORDS=("$MAILGROUP" "$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  _mailgroup
  printf '%s\n' "${COMPREPLY[@]}" | sort
}
check_completion() {
  local expected=$1
  shift
  CHECKS=$((CHECKS + 1))
  local actual
  actual=$(complete_words "$@")
  [ "$actual" = "$expected" ] || fail "completing '$*': got [$actual], want [$expected]"
}

check_completion "set
show
sync" s
check_completion "member" mem
check_completion "explain
export" exp
check_completion "--format
--help
--login
--sender" explain -
check_completion "sales@example.com
support@example.com" explain --sender a@example.com ""
check_completion "" explain --sender ""
check_completion "--help
--idle
--index
--log
--socket" policy --
check_completion "add
leave
list
remove" member ""
check_completion "add
list
remove" whitelist ""
check_completion "--as
--dry-run
--help
--no-notify
--reason" member leave --
check_completion "approve
deny
list" request ""
check_completion "flush
list" outbox ""
check_completion "drop
list
release" held ""
check_completion "sales@example.com
support@example.com" held list ""
check_completion "--as
--dry-run
--help
--postfix-config" held release --
check_completion "--dry-run
--help
--no-notify" member add --
check_completion "sales@example.com
support@example.com" member add ""
check_completion "sales@example.com" show sa
check_completion "anyone
domain
members
whitelist" create x@example.com --permission ""
check_completion "csv
json
text" list --format ""
check_completion "cdb
hash
lmdb" generate postfix --table-type ""
check_completion "--directory
--dry-run" sync --d
check_completion "--store" --st
check_completion "contacts" export ""
check_completion "csv
ldif
vcard" export contacts --format ""
check_completion "" --store "$WORK/nowhere" show ""
CHECKS=$((CHECKS + 1))
[ "$(complete_words --store "$MAILGROUP_STORE" freeze su)" = "support@example.com" ] ||
  fail "--store on the command line is not used for group names"

if command -v zsh >/dev/null; then
  CHECKS=$((CHECKS + 1))
  zsh -n "$SOURCE_DIR/completions/_mailgroup" || fail "zsh completion does not parse"
else
  echo "SKIPPED: zsh not installed; zsh completion not checked"
fi
if command -v fish >/dev/null; then
  CHECKS=$((CHECKS + 1))
  fish --no-execute "$SOURCE_DIR/completions/mailgroup.fish" || fail "fish completion does not parse"
  # Exercise it: fish completes subcommands from the script.
  CHECKS=$((CHECKS + 1))
  got=$(fish -c "source $SOURCE_DIR/completions/mailgroup.fish; complete -C 'mailgroup fre'" 2>&1 | cut -f1)
  [ "$got" = "freeze" ] || fail "fish completes 'mailgroup fre' as [$got]"
  CHECKS=$((CHECKS + 1))
  got=$(fish -c "source $SOURCE_DIR/completions/mailgroup.fish; complete -C 'mailgroup held '" 2>&1 | cut -f1 | sort | tr '\n' ' ')
  [ "$got" = "drop list release " ] || fail "fish completes 'mailgroup held ' as [$got]"
else
  echo "SKIPPED: fish not installed; fish completion not checked"
fi
finish
