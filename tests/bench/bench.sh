#!/bin/bash
# `make bench`: quo.so measured the way operators run it — a collectd daemon
# running for a while, a writer loaded, LogLevel warning — against Debian's
# curl_json, medians of alternated windows (quo, curl_json, quo, ...).
#
#  1. Steady state: CPU (utime+stime of the collectd process, /proc/PID/stat)
#     per N requests over windows of whole intervals, after a warm-up of at
#     least 2N requests in which every call was fetched twice
#     (tests/bench/steady.c reads nginx's access log), N = 100, 1000, 5000,
#     over plain HTTP and HTTPS (warm connections). Both daemons stay up;
#     the one not measured is stopped (SIGSTOP).
#  2. A realistic mix: 10 000 tracked calls, 90 % finished, Interval 10,
#     budget off: CPU per interval once every call was fetched, RSS, and RSS
#     growth per tracked call for StatusMetrics "current" and "all".
#  3. CallsFile: CPU of re-reading a 100 000-line file; RSS over re-reads
#     that churn half of 10 000 calls each time.
#  4. Extras: one `collectd -T` read (N = 1000 http, 100 https), parse
#     cost against yajl,
#     check_quo against check_curl.
#  Opt-in (BENCH_ONLY=cg / budget): callgrind, tests/drivers/budget-sim.sh.
#
# The writer is the network plugin sending to a local UDP port nobody reads
# (csv would time the file system, no writer at all times the log: see
# NOTES.md). The stand-in is nginx serving one static file per call ID on
# 127.0.0.1 (tests/bench/nginx.conf.in). Whatever thread of quo.so fetches,
# only the whole process's CPU and the requests nginx answered are counted.
# Every process started here is ended by its PID on exit.
# Knobs: RUNS (alternated windows per side, default 3), BENCH_N, BENCH_ONLY
# (subset of "steady mix calls single parse check cg budget"), BENCH_PROTO
# ("http https"), WINDOW_S (least seconds per steady-state window,
# default 6), CHURN_STEPS (100), QUO_SO (the plugin, default build/quo.so).
set -euo pipefail

# quo_conf_base (the collectd.conf head) and quo_generate (call bodies).
. tests/lib.sh
ROOT=$(pwd)
RUNS=${RUNS:-3}
NS=${BENCH_N:-"100 1000 5000"}
ONLY=${BENCH_ONLY:-steady mix calls single parse check}
WINDOW_S=${WINDOW_S:-6}
CHURN_STEPS=${CHURN_STEPS:-100}
PROTOS=${BENCH_PROTO:-"http https"}
QUO_SO=${QUO_SO:-$ROOT/build/quo.so} # another build to compare
want() { [[ " $ONLY " == *" $1 "* ]]; }
T=$ROOT/build/bench
OUT=$T/results.md
CHECK_CURL=/usr/lib/nagios/plugins/check_curl
HZ=$(getconf CLK_TCK)
T_BEGIN=$SECONDS

DIR=$(mktemp -d /tmp/quo-bench-XXXXXX)
chmod 755 "$DIR"
NGINX=""
BG=""
PAIR="" # the two daemons of a steady-state pair
# Ends one process we started: TERM, up to 10 s, then KILL.
stop_pid() {
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 100); do
    kill -0 "$1" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
cleanup() {
  trap '' INT TERM
  for p in $BG $PAIR $NGINX; do
    kill -CONT "$p" 2>/dev/null || true
    stop_pid "$p"
  done
  rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf 'bench: %s\n' "$*" >&2; }
median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) print "nan";
  else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a == "nan" || b == "nan" || b <= 0) print "n/a"; else printf "%.2f", a / b}'; }
f1() { awk -v x="$1" 'BEGIN {if (x == "nan" || x == "") print "n/a"; else printf "%.1f", x}'; }
mib() { awk -v x="$1" 'BEGIN {if (x == "nan" || x == "" || x < 0) print "n/a"; else printf "%.1f", x / 1024}'; }

# ---------------------------------------------------------------- set-up
MAXN=1000
for n in $NS; do [ "$n" -gt "$MAXN" ] && MAXN=$n; done
mkdir -p "$DIR/www/v1/calls" "$DIR/plugins" "$DIR"/tmp-{body,proxy,fcgi,uwsgi,scgi}
# Live calls (ACbench…: in progress, completedAt null, fetched every cycle)
# for the steady state and the mix; finished ones (ACdone…: completedAt set,
# served from memory until FinalRefreshInterval) for the mix and CallsFile.
# Compact, as the API sends them.
NDONE=20000
log "writing $MAXN live and $NDONE finished call bodies"
# The stand-in's generator writes them (<id>.json; nginx.conf.in maps the
# API's path onto that name).
awk -v n="$MAXN" -v m="$NDONE" 'BEGIN {
  t = "createdAt=2026-11-27T10:00:00Z answeredAt=2026-11-27T10:00:07.5Z"
  for (i = 0; i < n; i++)
    printf "ACbench%06d in-progress duration=42 %s\n", i, t
  for (i = 0; i < m; i++)
    printf "ACdone%06d completed duration=184 %s completedAt=2026-11-27T10:03:11Z\n", i, t
}' | quo_generate "$DIR/www/v1/calls"
BODY=$DIR/www/v1/calls/ACbench000000.json
(umask 077 && head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$DIR/api.key" &&
  echo >>"$DIR/api.key")
KEY=$(cat "$DIR/api.key")
cp "$QUO_SO" "$DIR/plugins/quo.so"
for p in /usr/lib/collectd/{curl_json,network,logfile}.so; do
  cp "$p" "$DIR/plugins/"
