#!/bin/sh
# Prints, per read cycle, how many requests quo.so sent and how many the
# API refused with 429, for N watched calls of which a share are finished,
# against the stand-in API enforcing the real limit (10 requests/s).
#
#   tests/drivers/budget-sim.sh N [FINISHED_PERCENT] [INTERVAL_S] [CYCLES] [MAX_RPS]
#   make budget N=100 [FINISHED=20] [INTERVAL=10] [CYCLES=4]
set -eu

N=${1:?usage: budget-sim.sh N [FINISHED_PERCENT] [INTERVAL_S] [CYCLES] [MAX_RPS]}
FIN=${2:-20}
INTERVAL=${3:-10}
CYCLES=${4:-4}
RPS=${5:-10}
. tests/lib.sh
quo_setup budget
mkdir "$DIR/fx"

finished=$((N * FIN / 100))
# The first FIN % finished, the rest in progress.
awk -v n="$N" -v f="$finished" 'BEGIN { for (i = 0; i < n; i++) {
  id = sprintf("ACsim%06d", i)
  if (i < f) print id, "completed duration=60 completedAt=2026-11-27T09:01:00Z"
  else print id, "in-progress duration=60" } }' > "$DIR/spec"
quo_generate "$DIR/fx" < "$DIR/spec"
awk '{ printf "  Call \"%s\"\n", $1 }' "$DIR/spec" > "$DIR/calls"

quo_standin "$DIR/fx" --rate-limit 10
quo_plugins
{
  quo_conf_head sim "$INTERVAL" "$DIR/collectd.log" "$DIR/csv"
  echo "  MaxRequestsPerSecond $RPS"
  cat "$DIR/calls"
  echo "</Plugin>"
} > "$DIR/collectd.conf"

stat() { # requests rate_limited
  curl -s "http://127.0.0.1:$PORT/_stats" |
    sed 's/.*"requests":\([0-9]*\),"rate_limited":\([0-9]*\).*/\1 \2/'
}

echo "N=$N calls ($finished finished), Interval ${INTERVAL}s," \
  "MaxRequestsPerSecond $RPS, API limit 10/s"
printf '%6s %9s %6s\n' cycle requests 429s
# The baseline before collectd starts: its first read begins at once.
set -- $(stat)
prev_req=$1 prev_429=$2
collectd -f -C "$DIR/collectd.conf" > /dev/null 2>&1 &
COLLECTD=$!
c=1
while [ $c -le "$CYCLES" ]; do
  quo_wait_rows "$DIR/csv/sim" $c
  set -- $(stat)
  printf '%6d %9d %6d\n' $c $(($1 - prev_req)) $(($2 - prev_429))
  prev_req=$1 prev_429=$2
  c=$((c + 1))
done
grep -h 'could not be fetched' "$DIR/collectd.log" | sed 's/^\[[^]]*\] /note: /' || true
