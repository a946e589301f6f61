#!/usr/bin/env bash
# Builds the .deb, installs it with dpkg, checks what a user gets (binary,
# version, man pages, completions), and removes it cleanly. Needs root and
# a machine where installing a package is fine (CI).
set -euo pipefail
build=${1:?usage: tests/package.sh BUILD_DIR}
if [ "$(id -u)" -ne 0 ]; then
  echo "SKIPPED: tests/package.sh needs root"
  exit 0
fi
unset SUDO_USER SUDO_UID SUDO_GID SUDO_COMMAND # see .ci/test
cd "$build"
rm -f mailgroup_*.deb
cpack -G DEB >/dev/null
deb=$(ls mailgroup_*.deb)
echo "built $deb"
dpkg-deb --field "$deb" Depends | grep -q libre2 || { echo "FAIL: Depends lacks libre2"; exit 1; }
dpkg -i "$deb" >/dev/null
trap 'dpkg -r mailgroup >/dev/null 2>&1 || true' EXIT
mailgroup --version | grep -E '^mailgroup [0-9]'
man -w mailgroup | grep -q 'man1/mailgroup.1'
man -w 5 mailgroup.toml | grep -q 'man5/mailgroup.toml.5'
man -w 7 mailgroup-rules | grep -q 'man7/mailgroup-rules.7'
test -f /usr/share/bash-completion/completions/mailgroup
test -f /usr/share/zsh/site-functions/_mailgroup
test -f /usr/share/fish/vendor_completions.d/mailgroup.fish
store=$(mktemp -d)
mailgroup --store "$store/s" init --domain example.com
rm -rf "$store"
dpkg -r mailgroup >/dev/null
trap - EXIT
if [ -e /usr/bin/mailgroup ] || [ -e /usr/share/man/man1/mailgroup.1 ] ||
  [ -e /usr/share/bash-completion/completions/mailgroup ]; then
  echo "FAIL: files left behind after dpkg -r"
  exit 1
fi
echo "package: 1 passed, 0 failed"