done

# A CA and a server certificate for 127.0.0.1, made for this run.
log "generating a CA and a server certificate (openssl)"
(
  cd "$DIR"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 \
    -subj "/CN=quo bench CA" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign"
  openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr \
    -subj "/CN=127.0.0.1"
  printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >server.ext
  openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
    -out server.pem -days 2 -extfile server.ext
) >/dev/null 2>&1 || { log "openssl failed"; exit 1; }
CA=$DIR/ca.pem

# nginx on two free ports of 127.0.0.1.
for _ in 1 2 3 4 5 6 7 8; do
  PORT=$((20000 + RANDOM % 30000))
  sed -e "s|@DIR@|$DIR|g" -e "s|@PORT0@|$PORT|g" -e "s|@PORT1@|$((PORT + 1))|g" \
    -e "s|@PORT2@|$((PORT + 2))|g" -e "s|@PORT3@|$((PORT + 3))|g" \
    "$ROOT/tests/bench/nginx.conf.in" >"$DIR/nginx.conf"
  nginx -c "$DIR/nginx.conf" -p "$DIR" >/dev/null 2>&1 &
  NGINX=$!
  for _ in $(seq 50); do
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/v1/calls/ACbench000000" && break
    kill -0 "$NGINX" 2>/dev/null || break
    sleep 0.1
  done
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/v1/calls/ACbench000000" && break
  stop_pid "$NGINX"
  NGINX=""
done
[ -n "$NGINX" ] || { log "nginx would not start"; cat "$DIR/nginx-error.log" >&2; exit 1; }
# One port per client and protocol: quo http, quo https, cj http, cj https.
port_of() { # side proto
  case $1-$2 in
  quo-http) echo "$PORT" ;;
  quo-https) echo $((PORT + 1)) ;;
  cj-http) echo $((PORT + 2)) ;;
  cj-https) echo $((PORT + 3)) ;;
  esac
}
base_url() { echo "$2://127.0.0.1:$(port_of "$1" "$2")"; } # side proto
for side in quo cj; do
  curl -sf --cacert "$CA" -o /dev/null "$(base_url $side https)/v1/calls/ACbench000000" ||
    { log "nginx does not answer over HTTPS with the generated CA"; exit 1; }
done
log "nginx (pid $NGINX) on 127.0.0.1 ports $PORT-$((PORT + 3))"

# A UDP port on 127.0.0.1 that nobody reads, for the network plugin.
SINK=""
for _ in $(seq 20); do
  p=$((20000 + RANDOM % 30000))
  if [ -z "$(ss -Huln "sport = :$p" 2>/dev/null)" ]; then SINK=$p; break; fi
done
[ -n "$SINK" ] || { log "no free UDP port"; exit 1; }

# collectd.conf: a fixed Hostname, logfile at LEVEL into FILE, the network
# writer; then the plugin under test.
conf_head() { # interval logfile [level]
  quo_conf_base bench "$1" "$2" "${3:-warning}"
  cat <<EOF
FQDNLookup false
PIDFile "$DIR/collectd.pid"
LoadPlugin network
<Plugin network>
  Server "127.0.0.1" "$SINK"
</Plugin>
EOF
}
# quo.so: budget off unless QUO_OPTS sets it; extra option lines in
# QUO_OPTS; call IDs on stdin, one a line.
quo_block() { # proto
  echo "LoadPlugin quo"
  echo "<Plugin quo>"
  echo "  BaseURL \"$(base_url quo "$1")\""
  echo "  APIKeyFile \"$DIR/api.key\""
  [[ "${QUO_OPTS:-}" == *MaxRequestsPerSecond* ]] || echo "  MaxRequestsPerSecond 0"
  [ "$1" = https ] && echo "  CACert \"$CA\""
  [ -n "${QUO_OPTS:-}" ] && printf '%s\n' "$QUO_OPTS"
  awk '{printf "  Call \"%s\"\n", $1}'
  echo "</Plugin>"
}
# Timeout 10000: a request a SIGSTOP caught in flight (section 1) is not
# timed out, which would cost curl_json a new connection.
cj_block() { # proto; call IDs on stdin
  echo "LoadPlugin curl_json"
  echo "<Plugin curl_json>"
  awk -v b="$(base_url cj "$1")" -v k="$KEY" -v ca="$([ "$1" = https ] && echo "$CA")" '{
    printf "  <URL \"%s/v1/calls/%s\">\n    Instance \"%s\"\n", b, $1, $1
    printf "    Header \"Authorization: %s\"\n", k
    if (ca != "") printf "    CACert \"%s\"\n", ca
    printf "    Timeout 10000\n"
    printf "    <Key \"data/duration\">\n      Type \"duration\"\n    </Key>\n  </URL>\n"}'
  echo "</Plugin>"
}
live_ids() { awk -v n="$1" 'BEGIN {for (i = 0; i < n; i++) printf "ACbench%06d\n", i}'; }
done_ids() { awk -v a="$1" -v b="$2" 'BEGIN {for (i = a; i < b; i++) printf "ACdone%06d\n", i}'; }

