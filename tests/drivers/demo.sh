#!/bin/sh
# make demo: the stand-in Quo API and a real collectd running build/quo.so
# for about ten seconds, then every value it dispatched as
# "identifier value", then check_quo against a healthy and a failing call.
# Everything started here is stopped on exit.
set -eu

. tests/lib.sh
quo_setup demo
quo_standin "$ROOT/tests/fixtures/calls"
quo_plugins
{
  quo_conf_head demo 2 "$DIR/collectd.log" "$DIR/csv"
  cat <<CONF
  <Call "AC3700e624eca547eb9f749a06f2eb1">
    Instance "support-line"
  </Call>
  Call "ACmissed0001"
  Call "ACoutgoing0001"
  Call "ACforwarded0001"
  Call "ACforbidden0001"
</Plugin>
CONF
} > "$DIR/collectd.conf"

echo "quo demo: stand-in API on 127.0.0.1:$PORT, collectd with quo.so, Interval 2 s, 10 s"
collectd -f -C "$DIR/collectd.conf" > "$DIR/collectd.out" 2>&1 &
COLLECTD=$!
sleep 10
kill "$COLLECTD"
wait "$COLLECTD" 2>/dev/null || true
COLLECTD=""

echo
echo "== what quo.so logged"
grep 'quo' "$DIR/collectd.log" | sed 's/^/  /'
echo
echo "== every value dispatched (last of each), as identifier value"
for f in "$DIR"/csv/demo/quo-*/*; do
  ident="$(basename "$(dirname "$f")")/$(basename "$f" | sed 's/-[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]$//')"
  value=$(tail -n 1 "$f" | cut -d, -f2)
  printf '%s %g\n' "$ident" "$value"
done | sort

echo
echo "== check_quo, as Nagios would run it"
for id in AC3700e624eca547eb9f749a06f2eb1 ACforbidden0001; do
  echo "\$ check_quo -k KEYFILE -u http://127.0.0.1:$PORT -i $id -w 1 -c 5"
  rc=0
  "$ROOT/$B/check_quo" -k "$DIR/api.key" -u "http://127.0.0.1:$PORT" \
    -i "$id" -w 1 -c 5 || rc=$?
  echo "(exit $rc)"
done
