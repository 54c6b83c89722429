#!/bin/sh
# make package-check: the built .debs at work. Unpacks both packages,
# loads the packaged quo.so into a real collectd against the stand-in API
# and runs the packaged check_quo against it; checks lintian and the paths
# and metadata of the packages, and that the packaged man pages cover
# every option. Prints "package-check: N passed, M failed"; every process
# started here is stopped on exit.
#
#   sh packaging/package-check.sh [BUILD_DIR]     (after `make deb`)
set -u

QUO_BUILD=${1:-build}
. tests/lib.sh
quo_setup package-check
VERSION=$(cat VERSION)
CALL=AC3700e624eca547eb9f749a06f2eb1
CENTRAL=""
FORWARDER=""
passed=0
failed=0

cleanup() {
  for p in $FORWARDER $CENTRAL; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  quo_cleanup
}
trap cleanup EXIT
trap 'exit 1' INT TERM

ok() { passed=$((passed + 1)); echo "ok   - $1"; }
nok() { failed=$((failed + 1)); echo "FAIL - $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/       /'; }
# check DESCRIPTION COMMAND...: passes when COMMAND succeeds
check() { d=$1; shift; if "$@" >/dev/null 2>&1; then ok "$d"; else nok "$d"; fi; }

PLUGIN_DEB=$(ls "$B"/collectd-quo_"$VERSION"_*.deb 2>/dev/null | head -n 1)
CHECK_DEB=$(ls "$B"/monitoring-plugins-quo_"$VERSION"_*.deb 2>/dev/null | head -n 1)
CHANGES=$(ls "$B"/quo-collectd_"$VERSION"_*.changes 2>/dev/null | head -n 1)
if [ -z "$PLUGIN_DEB" ] || [ -z "$CHECK_DEB" ] || [ -z "$CHANGES" ]; then
  nok "both .debs and the .changes are in $B/ (run make deb)"
  echo "package-check: $passed passed, $failed failed"
  exit 1
fi
ok "both .debs and the .changes are in $B/"

# ---- lintian ---------------------------------------------------------------
# What `make deb` recorded when it ran lintian over these packages (not
# older than them).
if [ -r "$B/lintian.txt" ] && ! [ "$B/lintian.txt" -ot "$CHANGES" ]; then
  lint=$(cat "$B/lintian.txt")
else lint="E: no lintian verdict on $CHANGES in $B/lintian.txt (run make deb)"; fi
nerr=$(printf '%s\n' "$lint" | grep -c '^E:')
nwarn=$(printf '%s\n' "$lint" | grep -c '^W:')
if [ "$nerr" -eq 0 ]; then ok "lintian: no error ($nwarn warnings)"
else nok "lintian: $nerr errors" "$lint"; fi

# ---- paths and metadata ----------------------------------------------------
dpkg-deb -c "$PLUGIN_DEB" | awk '{print $6}' > "$DIR/plugin.list"
dpkg-deb -c "$CHECK_DEB" | awk '{print $6}' > "$DIR/check.list"
for f in ./usr/lib/collectd/quo.so ./usr/share/man/man5/collectd-quo.5.gz \
         ./usr/share/doc/collectd-quo/examples/quo.conf; do
  check "collectd-quo ships $f" grep -qx "$f" "$DIR/plugin.list"
done
for f in ./usr/lib/nagios/plugins/check_quo ./usr/share/man/man1/check_quo.1.gz \
         ./etc/nagios-plugins/config/quo.cfg; do
  check "monitoring-plugins-quo ships $f" grep -qx "$f" "$DIR/check.list"
done
if grep -q '^\./etc/' "$DIR/plugin.list"; then
  nok "collectd-quo enables nothing (no file under /etc)" "$(grep '^\./etc/' "$DIR/plugin.list")"
else ok "collectd-quo enables nothing (no file under /etc)"; fi
deps=$(dpkg-deb -f "$PLUGIN_DEB" Depends)
for d in collectd-core libcurl4 libyajl2 ca-certificates; do
  case "$deps" in *"$d"*) ok "collectd-quo depends on $d" ;;
    *) nok "collectd-quo depends on $d" "Depends: $deps" ;; esac