# Starts collectd -f on CONF with its log in LOGF; sets BG.
start_collectd() { # conf logf
  : >"$2"
  : >"$DIR/access.log"
  collectd -f -C "$1" >>"$2" 2>&1 &
  BG=$!
}
stop_collectd() { [ -z "$BG" ] || stop_pid "$BG"; BG=""; }
# True when quo.so refused its configuration (an unknown option, ...); waits
# up to 3 s for the verdict: refused, or a first request answered.
quo_refused() { # logf
  for _ in $(seq 30); do
    grep -qiE 'quo plugin: .*(unknown option|configuration refused)' "$1" && return 0
    [ -s "$DIR/access.log" ] && return 1
    sleep 0.1
  done
  grep -qiE 'quo plugin: .*(unknown option|configuration refused)' "$1"
}
# Why it refused, for the tables; its lines go to the notes.
refusal() { # label logf
  {
    echo "- $1: quo.so refused its configuration:"
    grep -iE 'quo plugin' "$2" | grep -iE 'error' | head -3 | sed 's/^\[[^]]*\] /    /'
  } >>"$NOTES_FILE"
  if grep -qi 'unknown option' "$2"; then echo "option unknown"; else echo "configuration refused, see notes"; fi
}
# Warnings and errors a run logged (LogLevel warning), first three kept.
NOTES_FILE=$DIR/notes.txt
: >"$NOTES_FILE"
# Left out: collectd's main loop noticing it was stopped (SIGSTOP between
# windows) and its write queue at exit.
BENIGN='Not sleeping because the next interval is|value lists were left after shutting down'
keep_log_notes() { # label logf
  local c
  c=$(grep -iE '\] \[(warn|err)' "$2" | grep -cvE "$BENIGN" || true)
  [ "$c" -gt 0 ] || return 0
  {
    echo "- $1: $c warning/error lines, e.g.:"
    grep -iE '\] \[(warn|err)' "$2" | grep -vE "$BENIGN" | sed 's/^\[[^]]*\] //' |
      sort | uniq -c | sort -rn | head -3 | sed 's/^/    /'
  } >>"$NOTES_FILE"
}

# ------------------------------------------------------ nginx's capacity
WRK_RPS="n/a"
if command -v wrk >/dev/null; then
  WRK_RPS=$(wrk -t1 -c16 -d3s -H "Authorization: $KEY" \
    "http://127.0.0.1:$PORT/v1/calls/ACbench000000" | awk '/Requests\/sec/ {printf "%.0f", $2}')
  log "nginx capacity (wrk, 16 keep-alive connections): $WRK_RPS requests/s"
fi

# ------------------------------------------------------ 1. steady state
# Interval: the shortest whole second in which a cycle of N warm requests
# takes at most half of it (~1 600 requests/s per side on this 2-CPU
# machine shared with nginx and other work: N / 800 s), so that cycles end
# in an idle gap (where a window opens, and where a daemon is stopped) and
# a run stays short. Window: whole intervals, at least N requests and
# WINDOW_S seconds (ticks are 1/HZ s).
st_interval() { echo $((($1 + 799) / 800)); }
st_k() { # n -> intervals per window
  local i k
  i=$(st_interval "$1")
  k=$(((WINDOW_S + i - 1) / i))
  [ "$k" -ge 1 ] || k=1
  echo "$k"
}
# curl_json over HTTPS: libcurl-gnutls loads all of /etc/ssl/certs for each
# new connection, one per URL (~60 ms CPU each here) and keeps ~4 MiB per
# URL; it is run only where N * 8 MiB fits in half the available memory.
cj_fits() { # proto n
  [ "$1" = http ] && return 0
  awk -v n="$2" '/^MemAvailable/ {exit !(n * 8 * 1024 < $2 / 2)}' /proc/meminfo
}
STEADY=$DIR/steady.tsv
WARM=$DIR/warm.tsv
: >"$STEADY"
: >"$WARM"
# Starts one daemon of the pair and waits for its warm-up: every call
# answered twice (at least 2N requests) and an idle gap. Sets STARTED.
pair_start() { # side proto n
  local conf=$DIR/st-$1-$2-$3.conf logf=$DIR/st-$1-$2-$3.log res rc=0 pid
  : >"$logf"
  : >"$DIR/access.log"
  collectd -f -C "$conf" >>"$logf" 2>&1 &
  pid=$!
  PAIR="$PAIR $pid"
  STARTED=""
  res=$("$T/steady" -p "$pid" -P "$(port_of "$1" "$2")" -l "$DIR/access.log" \
    -i "$(st_interval "$3")" -k 0 -d "$3" -c 2 -w $((2 * $3)) -t $((60 + $3 / 5))) || rc=$?
  if [ $rc -ne 0 ]; then
    log "WARNING: steady $1 $2 N=$3: warm-up: $res"
    echo "- steady $1 $2 N=$3: no warm-up: $res" >>"$NOTES_FILE"
    kill -CONT "$pid" 2>/dev/null || true
    stop_pid "$pid"
    return 1
  fi
  kill -STOP "$pid"
  echo "$1 $2 $3 $res" >>"$WARM"
  log "  $1 $2 N=$3: warm after $(echo "$res" | awk '{print $9}') s, RSS $(echo "$res" | awk '{printf "%.1f", $8 / 1024}') MiB"
  STARTED=$pid
}
# One window of a warm daemon: resume it, let it catch up (the callbacks it
# owes run at once: N requests), open the window at its next idle gap,
# close it whole intervals later, stop it again.
pair_window() { # side proto n pid
  local res rc=0
  : >"$DIR/access.log"
  kill -CONT "$4"
  res=$("$T/steady" -p "$4" -g "$NGINX" -P "$(port_of "$1" "$2")" -l "$DIR/access.log" \
    -i "$(st_interval "$3")" -k "$(st_k "$3")" -w "$3" -t 60) || rc=$?
  kill -STOP "$4" 2>/dev/null || true
  if [ $rc -ne 0 ]; then
    log "WARNING: steady $1 $2 N=$3: $res"
    echo "- steady $1 $2 N=$3: a window failed: $res" >>"$NOTES_FILE"
    return 0
  fi
  # side proto n | requests cpu_ticks cpu_ns server_ticks wall new_conns
  #   non200 rss_kib settle_s distinct max_burst_s hz quiet_found
  echo "$1 $2 $3 $res" >>"$STEADY"
  log "  $(tail -n 1 "$STEADY" | awk '{printf "%s %s N=%s: %d requests, %.1f ms CPU per N (%.1f by schedstat), %d new conns, %d non-200, cycle %.2f s%s",
    $1, $2, $3, $4, $5 * 1000 / $15 * $3 / $4, $6 / 1e6 * $3 / $4, $9, $10, $14, $16 ? "" : ", no idle gap"}')"
}
pair_stop() {
  for p in $PAIR; do
    kill -CONT "$p" 2>/dev/null || true
    stop_pid "$p"
  done
  PAIR=""
}
want steady || NS=""
for proto in $PROTOS; do
  for n in $NS; do
    i=$(st_interval "$n")
    for side in quo cj; do
      {
        conf_head "$i" "$DIR/st-$side-$proto-$n.log"
        if [ $side = quo ]; then live_ids "$n" | QUO_OPTS="" quo_block "$proto"; else live_ids "$n" | cj_block "$proto"; fi
      } >"$DIR/st-$side-$proto-$n.conf"
    done
    log "steady state $proto N=$n: Interval $i, windows of $(st_k "$n") intervals, $RUNS alternated each"
    # Both daemons warm up once, then take turns: the one not measured is
    # stopped (SIGSTOP), so they never share the CPUs.
    qpid="" cpid=""
    pair_start quo "$proto" "$n" && qpid=$STARTED
    if cj_fits "$proto" "$n"; then
      pair_start cj "$proto" "$n" && cpid=$STARTED
    else
      echo "- steady cj $proto N=$n: not run: ~4 MiB and ~60 ms CPU per URL over HTTPS (libcurl-gnutls loads /etc/ssl/certs for each connection); $n URLs do not fit this machine" >>"$NOTES_FILE"
      echo "cj $proto $n skipped" >>"$WARM"
    fi
    for r in $(seq "$RUNS"); do
      [ -z "$qpid" ] || pair_window quo "$proto" "$n" "$qpid"
      [ -z "$cpid" ] || pair_window cj "$proto" "$n" "$cpid"
    done
    pair_stop
    keep_log_notes "steady quo $proto N=$n" "$DIR/st-quo-$proto-$n.log"
    keep_log_notes "steady cj $proto N=$n" "$DIR/st-cj-$proto-$n.log"
  done
