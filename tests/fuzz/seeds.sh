#!/bin/sh
# Regenerates the seed corpora under tests/fuzz/corpus/ from the fixtures and
# the error bodies the stand-in serves (tests/standin/standin.c). Run from
# the repository root: sh tests/fuzz/seeds.sh. The corpora are committed;
# this script only documents where each seed comes from.
set -eu

F=tests/fixtures/calls
C=tests/fuzz/corpus
[ -d "$F" ] || { echo "run from the repository root" >&2; exit 1; }
rm -rf "$C"
mkdir -p "$C/response" "$C/timestamp" "$C/range"

# fuzz_response input: byte 0 indexes the status table of fuzz_response.c
# (0:200 3:400 4:401 5:403 6:404 7:429 8:500 9:502 10:transport 11:302),
# byte 1 holds the flags (1 too_large, 2 curl_code, 4 hostile error text).
resp() { # name status-index flags body
  { printf "\\$(printf %03o "$2")\\$(printf %03o "$3")"; printf '%s' "$4"; } \
    >"$C/response/$1"
}
resp_file() { # name status-index flags file [bytes]
  { printf "\\$(printf %03o "$2")\\$(printf %03o "$3")"
    if [ $# -ge 5 ]; then head -c "$5" "$4"; else cat "$4"; fi
  } >"$C/response/$1"
}

for f in "$F"/*.json; do
  resp_file "ok-$(basename "$f" .json)" 0 0 "$f"
done
# The fixture of the call the target asks for, broken in transit.
main="$F/AC3700e624eca547eb9f749a06f2eb1.json"
resp_file truncated-half 0 0 "$main" "$(($(wc -c <"$main") / 2))"
resp_file truncated-curl 0 2 "$main" 200
resp_file too-large 0 1 "$main"

# The documented error bodies, as tests/standin/standin.c serves them.
resp err-400 3 0 '{"message":"Too many participants in the request","code":"0101400","status":400,"docs":"https://quo.com/docs","title":"Too Many Participants","trace":"trace-400","description":"Too Many Participants"}'
resp err-401 4 0 '{"message":"Missing or invalid API key","code":"0100401","status":401,"docs":"https://quo.com/docs","title":"Unauthorized","trace":"trace-401"}'
resp err-403 5 0 '{"message":"User is not a member of this phone number","code":"0101403","status":403,"docs":"https://quo.com/docs","title":"Not Phone Number User","trace":"trace-403","errors":[{"path":"/callId","message":"forbidden","value":"x","schema":{"type":"string"}}],"description":"Not Phone Number User"}'
resp err-404 6 0 '{"message":"Call not found","code":"0100404","status":404,"docs":"https://quo.com/docs","title":"Not Found","trace":"trace-404"}'
resp err-429 7 0 '{"message":"Too many requests","code":"0100429","status":429,"docs":"https://quo.com/docs","title":"Too Many Requests"}'
resp err-500 8 0 '{"message":"Something went wrong","code":"0101500","status":500,"docs":"https://quo.com/docs","title":"Unknown","trace":"trace-500"}'
resp err-500-empty 8 0 '{}'
# The envelope seen live, an HTML gateway page, a redirect, no response.
resp wrapped-502 9 0 '{"error":{"message":"Request failed with status 502","key":"error_502","trace":"trace-wrapped"}}'
resp wrapped-429 7 0 '{"error":{"message":"Request failed with status 429","key":"error_429","trace":"trace-wrapped"}}'
resp html-502 9 0 '<html><head><title>502</title></head><body><h1>502 Bad Gateway</h1></body></html>
'
resp redirect-302 11 0 '<html><body>Moved</body></html>'
resp transport 10 4 ''
resp err-403-truncated 5 0 '{"message":"User is not a member","code":"0101403","title":"Not Pho'
resp err-hostile 3 0 '{"message":"a|b\u0000c\n\u001b[31m\u00e9","code":"01-01|400\u0000x","title":"T|\t"}'
# Unknown extra fields and nesting around and inside the call object.
resp ok-extra-nesting 0 0 '{"meta":{"a":[1,{"b":[null,true,{"c":"d"}]}]},"data":{"extra":{"x":[[[]]]},"answeredAt":null,"answeredBy":null,"initiatedBy":null,"direction":"outgoing","status":"ringing","completedAt":null,"createdAt":"2026-11-27T10:00:00.123456+05:30","callRoute":null,"duration":0,"forwardedFrom":"US1","forwardedTo":"+15555550100","aiHandled":null,"id":"AC3700e624eca547eb9f749a06f2eb1","phoneNumberId":"PN1","participants":[],"updatedAt":null,"userId":"US1","more":{"data":{"id":"ACother"}}},"trailer":[{"data":1}]}'
resp other-call 0 0 '{"data":{"answeredAt":null,"answeredBy":null,"initiatedBy":null,"direction":"incoming","status":"queued","completedAt":null,"createdAt":"2026-11-27T10:00:00Z","callRoute":null,"duration":1,"forwardedFrom":null,"forwardedTo":null,"aiHandled":null,"id":"ACother","phoneNumberId":"PN1","participants":["+15555550100"],"updatedAt":null,"userId":"US1"}}'

# Real-world call objects and error bodies (tests/fixtures/realworld; each
# .source file says where it comes from). Their IDs are not the target's:
# the classifier calls them another call's, the parser reads them whole.
for f in tests/fixtures/realworld/*.json; do
  resp_file "rw-$(basename "$f" .json)" 0 0 "$f"
done
resp_file rw-dated-400 3 0 tests/fixtures/realworld/errors/dated-400-validation.json
# The dated version's shapes for the target's call: participant objects, an
# SYU actor, a null phoneNumberId, a status this release does not know.
resp dated-call 0 0 '{"data":{"id":"AC3700e624eca547eb9f749a06f2eb1","phoneNumberId":null,"actorId":"SYUa1","direction":"incoming","status":"transferred","participants":[{"phoneNumber":"anonymous","actorId":null},{"phoneNumber":"+15555550100","actorId":"US1"},{"phoneNumber":"73859","actorId":"SYUa1"}],"answeredAt":"2026-04-01T09:00:03Z","answeredBy":"SYUa1","initiatedBy":null,"completedAt":null,"createdAt":"2026-04-01T09:00:00Z","updatedAt":null,"callRoute":"phone-menu","duration":3.0,"forwardedFrom":"restricted","forwardedTo":"blocked","aiHandled":"ai-agent","summary":{"jobs":[{"result":{"data":[{"name":"n","value":"v"}]}}]}}}'
# Every optional field drifted, and only the four required ones right.
resp drift-all 0 0 '{"data":{"id":"AC3700e624eca547eb9f749a06f2eb1","status":"completed","createdAt":"2026-11-27T10:00:00Z","duration":76.0,"answeredBy":5,"initiatedBy":[],"direction":"sideways","callRoute":{},"forwardedFrom":"x","forwardedTo":true,"aiHandled":1,"phoneNumberId":"US1","participants":[5,{"actorId":"PN1"},{"phoneNumber":[1]},"nobody"],"updatedAt":"soon","userId":null,"actorId":"PN1"}}'
resp required-only 0 0 '{"data":{"id":"AC3700e624eca547eb9f749a06f2eb1","status":"missed","createdAt":"2026-11-27T10:00:00Z","duration":0}}'

# Timestamps: the reference's example, the fixtures' forms, and variants.
n=0
for t in 2022-01-01T00:00:00Z 2026-11-27T10:00:07.5Z \
  2026-11-27T08:30:02.250Z 2026-11-27T11:00:04.125+01:00 \
  2026-11-27T05:00:00.500-05:00 2026-11-27T10:00:46.000Z \
  2024-02-29T23:59:60.999999999999-23:59 1970-01-01t00:00:00,5z \
  0000-01-01T00:00:00+00:00 9999-12-31T23:59:59.9Z \
  2023-02-29T00:00:00Z 2026-13-01T00:00:00Z 2026-11-27T24:00:00Z \
  2026-11-27T10:00:00+24:00 2026-11-27T10:00:00 2026-11-27 \
  2026-11-27T10:00:00.Z 2026-11-27T10:00:00.1234567890123Z; do
  n=$((n + 1))
  printf '%s' "$t" >"$C/timestamp/ts-$n"
done

# Ranges: every documented form, then some that must be refused.
n=0
for r in 10 10: '~:10' 10:20 @10:20 -5.5:0.25 :10 @~:0 '~:' 0 +1.5:2 \
  20:10 1e3 inf nan 0x10 10:20:30 @ '' 'a|b' '@-.5:-.25' \
  123456789012345678901234567890123456789012345678; do
  n=$((n + 1))
  printf '%s' "$r" >"$C/range/range-$n"
done
printf '1\0002' >"$C/range/nul"
printf '\033[31m10\n' >"$C/range/control"
