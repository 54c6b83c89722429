#!/bin/bash
# `make bench`: quo-collectd measured against what operators would use
# instead, in alternated runs (ours, theirs, ours, theirs ...), medians.
#
#  1. Read cycle: `collectd -T` with quo.so vs with stock curl_json, same N
#     call URLs, budget off: CPU (user+sys, wait4), wall, peak RSS, TCP
#     connections opened (server side: distinct nginx $connection).
#  2. Parse cost: ns per call record, quo_call_parse vs yajl with empty
#     callbacks (tests/bench/parsebench.c).
#  3. Check cost: CPU per check_quo invocation vs check_curl, same call.
#  4. Memory: RSS per tracked call at 10 000 and 100 000 calls (running
#     collectd after its first read, minus a 1-call baseline).
#  5. Under the real limit: tests/drivers/budget-sim.sh 100 calls, 20 % finished,
#     against the stand-in API enforcing 10 requests/s.
#  6. callgrind: instructions per call record and per read of N = 1000.
#
# The stand-in for 1-4 and 6 is nginx serving one static file per call ID
# on 127.0.0.1 (tests/bench/nginx.conf.in). Every process started here is
# ended by its PID on exit. Knobs: RUNS, BENCH_N, BENCH_QUICK=1.
set -euo pipefail

ROOT=$(pwd)
RUNS=${RUNS:-5}
NS=${BENCH_N:-"100 1000 5000"}
QUICK=${BENCH_QUICK:-0}
# BENCH_ONLY="read parse check mem budget cg": a subset (for iterating).
ONLY=${BENCH_ONLY:-read parse check mem budget cg}
want() { [[ " $ONLY " == *" $1 "* ]]; }
T=$ROOT/build/bench
OUT=$T/results.md
CHECK_CURL=/usr/lib/nagios/plugins/check_curl
IN_FLIGHT=$(sed -n 's/^#define QUO_DEFAULT_IN_FLIGHT \([0-9]*\).*/\1/p' \
  "$ROOT/plugin/core/http.h")

DIR=$(mktemp -d /tmp/quo-bench-XXXXXX)
chmod 755 "$DIR"
NGINX=""
BG=""
# Ends one process we started: TERM, up to 5 s, then KILL.
stop_pid() {
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 50); do
    kill -0 "$1" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
cleanup() {
  trap '' INT TERM
  for p in $BG $NGINX; do stop_pid "$p"; done
  rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '%s\n' "$*" >&2; }
median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) print "nan";
  else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "n/a"}'; }
ms() { awk -v s="$1" 'BEGIN {printf "%.1f", s * 1000}'; }

# ---------------------------------------------------------------- set-up
MAXN=1000
for n in $NS; do [ "$n" -gt "$MAXN" ] && MAXN=$n; done
[ "$MAXN" -lt 10000 ] && MAXN=10000
[ "$QUICK" = 1 ] || MAXN=100000
mkdir -p "$DIR/www/v1/calls" "$DIR/plugins" "$DIR"/tmp-{body,proxy,fcgi,uwsgi,scgi}
log "bench: writing $MAXN call bodies"
# A real call object, compact as the API sends it, one per ID.
awk -v n="$MAXN" -v d="$DIR/www/v1/calls" 'BEGIN {
  for (i = 0; i < n; i++) {
    id = sprintf("ACbench%06d", i); f = d "/" id
    printf "{\"data\":{\"answeredAt\":\"2026-11-27T10:00:07.5Z\",\"answeredBy\":\"USlHhXmRMz\",\"initiatedBy\":null,\"direction\":\"incoming\",\"status\":\"completed\",\"completedAt\":\"2026-11-27T10:03:11Z\",\"createdAt\":\"2026-11-27T10:00:00Z\",\"callRoute\":\"phone-number\",\"duration\":184,\"forwardedFrom\":null,\"forwardedTo\":null,\"aiHandled\":null,\"id\":\"%s\",\"phoneNumberId\":\"PN123abc\",\"participants\":[\"+15555550100\",\"+15555550199\"],\"updatedAt\":\"2026-11-27T10:03:12Z\",\"userId\":\"US123abc\"}}", id > f
    close(f)
  }}'
