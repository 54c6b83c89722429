#!/bin/sh
# make callsfile-valgrind: quo.so inside a real collectd under memcheck
# while the CallsFile is replaced (temp file, rename) ROUNDS times, each
# round dropping half of the 200 calls watched and adding 100 others (some
# seen before, some answering 200, 404 or 403, with a garbage line and a
# duplicate now and then, and one round of a refused oversized file); then
# SIGTERM. Fails on any memcheck error, on memory definitely lost through
# quo.so, on a round not applied, or on collectd exiting early.
#
#   sh tests/callsfile/churn-valgrind.sh [ROUNDS]     (default 20)
set -eu

ROUNDS=${1:-20}
# The shared driver helpers (another branch may move them under drivers/).
for lib in tests/lib.sh tests/drivers/lib.sh; do
  # shellcheck source=tests/lib.sh
  if [ -f "$lib" ]; then . "./$lib"; break; fi
done
command -v quo_setup >/dev/null || { echo "FAIL: tests/lib.sh not found" >&2; exit 1; }
quo_setup callsfile-vg

# 400 call IDs in 4 blocks of 100; a round watches two adjacent blocks, so
# each round removes one block and adds another. Of every 4 calls: one
# finished, one in progress, one 404 (no fixture), one 403.
mkdir -p "$DIR/fx"
i=1
while [ $i -le 400 ]; do
  case $((i % 4)) in
    0) echo "ACchurn$i completed duration=5 completedAt=2026-11-27T09:01:00Z" ;;
    1) echo "ACchurn$i in-progress duration=5" ;;
    2) ;;
    3) echo "status 403" > "$DIR/fx/ACchurn$i.fault" ;;
  esac
  i=$((i + 1))
done | quo_generate "$DIR/fx"

calls() { # round -> the file's text on stdout
  a=$(($1 % 4)); b=$(((a + 1) % 4))
  for blk in $a $b; do
    j=$((blk * 100 + 1))
    while [ $j -le $((blk * 100 + 100)) ]; do
      echo "ACchurn$j c$j"
      j=$((j + 1))
    done
  done
  # Now and then a garbage line and a duplicate: logged, skipped.
  if [ $(($1 % 3)) = 0 ]; then
    echo "garbage line $1"
    echo "ACchurn$((a * 100 + 1)) dup$1"
  fi
}
replace() { # file from stdin, by rename
  cat > "$DIR/calls.tmp"
  mv "$DIR/calls.tmp" "$DIR/calls"
}
rereads() {
  c=$(grep -c 'CallsFile re-read' "$DIR/vg.log" 2>/dev/null) || true
  echo "${c:-0}"
}
reads() { quo_csv_rows "$DIR/csv/vg"; }
refusals() {
  c=$(grep -c 'refused whole' "$DIR/vg.log" 2>/dev/null) || true
  echo "${c:-0}"
}
wait_for() { # what-function count
  t=0
  while [ "$($1)" -lt "$2" ]; do
    kill -0 "$COLLECTD" 2>/dev/null || { echo "FAIL: collectd exited (see $DIR/vg.out)" >&2; exit 1; }
    if grep -q 'plugin `quo. failed' "$DIR/vg.log" 2>/dev/null; then
      echo "FAIL: quo did not start:" >&2; grep 'quo plugin' "$DIR/vg.log" >&2; exit 1
    fi
    t=$((t + 1))
    [ $t -lt 1200 ] || { echo "FAIL: $1 did not reach $2 in 2 min" >&2; exit 1; }
    sleep 0.1
  done
}

quo_standin "$DIR/fx"
quo_plugins
calls 0 | replace
{
  quo_conf_head vg 1 "$DIR/vg.log" "$DIR/csv"
  cat <<CONF
  MaxRequestsPerSecond 0
  Timeout 500
  CallsFile "$DIR/calls"
</Plugin>
CONF
} > "$DIR/vg.conf"

# --fullpath-after= prints source paths whole, so a frame in quo.so's own
# code shows as .../plugin/core/x.c even with debug info (no "quo.so").
valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite \
  --errors-for-leak-kinds=definite --num-callers=30 --fullpath-after= \
  --log-file="$DIR/memcheck.log" collectd -f -C "$DIR/vg.conf" \
  > "$DIR/vg.out" 2>&1 &
COLLECTD=$!

# The first rounds only once the first list is in: a file replaced
# before collectd read its configuration would be its first list.
wait_for reads 2
started=$(date +%s)
r=1
while [ "$r" -le "$ROUNDS" ]; do
  if [ "$r" = $((ROUNDS / 2)) ]; then
    # Once: a file of too many calls, refused whole, the list kept.
    awk 'BEGIN { for (i = 1; i <= 100001; i++) print "ACbig" i }' | replace
    wait_for refusals 1
  fi
  calls "$r" | replace
  wait_for rereads "$r"
  r=$((r + 1))
done
# Two more reads with the last list, then stop.
wait_for reads $(($(reads) + 2))
kill -0 "$COLLECTD" 2>/dev/null || { echo "FAIL: collectd exited (see $DIR/vg.out)" >&2; exit 1; }
kill -TERM "$COLLECTD"
wait "$COLLECTD" 2>/dev/null || true
COLLECTD=""
took=$(($(date +%s) - started))

quo_memcheck_summary "$DIR/memcheck.log"
applied=$(grep -c 'CallsFile re-read: 200 calls watched (100 added, 100 removed)' "$DIR/vg.log") || true
echo "callsfile churn: $ROUNDS rounds in ${took} s, $applied applied as 100 in/100 out," \
  "$(refusals) refused; memcheck: ${errors:-?} errors, definitely lost ${lost:-0} bytes" \
  "in all, $quo_lost loss records through quo.so"

fail=0
[ -n "$errors" ] || { echo "FAIL: no memcheck summary (see $DIR/memcheck.log)" >&2; fail=1; }
[ "${errors:-1}" = 0 ] || { echo "FAIL: memcheck errors (see $DIR/memcheck.log)" >&2; fail=1; }
[ "$quo_lost" = 0 ] || { echo "FAIL: memory definitely lost through quo.so" >&2; fail=1; }
[ "$applied" = "$ROUNDS" ] || { echo "FAIL: $applied of $ROUNDS rounds applied as 100 in/100 out" >&2; fail=1; }
[ "$(refusals)" = 1 ] || { echo "FAIL: the oversized file was not refused once" >&2; fail=1; }
if grep -qF "$(cat "$DIR/api.key")" "$DIR/vg.log" "$DIR/vg.out" "$DIR/memcheck.log"; then
  echo "FAIL: the API key was written to a log" >&2; fail=1
fi
# QUO_KEEP_TMP is read by quo_cleanup, the EXIT trap: a failure keeps DIR.
# shellcheck disable=SC2034
[ $fail = 0 ] || { QUO_KEEP_TMP=1; echo "kept: $DIR" >&2; exit 1; }
echo "callsfile-valgrind: passed"