done
deps=$(dpkg-deb -f "$CHECK_DEB" Depends)
for d in libcurl4 libyajl2 ca-certificates; do
  case "$deps" in *"$d"*) ok "monitoring-plugins-quo depends on $d" ;;
    *) nok "monitoring-plugins-quo depends on $d" "Depends: $deps" ;; esac
done
check "/etc/nagios-plugins/config/quo.cfg is a conffile" \
  sh -c "dpkg-deb -I '$CHECK_DEB' conffiles | grep -qx /etc/nagios-plugins/config/quo.cfg"

mkdir -p "$DIR/root"
dpkg-deb -x "$PLUGIN_DEB" "$DIR/root"
dpkg-deb -x "$CHECK_DEB" "$DIR/root"
R=$DIR/root
cfg=$R/etc/nagios-plugins/config/quo.cfg
n_cmd=$(grep -c 'command_line' "$cfg")
n_key=$(grep 'command_line' "$cfg" | grep -c -- '/usr/lib/nagios/plugins/check_quo -k /etc/nagios/quo.key ')
if [ "$n_cmd" -gt 0 ] && [ "$n_cmd" -eq "$n_key" ]; then
  ok "every packaged Nagios command reads the key from a file (-k), $n_cmd commands"
else nok "every packaged Nagios command reads the key from a file (-k)"; fi

# ---- man pages: every option and metric of the contract --------------------
man5=$(MANWIDTH=200 man -l "$R/usr/share/man/man5/collectd-quo.5.gz" 2>/dev/null)
man1=$(MANWIDTH=200 man -l "$R/usr/share/man/man1/check_quo.1.gz" 2>/dev/null)
missing=""
for o in BaseURL APIKeyFile APIKey Timeout MaxRequestsPerSecond \
         FinalRefreshInterval StatusMetrics APIVersion CACert VerifyPeer VerifyHost \
         Proxy Interval Call CallsFile Instance \
         duration latency-answer bool-status- quo-api/response_time \
         quo-api/http_requests- quo-api/errors- quo-api/bool-healthy \
         quo-calls/count- FAILURE WARNING OKAY; do
  printf '%s\n' "$man5" | grep -q -- "$o" || missing="$missing $o"
done
if [ -z "$missing" ]; then ok "collectd-quo(5) names every option, metric and severity"
else nok "collectd-quo(5) names every option, metric and severity" "missing:$missing"; fi
# SPEC: with thresholds on status series, StatusMetrics "all" or the
# threshold plugin's Interesting false (a "current" series that stops is
# reported missing). The man text as one line, cut into sentences.
advice=$(printf '%s\n' "$man5" | tr -s ' \t\n' '   ' | sed 's/\. /.\n/g' |
  grep 'thresholds on status series')
if printf '%s\n' "$advice" | grep -qw all &&
   printf '%s\n' "$advice" | grep -q 'Interesting false'; then
  ok "collectd-quo(5) advises StatusMetrics all or Interesting false with thresholds on status series"
else nok "collectd-quo(5) advises StatusMetrics all or Interesting false with thresholds on status series" \
  "sentence found: '$advice'"; fi
missing=""
for o in $("$R/usr/lib/nagios/plugins/check_quo" -h 2>&1 | grep -o -- '--[a-z][a-z-]*' | sort -u) \
         -i -u -k -t -w -c -v -V -h QUO_API_KEY OK WARNING CRITICAL UNKNOWN; do
  printf '%s\n' "$man1" | grep -q -- "$o" || missing="$missing $o"
done
if [ -z "$missing" ]; then ok "check_quo(1) names every option of check_quo -h and every state"
else nok "check_quo(1) names every option of check_quo -h and every state" "missing:$missing"; fi

# ---- the stand-in API ------------------------------------------------------
quo_standin "$ROOT/tests/fixtures/calls"
ok "stand-in API listening on 127.0.0.1:$PORT"
URL=http://127.0.0.1:$PORT

# ---- the packaged quo.so in a real collectd --------------------------------
quo_plugins "$R/usr/lib/collectd/quo.so"
{
  quo_conf_head pkgcheck 1 "$DIR/collectd.log" "$DIR/csv"
  cat <<CONF
  <Call "$CALL">
    Instance "support-line"
  </Call>
</Plugin>
CONF
} > "$DIR/collectd.conf"
collectd -f -C "$DIR/collectd.conf" > "$DIR/collectd.out" 2>&1 &
COLLECTD=$!
csvdir=$DIR/csv/pkgcheck
i=0
# Until the call's values and the API's health have been written twice.
while [ $i -lt 600 ]; do
  [ "$(quo_csv_rows "$csvdir")" -ge 2 ] &&
    [ -n "$(ls "$csvdir"/quo-support-line/duration-* 2>/dev/null)" ] && break
  sleep 0.1; i=$((i + 1))
