#!/bin/sh
# What `make bench` needs beyond tests/deps.sh: nginx (the stand-in API for
# timed runs), collectd's curl_json (collectd-core), check_curl
# (monitoring-plugins-standard), wrk (nginx's capacity), valgrind
# (callgrind), openssl (the HTTPS certificate), iproute2 (ss: a free UDP
# port for the network writer). Installs what is missing with apt-get, as
# root or via sudo.
set -eu
# liburiparser1: check_curl links it but Debian 12 does not depend on it.
PKGS="nginx-light monitoring-plugins-standard liburiparser1 collectd-core wrk valgrind openssl iproute2"
# The Debian nginx package may start a system nginx (on :80); ours runs on
# its own port and configuration, so it is left be.
# shellcheck disable=SC2086
exec sh tests/deps.sh $PKGS
