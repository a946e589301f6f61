#!/bin/sh
# Makes a store ready for delegated administration (mailgroup(1),
# DELEGATION): the store belongs to root and only root may read or write
# it; group mailgroup-admins may run mailgroup through sudo.
#
#   examples/setup-delegation.sh [STORE]   (default: /etc/mailgroup)
#
# MAILGROUP_BIN (default /usr/bin/mailgroup), SUDOERS_FILE (default
# /etc/sudoers.d/mailgroup) and ADMINS_GROUP (default mailgroup-admins) are
# for tests and unusual installs. Safe to run again. Needs root.
set -eu
store=${1:-/etc/mailgroup}
bin=${MAILGROUP_BIN:-/usr/bin/mailgroup}
sudoers=${SUDOERS_FILE:-/etc/sudoers.d/mailgroup}
admins=${ADMINS_GROUP:-mailgroup-admins}
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
*.* | *~) echo "setup-delegation: $sudoers has a dot or a ~ in its name: sudo would skip it" >&2; exit 64 ;;
esac
# sudo runs the binary as root: whoever can replace it (or rename it in its
# directory) is root. And sed below puts the path into the rule as is.
case $bin in
/*) ;;
*) echo "setup-delegation: MAILGROUP_BIN=$bin is not an absolute path" >&2; exit 64 ;;
esac
case $bin$admins in
*[!A-Za-z0-9/._+-]*) echo "setup-delegation: $bin or $admins has characters sudoers would read otherwise" >&2; exit 64 ;;
esac
if [ ! -x "$bin" ] || [ -n "$(find -H "$bin" "$(dirname "$bin")" -maxdepth 0 \
  \( ! -user root -o -perm /022 \))" ]; then
  echo "setup-delegation: $bin must be an executable that only root can change" >&2
  exit 77
fi

# Root owns everything; nobody else reads or writes (the policy index
# and the maps Postfix reads are in generate's output, not here).
chown -R root:root "$store"
chmod 0700 "$store"
find "$store" -mindepth 1 -type d -exec chmod 0700 {} +
find "$store" -type f -exec chmod 0600 {} +

getent group "$admins" >/dev/null || groupadd --system "$admins"

tmp=$(mktemp "$(dirname "$sudoers")/.mailgroup.XXXXXX")
trap 'rm -f "$tmp"' EXIT
sed -e "s|/usr/bin/mailgroup|$bin|g" -e "s|%mailgroup-admins|%$admins|g" \
  "$here/sudoers" >"$tmp"
chmod 0440 "$tmp"
visudo -cqf "$tmp"
mv "$tmp" "$sudoers"
trap - EXIT
echo "setup-delegation: $store belongs to root (0700); $sudoers lets %$admins run $bin"
