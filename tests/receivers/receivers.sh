#!/usr/bin/env bash
# make receivers-check: the alerting and graphing paths against the real
# receivers, as an operator would run them on Debian 12.
#   1. nagios4 -v over contrib/nagios/quo.cfg with Debian's stock templates,
#      without and with the packaged commands (packaging/debian/quo.cfg).
#   2. icinga2 daemon -C over contrib/icinga2/quo.conf.
#   3. A real nagios4 under a temporary config (its own command FIFO,
#      status.dat, check results), fed by collectd + quo.so through the exec
#      plugin's NotificationExec and build/quo-notify-nagios, and running
#      check_quo itself: an API outage turns quo-api/bool-healthy CRITICAL
#      and back to OK, a call going ringing -> missed turns its one service
#      WARNING, the active checks reach their states, the key is in no
#      Nagios file.
#   4. A real icinga2 under a temporary config (its own `command` feature
#      FIFO, data, cache, log and run directories, as the nagios user) with
#      contrib/icinga2/quo.conf: check_quo through its CheckCommand, and
#      collectd's notifications through quo-notify-nagios into its pipe
#      (the API answering 403 turns quo-api/bool-healthy CRITICAL and back
#      to OK, ringing -> missed turns the call's service WARNING, both hard
#      states), read back from its REST API; the key is in no Icinga file.
#   5. prometheus scraping collectd's write_prometheus while quo.so polls
#      the stand-in: every query of contrib/grafana/quo-collectd.json, with
#      its window derived from collectd's interval as the dashboard derives
#      it, returns data.
# Everything started here is stopped, and the temporary directory removed,
# on exit, also on failure. Needs root (Nagios and collectd's exec plugin
# run their programs as the nagios user).
set -eu

. tests/lib.sh

sh tests/deps.sh nagios4-core nagios4-common icinga2-bin prometheus \
  libprotobuf-c1 jq curl

NAGIOS=""
ICINGA=""
PROM=""
rcv_cleanup() {
  rc=$?
  # Nothing here may stop the cleanup half-way (a daemon that exits
  # non-zero on SIGTERM would, under set -e).
  set +e
  for p in $NAGIOS $ICINGA $PROM; do
    kill "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  if [ $rc -ne 0 ] && [ -n "${DIR:-}" ]; then
    echo "receivers: FAILED; last lines of the logs:" >&2
    for f in "$DIR"/nagios/nagios.log "$DIR"/collectd*.log \
      "$DIR"/collectd*.out "$DIR"/icinga2.out "$DIR"/icinga2-run/log/icinga2.log \
      "$DIR"/prometheus.log; do
      [ -f "$f" ] && { echo "== $f" >&2; tail -n 15 "$f" >&2; }
    done
  fi
  quo_cleanup
  exit $rc
}

fail() {
  echo "receivers: FAIL: $*" >&2
  exit 1
}
pass() {
  PASSED=$((PASSED + 1))
  echo "receivers: ok $PASSED - $*"
}
PASSED=0
START=$(date +%s)

quo_setup receivers
trap rcv_cleanup EXIT
# Interrupted: fail, and let the EXIT trap clean up.
trap 'exit 143' TERM
trap 'exit 130' INT
# The nagios user walks through $DIR to its own directory; the key file in
# $DIR stays 0600 root.
chmod 0711 "$DIR"
[ "$(id -u)" -eq 0 ] || fail "run as root (nagios4 and collectd's exec plugin switch to the nagios user)"
id nagios >/dev/null 2>&1 || fail "no nagios user (nagios4-common creates it)"

