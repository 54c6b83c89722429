#!/bin/sh
# Installs Debian/Ubuntu packages when they are missing: as root, or through
# sudo when it needs no password; otherwise stops and prints the exact
# command to run. Quiet when all is there.
#
#   sh tests/deps.sh            what building and testing need (make check,
#                               make demo)
#   sh tests/deps.sh PKG...     those packages (make deb, make bench, ...)
set -eu

if [ $# -eq 0 ]; then
  set -- gcc make pkg-config libcurl4-openssl-dev libyajl-dev collectd-core \
    collectd-dev check libmicrohttpd-dev clang-format curl openssl clang \
    libclang-rt-14-dev valgrind python3
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "deps: not a Debian/Ubuntu system; install the equivalents of:" >&2
  echo "  $*" >&2
  exit 1
fi

missing=""
for p in "$@"; do
  st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$st" = "installed" ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "deps: installing:$missing"
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO="sudo"
else
  echo "deps: missing packages; run this, then retry:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y$missing" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# Another apt run may hold the lock: wait for it rather than fail.
APT="$SUDO apt-get -o DPkg::Lock::Timeout=600 -y -qq"
$APT update
# shellcheck disable=SC2086
$APT install --no-install-recommends $missing >/dev/null
echo "deps: done"