BODY=$DIR/www/v1/calls/ACbench000000
(umask 077 && head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$DIR/api.key" &&
  echo >>"$DIR/api.key")
KEY=$(cat "$DIR/api.key")
cp "$ROOT/build/quo.so" /usr/lib/collectd/curl_json.so "$DIR/plugins/"

# nginx on a free port of 127.0.0.1.
for attempt in 1 2 3 4 5 6 7 8; do
  PORT=$((20000 + RANDOM % 30000))
  sed -e "s|@DIR@|$DIR|g" -e "s|@PORT@|$PORT|g" \
    "$ROOT/tests/bench/nginx.conf.in" >"$DIR/nginx.conf"
  nginx -c "$DIR/nginx.conf" -p "$DIR" >/dev/null 2>&1 &
  NGINX=$!
  for _ in $(seq 50); do
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/v1/calls/ACbench000000" && break
    kill -0 "$NGINX" 2>/dev/null || break
    sleep 0.1
  done
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/v1/calls/ACbench000000" && break
  kill "$NGINX" 2>/dev/null || true
  wait "$NGINX" 2>/dev/null || true
  NGINX=""
done
[ -n "$NGINX" ] || { log "bench: nginx would not start"; cat "$DIR/nginx-error.log" >&2; exit 1; }
BASE="http://127.0.0.1:$PORT"
log "bench: nginx (pid $NGINX) on $BASE"

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
HZ=$(getconf CLK_TCK)

conf_head() { # interval
  cat <<EOF
Hostname "bench"
FQDNLookup false
Interval $1
PluginDir "$DIR/plugins"
TypesDB "/usr/share/collectd/types.db"
PIDFile "$DIR/collectd.pid"
EOF
}
quo_conf() { # n interval [timeout_ms] > file
  conf_head "$2"
  echo "LoadPlugin quo"
  echo "<Plugin quo>"
  echo "  BaseURL \"${QBASE:-$BASE}\""
  echo "  APIKeyFile \"$DIR/api.key\""
  echo "  MaxRequestsPerSecond 0"
  [ -n "${3:-}" ] && echo "  Timeout $3"
  awk -v n="$1" 'BEGIN {for (i = 0; i < n; i++) printf "  Call \"ACbench%06d\"\n", i}'
  echo "</Plugin>"
}
cj_conf() { # n interval > file
  conf_head "$2"
  echo "LoadPlugin curl_json"
  echo "<Plugin curl_json>"
  awk -v n="$1" -v b="$BASE" -v k="$KEY" 'BEGIN {for (i = 0; i < n; i++) {
    id = sprintf("ACbench%06d", i)
    printf "  <URL \"%s/v1/calls/%s\">\n    Instance \"%s\"\n", b, id, id
    printf "    Header \"Authorization: %s\"\n", k
    printf "    <Key \"data/duration\">\n      Type \"duration\"\n    </Key>\n  </URL>\n"}}'
  echo "</Plugin>"
}

# ------------------------------------------------------ nginx's capacity
WRK_RPS="n/a"
if command -v wrk >/dev/null; then
  WRK_RPS=$(wrk -t1 -c16 -d3s -H "Authorization: $KEY" \
    "$BASE/v1/calls/ACbench000000" | awk '/Requests\/sec/ {printf "%.0f", $2}')
  log "bench: nginx capacity (wrk, 16 keep-alive connections): $WRK_RPS requests/s"
fi

