# Shared by the shell drivers (tests/drivers/: demo, budget-sim, valgrind)
# and packaging/package-check.sh: a private directory with a generated key,
# the stand-in API, the plugin directory, the collectd.conf head, the csv
# rows, and cleanup of every process they start. Source it from the top of
# the tree after set -u.
#
#   quo_setup NAME          DIR, a 0600 key in $DIR/api.key, traps
#   quo_standin FIXTURES [ARGS...]   starts the stand-in (on $PORT when set)
#   quo_generate DIR        call bodies into DIR from spec lines on stdin
#                           ("ID STATUS [duration=N] [completedAt=T] ...",
#                           see tests/standin/callgen.h)
#   quo_plugins [QUO_SO]    $DIR/plugins with quo.so (default $B/quo.so),
#                           csv and logfile
#   quo_stock_plugins NAME...   adds collectd's NAME.so to $DIR/plugins
#   quo_conf_base HOST INTERVAL LOG [LEVEL]  the head of every
#                           collectd.conf (tests/collectd-base.conf.in):
#                           Hostname (none when HOST is ""), Interval,
#                           PluginDir, TypesDB, logfile at LEVEL (info)
#   quo_conf_head HOST INTERVAL LOG DATADIR   quo_conf_base, csv, and
#                           <Plugin quo> opened for the stand-in
#   quo_csv_rows CSVDIR     read cycles written: rows of quo-api/bool-healthy
#   quo_wait_rows CSVDIR N  waits for N of them while $COLLECTD runs

ROOT=$(pwd)
B=${QUO_BUILD:-build}
STANDIN=""
COLLECTD=""

quo_cleanup() {
  [ -n "$COLLECTD" ] && kill "$COLLECTD" 2>/dev/null && wait "$COLLECTD" 2>/dev/null
  [ -n "$STANDIN" ] && kill "$STANDIN" 2>/dev/null && wait "$STANDIN" 2>/dev/null
  [ -n "${QUO_KEEP_TMP:-}" ] || rm -rf "$DIR"
}

quo_setup() {
  DIR=$(mktemp -d "/tmp/quo-$1-XXXXXX")
  trap quo_cleanup EXIT INT TERM
  # The key is generated here and kept in a 0600 file: never on a command
  # line.
  umask 077
  head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$DIR/api.key"
  echo >> "$DIR/api.key"
}

quo_standin() {
  fixtures=$1
  shift
  rm -f "$DIR/port"
  [ -n "${PORT:-}" ] && set -- "$@" --port "$PORT"
  "$ROOT/$B/quo-standin" --fixtures "$fixtures" --key-file "$DIR/api.key" \
    --port-file "$DIR/port" "$@" >> "$DIR/standin.log" 2>&1 &
  STANDIN=$!
  i=0
  while [ ! -s "$DIR/port" ]; do
    i=$((i + 1))
    [ $i -lt 200 ] || { echo "the stand-in API did not start" >&2; exit 1; }
    sleep 0.05
  done
  PORT=$(cat "$DIR/port")
}

quo_generate() {
  "$ROOT/$B/quo-standin" --generate "$1"
}

quo_stop_standin() {
  kill "$STANDIN"
  wait "$STANDIN" 2>/dev/null || true
  STANDIN=""
}

# A plugin collectd cannot dlopen only says so in collectd's log, and a
# test then fails on missing values. Checked here first, naming the
# library: collectd-core only recommends what some of its plugins link
# (write_prometheus: libprotobuf-c1), and tests/deps.sh must name it.
quo_assert_loadable() { # FILE
  [ -r "$1" ] || { echo "$1: not there (is collectd-core installed?)" >&2; exit 1; }
  miss=$(ldd "$1" 2>&1 | awk '/not found/ { printf " %s", $1 }')
  [ -z "$miss" ] && return 0
  echo "$(basename "$1") cannot be loaded, not found:$miss" \
    "(tests/deps.sh must install the package that has it)" >&2
  exit 1
}

quo_stock_plugins() { # NAME...
  for p in "$@"; do
    quo_assert_loadable "/usr/lib/collectd/$p.so"
    cp "/usr/lib/collectd/$p.so" "$DIR/plugins/"
  done
}

quo_plugins() { # [QUO_SO]
  mkdir -p "$DIR/plugins"
  quo_assert_loadable "${1:-$ROOT/$B/quo.so}"
  cp "${1:-$ROOT/$B/quo.so}" "$DIR/plugins/quo.so"
  quo_stock_plugins csv logfile
}

quo_conf_base() { # HOST INTERVAL LOG [LEVEL]: tests/collectd-base.conf.in
  [ -n "$1" ] && echo "Hostname \"$1\""
  sed -e '/^#/d' -e "s|@INTERVAL@|$2|" -e "s|@DIR@|$DIR|" \
    -e "s|@LEVEL@|${4:-info}|" -e "s|@LOG@|$3|" "$ROOT/tests/collectd-base.conf.in"
}

# The head every driver's collectd.conf shares: quo_conf_base, csv, and
# <Plugin quo> opened with BaseURL and APIKeyFile for the stand-in. The
# caller adds its options and calls and closes the block.
quo_conf_head() { # HOST INTERVAL LOG DATADIR
  quo_conf_base "$1" "$2" "$3"
  cat <<CONF
LoadPlugin csv
<Plugin csv>
  DataDir "$4"
</Plugin>
LoadPlugin quo
<Plugin quo>
  BaseURL "http://127.0.0.1:$PORT"
  APIKeyFile "$DIR/api.key"
CONF
}

# csv writes a header line, then one row per read cycle for the API's
# health: the read cycles done so far.
# Every day's file: a run may cross midnight.
quo_csv_rows() { # CSVDIR
  c=$(cat "$1"/quo-api/bool-healthy-* 2>/dev/null | grep -c '^[0-9]') || true
  echo "${c:-0}"
}

quo_wait_rows() { # CSVDIR N: fails when collectd dies or after 20 min
  t=0
  while [ "$(quo_csv_rows "$1")" -lt "$2" ]; do
    kill -0 "$COLLECTD" 2>/dev/null || { echo "FAIL: collectd died" >&2; exit 1; }
    t=$((t + 1))
    [ $t -lt 12000 ] || { echo "FAIL: no read cycle for 20 min" >&2; exit 1; }
    sleep 0.1
  done
}

# Reads a memcheck log into errors (the last ERROR SUMMARY count, empty when
# there is none), lost (bytes definitely lost in all) and quo_lost (loss
# records whose stack runs through quo.so: its file or its sources; leaks
# of collectd itself are not ours to fail on).
# shellcheck disable=SC2034 # set for the caller
quo_memcheck_summary() { # MEMCHECK_LOG
  errors=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$1" | tail -n 1)
  quo_lost=$(awk '/are definitely lost/ { rec = 1; hit = 0; next }
    rec && /quo\.so|plugin\/(core\/)?[a-z_]+\.c/ { hit = 1 }
    rec && /^==[0-9]+== $/ { if (hit) n++; rec = 0 }
    END { print n + 0 }' "$1")
  lost=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$1" | tail -n 1)
}
