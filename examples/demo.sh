#!/usr/bin/env bash
# The main job on the shipped examples, from nothing to Postfix maps:
#   init -> create groups -> sync from the directory -> generate postfix.
# Usage: examples/demo.sh [MAILGROUP] [DIR]
#   MAILGROUP  the binary (default: build/mailgroup, else mailgroup in PATH)
#   DIR        where to put the store and the maps (default: a new temporary
#              directory, printed at the end)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mailgroup=${1:-}
if [ -z "$mailgroup" ]; then
  mailgroup=$here/../build/mailgroup
  [ -x "$mailgroup" ] || mailgroup=$(command -v mailgroup)
fi
work=${2:-$(mktemp -d "${TMPDIR:-/tmp}/mailgroup-demo.XXXXXX")}
export MAILGROUP_STORE=$work/store
step() { printf '\n$ mailgroup %s\n' "$*"; "$mailgroup" "$@"; }

step init --domain example.com --admin ada@example.com
cp "$here/employees.csv" "$work/employees.csv"
sed -i 's|^path = ""|path = "../employees.csv"|' "$MAILGROUP_STORE/mailgroup.toml"

# Department groups: they follow the directory.
step create --applicant ada@example.com engineering@example.com --name "Engineering" \
  --department Engineering --include-subdepartments --notify-members
step create --applicant ada@example.com senior-engineers@example.com --name "Senior engineers" \
  --department Engineering --include-subdepartments \
  --where 'level >= 7 and title contains "engineer"'
step create --applicant ada@example.com sales@example.com --name "Sales" --department Sales \
  --include-subdepartments --where 'location != "Hampton"' \
  --member katherine@example.com
# Static groups: a whitelist, an audited one, a frozen one, and nesting.
step create --applicant ada@example.com partners@example.com --name "Partner desk" \
  --permission whitelist --member dorothy@example.com
step whitelist add partners@example.com @partner.example ceo@supplier.example
step create --applicant ada@example.com press@example.com --name "Press office" --permission anyone \
  --audit --auditor ada@example.com --ignore-auto-replies \
  --member margaret@example.com --member alan@example.com
step create --applicant ada@example.com apollo@example.com --name "Apollo (archived)" \
  --member margaret@example.com --member barbara@example.com
step freeze apollo@example.com --reason "project archived"
step create --applicant ada@example.com everyone@example.com --name "Everyone" --permission members \
  --member engineering@example.com --member sales@example.com \
  --member alan@example.com --member joan@example.com --hidden

step eval senior-engineers@example.com --explain ken@example.com || true
# engineering@ welcomes its new members by mail; this demo machine may have
# no mail system, so none are sent (leave --no-notify out in production).
step sync --no-notify
step generate postfix --output "$work/postfix"
step list --format csv
printf '\n==> %s\n' "$work/postfix/virtual"
cat "$work/postfix/virtual"
printf '\n==> %s\n' "$work/postfix/recipient_access"
cat "$work/postfix/recipient_access"
printf '\nStore: %s\nMaps:  %s\n' "$MAILGROUP_STORE" "$work/postfix"
