#!/bin/sh
# What `make bench` needs beyond tests/deps.sh: nginx (the stand-in API for
# timed runs), collectd's curl_json (collectd-core), check_curl
# (monitoring-plugins-standard), wrk (nginx's capacity), valgrind
# (callgrind). Installs what is missing with apt-get, as root or via sudo.
set -eu
# liburiparser1: check_curl links it but Debian 12 does not depend on it.
PKGS="nginx-light monitoring-plugins-standard liburiparser1 collectd-core wrk valgrind"
missing=""
for p in $PKGS; do
  st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$st" = "installed" ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "bench-deps: installing:$missing"
if [ "$(id -u)" -eq 0 ]; then SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO=sudo
else
  echo "bench-deps: run: sudo apt-get install -y$missing" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# Another apt run (a colleague's) may hold the lock: wait for it.
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
# shellcheck disable=SC2086
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
  --no-install-recommends $missing >/dev/null
# The Debian package may start a system nginx (on :80); ours runs on its own
# port and configuration, so leave it be.
echo "bench-deps: done"
