#!/bin/sh
# Installs the Debian packages named as arguments when they are missing:
# as root, or through sudo when it needs no password; otherwise stops and
# prints the exact command to run. Used by packaging/packaging.mk.
set -eu

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "packaging deps: not a Debian/Ubuntu system; install the equivalents of:" >&2
  echo "  $*" >&2
  exit 1
fi

missing=""
for p in "$@"; do
  st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$st" = "installed" ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "packaging deps: installing:$missing"
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO="sudo"
else
  echo "packaging deps: missing packages; run this, then retry:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y$missing" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086
if ! $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null; then
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
echo "packaging deps: done"