# ------------------------------------------------------------ 1. read cycle
READ=$DIR/read.tsv
: >"$READ"
read_run() { # kind n conf
  : >"$DIR/access.log"
  local c0 c1 r
  c0=$(ticks "$NGINX")
  r=$("$T/runstat" -q -- collectd -T -C "$3")
  sleep 0.2
  c1=$(ticks "$NGINX")
  local reqs ok conns
  reqs=$(wc -l <"$DIR/access.log")
  ok=$(awk '$2 == 200' "$DIR/access.log" | wc -l)
  conns=$(awk '{print $1}' "$DIR/access.log" | sort -u | wc -l)
  set -- "$1" "$2" $r
  # kind n user sys wall rss exit reqs ok conns nginx_ticks
  echo "$1 $2 $3 $4 $5 $6 $7 $reqs $ok $conns $((c1 - c0))" >>"$READ"
  [ "$ok" -eq "$2" ] || log "bench: WARNING: $1 N=$2: $ok of $2 requests answered 200"
}
want read || NS=""
for n in $NS; do
  quo_conf "$n" 60 >"$DIR/quo-$n.conf"
  cj_conf "$n" 60 >"$DIR/cj-$n.conf"
  log "bench: read cycle N=$n: warm-up, then $RUNS alternated runs each"
  read_run warm "$n" "$DIR/quo-$n.conf"
  read_run warm "$n" "$DIR/cj-$n.conf"
  for r in $(seq "$RUNS"); do
    read_run quo "$n" "$DIR/quo-$n.conf"
    read_run cj "$n" "$DIR/cj-$n.conf"
  done
done
col() { # kind n awk-expr
  awk -v k="$1" -v n="$2" "\$1 == k && \$2 == n {print $3}" "$READ" | median
}

# ------------------------------------------------------------ 2. parse cost
log "bench: parse cost, $RUNS alternated runs each"
PITER=200000
PARSE=$DIR/parse.tsv
: >"$PARSE"
want parse || PRUNS=0
for r in $(seq "${PRUNS:-$RUNS}"); do
  echo "ours $("$T/parsebench" ours "$BODY" $PITER)" >>"$PARSE"
  echo "floor $("$T/parsebench" floor "$BODY" $PITER)" >>"$PARSE"
done
P_OURS=$(awk '$1 == "ours" {print $2}' "$PARSE" | median)
P_FLOOR=$(awk '$1 == "floor" {print $2}' "$PARSE" | median)

# ------------------------------------------------------------ 3. check cost
log "bench: check cost, $RUNS alternated batches of 20 invocations each"
CHECK=$DIR/check.tsv
: >"$CHECK"
ID=ACbench000000
want check || CRUNS=0
for r in $(seq "${CRUNS:-$RUNS}"); do
  echo "quo $("$T/runstat" -q -n 20 -- "$ROOT/build/check_quo" -i $ID -u "$BASE" \
    -k "$DIR/api.key")" >>"$CHECK"
  echo "curl $("$T/runstat" -q -n 20 -- "$CHECK_CURL" -I 127.0.0.1 -p "$PORT" \
    -u "/v1/calls/$ID" -k "Authorization: $KEY")" >>"$CHECK"
done
if awk '$6 != 0 {bad = 1} END {exit !bad}' "$CHECK"; then
  log "bench: WARNING: a check did not exit OK:"
  cat "$CHECK" >&2
fi
C_OURS=$(awk '$1 == "quo" {print $2 + $3}' "$CHECK" | median)
C_CURL=$(awk '$1 == "curl" {print $2 + $3}' "$CHECK" | median)
CW_OURS=$(awk '$1 == "quo" {print $4}' "$CHECK" | median)
CW_CURL=$(awk '$1 == "curl" {print $4}' "$CHECK" | median)

