#!/bin/sh
# Makes a store ready for delegated administration (mailgroup(1),
# DELEGATION): the store belongs to root and only root may read or write
# it; group mailgroup-admins may run mailgroup through sudo.
#
#   examples/setup-delegation.sh [STORE]   (default: /etc/mailgroup)
#
# MAILGROUP_BIN (default /usr/bin/mailgroup) and SUDOERS_FILE (default
# /etc/sudoers.d/mailgroup) are for tests and unusual installs. Safe to run
# again. Needs root.
set -eu
store=${1:-/etc/mailgroup}
bin=${MAILGROUP_BIN:-/usr/bin/mailgroup}
sudoers=${SUDOERS_FILE:-/etc/sudoers.d/mailgroup}
here=$(dirname "$0")

if [ "$(id -u)" -ne 0 ]; then
  echo "setup-delegation: must run as root" >&2
  exit 77
fi
if [ ! -f "$store/mailgroup.toml" ]; then
  echo "setup-delegation: $store is no store (no mailgroup.toml); run 'mailgroup --store $store init' first" >&2
  exit 66
fi
case $(basename "$sudoers") in
*.*) echo "setup-delegation: $sudoers has a dot in its name: sudo would skip it" >&2; exit 64 ;;
esac

# Root owns everything; nobody else reads or writes (the policy index
# and the maps Postfix reads are in generate's output, not here).
chown -R root:root "$store"
chmod 0700 "$store"
find "$store" -mindepth 1 -type d -exec chmod 0700 {} +
find "$store" -type f -exec chmod 0600 {} +

getent group mailgroup-admins >/dev/null || groupadd --system mailgroup-admins

tmp=$(mktemp "$(dirname "$sudoers")/.mailgroup.XXXXXX")
trap 'rm -f "$tmp"' EXIT
sed "s|/usr/bin/mailgroup|$bin|g" "$here/sudoers" >"$tmp"
chmod 0440 "$tmp"
visudo -cqf "$tmp"
mv "$tmp" "$sudoers"
trap - EXIT
echo "setup-delegation: $store belongs to root (0700); $sudoers lets %mailgroup-admins run $bin"