done
# Median of an awk expression over the windows of side/proto/n.
stcol() { # side proto n expr
  awk -v s="$1" -v p="$2" -v n="$3" "\$1 == s && \$2 == p && \$3 == n {print $4}" "$STEADY" | median
}
stcount() { awk -v s="$1" -v p="$2" -v n="$3" '$1 == s && $2 == p && $3 == n' "$STEADY" | wc -l; }
warmcol() { # side proto n expr -> value, or n/a
  local v
  v=$(awk -v s="$1" -v p="$2" -v n="$3" "\$1 == s && \$2 == p && \$3 == n {print $4}" "$WARM")
  echo "${v:-n/a}"
}
PER_N_MS='$5 * 1000 / $15 * $3 / $4'

# ------------------------------------------------------ 2. realistic mix
# 10 000 calls, 1 000 live and 9 000 finished (FinalRefreshInterval a day),
# Interval 10, budget off. The window (3 intervals) opens once every call
# was fetched and the second cycle (the 1 000 live calls) is over.
MIX=$DIR/mix.tsv
: >"$MIX"
MIX_N=10000
MIX_FEW=10
mix_run() { # label statusmetrics-or-empty ncalls -> appends to $MIX
  local conf=$DIR/mix-$1-$3.conf logf=$DIR/mix-$1-$3.log live=$(($3 / 10)) res rc=0 w k
  {
    conf_head 10 "$logf"
    {
      live_ids "$live"
      done_ids 0 $(($3 - live))
    } | QUO_OPTS="  FinalRefreshInterval 86400${2:+
  StatusMetrics \"$2\"}" quo_block http
  } >"$conf"
  start_collectd "$conf" "$logf"
  if quo_refused "$logf"; then
    stop_collectd
    echo "$1 $3 refused $(refusal "mix $1 N=$3" "$logf")" >>"$MIX"
    log "  mix $1 N=$3: refused: $(grep -iE 'quo plugin' "$logf" | head -2 | tr '\n' ' ')"
    return 0
  fi
  # The few-calls baseline only needs its first cycle and one interval.
  if [ "$3" -ge 1000 ]; then w=$(($3 + live)) k=3; else w=$3 k=1; fi
  res=$("$T/steady" -p "$BG" -l "$DIR/access.log" -i 10 -k $k -d "$3" -c 1 \
    -w $w -t 120) || rc=$?
  stop_collectd
  keep_log_notes "mix $1 N=$3" "$logf"
  if [ $rc -ne 0 ]; then
    echo "$1 $3 failed" >>"$MIX"
    log "  WARNING: mix $1 N=$3: $res"
    echo "- mix $1 N=$3: no figure: $res" >>"$NOTES_FILE"
    return 0
  fi
  echo "$1 $3 $k $res" >>"$MIX"
  log "  mix $1 N=$3: $(tail -n 1 "$MIX" | awk '{printf "%.0f ms CPU per interval, %d requests per interval, RSS %.1f MiB", $5 * 1000 / $15 / $3, $4 / $3, $11 / 1024}')"
}
MIX_MODES=""
if want mix; then
  log "mix: $MIX_N calls (90 % finished), Interval 10, budget off; StatusMetrics current and all"
  for mode in current all; do
    mix_run "$mode" "$mode" $MIX_FEW
    if grep -q "^$mode $MIX_FEW refused" "$MIX"; then
      MIX_MODES="$MIX_MODES $mode"
      continue
    fi
    mix_run "$mode" "$mode" $MIX_N
    MIX_MODES="$MIX_MODES $mode"
  done
  # A build that does not know StatusMetrics: its default (the dense set).
  if grep -q "^current $MIX_FEW refused" "$MIX"; then
    log "mix: StatusMetrics unknown to this quo.so; measuring its default instead"
    mix_run default "" $MIX_FEW
    mix_run default "" $MIX_N
    MIX_MODES="$MIX_MODES default"
  fi