# ------------------------------------------------------------ 4. memory
# collectd -f after its first read: VmRSS once every call has been answered.
# Kind "own": quo.so with the API unreachable (connection refused), so no
# per-call value reaches collectd's cache: the plugin's own state.
mem_run() { # kind n: appends "kind n rss_kib" to $MEM
  local conf=$DIR/mem-$1-$2.conf t0=$SECONDS
  case $1 in
  quo) quo_conf "$2" 3600 >"$conf" ;;
  own) QBASE=http://127.0.0.1:1 quo_conf "$2" 3600 >"$conf" ;;
  cj) cj_conf "$2" 3600 >"$conf" ;;
  esac
  : >"$DIR/access.log"
  collectd -f -C "$conf" >/dev/null 2>&1 &
  BG=$!
  local waited=0 seen=-1 now
  if [ "$1" = own ]; then
    # Every call attempted (refused): until collectd's CPU time stops moving.
    sleep 1
    local a b=-1
    while a=$(ticks "$BG") && [ "$a" != "$b" ] && [ $waited -lt 600 ]; do
      b=$a waited=$((waited + 1))
      sleep 0.5
    done
    waited=0
  else
    # Until every call was answered, or nothing moved for 20 s (for 300 s
    # before the first request: configuring 100 000 calls takes minutes,
    # quo_config_add_call's duplicate check being quadratic).
    local limit=200
    while now=$(wc -l <"$DIR/access.log") && [ "$now" -lt "$2" ]; do
      if [ "$now" = 0 ]; then limit=3000; else limit=200; fi
      [ $waited -lt $limit ] || break
      if [ "$now" = "$seen" ]; then waited=$((waited + 1)); else waited=0 seen=$now; fi
      sleep 0.1
    done
  fi
  [ "$(wc -l <"$DIR/access.log")" -ge "$2" ] || [ "$1" = own ] || log "bench: WARNING: memory $1 N=$2: stuck at $(wc -l <"$DIR/access.log") requests"
  sleep 1
  echo "$1 $2 $(awk '/^VmRSS/ {print $2}' "/proc/$BG/status")" >>"$MEM"
  stop_pid "$BG"
  BG=""
  log "bench:   memory $1 N=$2: $(tail -n 1 "$MEM" | cut -d' ' -f3) KiB ($((SECONDS - t0)) s)"
}
MEM=$DIR/mem.tsv
: >"$MEM"
MEM_NS="10000"
[ "$QUICK" = 1 ] || MEM_NS="10000 100000"
MRUNS=3
want mem || MRUNS=0
log "bench: memory, $MRUNS alternated runs: quo at 1 and $MEM_NS calls, curl_json at 1 and 5000 (at 10000 it runs out of descriptors: 3 per URL)"
for r in $(seq $MRUNS); do
  # 100 000 calls once: configuring them alone takes minutes (see below).
  mem_run quo 1
  for n in $MEM_NS; do [ "$n" -lt 100000 ] || [ "$r" = 1 ] && mem_run quo "$n"; done
  mem_run own 1
  for n in $MEM_NS; do [ "$n" -lt 100000 ] || [ "$r" = 1 ] && mem_run own "$n"; done
  mem_run cj 1
  mem_run cj 5000
done
memcol() { awk -v k="$1" -v n="$2" '$1 == k && $2 == n {print $3}' "$MEM" | median; }
per_call() { # kind n -> bytes per call
  awk -v a="$(memcol "$1" "$2")" -v b="$(memcol "$1" 1)" -v n="$2" \
    'BEGIN {printf "%.0f", (a - b) * 1024 / (n - 1)}'
}

# ------------------------------------------------------------ 5. budget
BUDGET=""
if [ "$QUICK" != 1 ] && want budget; then
  log "bench: budget under the real limit (about 45 s)"
  BUDGET=$(sh "$ROOT/tests/drivers/budget-sim.sh" 100 20 10 4)
fi