# A TCP port nothing listens on, below Linux's ephemeral range (32768-)
# so that no outgoing connection takes it meanwhile.
free_port() {
  local p
  for _ in $(seq 50); do
    p=$((20000 + RANDOM % 12000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return
    fi
  done
  fail "no free TCP port"
}

# A call body the stand-in serves; finished calls have completedAt.
call_fixture() { # ID STATUS FINISHED(0|1)
  if [ "$3" = 1 ]; then
    echo "$1 $2 duration=60 completedAt=2026-11-27T09:01:00Z"
  else
    echo "$1 $2 duration=5"
  fi | quo_generate "$DIR/fixtures"
}

mkdir -p "$DIR/fixtures"
cp "$ROOT"/tests/fixtures/calls/*.json "$DIR/fixtures/"
call_fixture ACring0001 ringing 0
call_fixture AClive0001 in-progress 0
quo_standin "$DIR/fixtures"
quo_plugins
cp /usr/lib/collectd/exec.so /usr/lib/collectd/write_prometheus.so \
  "$DIR/plugins/"
KEY=$(head -n 1 "$DIR/api.key")

# ---- 1. nagios4 -v over the contrib objects --------------------------------

N="$DIR/nagios"
mkdir -p "$N/bin" "$N/rw" "$N/checkresults" "$N/tmp" "$DIR/nagios-key"
cp "$ROOT/$B/check_quo" "$ROOT/$B/quo-notify-nagios" "$N/bin/"
# check_quo as Nagios runs it reads the key from a file only nagios reads;
# kept outside $N so that every file under $N can be searched for the key.
install -m 0600 -o nagios -g nagios "$DIR/api.key" "$DIR/nagios-key/quo.key"
chown nagios:nagios "$DIR/nagios-key"
printf '$USER1$=%s\n' "$N/bin" > "$N/resource.cfg"
# Nagios reads its object files after switching to the nagios user.
nagios_own() {
  chown -R nagios:nagios "$N"
  chmod -R u+rwX,g+rX,o-rwx "$N"
}

# nagios.cfg over the given object files (Debian's stock commands,
# contacts, time periods and templates first).
nagios_cfg() {
  cat <<CFG
log_file=$N/nagios.log
cfg_file=/etc/nagios4/objects/commands.cfg
cfg_file=/etc/nagios4/objects/contacts.cfg
cfg_file=/etc/nagios4/objects/timeperiods.cfg
cfg_file=/etc/nagios4/objects/templates.cfg
$(for f in "$@"; do echo "cfg_file=$f"; done)
object_cache_file=$N/objects.cache
precached_object_file=$N/objects.precache
resource_file=$N/resource.cfg
status_file=$N/status.dat
status_update_interval=1
nagios_user=nagios
nagios_group=nagios
check_external_commands=1
command_file=$N/rw/nagios.cmd
lock_file=$N/nagios.lock
temp_file=$N/nagios.tmp
temp_path=$N/tmp
check_result_path=$N/checkresults
check_result_reaper_frequency=1
retain_state_information=0
state_retention_file=$N/retention.dat
debug_file=$N/nagios.debug
debug_level=0
query_socket=$N/rw/nagios.qh
enable_notifications=0
log_passive_checks=1
accept_passive_service_checks=1
illegal_macro_output_chars=\`~\$&|'"<>
CFG
}

# The packaged commands and the contrib objects, as installed: checked
# exactly as shipped, byte for byte. Copied first: nagios4 reads them as
# the nagios user, who may not enter the tree (a clone in /root is 0700).
mkdir -p "$N/shipped"
cp "$ROOT/contrib/nagios/quo.cfg" "$N/shipped/contrib-quo.cfg"
cp "$ROOT/packaging/debian/quo.cfg" "$N/shipped/packaged-quo.cfg"
nagios_cfg "$N/shipped/contrib-quo.cfg" > "$N/v-contrib.cfg"
nagios_cfg /dev/null "$N/shipped/packaged-quo.cfg" \
  "$N/shipped/contrib-quo.cfg" > "$N/v-both.cfg"
sed -i '/cfg_file=\/dev\/null/d' "$N/v-both.cfg"
nagios_own
nagios4 -v "$N/v-contrib.cfg" > "$N/v-contrib.out" 2>&1 ||
  { cat "$N/v-contrib.out" >&2; fail "nagios4 -v: contrib/nagios/quo.cfg alone"; }
nagios4 -v "$N/v-both.cfg" > "$N/v-both.out" 2>&1 ||
  { cat "$N/v-both.out" >&2; fail "nagios4 -v: contrib/nagios/quo.cfg with packaging/debian/quo.cfg"; }
grep -q 'Total Errors: *0' "$N/v-both.out" || fail "nagios4 -v reported errors"
pass "nagios4 -v: contrib/nagios/quo.cfg with Debian's templates, with and without the packaged commands"
# The check can fail: the contrib objects loaded twice are refused.
nagios_cfg "$N/shipped/contrib-quo.cfg" "$N/dup.cfg" > "$N/v-dup.cfg"
cp "$ROOT/contrib/nagios/quo.cfg" "$N/dup.cfg"
nagios_own
if nagios4 -v "$N/v-dup.cfg" > "$N/v-dup.out" 2>&1; then
  fail "nagios4 -v accepted duplicate definitions: it validates nothing here"
fi
grep -qi 'duplicate' "$N/v-dup.out" || fail "nagios4 -v failed for another reason than duplicates"
pass "nagios4 -v refuses duplicate definitions (the check can fail)"

# ---- 2. icinga2 daemon -C over the contrib definitions ---------------------

I="$DIR/icinga2"
mkdir -p "$I/cache" "$I/lib" "$I/log" /run/icinga2
chown nagios "$I/cache" "$I/lib" "$I/log"
chmod 0755 "$I"
icinga_check() { # CONFIG_FILES...
  {
    echo 'const PluginDir = "/usr/lib/nagios/plugins"'
    echo 'const NodeName = "quo-receivers"'
    echo 'const ZoneName = "quo-receivers"'
    echo 'include <itl>'
    echo 'include <plugins>'
    for f in "$@"; do echo "include \"$f\""; done
  } > "$I/icinga2.conf"
  chmod 0644 "$I/icinga2.conf"
  icinga2 daemon -C -c "$I/icinga2.conf" \
    -DConfiguration.CacheDir="$I/cache" -DConfiguration.DataDir="$I/lib" \
    -DConfiguration.LogDir="$I/log" -DConfiguration.RunAsUser=nagios \
    > "$I/check.out" 2>&1
}
cp "$ROOT/contrib/icinga2/quo.conf" "$I/quo.conf"
chmod 0644 "$I/quo.conf"
icinga_check "$I/quo.conf" || { cat "$I/check.out" >&2; fail "icinga2 daemon -C: contrib/icinga2/quo.conf"; }
grep -q 'Instantiated [0-9]* Services' "$I/check.out" || fail "icinga2 loaded no services"
# The key goes through -k FILE: no environment, no variable holds it.
if grep -q 'QUO_API_KEY' "$I/quo.conf"; then
  fail "contrib/icinga2/quo.conf hands the key through the environment"
fi
grep -q '"-k"' "$I/quo.conf" || fail "contrib/icinga2/quo.conf: no -k argument"
pass "icinga2 daemon -C: contrib/icinga2/quo.conf (key read by check_quo -k)"
printf 'object CheckCommand "quo" { command = [ "x" ] }\n' > "$I/dup.conf"
chmod 0644 "$I/dup.conf"
if icinga_check "$I/quo.conf" "$I/dup.conf"; then
  fail "icinga2 daemon -C accepted a duplicate CheckCommand: it validates nothing here"
fi
pass "icinga2 daemon -C refuses a duplicate CheckCommand (the check can fail)"

# ---- 3. a real nagios4 fed by collectd and running check_quo ----------------

HOST=quo-receivers
# The contrib objects for this host and these paths, plus a service on the
# packaged check_quo_args command (extra options: -u, -t,
# --not-found-state) for a call the API does not know.
sed -e "s/collectd\.example\.net/$HOST/" \
  -e "s#/etc/nagios/quo.key#$DIR/nagios-key/quo.key#" \
  -e "s#!-w 2 -c 5 #!-u http://127.0.0.1:$PORT -t 5 -w 2 -c 5 #" \
  "$ROOT/contrib/nagios/quo.cfg" > "$N/quo-contrib.cfg"
grep -q -- "-u http://127.0.0.1:$PORT" "$N/quo-contrib.cfg" ||
  fail "could not point the contrib active service at the stand-in"
sed -e "s#/usr/lib/nagios/plugins#$N/bin#" \
  -e "s#/etc/nagios/quo.key#$DIR/nagios-key/quo.key#" \
  "$ROOT/packaging/debian/quo.cfg" > "$N/quo-packaged.cfg"
cat > "$N/quo-test.cfg" <<CFG
define service {
    use                     generic-service
    host_name               $HOST
    service_description     Quo unknown call
    check_command           check_quo_args!ACnotthere0001!-u http://127.0.0.1:$PORT -t 5 --not-found-state critical
    max_check_attempts      1
}
CFG
nagios_cfg "$N/quo-packaged.cfg" "$N/quo-contrib.cfg" "$N/quo-test.cfg" \
  > "$N/nagios.cfg"
nagios_own
nagios4 -v "$N/nagios.cfg" > "$N/v-run.out" 2>&1 ||
  { cat "$N/v-run.out" >&2; fail "nagios4 -v: the test configuration"; }

nagios4 "$N/nagios.cfg" > "$DIR/nagios.out" 2>&1 &
NAGIOS=$!
i=0
until [ -p "$N/rw/nagios.cmd" ] && [ -s "$N/status.dat" ]; do
  i=$((i + 1))
  [ $i -lt 100 ] || fail "nagios4 did not create its command pipe and status.dat"
  kill -0 "$NAGIOS" 2>/dev/null || fail "nagios4 exited: $(cat "$DIR/nagios.out")"
  sleep 0.2
done

# A field of one service's block in status.dat.
svc_field() { # SERVICE FIELD
  awk -v s="$1" -v f="$2" '
    /^servicestatus \{/ { inb = 1; d = ""; v = "" }
    inb && index($0, "\tservice_description=") == 1 { d = substr($0, index($0, "=") + 1) }
    inb && index($0, "\t" f "=") == 1 { v = substr($0, index($0, "=") + 1) }
    /^\t\}/ { if (inb && d == s) print v; inb = 0 }
  ' "$N/status.dat"
}
# Waits until SERVICE has been checked and is in STATE.
wait_state() { # SERVICE STATE SECONDS
  local deadline=$(($(date +%s) + $3))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    if [ "$(svc_field "$1" has_been_checked)" = 1 ] &&
      [ "$(svc_field "$1" current_state)" = "$2" ]; then
      return 0
    fi
    sleep 0.5
  done
  fail "$1: state $(svc_field "$1" current_state) (checked: $(svc_field "$1" has_been_checked)), want $2; output: $(svc_field "$1" plugin_output)"
}
# Bounded: opening a FIFO for writing waits for a reader.
nagios_cmd() {
  timeout 5 sh -c 'printf "[%s] %s\n" "$(date +%s)" "$1" > "$2"' sh "$1" \
    "$N/rw/nagios.cmd" || fail "nagios4 does not read its command pipe"
}

# Checks forced through the pipe, as an operator would from the web UI.
nagios_cmd "SCHEDULE_FORCED_SVC_CHECK;$HOST;Quo support line;$(date +%s)"
nagios_cmd "SCHEDULE_FORCED_SVC_CHECK;$HOST;Quo unknown call;$(date +%s)"
wait_state "Quo support line" 0 30
svc_field "Quo support line" plugin_output | grep -q '^QUO OK' ||
  fail "Quo support line: $(svc_field "Quo support line" plugin_output)"
wait_state "Quo unknown call" 2 30
pass "active check_quo through the contrib and packaged (check_quo_args) commands: OK and CRITICAL (404 with --not-found-state critical)"

# collectd with quo.so watching the front desk and a live call, its
# notifications handed to quo-notify-nagios by the exec plugin as the nagios
# user (exec refuses root), who may write the pipe: NAME (of the conf, log
# and csv dir) PIPE. Sets COLLECTD; returns once quo values are dispatched.
start_collectd_feeding() {
  quo_conf_head "$HOST" 1 "$DIR/collectd-$1.log" "$DIR/csv-$1" > "$DIR/collectd-$1.conf"
  cat >> "$DIR/collectd-$1.conf" <<CONF
  <Call "ACring0001">
    Instance "front-desk"
  </Call>
  Call "AClive0001"
</Plugin>
LoadPlugin exec
<Plugin exec>
  NotificationExec "nagios" "$N/bin/quo-notify-nagios" "$2"
</Plugin>
CONF
  collectd -f -C "$DIR/collectd-$1.conf" > "$DIR/collectd-$1.out" 2>&1 &
  COLLECTD=$!
  i=0
  until [ -d "$DIR/csv-$1/$HOST/quo-api" ]; do
    i=$((i + 1))
    [ $i -lt 100 ] || fail "collectd ($1) dispatched no quo values"
    kill -0 "$COLLECTD" 2>/dev/null || fail "collectd ($1) exited"
    sleep 0.2
  done
  sleep 2
}

start_collectd_feeding nagios "$N/rw/nagios.cmd"

# An API outage: the stand-in stops, the API service goes CRITICAL (a hard
# state at once: max_check_attempts 1), then OK when it is back.
SAVED_PORT=$PORT
quo_stop_standin
wait_state "quo-api/bool-healthy" 2 30
svc_field "quo-api/bool-healthy" plugin_output | grep -q 'Quo' ||
  fail "quo-api/bool-healthy: output $(svc_field "quo-api/bool-healthy" plugin_output)"
pass "API outage: quo-api/bool-healthy CRITICAL in Nagios ($(svc_field "quo-api/bool-healthy" plugin_output | cut -c1-60)...)"
PORT=$SAVED_PORT
quo_standin "$DIR/fixtures"
wait_state "quo-api/bool-healthy" 0 30
pass "API back: quo-api/bool-healthy OK"

# A call going ringing -> missed: its one service goes WARNING.
# Before the change: no result yet (the first status seen is a baseline).
[ "$(svc_field "quo-front-desk/bool-status" current_state)" = 0 ] ||
  fail "quo-front-desk/bool-status not OK/PENDING before the change"
call_fixture ACring0001 missed 1
wait_state "quo-front-desk/bool-status" 1 30
svc_field "quo-front-desk/bool-status" plugin_output |
  grep -q 'now missed (was ringing)' ||
  fail "quo-front-desk/bool-status: output $(svc_field "quo-front-desk/bool-status" plugin_output)"
pass "ringing -> missed: quo-front-desk/bool-status WARNING ($(svc_field "quo-front-desk/bool-status" plugin_output))"
# Every result reached a configured service: none was dropped as unknown.
if grep -q 'could not be found\|unknown service' "$N/nagios.log"; then
  grep 'could not be found\|unknown service' "$N/nagios.log" >&2
  fail "Nagios dropped passive results for services it does not know"
fi
kill "$COLLECTD"
wait "$COLLECTD" 2>/dev/null || true
COLLECTD=""
kill "$NAGIOS"
wait "$NAGIOS" 2>/dev/null || true
NAGIOS=""
if grep -rqF "$KEY" "$N"; then
  fail "the API key appears in $(grep -rlF "$KEY" "$N" | tr '\n' ' ')"
fi
pass "the API key appears in no Nagios file (status, logs, objects, results)"

# ---- 4. a real icinga2 fed by collectd and running check_quo ----------------

# Icinga 2 as an operator runs it with contrib/icinga2/quo.conf, started by
# hand under a temporary config: its own command FIFO (the `command`
# feature), state, cache, log and run directories, as the nagios user
# (Debian's icinga2 user). State is read back through its REST API (the
# `api` feature, a local ApiUser allowed to query services, a self-signed
# certificate made by `icinga2 pki`): the supported way to read live state
# (status.dat, livestatus and the compat logs are deprecated in 2.13).
IR="$DIR/icinga2-run"
INODE=quo-icinga
mkdir -p "$IR/bin" "$IR/lib/certs" "$IR/cache" "$IR/log" "$IR/spool" \
  "$IR/run/cmd"
cp "$ROOT/$B/check_quo" "$IR/bin/"
# The options every icinga2 run here shares: nothing under /etc/icinga2,
# /var/lib/icinga2 or /run/icinga2 is read or written.
ICINGA_DIRS=(-DConfiguration.DataDir="$IR/lib" -DConfiguration.CacheDir="$IR/cache"
  -DConfiguration.LogDir="$IR/log" -DConfiguration.SpoolDir="$IR/spool"
  -DConfiguration.InitRunDir="$IR/run" -DConfiguration.RunAsUser=nagios
  -DConfiguration.RunAsGroup=nagios)
chown -R nagios:nagios "$IR"
chmod 0750 "$IR"
# icinga2 pki runs as RunAsUser: the certificate and key are the nagios
# user's. The self-signed certificate is its own CA.
icinga2 pki new-cert --cn "$INODE" --key "$IR/lib/certs/$INODE.key" \
  --cert "$IR/lib/certs/$INODE.crt" "${ICINGA_DIRS[@]}" > "$IR/pki.out" 2>&1 ||
  { cat "$IR/pki.out" >&2; fail "icinga2 pki new-cert"; }
cp "$IR/lib/certs/$INODE.crt" "$IR/lib/certs/ca.crt"
IAPI=$(free_port)
# The ApiUser's password is this test's, not the Quo key; curl reads it
# from a file, so it is on no command line either.
IPW=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf 'user = "quo-test:%s"\n' "$IPW" > "$IR/curl.cfg"

# The contrib objects for this host, this key file and the stand-in: the
# passive services' host is collectd's Hostname, the active service gets
# the stand-in's URL (as the Nagios part gets -u).
sed -e "s/collectd\.example\.net/$HOST/" \
  -e "s#/etc/icinga2/quo.key#$DIR/nagios-key/quo.key#" \
  -e "s#^\( *\)check_command = \"quo\"\$#&\n\1vars.quo_base_url = \"http://127.0.0.1:$PORT\"\n\1vars.quo_timeout = 5#" \
  "$ROOT/contrib/icinga2/quo.conf" > "$IR/quo.conf"
grep -q "quo_base_url = \"http://127.0.0.1:$PORT\"" "$IR/quo.conf" ||
  fail "could not point the contrib icinga2 service at the stand-in"
grep -q "\"$HOST\"" "$IR/quo.conf" || fail "could not name collectd's host in contrib/icinga2/quo.conf"
# A second active service on the contrib CheckCommand: two call IDs
# (repeat_key: -i twice), one the API does not know, with
# --not-found-state critical.
cat > "$IR/quo-test.conf" <<CONF
object Service "quo-unknown-call" {
  host_name = "quo-api"
  check_command = "quo"
  vars.quo_call_ids = [ "AClive0001", "ACnotthere0001" ]
  vars.quo_base_url = "http://127.0.0.1:$PORT"
  vars.quo_timeout = 5
  vars.quo_not_found_state = "critical"
}
CONF
cat > "$IR/icinga2.conf" <<CONF
const PluginDir = "$IR/bin"
const NodeName = "$INODE"
const ZoneName = NodeName
include <itl>
include <plugins>
object Endpoint NodeName { }
object Zone ZoneName { endpoints = [ NodeName ] }
object FileLogger "main-log" {
  severity = "information"
  path = "$IR/log/icinga2.log"
}
object CheckerComponent "checker" { }
object ExternalCommandListener "command" {
  command_path = "$IR/run/cmd/icinga2.cmd"
}
object ApiListener "api" {
  bind_host = "127.0.0.1"
  bind_port = $IAPI
}
object ApiUser "quo-test" {
  password = "$IPW"
  permissions = [ "objects/query/Service" ]
}
include "$IR/quo.conf"
include "$IR/quo-test.conf"
CONF
chown -R nagios:nagios "$IR"
icinga2 daemon -C -c "$IR/icinga2.conf" "${ICINGA_DIRS[@]}" > "$IR/v-run.out" 2>&1 ||
  { cat "$IR/v-run.out" >&2; fail "icinga2 daemon -C: the test configuration"; }

icinga2 daemon -c "$IR/icinga2.conf" "${ICINGA_DIRS[@]}" > "$DIR/icinga2.out" 2>&1 &
ICINGA=$!
# One service's attributes, through the API; "pending" before its first
# result.
icinga_api() { # SERVICE JQ_EXPR
  curl -sf --max-time 5 -K "$IR/curl.cfg" --cacert "$IR/lib/certs/ca.crt" \
    --resolve "$INODE:$IAPI:127.0.0.1" -G "https://$INODE:$IAPI/v1/objects/services" \
    --data-urlencode "service=$1" --data-urlencode attrs=state \
    --data-urlencode attrs=state_type --data-urlencode attrs=last_check_result |
    jq -r ".results[0].attrs | $2"
}
icinga_state() { # HOST!SERVICE
  icinga_api "$1" 'if .last_check_result == null then "pending" else .state end'
}
icinga_output() { # HOST!SERVICE
  icinga_api "$1" '.last_check_result.output // ""'
}
# Icinga notifies on hard states only: the passive template's
# max_check_attempts 1 must make the first result hard.
icinga_hard() { # HOST!SERVICE
  [ "$(icinga_api "$1" '.state_type')" = 1 ] ||
    fail "icinga2: $1 is in a soft state (state_type $(icinga_api "$1" '.state_type')): no notification would go out"
}
i=0
until [ -p "$IR/run/cmd/icinga2.cmd" ] && [ -n "$(icinga_state "quo-api!quo-support-line" 2>/dev/null)" ]; do
  i=$((i + 1))
  [ $i -lt 100 ] || fail "icinga2 did not create its command pipe and answer on its API (port $IAPI): $(tail -n 5 "$DIR/icinga2.out")"
  kill -0 "$ICINGA" 2>/dev/null || fail "icinga2 exited: $(tail -n 5 "$DIR/icinga2.out")"
  sleep 0.2
done
[ "$(stat -c %U "$IR/run/cmd/icinga2.cmd")" = nagios ] ||
  fail "icinga2's command pipe is not the nagios user's: $(ls -l "$IR/run/cmd/icinga2.cmd")"
# Waits until SERVICE has a result in STATE.
icinga_wait() { # HOST!SERVICE STATE SECONDS
  local deadline=$(($(date +%s) + $3)) s
  while [ "$(date +%s)" -lt "$deadline" ]; do
    s=$(icinga_state "$1") || true
    [ "$s" = "$2" ] && return 0
    # A result for a service Icinga does not know is dropped: say so now.
    if grep -q 'non-existent' "$IR/log/icinga2.log"; then
      fail "icinga2 dropped results: $(grep -m 2 'non-existent' "$IR/log/icinga2.log")"
    fi
    sleep 0.5
  done
  [ -n "$s" ] || fail "icinga2: no service $1 (or no answer from its API)"
  fail "icinga2: $1: state $s, want $2; output: $(icinga_output "$1")"
}
# Bounded: opening a FIFO for writing waits for a reader.
icinga_cmd() {
  timeout 5 sh -c 'printf "[%s] %s\n" "$(date +%s)" "$1" > "$2"' sh "$1" \
    "$IR/run/cmd/icinga2.cmd" || fail "icinga2 does not read its command pipe"
}

# The active checks, forced through the pipe.
icinga_cmd "SCHEDULE_FORCED_SVC_CHECK;quo-api;quo-support-line;$(date +%s)"
icinga_cmd "SCHEDULE_FORCED_SVC_CHECK;quo-api;quo-unknown-call;$(date +%s)"
icinga_wait "quo-api!quo-support-line" 0 30
icinga_output "quo-api!quo-support-line" | grep -q '^QUO OK' ||
  fail "icinga2: quo-support-line: $(icinga_output "quo-api!quo-support-line")"
icinga_wait "quo-api!quo-unknown-call" 2 30
icinga_output "quo-api!quo-unknown-call" | grep -q 'ACnotthere0001' ||
  fail "icinga2: quo-unknown-call does not name the unknown call: $(icinga_output "quo-api!quo-unknown-call")"
pass "icinga2 runs check_quo through contrib's CheckCommand: quo-support-line OK, two IDs with --not-found-state critical CRITICAL"

# collectd as in the Nagios part, its notifications written by
# quo-notify-nagios to Icinga's pipe. The call starts ringing again.
call_fixture ACring0001 ringing 0
start_collectd_feeding icinga "$IR/run/cmd/icinga2.cmd"

# An API outage of another kind than the Nagios part's: the API answers
# 403 for a call; the API service goes CRITICAL (max_check_attempts 1 in
# the contrib template: a hard state at once), then OK once it answers.
echo "status 403" > "$DIR/fixtures/AClive0001.fault"
icinga_wait "$HOST!quo-api/bool-healthy" 2 30
icinga_hard "$HOST!quo-api/bool-healthy"
icinga_output "$HOST!quo-api/bool-healthy" | grep -q '403' ||
  fail "icinga2: quo-api/bool-healthy: output $(icinga_output "$HOST!quo-api/bool-healthy")"
pass "API answering 403: quo-api/bool-healthy CRITICAL (hard) in Icinga 2 ($(icinga_output "$HOST!quo-api/bool-healthy" | cut -c1-60)...)"
rm "$DIR/fixtures/AClive0001.fault"
icinga_wait "$HOST!quo-api/bool-healthy" 0 30
pass "API back: quo-api/bool-healthy OK in Icinga 2"

# A call going ringing -> missed: its one service goes WARNING; before the
# change it has no result (the first status seen is a baseline) or OK.
s=$(icinga_state "$HOST!quo-front-desk/bool-status") || fail "icinga2: no answer from its API"
[ "$s" = pending ] || [ "$s" = 0 ] ||
  fail "icinga2: quo-front-desk/bool-status $s before the change"
call_fixture ACring0001 missed 1
icinga_wait "$HOST!quo-front-desk/bool-status" 1 30
icinga_hard "$HOST!quo-front-desk/bool-status"
icinga_output "$HOST!quo-front-desk/bool-status" |
  grep -q 'now missed (was ringing)' ||
  fail "icinga2: quo-front-desk/bool-status: output $(icinga_output "$HOST!quo-front-desk/bool-status")"
pass "ringing -> missed: quo-front-desk/bool-status WARNING (hard) in Icinga 2 ($(icinga_output "$HOST!quo-front-desk/bool-status"))"
# Every result reached a configured service, every command was understood.
if grep -q 'External command failed\|non-existent' "$IR/log/icinga2.log"; then
  grep 'External command failed\|non-existent' "$IR/log/icinga2.log" >&2
  fail "icinga2 refused commands from its pipe"
fi
kill "$COLLECTD"
wait "$COLLECTD" 2>/dev/null || true
COLLECTD=""
# Stopped, icinga2 writes its state file (the check results) too.
kill "$ICINGA"
wait "$ICINGA" 2>/dev/null || true
ICINGA=""
[ -s "$IR/lib/icinga2.state" ] || fail "icinga2 wrote no state file"
if grep -rqF "$KEY" "$IR" "$DIR/icinga2.out"; then
  fail "the API key appears in $(grep -rlF "$KEY" "$IR" "$DIR/icinga2.out" | tr '\n' ' ')"
fi
pass "the API key appears in no Icinga 2 file (state, logs, objects cache, variables)"

# ---- 5. prometheus over write_prometheus, every dashboard query ------------

INTERVAL=5
PP=$(free_port)
# write_prometheus on a free port; another one if it was taken meanwhile.
for attempt in 1 2 3; do
  WP=$(free_port)
  {
    quo_conf_head "$HOST" "$INTERVAL" "$DIR/collectd-prom.log" "$DIR/csv-prom"
    cat <<CONF
  <Call "AC3700e624eca547eb9f749a06f2eb1">
    Instance "support-line"
  </Call>
  Call "AClive0001"
  Call "ACnotthere0001"
</Plugin>
LoadPlugin write_prometheus
<Plugin write_prometheus>
  Host "127.0.0.1"
  Port "$WP"
</Plugin>
CONF
  } > "$DIR/collectd-prom.conf"
  : > "$DIR/collectd-prom.log"
  collectd -f -C "$DIR/collectd-prom.conf" > "$DIR/collectd-prom.out" 2>&1 &
  COLLECTD=$!
  i=0
  until grep -q 'Initialization complete' "$DIR/collectd-prom.log"; do
    i=$((i + 1))
    [ $i -lt 100 ] || fail "collectd (write_prometheus) did not start"
    sleep 0.1
  done
  grep -q 'write_prometheus.*failed' "$DIR/collectd-prom.log" || break
  kill "$COLLECTD"
  wait "$COLLECTD" 2>/dev/null || true
  COLLECTD=""
  [ $attempt -lt 3 ] || fail "write_prometheus could not listen: $(grep write_prometheus "$DIR/collectd-prom.log")"
done
# Scraped as often as collectd updates; honor_labels keeps collectd's
# Hostname as the instance label, as README's Scaling out says.
cat > "$DIR/prometheus.yml" <<YML
global:
  scrape_interval: ${INTERVAL}s
  evaluation_interval: ${INTERVAL}s
scrape_configs:
  - job_name: collectd
    honor_labels: true
    static_configs:
      - targets: ['127.0.0.1:$WP']
YML
prometheus --config.file="$DIR/prometheus.yml" \
  --storage.tsdb.path="$DIR/prom-data" \
  --web.listen-address="127.0.0.1:$PP" > "$DIR/prometheus.log" 2>&1 &
PROM=$!

# Grafana's $__rate_interval: max($__interval + S, 4 * S), where S is the
# query's Min step when set (the dashboard sets it to $collectd_interval on
# every query) and $__interval is at least the panel's Min interval (also
# $collectd_interval). The shortest window a panel can get, the strictest
# case, is 4 * collectd's interval.
DASH="$ROOT/contrib/grafana/quo-collectd.json"
jq -e '[.templating.list[] | select(.name == "collectd_interval")] | length == 1' \
  "$DASH" > /dev/null || fail "the dashboard has no collectd_interval variable"
jq -r '.panels[] | select(.targets) | .targets[] | [.interval // "", .expr] | @tsv' \
  "$DASH" > "$DIR/queries.tsv"
[ -s "$DIR/queries.tsv" ] || fail "no queries in the dashboard"
WINDOW="$((4 * INTERVAL))s"
query() { # EXPR -> number of series in the result
  curl -sf -G "http://127.0.0.1:$PP/api/v1/query" --data-urlencode "query=$1" |
    jq -e -r 'select(.status == "success") | .data.result | length'
}
NQ=0
while IFS=$'\t' read -r step expr; do
  case "$expr" in
  *'[$__rate_interval]'* | *'[$__interval]'*)
    [ "$step" = '$collectd_interval' ] ||
      fail "query without a Min step of \$collectd_interval, so its window is not derived from collectd's interval: $expr"
    ;;
  *'['*) fail "a fixed window, not derived from collectd's interval: $expr" ;;
  esac
  q=${expr//'$__rate_interval'/$WINDOW}
  q=${q//'$__interval'/${INTERVAL}s}
  q=${q//'$instance'/.*}
  q=${q//'$call'/.*}
  deadline=$(($(date +%s) + 90))
  until n=$(query "$q") && [ "${n:-0}" -gt 0 ]; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "no data for: $q"
    kill -0 "$PROM" 2>/dev/null || fail "prometheus exited"
    sleep 1
  done
  NQ=$((NQ + 1))
  echo "receivers:   $n series: $q"
done < "$DIR/queries.tsv"
pass "prometheus over write_prometheus: all $NQ dashboard queries return data with a ${WINDOW} window (4 x Interval $INTERVAL)"

echo "receivers: $PASSED checks passed in $(($(date +%s) - START)) s"