fi
mixget() { awk -v m="$1" -v n="$2" '$1 == m && $2 == n' "$MIX"; }

# ------------------------------------------------------ 3. CallsFile
CF_STATE="n/a (not run)"
CF_REREAD="" CF_REREAD_TICKS="" CF_RSS100K="" CF_SAYS="" CF_BASE=""
CF_RSS=$DIR/churn.tsv
: >"$CF_RSS"
cpu_ns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{s += $1} END {print s + 0}'; }
cpu_ticks() { awk '{sub(/^.*\) /, ""); print $12 + $13}' "/proc/$1/stat"; }
if want calls; then
  # a. Re-read of 100 000 lines. Budget 1 request/s so that the calls cost
  # next to nothing between re-reads; the file is replaced by rename with
  # the same content (a new inode: re-read, every call kept). The cost is
  # the process's CPU in the 3 s after the rename minus 3 s of the rate
  # measured just before, median of 5. LogLevel info, to show what the
  # plugin itself says about the re-read.
  CALLS=$DIR/calls
  awk 'BEGIN {for (i = 0; i < 100000; i++) printf "ACrr%06d\n", i}' >"$CALLS.big"
  cp "$CALLS.big" "$CALLS"
  conf=$DIR/cf-reread.conf logf=$DIR/cf-reread.log
  {
    conf_head 1 "$logf" info
    QUO_OPTS="  MaxRequestsPerSecond 1
  CallsFile \"$CALLS\"" quo_block http </dev/null
  } >"$conf"
  start_collectd "$conf" "$logf"
  if quo_refused "$logf"; then
    CF_STATE="n/a ($(refusal CallsFile "$logf"))"
    log "CallsFile: refused: $(grep -iE 'quo plugin' "$logf" | head -2 | tr '\n' ' ')"
    stop_collectd
  else
    CF_STATE="ok"
    log "CallsFile a: re-read of 100 000 lines, 5 times"
    sleep 3
    CF_RSS100K=$(awk '/^VmRSS/ {print $2}' "/proc/$BG/status")
    RR=$DIR/reread.tsv
    : >"$RR"
    for r in 1 2 3 4 5; do
      a=$(cpu_ns "$BG") ta=$(cpu_ticks "$BG")
      sleep 3
      b=$(cpu_ns "$BG") tb=$(cpu_ticks "$BG")
      lines=$(wc -l <"$logf")
      cp "$CALLS.big" "$CALLS.tmp"
      mv -f "$CALLS.tmp" "$CALLS"
      c=$(cpu_ns "$BG") tc=$(cpu_ticks "$BG")
      sleep 3
      d=$(cpu_ns "$BG") td=$(cpu_ticks "$BG")
      echo "$(((d - c) - (b - a))) $(((td - tc) - (tb - ta))) $((b - a))" >>"$RR"
      said=$(tail -n +$((lines + 1)) "$logf" | grep -iE "callsfile|calls file|re-?read|$CALLS" | tail -n 1 || true)
      [ -z "$said" ] || CF_SAYS=$said
    done
    CF_REREAD=$(awk '{print $1 / 1e6}' "$RR" | median)
    CF_REREAD_TICKS=$(awk -v hz="$HZ" '{print $2 * 1000 / hz}' "$RR" | median)
    CF_BASE=$(awk '{print $3 / 3e6}' "$RR" | median)
    stop_collectd
    keep_log_notes "CallsFile re-read (LogLevel info)" "$logf"

    # b. Churn: 10 000 finished calls, half replaced at each re-read (the
    # fixed half and one of two alternating halves), Interval 1, budget
    # off; after each rename, wait until nginx answered the 5 000 added
    # calls, then the next. RSS after re-read 1, 10, 50, 100.
    log "CallsFile b: $CHURN_STEPS re-reads churning half of 10 000 calls"
    half() { # generation -> file content
      done_ids 0 5000
      if [ $(($1 % 2)) = 0 ]; then done_ids 10000 15000; else done_ids 15000 20000; fi
    }
    half 0 >"$CALLS"
    conf=$DIR/cf-churn.conf logf=$DIR/cf-churn.log
    {
      conf_head 1 "$logf"
      QUO_OPTS="  FinalRefreshInterval 86400
  CallsFile \"$CALLS\"" quo_block http </dev/null
    } >"$conf"
    start_collectd "$conf" "$logf"
    t0=$SECONDS
    res=$("$T/steady" -p "$BG" -l "$DIR/access.log" -i 1 -k 0 -d 10000 -c 1 -t 60) || true
    echo "0 $(echo "$res" | awk '{print $8}') $res" >>"$CF_RSS"
    for g in $(seq "$CHURN_STEPS"); do
      : >"$DIR/access.log"
      half "$g" >"$CALLS.tmp"
      mv -f "$CALLS.tmp" "$CALLS"
      res=$("$T/steady" -p "$BG" -l "$DIR/access.log" -i 1 -k 0 -d 5000 -c 1 -q 100 -t 20) || true
      case $g in 1 | 10 | 50 | 100 | "$CHURN_STEPS") echo "$g $(echo "$res" | awk '{print $8}') $res" >>"$CF_RSS" ;; esac
      if ! kill -0 "$BG" 2>/dev/null; then
        log "WARNING: collectd died at re-read $g"
        break
      fi
    done
    CF_CHURN_S=$((SECONDS - t0))
    stop_collectd
    keep_log_notes "CallsFile churn" "$logf"
  fi
