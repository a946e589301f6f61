#!/usr/bin/env bash
# A CI job for a store kept in git with its generated maps committed beside
# it: fails (exit 1) when someone changed the store but not the maps.
#   examples/check-maps.sh [STORE] [MAPS]
set -euo pipefail
store=${1:-examples/store}
maps=${2:-examples/postfix}
mailgroup --store "$store" check
mailgroup --store "$store" generate postfix --output "$maps" \
  --map-dir /etc/postfix/mailgroup --check