done
kill "$COLLECTD" 2>/dev/null; wait "$COLLECTD" 2>/dev/null; COLLECTD=""

last() { tail -n 1 "$csvdir"/"$1"-* 2>/dev/null | cut -d, -f2; }
check "collectd loaded the packaged quo.so" grep -q 'plugin "quo" successfully loaded' "$DIR/collectd.log"
eqnum() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "" && a + 0 == b + 0) }'; }
v=$(last quo-support-line/duration)
if eqnum "$v" 184; then ok "quo-support-line/duration is 184"
else nok "quo-support-line/duration is 184" "got '$v'; collectd log:
$(tail -n 20 "$DIR/collectd.log" 2>/dev/null)"; fi
v=$(last quo-support-line/latency-answer)
if eqnum "$v" 7.5; then ok "quo-support-line/latency-answer is 7.5"
else nok "quo-support-line/latency-answer is 7.5" "got '$v'"; fi
v=$(last quo-support-line/bool-status-completed)
if eqnum "$v" 1; then ok "quo-support-line/bool-status-completed is 1"
else nok "quo-support-line/bool-status-completed is 1" "got '$v'"; fi
v=$(last quo-api/bool-healthy)
if eqnum "$v" 1; then ok "quo-api/bool-healthy is 1"
else nok "quo-api/bool-healthy is 1" "got '$v'"; fi
v=$(last quo-calls/count-completed)
if eqnum "$v" 1; then ok "quo-calls/count-completed is 1"
else nok "quo-calls/count-completed is 1" "got '$v'"; fi
if grep -q "$(cat "$DIR/api.key")" "$DIR/collectd.log" "$DIR/collectd.out" 2>/dev/null; then
  nok "the API key appears in no collectd output"
else ok "the API key appears in no collectd output"; fi

# ---- Scaling out: contrib's forwarder -> network -> central -> Prometheus --
# The contrib configurations as shipped, with only hosts, ports, paths and
# the interval changed for the test; the forwarder runs the packaged quo.so.
rport() { echo $(( $(od -An -N2 -tu2 /dev/urandom) % 20000 + 30000 )); }
NPORT=$(rport)
PPORT=$(rport)
[ "$PPORT" -eq "$NPORT" ] && PPORT=$((NPORT + 1))
quo_stock_plugins network write_prometheus
echo "quo-forwarder-1: pkgcheck-secret" > "$DIR/passwd"
# The central collectd gets a Hostname so that it does not depend on this
# machine resolving its own name (collectd exits when FQDNLookup fails).
{ quo_conf_base quo-central 1 "$DIR/central.log"
  sed -e "s|/etc/collectd/passwd|$DIR/passwd|" -e 's|"0\.0\.0\.0"|"127.0.0.1"|' \
      -e "s|\"25826\"|\"$NPORT\"|" -e "s|\"9103\"|\"$PPORT\"|" \
      "$ROOT/contrib/collectd-central.conf"; } > "$DIR/central.conf"
{ quo_conf_base "" 1 "$DIR/forwarder.log"
  sed -e "s|/etc/collectd/quo.key|$DIR/api.key|" \
      -e "s|collectd-central.example.net|127.0.0.1|" -e "s|\"25826\"|\"$NPORT\"|" \
      -e "s|CHANGE-ME|pkgcheck-secret|" \
      -e "s|^  Interval 60|  Interval 1\n  BaseURL \"$URL\"|" \
      -e "s|^  Call \"AC123abc\"|  Call \"ACforbidden0001\"|" \
      "$ROOT/contrib/collectd-forwarder.conf"; } > "$DIR/forwarder.conf"
