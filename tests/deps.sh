#!/bin/sh
# Installs Debian/Ubuntu packages when they are missing: as root, or through
# sudo when it needs no password; otherwise stops and prints the exact
# command to run. Quiet when all is there.
#
#   sh tests/deps.sh [STEP]     what a make step needs: demo, check (the
#                               default: everything `make check` runs),
#                               deb (make deb), valgrind, budget, fresh
#                               (make fresh-check, on the host)
#   sh tests/deps.sh PKG...     those packages (make rpm, make bench, ...)
#
# These lists are where every package a build step or a test needs is
# named: a minimal Debian 12 (debootstrap --variant=minbase) with only make
# added passes `make demo` and then `make check` with what they install
# (`make fresh-check` proves it). Installs use --no-install-recommends, so
# a package that is only recommended by another must be named here.
set -eu

# make all: the compiler and the headers of libcurl, yajl and collectd.
BUILD="gcc make pkg-config libcurl4-openssl-dev libyajl-dev collectd-dev"
# make demo: collectd itself (collectd-core: the daemon and its stock csv
# and logfile plugins), libmicrohttpd for the stand-in API.
DEMO="$BUILD collectd-core libmicrohttpd-dev"
# The .debs: dpkg-buildpackage checks build-essential is installed before
# it builds anything; lintian checks them; man (man-db) reads the packaged
# man pages in package-check; perl's JSON::PP checks the Grafana dashboard.
DEB="$BUILD build-essential dpkg-dev debhelper fakeroot lintian perl man-db"
# make check, on top of the demo and the .debs:
# - check: the unit and integration test framework;
# - curl: package-check scrapes write_prometheus, budget reads /_stats;
# - openssl: the fault matrix makes its self-signed TLS certificate;
# - ca-certificates: libcurl's default CA file. Without it a TLS error is a
#   CA-file error, not the certificate verdict the fault matrix asserts (and
#   the packages talk HTTPS to api.quo.com: they depend on it too);
# - libprotobuf-c1: collectd's write_prometheus.so links it, collectd-core
#   only recommends it (package-check's Scaling-out part loads it);
# - clang-format (format-check), clang and its libFuzzer and sanitizer
#   runtimes (fuzz-check).
CHECK="$DEMO $DEB check curl openssl ca-certificates libprotobuf-c1 \
  clang-format clang libclang-rt-14-dev python3"

case "${1:-check}" in
  demo) set -- $DEMO ;;
  check) set -- $CHECK ;;
  deb) set -- $DEB ;;
  valgrind) set -- $DEMO valgrind ;;
  budget) set -- $DEMO curl ;;
  # make fresh-check, on the host: debootstrap builds the chroot, git
  # clones the tree into it.
  fresh) set -- debootstrap git ;;
  *) ;;
esac

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
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends$missing" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# Another apt run may hold the lock: wait for it rather than fail.
APT="$SUDO apt-get -o DPkg::Lock::Timeout=600 -y -qq"
$APT update
# shellcheck disable=SC2086
$APT install --no-install-recommends $missing >/dev/null
echo "deps: done"
