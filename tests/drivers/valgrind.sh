#!/bin/sh
# make valgrind: quo.so inside a real collectd under memcheck for many read
# cycles against the stand-in's fault modes (and the stand-in going down
# and coming back), then the same without valgrind to measure RSS at cycle
# 10 and at the last cycle. Fails on any memcheck error, on memory
# definitely lost from quo.so, or on RSS growing by more than 512 KiB.
#
#   tests/drivers/valgrind.sh [CYCLES]      (default 100)
set -eu

CYCLES=${1:-100}
. tests/lib.sh
quo_setup valgrind
cp -r "$ROOT/tests/fixtures/calls" "$DIR/fx"
cp "$DIR/fx/ACoutgoing0001.json" "$DIR/fx/ACfault0001.json"
for f in 2 3 4 5 6 7 8 9; do cp "$DIR/fx/ACfault0001.json" "$DIR/fx/ACfault000$f.json"; done
echo "delay 3000"      > "$DIR/fx/ACfault0001.fault"
echo "truncate"        > "$DIR/fx/ACfault0002.fault"
echo "invalid-json"    > "$DIR/fx/ACfault0003.fault"
echo "big 2000000"     > "$DIR/fx/ACfault0004.fault"
echo "html 502"        > "$DIR/fx/ACfault0005.fault"
echo "wrapped 401"     > "$DIR/fx/ACfault0006.fault"
echo "echo-key 401"    > "$DIR/fx/ACfault0007.fault"
echo "drip 50"         > "$DIR/fx/ACfault0008.fault"
echo "status 500"      > "$DIR/fx/ACfault0009.fault"

quo_standin "$DIR/fx"
quo_plugins
conf() { # name interval timeout_ms
  {
    quo_conf_head vg "$2" "$DIR/$1.log" "$DIR/csv-$1"
    cat <<CONF
  Timeout $3
  MaxRequestsPerSecond 0
  FinalRefreshInterval 2
  Call "AC3700e624eca547eb9f749a06f2eb1"
  Call "ACmissed0001"
  Call "ACoutgoing0001"
  Call "ACforwarded0001"
  Call "ACforbidden0001"
  Call "ACnosuchcall1"
$(for f in 1 2 3 4 5 6 7 8 9; do echo "  Call \"ACfault000$f\""; done)
</Plugin>
CONF
  } > "$DIR/$1.conf"
}
rows() { quo_csv_rows "$DIR/csv-$1/vg"; }       # name
wait_rows() { quo_wait_rows "$DIR/csv-$1/vg" "$2"; } # name n
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$COLLECTD/status"; }

# 1. memcheck, with the API going down and coming back half way.
conf vg 1 300
valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite \
  --errors-for-leak-kinds=definite --num-callers=30 \
  --log-file="$DIR/memcheck.log" collectd -f -C "$DIR/vg.conf" \
  > "$DIR/vg.out" 2>&1 &
COLLECTD=$!
half=$((CYCLES / 2))
wait_rows vg "$half"
quo_stop_standin
wait_rows vg $((half + 3))
quo_standin "$DIR/fx"
wait_rows vg "$CYCLES"
kill "$COLLECTD"; wait "$COLLECTD" 2>/dev/null || true; COLLECTD=""

quo_memcheck_summary "$DIR/memcheck.log"
echo "memcheck: $(rows vg) read cycles, $errors errors," \
  "definitely lost ${lost:-0} bytes in all, $quo_lost loss records from quo.so"

# 2. RSS without valgrind, at the shortest Interval collectd-quo accepts
# (0.5 s).
conf rss 0.5 300
collectd -f -C "$DIR/rss.conf" > "$DIR/rss.out" 2>&1 &
COLLECTD=$!
wait_rows rss 10
rss10=$(rss_kib)
wait_rows rss "$CYCLES"
rssN=$(rss_kib)
kill "$COLLECTD"; wait "$COLLECTD" 2>/dev/null || true; COLLECTD=""
echo "RSS: ${rss10} KiB at cycle 10, ${rssN} KiB at cycle $CYCLES" \
  "($((rssN - rss10)) KiB growth)"

if grep -qF "$(cat "$DIR/api.key")" "$DIR"/*.log "$DIR"/*.out "$DIR/memcheck.log"; then
  echo "FAIL: the API key was written to a log" >&2; exit 1
fi
[ "$errors" = 0 ] || { echo "FAIL: memcheck errors (see $DIR/memcheck.log)" >&2; exit 1; }
[ "$quo_lost" = 0 ] || { echo "FAIL: memory definitely lost from quo.so" >&2; exit 1; }
[ $((rssN - rss10)) -le 512 ] || { echo "FAIL: RSS grew" >&2; exit 1; }
echo "valgrind: passed"