collectd -f -C "$DIR/central.conf" > "$DIR/central.out" 2>&1 &
CENTRAL=$!
collectd -f -C "$DIR/forwarder.conf" > "$DIR/forwarder.out" 2>&1 &
FORWARDER=$!
i=0
: > "$DIR/metrics"
# Until every series the dashboard queries is there (a loaded machine may
# take a few intervals).
while [ $i -lt 300 ]; do
  curl -s "http://127.0.0.1:$PPORT/metrics" > "$DIR/metrics" 2>/dev/null
  grep -q '^collectd_quo_errors_total' "$DIR/metrics" &&
    grep -q '^collectd_quo_duration_seconds' "$DIR/metrics" &&
    grep -q '^collectd_quo_bool' "$DIR/metrics" &&
    grep -q '^collectd_quo_latency' "$DIR/metrics" &&
    grep -q '^collectd_quo_response_time' "$DIR/metrics" &&
    grep -q '^collectd_quo_count' "$DIR/metrics" &&
    grep -q '^collectd_quo_http_requests_total' "$DIR/metrics" &&
    grep -q 'Quo API failing' "$DIR/central.log" 2>/dev/null && break
  sleep 0.2; i=$((i + 1))
done
for p in $FORWARDER $CENTRAL; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
FORWARDER=""; CENTRAL=""
prom() { grep "^$1" "$DIR/metrics" | head -n 1 | awk '{print $2}'; }
v=$(prom 'collectd_quo_duration_seconds{quo="support-line",instance="quo-forwarder-1"}')
if eqnum "$v" 184; then ok "scaling out: central write_prometheus has the forwarder's duration 184"
else nok "scaling out: central write_prometheus has the forwarder's duration 184" "got '$v'; central log:
$(tail -n 10 "$DIR/central.log" 2>/dev/null)
forwarder log:
$(tail -n 10 "$DIR/forwarder.log" 2>/dev/null)"; fi
v=$(prom 'collectd_quo_latency{quo="support-line",type="answer",instance="quo-forwarder-1"}')
if eqnum "$v" 7.5; then ok "scaling out: answer latency 7.5 through the network plugin"
else nok "scaling out: answer latency 7.5 through the network plugin" "got '$v'"; fi
check "scaling out: the forwarder's notifications reach the central collectd" \
  grep -q 'Quo API failing' "$DIR/central.log"
D=$ROOT/contrib/grafana/quo-collectd.json
check "the Grafana dashboard is valid JSON" \
  perl -MJSON::PP -e 'local $/; open my $f, "<", $ARGV[0] or die; decode_json(<$f>)' "$D"
missing=""
for m in $(grep -o 'collectd_quo_[a-z_]*' "$D" | sort -u); do
  grep -q "^$m{" "$DIR/metrics" || missing="$missing $m"
done
if [ -z "$missing" ]; then ok "every metric the dashboard queries is published by write_prometheus"
else nok "every metric the dashboard queries is published by write_prometheus" "missing:$missing"; fi

# ---- the packaged check_quo ------------------------------------------------
CQ=$R/usr/lib/nagios/plugins/check_quo
out=$("$CQ" -k "$DIR/api.key" -u "$URL" -i "$CALL" -w 1 -c 5 2>&1); rc=$?
case "$out" in
  "QUO OK - "*) [ $rc -eq 0 ] && ok "packaged check_quo: QUO OK, exit 0" ||
    nok "packaged check_quo: QUO OK, exit 0" "exit $rc: $out" ;;
  *) nok "packaged check_quo: QUO OK, exit 0" "exit $rc: $out" ;;
esac
out=$("$CQ" -k "$DIR/api.key" -u "$URL" -i ACforbidden0001 2>&1); rc=$?
case "$out" in
  "QUO CRITICAL - "*) [ $rc -eq 2 ] && ok "packaged check_quo: HTTP 403 is QUO CRITICAL, exit 2" ||
    nok "packaged check_quo: HTTP 403 is QUO CRITICAL, exit 2" "exit $rc: $out" ;;
  *) nok "packaged check_quo: HTTP 403 is QUO CRITICAL, exit 2" "exit $rc: $out" ;;
esac
out=$("$CQ" -V 2>&1); rc=$?
case "$out" in
  *"$VERSION"*) [ $rc -eq 3 ] && ok "packaged check_quo -V: $VERSION, exit 3" ||
    nok "packaged check_quo -V: $VERSION, exit 3" "exit $rc: $out" ;;
  *) nok "packaged check_quo -V: $VERSION, exit 3" "exit $rc: $out" ;;
esac

echo "package-check: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && exit 0
exit 1