fi
cfrss() { awk -v g="$1" '$1 == g {print $2}' "$CF_RSS"; }

# ------------------------------------------------------ 4. extras
# One read: collectd -T (each read callback once, then exit): N = 1000
# over HTTP, 100 over HTTPS (curl_json's cold connects cost ~55 ms CPU
# each there: 1 000 would take minutes per run).
SINGLE=$DIR/single.tsv
: >"$SINGLE"
single_n() { if [ "$1" = https ]; then echo 100; else echo 1000; fi; }
if want single; then
  log "single read (collectd -T), N=1000 http / 100 https, $RUNS alternated runs each"
  for proto in $PROTOS; do
    sn=$(single_n $proto)
    for side in quo cj; do
      {
        conf_head 60 "$DIR/single-$side-$proto.log"
        if [ $side = quo ]; then live_ids "$sn" | QUO_OPTS="" quo_block $proto; else live_ids "$sn" | cj_block $proto; fi
      } >"$DIR/single-$side-$proto.conf"
    done
    for r in $(seq 0 "$RUNS"); do # run 0: warm-up (page cache, nginx)
      for side in quo cj; do
        res=$("$T/runstat" -q -- collectd -T -C "$DIR/single-$side-$proto.conf")
        [ "$r" = 0 ] || echo "$side $proto $res" >>"$SINGLE"
      done
    done
  done
fi
sgcol() { awk -v s="$1" -v p="$2" "\$1 == s && \$2 == p {print $3}" "$SINGLE" | median; }

log "parse cost and check cost"
PITER=200000
PARSE=$DIR/parse.tsv
: >"$PARSE"
want parse && for r in $(seq "$RUNS"); do
  echo "ours $("$T/parsebench" ours "$BODY" $PITER)" >>"$PARSE"
  echo "floor $("$T/parsebench" floor "$BODY" $PITER)" >>"$PARSE"
done
P_OURS=$(awk '$1 == "ours" {print $2}' "$PARSE" | median)
P_FLOOR=$(awk '$1 == "floor" {print $2}' "$PARSE" | median)

CHECK=$DIR/check.tsv
: >"$CHECK"
ID=ACbench000000
want check && for r in $(seq "$RUNS"); do
  echo "quo $("$T/runstat" -q -n 20 -- "$ROOT/build/check_quo" -i $ID -u "http://127.0.0.1:$PORT" \
    -k "$DIR/api.key")" >>"$CHECK"
  echo "curl $("$T/runstat" -q -n 20 -- "$CHECK_CURL" -I 127.0.0.1 -p "$PORT" \
    -u "/v1/calls/$ID" -k "Authorization: $KEY")" >>"$CHECK"
done
if awk '$6 != 0 {bad = 1} END {exit !bad}' "$CHECK"; then
  log "WARNING: a check did not exit OK:"
  cat "$CHECK" >&2
fi
C_OURS=$(awk '$1 == "quo" {print $2 + $3}' "$CHECK" | median)
C_CURL=$(awk '$1 == "curl" {print $2 + $3}' "$CHECK" | median)

# Opt-in: callgrind of one read of N = 1000 (instructions, repeatable).
CG_READ="" CG_QUO_PROC="" CG_CJ_PROC="" CG_BASE_PROC=""
cg_total() { awk '/^(summary|totals):/ {print $2; exit}' "$1"; }
if want cg; then
  log "callgrind (instruction counts)"
  { conf_head 600 "$DIR/cg.log"; live_ids 1000 | QUO_OPTS="  Timeout 60000" quo_block http; } >"$DIR/cg-quo.conf"
  { conf_head 600 "$DIR/cg.log"; live_ids 1000 | cj_block http; } >"$DIR/cg-cj.conf"
  conf_head 600 "$DIR/cg.log" >"$DIR/cg-base.conf"
  valgrind --tool=callgrind --callgrind-out-file="$DIR/cg.read" \
    --toggle-collect='quo_read*' collectd -T -C "$DIR/cg-quo.conf" >/dev/null 2>&1
  CG_READ=$(cg_total "$DIR/cg.read")
  for k in quo cj base; do
    valgrind --tool=callgrind --callgrind-out-file="$DIR/cg.$k" \
      collectd -T -C "$DIR/cg-$k.conf" >/dev/null 2>&1
  done
  CG_QUO_PROC=$(cg_total "$DIR/cg.quo") CG_CJ_PROC=$(cg_total "$DIR/cg.cj") CG_BASE_PROC=$(cg_total "$DIR/cg.base")
  callgrind_annotate --inclusive=yes "$DIR/cg.read" 2>/dev/null | head -60 >"$T/profile-read.txt" || true
  callgrind_annotate "$DIR/cg.quo" 2>/dev/null | head -60 >"$T/profile-process-self.txt" || true
