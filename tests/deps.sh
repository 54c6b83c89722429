#!/bin/sh
# Installs what building and testing quo-collectd needs, on Debian or
# Ubuntu. Shared by `make check` and `make demo`. Quiet when all is there.
set -eu

PKGS="gcc make pkg-config libcurl4-openssl-dev libyajl-dev collectd-core \
collectd-dev check libmicrohttpd-dev clang-format curl \
openssl clang libclang-rt-14-dev valgrind"

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "deps: not a Debian/Ubuntu system; install the equivalents of:" >&2
  echo "  $PKGS" >&2
  exit 1
fi

missing=""
for p in $PKGS; do
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
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "deps: done"
