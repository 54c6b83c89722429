#!/bin/sh
# contrib/quo-calls-feeder against webhook payloads: ringing then completed
# for 3 calls, both webhook shapes, expiry, 10 feeders at once (none lost),
# garbage refused without touching the file, the operator's lines kept.
# Every file it writes is read back by the plugin's own parser (LINT, the
# callsfile-bench binary given a file), which must find no bad line.
#
#   sh tests/callsfile/test_feeder.sh FEEDER LINT
set -u

FEEDER=$1
LINT=$2
FIX=tests/fixtures/webhooks
command -v python3 >/dev/null || { echo "feeder: python3 missing (sh tests/deps.sh)" >&2; exit 1; }

T=$(mktemp -d /tmp/quo-feeder.XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
F=$T/calls
fails=0
checks=0

ok() { checks=$((checks + 1)); }
fail() { checks=$((checks + 1)); fails=$((fails + 1)); echo "FAIL: $*" >&2; }

# A call payload in the legacy shape.
payload() { # type id
  printf '{"id":"EV%s","object":"event","type":"%s","data":{"object":{"id":"%s","object":"call","status":"x"}}}\n' \
    "$2" "$1" "$2"
}

# The calls the plugin's parser reads from $F, one "ID INSTANCE" a line;
# fails the check when it logs anything.
calls() {
  "$LINT" "$F" 2>"$T/lint.err"
  rc=$?
  if [ "$rc" -ne 0 ] || [ -s "$T/lint.err" ]; then
    fail "parser: exit $rc: $(cat "$T/lint.err")"
  fi
}

expect_calls() { # label, then the expected IDs in any order
  label=$1
  shift
  got=$(calls | cut -d' ' -f1 | sort | tr '\n' ' ')
  want=""
  [ $# -gt 0 ] && want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
  if [ "$got" = "$want" ]; then ok; else fail "$label: calls [$got], want [$want]"; fi
}

feed() { # time type id
  payload "$2" "$3" | python3 "$FEEDER" --now "$1" "$F"
}

T0=1714567890

# 1. ringing then completed for three calls: each listed once.
for id in ACaaa111 ACbbb222 ACccc333; do
  feed $T0 call.ringing $id || fail "ringing $id: exit $?"
done
for id in ACaaa111 ACbbb222 ACccc333; do
  feed $((T0 + 60)) call.completed $id || fail "completed $id: exit $?"
done
expect_calls "ringing+completed" ACaaa111 ACbbb222 ACccc333
n=$(grep -c '^AC' "$F")
[ "$n" -eq 3 ] && ok || fail "3 calls on $n lines"
grep -q "^ACaaa111  # seen $((T0 + 60)) " "$F" && ok || fail "last seen not refreshed: $(cat "$F")"

# 2. The real sample payloads: legacy call.ringing and call.completed (same
# call), a summary naming its call in callId, the 2026-03-30 shape.
for p in call.ringing.legacy call.completed.legacy call.summary.completed.legacy \
  call.completed.2026-03-30; do
  python3 "$FEEDER" --now $((T0 + 120)) "$F" <"$FIX/$p.json" || fail "$p: exit $?"
done
expect_calls "sample payloads" ACaaa111 ACbbb222 ACccc333 ACsXlF0 \
  AC16558bc5f73445 AC3700e624eca547eb9f749a06f2eb1

# 3. A non-call event: exit 0, file untouched.
before=$(ls -li "$F")
sum=$(cksum <"$F")
python3 "$FEEDER" --now $((T0 + 130)) "$F" <"$FIX/message.received.legacy.json" &&
  ok || fail "message event: exit $?"
[ "$(cksum <"$F")" = "$sum" ] && [ "$(ls -li "$F")" = "$before" ] && ok ||
  fail "message event touched the file"

# 4. Garbage: refused (65), the file not touched (same inode, same bytes),
# no temporary file left behind.
for g in 'not json' '{"type":"call.ringing"}' \
  '{"type":"call.ringing","data":{"object":{"id":"ACbad-id"}}}' \
  '{"type":"call.ringing","data":{"object":{"id":"x; rm -rf /"}}}' \
  '[1,2]' '' '{"type":7}'; do
  printf '%s' "$g" | python3 "$FEEDER" --now $((T0 + 140)) "$F" 2>"$T/err"
  rc=$?
  [ $rc -eq 65 ] && ok || fail "garbage '$g': exit $rc, want 65"
  grep -q "payload refused" "$T/err" && ok || fail "garbage '$g': no message"
  [ "$(cksum <"$F")" = "$sum" ] && [ "$(ls -li "$F")" = "$before" ] && ok ||
    fail "garbage '$g' touched the file"
done
head -c 2000000 /dev/zero | python3 "$FEEDER" "$F" 2>/dev/null
[ $? -eq 65 ] && ok || fail "2 MB payload accepted"
[ "$(ls -A "$T" | grep -c tmp)" -eq 0 ] && ok || fail "temporary file left: $(ls -A "$T")"

# 5. Expiry: calls last seen more than 2 h ago go, the others stay.
payload call.ringing ACddd444 |
  python3 "$FEEDER" --now $((T0 + 3 * 3600)) --keep-hours 2 "$F" ||
  fail "expiry: exit $?"
expect_calls "expiry" ACddd444
# --expire alone (from cron, no payload): ACddd444, 5 h old, goes.
python3 "$FEEDER" --expire --now $((T0 + 8 * 3600)) --keep-hours 4 "$F" </dev/null ||
  fail "--expire: exit $?"
expect_calls "--expire"

# 6. The operator's own lines and comments are kept, and a call they list
# is not added a second time.
cat >"$F" <<EOF
# my calls
ACmine001 front-desk
EOF
feed $((T0 + 9 * 3600)) call.ringing ACmine001 || fail "manual: exit $?"
feed $((T0 + 9 * 3600)) call.ringing ACeee555 || fail "manual: exit $?"
expect_calls "operator lines" ACmine001 ACeee555
grep -q '^# my calls$' "$F" && grep -q '^ACmine001 front-desk$' "$F" && ok ||
  fail "operator lines lost: $(cat "$F")"

# 7. Ten feeders at once, each its own call: none lost.
rm -f "$F"
i=0
while [ $i -lt 10 ]; do
  feed $((T0 + 10 * 3600)) call.ringing "ACpar$i" &
  i=$((i + 1))
done
wait
expect_calls "10 in parallel" ACpar0 ACpar1 ACpar2 ACpar3 ACpar4 ACpar5 \
  ACpar6 ACpar7 ACpar8 ACpar9
[ "$(ls -A "$T" | grep -c tmp)" -eq 0 ] && ok || fail "temporary file left: $(ls -A "$T")"

# 8. The file is replaced by rename (a new inode each time), world-readable.
ino1=$(ls -i "$F" | cut -d' ' -f1)
feed $((T0 + 11 * 3600)) call.ringing ACfff666 || fail "rename: exit $?"
ino2=$(ls -i "$F" | cut -d' ' -f1)
[ "$ino1" != "$ino2" ] && ok || fail "file rewritten in place (inode $ino1)"
[ "$(stat -c %a "$F")" = 644 ] && ok || fail "mode $(stat -c %a "$F")"

# 9. Bad usage.
python3 "$FEEDER" </dev/null 2>/dev/null
[ $? -eq 64 ] && ok || fail "no file: not a usage error"

echo "feeder: $checks checks, $fails failed"
[ "$fails" -eq 0 ]