fi
BUDGET=""
if want budget; then
  log "budget under the real limit (about 45 s)"
  BUDGET=$(sh "$ROOT/tests/drivers/budget-sim.sh" 100 20 10 4)
fi

# ------------------------------------------------------------ the table
{
  echo "## make bench — $(date -u '+%Y-%m-%d %H:%M UTC'), $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet HEAD -- plugin 2>/dev/null || echo ' (plugin/ modified)')"
  echo
  echo "Machine: $(nproc) CPUs, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)," \
    "$(free -h | awk '/^Mem:/ {print $2}') RAM, Linux $(uname -r), load average at start $(cut -d' ' -f1-3 /proc/loadavg);" \
    "$(collectd -h 2>&1 | awk '/^collectd/ {print $1, $2; exit}' | tr -d ',')," \
    "libcurl $(curl-config --version 2>/dev/null | awk '{print $2}') (curl_json: libcurl-gnutls)," \
    "yajl $(dpkg-query -W -f='${Version}' libyajl2 2>/dev/null)," \
    "$(nginx -v 2>&1 | sed 's/.*: //'). nginx capacity (wrk, 1 thread, 16 keep-alive connections, plain HTTP): $WRK_RPS requests/s."
  echo "Each collectd: \`collectd -f\`, Hostname fixed, LogLevel warning, the network plugin writing to a local UDP port nobody reads. ${HZ} ticks/s."
  if want steady; then
    echo
    echo "### 1. Steady state: CPU of the collectd process per N requests (ms), medians of $RUNS alternated windows"
    echo
    echo "Two daemons per row (quo.so, curl_json), each warmed up once (every call answered twice, ≥ 2N requests), then measured in turns while the other is stopped (SIGSTOP): window = whole intervals opening in an idle gap after the daemon caught up; CPU = utime+stime from /proc/PID/stat, scaled to N requests."
    echo
    echo "| proto | N | Interval s | window | quo ms per N | curl_json ms per N | **quo / curl_json** | by schedstat | windows quo / cj | new conns in windows quo / cj | RSS MiB quo / cj | first warm-up s quo / cj | nginx ms per N quo / cj | longest cycle s quo / cj |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    for proto in $PROTOS; do
      for n in $NS; do
        q=$(stcol quo $proto "$n" "$PER_N_MS") c=$(stcol cj $proto "$n" "$PER_N_MS")
        qs=$(stcol quo $proto "$n" '$6 / 1e6 * $3 / $4') cs=$(stcol cj $proto "$n" '$6 / 1e6 * $3 / $4')
        cjs=$(f1 "$c")
        [ "$(warmcol cj $proto "$n" '$4')" != skipped ] || cjs="not run (memory, see notes)"
        printf '| %s | %s | %s | %s × %s s | %s | %s | **%s** | %s | %s / %s | %s / %s | %s / %s | %s / %s | %s / %s | %s / %s |\n' \
          "$proto" "$n" "$(st_interval "$n")" "$(st_k "$n")" "$(st_interval "$n")" \
          "$(f1 "$q")" "$cjs" "$(ratio "$q" "$c")" "$(ratio "$qs" "$cs")" \
          "$(stcount quo $proto "$n")" "$(stcount cj $proto "$n")" \
          "$(stcol quo $proto "$n" '$9')" "$(stcol cj $proto "$n" '$9')" \
          "$(mib "$(stcol quo $proto "$n" '$11')")" "$(mib "$(stcol cj $proto "$n" '$11')")" \
          "$(warmcol quo $proto "$n" '$12')" "$(warmcol cj $proto "$n" '$12')" \
          "$(f1 "$(stcol quo $proto "$n" '$7 * 1000 / $15 * $3 / $4')")" "$(f1 "$(stcol cj $proto "$n" '$7 * 1000 / $15 * $3 / $4')")" \
          "$(stcol quo $proto "$n" '$14')" "$(stcol cj $proto "$n" '$14')"
      done
    done
    echo
    echo "Requests per window (median) quo / cj: $(for proto in $PROTOS; do for n in $NS; do printf '%s N=%s %s / %s; ' $proto "$n" "$(stcol quo $proto "$n" '$4')" "$(stcol cj $proto "$n" '$4')"; done; done)"
    echo "Windows that opened without an idle gap: $(awk '$16 == 0' "$STEADY" | wc -l) of $(wc -l <"$STEADY")."
  fi
  if want mix; then
    echo
    echo "### 2. Realistic mix: $MIX_N calls (1 000 live, 9 000 finished, FinalRefreshInterval 86400), Interval 10, budget off"
    echo
    echo "CPU per interval over 3 intervals once every call was fetched and the second cycle was over; RSS at the end; growth = (RSS at $MIX_N calls − RSS at $MIX_FEW calls) / $((MIX_N - MIX_FEW))."
    echo
    echo "| StatusMetrics | CPU per interval ms | requests per interval | RSS MiB at $MIX_N calls | RSS MiB at $MIX_FEW calls | **RSS growth per tracked call, bytes** |"
    echo "|---|---|---|---|---|---|"
    for mode in $MIX_MODES; do
      big=$(mixget "$mode" $MIX_N) few=$(mixget "$mode" $MIX_FEW)
      label=$mode
      [ "$mode" = default ] && label="(not set: this build's only behaviour)"
      if [[ "$few" == *refused* ]]; then
        why="n/a (${few#* refused })"
        echo "| $label | $why | $why | $why | $why | $why |"
      elif [ -z "$big" ] || [[ "$big $few" == *failed* ]]; then
        echo "| $label | n/a (run failed, see notes) | | | | |"
      else
        set -- $big
        fr=$(echo "$few" | awk '{print $11}')
        echo "| $label | $(awk -v t="$5" -v k="$3" -v hz="${15}" 'BEGIN {printf "%.0f", t * 1000 / hz / k}') | $(($4 / $3)) | $(mib "${11}") | $(mib "$fr") | **$(awk -v a="${11}" -v b="$fr" -v n=$((MIX_N - MIX_FEW)) 'BEGIN {printf "%.0f", (a - b) * 1024 / n}')** |"
      fi
    done
  fi
  if want calls; then
    echo
    echo "### 3. CallsFile"
    echo
    if [ "$CF_STATE" != ok ]; then
      echo "| re-read of 100 000 lines, CPU ms | RSS after re-read 10 / 100 of a 10 000-call churn |"
      echo "|---|---|"
      echo "| $CF_STATE | $CF_STATE |"
    else
      echo "| what | figure |"
      echo "|---|---|"
      echo "| re-read of a 100 000-line file (rename, same content): CPU ms above the idle rate, median of 5 | **$(f1 "$CF_REREAD")** (by ticks: $(f1 "$CF_REREAD_TICKS"); idle rate $(f1 "$CF_BASE") ms/s) |"
      echo "| what the plugin logged about its last re-read (LogLevel info) | ${CF_SAYS:-nothing} |"
      echo "| RSS with 100 000 calls tracked (budget 1/s: few fetched) | $(mib "$CF_RSS100K") MiB |"
      echo "| churn: RSS MiB at start / after re-read 1 / 10 / 50 / $CHURN_STEPS (half of 10 000 calls replaced each time, added calls fetched before the next) | $(mib "$(cfrss 0)") / $(mib "$(cfrss 1)") / **$(mib "$(cfrss 10)")** / $(mib "$(cfrss 50)") / **$(mib "$(cfrss "$CHURN_STEPS")")** ($CF_CHURN_S s) |"
    fi
  fi
  if want single; then
    echo
    echo "### Extra: one read (\`collectd -T\`), medians of $RUNS alternated runs after one warm-up run each"
    echo
    echo "Includes collectd's start-up and, for curl_json, one connect (and TLS handshake) per URL: not the measure of section 1."
    echo
    echo "| proto | N | CPU quo ms | CPU curl_json ms | ratio | wall quo ms | wall curl_json ms | ratio | peak RSS quo / cj MiB |"
    echo "|---|---|---|---|---|---|---|---|---|"
    for proto in $PROTOS; do
      qc=$(sgcol quo $proto '($3 + $4) * 1000') cc=$(sgcol cj $proto '($3 + $4) * 1000')
      qw=$(sgcol quo $proto '$5 * 1000') cw=$(sgcol cj $proto '$5 * 1000')
      echo "| $proto | $(single_n $proto) | $(f1 "$qc") | $(f1 "$cc") | $(ratio "$qc" "$cc") | $(f1 "$qw") | $(f1 "$cw") | $(ratio "$qw" "$cw") | $(mib "$(sgcol quo $proto '$6')") / $(mib "$(sgcol cj $proto '$6')") |"
    done
  fi
  if want parse; then
    echo
    echo "### Extra: parse cost, ns per call record ($(wc -c <"$BODY") bytes), medians of $RUNS"
    echo
    echo "| quo_call_parse | yajl, empty callbacks | ratio |"
    echo "|---|---|---|"
    echo "| $P_OURS | $P_FLOOR | $(ratio "$P_OURS" "$P_FLOOR") |"
  fi
  if want check; then
    echo
    echo "### Extra: check cost, CPU ms per invocation (medians of $RUNS batches of 20)"
    echo
    echo "| check_quo | check_curl | ratio |"
    echo "|---|---|---|"
    echo "| $(f1 "$(awk -v x="$C_OURS" 'BEGIN {print x * 1000}')") | $(f1 "$(awk -v x="$C_CURL" 'BEGIN {print x * 1000}')") | $(ratio "$C_OURS" "$C_CURL") |"
  fi
  if [ -n "$CG_READ" ]; then
    echo
    echo "### Opt-in: callgrind, one read of N = 1000 (collectd -T), instructions"
    echo
    echo "| quo_read inclusive | whole process quo | whole process curl_json | no plugin | (quo − base) / (cj − base) |"
    echo "|---|---|---|---|---|"
    echo "| $CG_READ | $CG_QUO_PROC | $CG_CJ_PROC | $CG_BASE_PROC | $(ratio $((CG_QUO_PROC - CG_BASE_PROC)) $((CG_CJ_PROC - CG_BASE_PROC))) |"
  fi
  if [ -n "$BUDGET" ]; then
    echo
    echo "### Opt-in: under the real limit (tests/drivers/budget-sim.sh 100 20 10 4)"
    echo
    echo '```'
    echo "$BUDGET"
    echo '```'
  fi
  echo
  if [ -s "$NOTES_FILE" ]; then
    echo "Notes (warnings and errors the daemons logged, failed runs):"
    echo
    cat "$NOTES_FILE"
  else
    echo "No daemon logged a warning or an error."
  fi
  echo
  echo "Whole run: $(((SECONDS - T_BEGIN) / 60)) min $(((SECONDS - T_BEGIN) % 60)) s."
} >"$OUT"
cp "$STEADY" "$T/steady.tsv"
cp "$WARM" "$T/warm.tsv"
cp "$MIX" "$T/mix.tsv"
cat "$OUT"
log "table in $OUT; raw steady-state runs in $T/steady.tsv (side proto N requests cpu_ticks cpu_ns nginx_ticks wall new_conns non200 rss_kib warm_s distinct max_burst_s hz)"