# ------------------------------------------------------------ 6. callgrind
CG_PARSE_OURS="" CG_PARSE_FLOOR="" CG_READ="" CG_QUO_PROC="" CG_CJ_PROC="" CG_BASE_PROC=""
cg_total() { awk '/^(summary|totals):/ {print $2; exit}' "$1"; }
if [ "$QUICK" != 1 ] && want cg; then
  log "bench: callgrind (instruction counts)"
  CGI=2000
  for k in ours floor; do
    valgrind --tool=callgrind --callgrind-out-file="$DIR/cg.parse.$k" \
      --toggle-collect="bench_$k*" "$T/parsebench" $k "$BODY" $CGI >/dev/null 2>&1
  done
  CG_PARSE_OURS=$(($(cg_total "$DIR/cg.parse.ours") / CGI))
  CG_PARSE_FLOOR=$(($(cg_total "$DIR/cg.parse.floor") / CGI))
  quo_conf 1000 600 60000 >"$DIR/cg-quo.conf"
  cj_conf 1000 600 >"$DIR/cg-cj.conf"
  conf_head 600 >"$DIR/cg-base.conf"
  : >"$DIR/access.log"
  valgrind --tool=callgrind --callgrind-out-file="$DIR/cg.read" \
    --toggle-collect='quo_read*' collectd -T -C "$DIR/cg-quo.conf" >/dev/null 2>&1
  CG_READ=$(cg_total "$DIR/cg.read")
  valgrind --tool=callgrind --callgrind-out-file="$DIR/cg.quo" \
    collectd -T -C "$DIR/cg-quo.conf" >/dev/null 2>&1
  valgrind --tool=callgrind --callgrind-out-file="$DIR/cg.cj" \
    collectd -T -C "$DIR/cg-cj.conf" >/dev/null 2>&1
  valgrind --tool=callgrind --callgrind-out-file="$DIR/cg.base" \
    collectd -T -C "$DIR/cg-base.conf" >/dev/null 2>&1
  CG_QUO_PROC=$(cg_total "$DIR/cg.quo")
  CG_CJ_PROC=$(cg_total "$DIR/cg.cj")
  CG_BASE_PROC=$(cg_total "$DIR/cg.base")
  callgrind_annotate --inclusive=yes "$DIR/cg.read" 2>/dev/null | head -60 >"$T/profile-read.txt" || true
  callgrind_annotate "$DIR/cg.read" 2>/dev/null | head -60 >"$T/profile-read-self.txt" || true
  callgrind_annotate "$DIR/cg.parse.ours" 2>/dev/null | head -40 >"$T/profile-parse.txt" || true
fi

