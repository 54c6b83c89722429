# Shared by the shell drivers (demo, budget-sim, valgrind): a private
# directory with a generated key, the stand-in API, and cleanup of every
# process they start. Source it after setting set -eu.
#
#   quo_setup NAME          DIR, a 0600 key in $DIR/api.key, traps
#   quo_standin FIXTURES [ARGS...]   starts the stand-in (on $PORT when set)
#   quo_plugins             $DIR/plugins with quo.so, csv and logfile
#   quo_conf_head HOST INTERVAL LOG DATADIR   prints the head of a
#                           collectd.conf up to the open <Plugin quo> block

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

quo_stop_standin() {
  kill "$STANDIN"
  wait "$STANDIN" 2>/dev/null || true
  STANDIN=""
}

quo_plugins() {
  mkdir -p "$DIR/plugins"
  cp "$ROOT/$B/quo.so" /usr/lib/collectd/csv.so /usr/lib/collectd/logfile.so \
    "$DIR/plugins/"
}

# The head every driver's collectd.conf shares: plugin dir, types, logfile,
# csv, and <Plugin quo> opened with BaseURL and APIKeyFile for the
# stand-in. The caller adds its options and calls and closes the block.
quo_conf_head() {
  cat <<CONF
Hostname "$1"
Interval $2
PluginDir "$DIR/plugins"
TypesDB "/usr/share/collectd/types.db"
LoadPlugin logfile
<Plugin logfile>
  LogLevel info
  File "$3"
</Plugin>
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