# ------------------------------------------------------------ the table
{
  echo "## make bench — $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: $(nproc) CPUs, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)," \
    "$(free -h | awk '/^Mem:/ {print $2}') RAM, Linux $(uname -r);" \
    "$(collectd -h 2>&1 | awk '/^collectd/ {print $1, $2; exit}')," \
    "libcurl $(curl-config --version 2>/dev/null | awk '{print $2}')," \
    "yajl $(dpkg-query -W -f='${Version}' libyajl2 2>/dev/null)," \
    "$(nginx -v 2>&1 | sed 's/.*: //')."
  echo "Runs: $RUNS alternated per side (ours, theirs, ours, ...), medians." \
    "Concurrency limit (in flight): $IN_FLIGHT."
  echo
  if want read; then
  echo "### 1. Read cycle: \`collectd -T\`, quo.so vs curl_json, budget off"
  echo
  echo "| N | CPU ours ms | CPU curl_json ms | **CPU ratio** | wall ours ms | wall curl_json ms | **wall ratio** | peak RSS ours / cj MiB | RSS ratio | TCP conns ours / cj | nginx CPU ms ours / cj |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  for n in $NS; do
    qc=$(col quo "$n" '$3 + $4') cc=$(col cj "$n" '$3 + $4')
    qw=$(col quo "$n" '$5') cw=$(col cj "$n" '$5')
    qr=$(col quo "$n" '$6') cr=$(col cj "$n" '$6')
    qn=$(col quo "$n" '$10') cn=$(col cj "$n" '$10')
    qg=$(awk -v n="$n" -v hz="$HZ" -v r="$RUNS" '$1 == "quo" && $2 == n {s += $11} END {printf "%.0f", s * 1000 / hz / r}' "$READ")
    cg=$(awk -v n="$n" -v hz="$HZ" -v r="$RUNS" '$1 == "cj" && $2 == n {s += $11} END {printf "%.0f", s * 1000 / hz / r}' "$READ")
    printf '| %s | %s | %s | **%s** | %s | %s | **%s** | %.1f / %.1f | %s | %s / %s | %s / %s |\n' \
      "$n" "$(ms "$qc")" "$(ms "$cc")" "$(ratio "$qc" "$cc")" "$(ms "$qw")" "$(ms "$cw")" \
      "$(ratio "$qw" "$cw")" "$(awk -v x="$qr" 'BEGIN {print x / 1024}')" \
      "$(awk -v x="$cr" 'BEGIN {print x / 1024}')" "$(ratio "$qr" "$cr")" "$qn" "$cn" "$qg" "$cg"
  done
  echo
  echo "CPU = user+sys of the collectd process (wait4), including collectd's own start-up;" \
    "TCP connections = distinct nginx \`\$connection\` values in the access log (server side);" \
    "nginx CPU = utime+stime of the nginx process per run (mean, ${HZ} Hz ticks)." \
    "nginx capacity on the same files (wrk, 1 thread, 16 keep-alive connections, 3 s): $WRK_RPS requests/s."
  fi
  if want parse; then
  echo
    echo "### 2. Parse cost, ns per call record ($(wc -c <"$BODY") bytes)"
    echo
    echo "| ours (quo_call_parse) | floor (yajl, empty callbacks) | **ratio** |"
    echo "|---|---|---|"
    echo "| $P_OURS | $P_FLOOR | **$(ratio "$P_OURS" "$P_FLOOR")** |"
  fi
  if want check; then
  echo
    echo "### 3. Check cost, CPU per invocation (median of $RUNS batches of 20)"
    echo
    echo "| check_quo ms | check_curl ms | **CPU ratio** | wall check_quo / check_curl ms |"
    echo "|---|---|---|---|"
    echo "| $(ms "$C_OURS") | $(ms "$C_CURL") | **$(ratio "$C_OURS" "$C_CURL")** | $(ms "$CW_OURS") / $(ms "$CW_CURL") |"
  fi
  if want mem; then
  echo
    echo "### 4. Memory per tracked call (VmRSS of \`collectd -f\` after its first read, minus the 1-call run, / (N−1); median of $MRUNS)"
    echo
    echo "| calls | **quo.so's own state, bytes per call** (API unreachable: nothing dispatched) | whole collectd with quo.so, bytes per call (15 values per call in collectd's cache) | process RSS MiB |"
    echo "|---|---|---|---|"
    for n in $MEM_NS; do
      echo "| $n | **$(per_call own "$n")** | $(per_call quo "$n") | $(awk -v x="$(memcol quo "$n")" 'BEGIN {printf "%.1f", x / 1024}') |"
    done
    echo
    echo "curl_json at 5000 URLs: $(per_call cj 5000) bytes per URL (1 value each), $(awk -v x="$(memcol cj 5000)" 'BEGIN {printf "%.1f", x / 1024}') MiB;" \
      "at 10 000 URLs it exhausts 20 000 descriptors (an easy handle, its socket pair and its kept-alive connection per URL)." \
      "1-call baselines: quo $(memcol quo 1) KiB, unreachable $(memcol own 1) KiB, curl_json $(memcol cj 1) KiB."
  fi
  if [ -n "$BUDGET" ]; then
    echo
    echo "### 5. Under the real limit (tests/drivers/budget-sim.sh 100 20 10 4: stand-in enforcing 10 requests/s)"
    echo
    echo '```'
    echo "$BUDGET"
    echo '```'
  fi
  if [ -n "$CG_READ" ]; then
    echo
    echo "### 6. callgrind (instructions, repeatable)"
    echo
    echo "| what | instructions |"
    echo "|---|---|"
    echo "| per call record, quo_call_parse | $CG_PARSE_OURS |"
    echo "| per call record, yajl floor | $CG_PARSE_FLOOR |"
    echo "| quo_read, one read of N=1000 (inclusive) | $CG_READ ($((CG_READ / 1000)) per call) |"
    echo "| whole collectd -T, quo N=1000 | $CG_QUO_PROC |"
    echo "| whole collectd -T, curl_json N=1000 | $CG_CJ_PROC |"
    echo "| whole collectd -T, no plugin | $CG_BASE_PROC |"
    echo "| (quo − base) / (curl_json − base) | $(ratio $((CG_QUO_PROC - CG_BASE_PROC)) $((CG_CJ_PROC - CG_BASE_PROC))) |"
  fi
} >"$OUT"
cp "$READ" "$T/read.tsv"
cat "$OUT"
log "bench: table in $OUT; raw read-cycle runs in $T/read.tsv"
