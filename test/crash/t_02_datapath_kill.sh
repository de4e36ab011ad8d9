#!/bin/sh
# The userspace datapath is SIGKILLed under 50 SDES-SRTP calls with media
# both ways, and started again (issue 16, item 2). srtprelayd must notice
# within a second, answer INVITEs 503 with an honest Retry-After while the
# plane is gone (it retries every 250 ms: a few seconds at most, not 10),
# not log every retry, and once the datapath is back re-add its realms and
# re-install all 100 streams with their keys: within 2 s of the plane's
# return every call's SRTP must flow both ways again, authenticated by
# libsrtp2 (srtp_calls) with the keys srtprelayd gave each leg. Then a new
# call completes with media, the old calls end by BYE, and no call, port
# pair or stream is left. Runs in namespaces of its own (scripts/isolated.sh).
# Prints "ok"/"FAIL" lines and "N passed, N failed".
# shellcheck disable=SC2046
set -u
cd "$(dirname "$0")/../.." || exit 2
if [ -z "${CRASH_ISOLATED:-}" ]; then
	CRASH_ISOLATED=1 exec sh scripts/isolated.sh sh "$0" "$@"
fi
BUILD=${BUILD:-build}
SIPDIR=$(pwd)/test/sip
T=/tmp/crash-t02
N=${CRASH_CALLS:-50}
rm -rf "$T" && mkdir -p "$T"
. "$SIPDIR/media_lib.sh"
CTL=$BUILD/srtprelayctl
SRTP_CALLS=$BUILD/kernel/srtp_calls
SOCK=$T/state/control.sock
# Caller (SIPp UAC, srtp_calls) on 127.0.0.93, callee (SIPp UAS,
# srtp_calls) on 127.0.0.94, SRTP mandatory on both legs; test/service's
# invite.py (127.0.0.91) asks while the plane is gone.
cat > "$T/srtprelayd.conf" <<CONF
log_level = "info";
state_dir = "$T/state";
media_backend = "auto";
media_realms = (
  { name = "a"; address = "127.0.0.1"; ports = [ 44000, 44399 ]; },
  { name = "b"; address = "127.0.0.1"; ports = [ 46000, 46399 ]; }
);
sip_interfaces = (
  { name = "lo"; address = "127.0.0.1"; udp_port = 17060; media_realm = "a"; }
);
proxy_sets = (
  { name = "uas"; targets = [ "127.0.0.94:17070" ]; keepalive = false; }
);
ip_groups = (
  { name = "caller"; match = [ "127.0.0.91", "127.0.0.93" ]; srtp = "mandatory";
    media_realm = "a"; request_rate = 0; },
  { name = "callee"; proxy_set = "uas"; srtp = "mandatory"; media_realm = "b";
    request_rate = 0; }
);
routing = ( { name = "to-callee"; from = "caller"; to = "callee"; } );
CONF

media_plane "" "$T/srtprelayd.conf" "$T/daemon.log"
trap 'kill $D $DP 2>/dev/null' EXIT

# calls_file: $T/calls, every call's ports and keys for srtp_calls.
calls_file() {
	"$CTL" calls -s "$SOCK" 2>/dev/null | sdes_calls "$T" "$T/uac.msg" "$T/uas.msg" > "$T/calls"
}
K80=WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz
K_CALLEE=MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkw
SEQ=$(($(date +%s) % 20000 + 1000))
# media [srtp_calls options]: every call's SRTP, both ways; a new range of
# sequence numbers each time (a relay must never see an index twice).
media() {
	SEQ=$((SEQ + 1000))
	"$SRTP_CALLS" "$@" 127.0.0.1 127.0.0.93:6000 127.0.0.94:6002 "$K80" "$K_CALLEE" \
		"$SEQ" < "$T/calls"
}

check "srtprelayd uses the userspace datapath" sh -c "'$CTL' status -s '$SOCK' | grep -q 'userspace datapath'"
printf 'SEQUENTIAL\nRTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s\n' "$K_CALLEE" > "$T/uas.csv"
printf 'SEQUENTIAL\nRTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s;;srtp\n' "$K80" > "$T/uac.csv"
(cd "$T" && exec timeout 120 sipp -sf "$SIPDIR/uas_answer.xml" -inf "$T/uas.csv" \
	-i 127.0.0.94 -p 17070 -mp 9000 -m $((N + 1)) -nostdin -aa \
	-trace_msg -message_file "$T/uas.msg" -trace_err > "$T/uas.out" 2>&1) &
UAS=$!
sleep 0.3
(cd "$T" && exec timeout 90 sipp 127.0.0.1:17060 -sf "$SIPDIR/uac_hold.xml" -inf "$T/uac.csv" \
	-i 127.0.0.93 -p 17080 -mp 9200 -m "$N" -l "$N" -r 50 -d 30000 -nostdin -timeout 80 \
	-trace_msg -message_file "$T/uac.msg" -trace_err > "$T/uac.out" 2>&1) &
UAC=$!
trap 'kill $D $DP $UAC $UAS 2>/dev/null' EXIT
wait_for 15 sh -c "test \$('$CTL' calls -s '$SOCK' | grep -c '^call .* confirmed') -eq $N"
sleep 0.5
calls_file
check "$N SDES calls up, each with its keys on both legs ($(wc -l < "$T/calls"))" test "$(wc -l < "$T/calls")" -eq "$N"
OUT=$(media --wait-ms 1000)
RC=$?
echo "    before: $OUT"
check "SRTP flows both ways on all $N calls, every packet authenticated" test $RC -eq 0
# The operator's view of a live plane (issue 16: it said "never" here).
LAST=$("$CTL" stats 2>&1 | grep '^last packet')
check "srtprelayctl stats on the datapath: '$LAST'" sh -c "echo '$LAST' | grep -q '^last packet: [0-9]*\.[0-9]* s ago'"

echo "== the datapath is SIGKILLed"
LOG_BEFORE=$(wc -l < "$T/daemon.log")
kill -KILL $DP
wait $DP 2>/dev/null
KILLED=$(now_ms)
gone=""
while [ $(($(now_ms) - KILLED)) -lt 1000 ]; do
	if ! "$CTL" status -s "$SOCK" 2>/dev/null | grep -q 'userspace datapath'; then
		gone=$(($(now_ms) - KILLED))
		break
	fi
	sleep 0.05
done
check "srtprelayd noticed within 1 s (after ${gone:-never} ms)" test -n "$gone"
i=0
refused=0
while [ $i -lt 3 ]; do
	OUT=$(python3 test/service/invite.py 2>&1)
	echo "$OUT" | sed 's/^/    /'
	echo "$OUT" | grep -q '^SIP/2.0 503' && refused=$((refused + 1))
	RA=$(echo "$OUT" | awk -F': *' 'tolower($1) == "retry-after" { print $2 + 0 }')
	sleep 0.5
	i=$((i + 1))
done
check "the 3 INVITEs while the plane is gone got 503 ($refused)" test $refused -eq 3
check "with an honest Retry-After (1 or 2 s: the plane is retried every 250 ms; got '${RA:-none}')" \
	sh -c "test -n '${RA:-}' && test '${RA:-0}' -ge 1 && test '${RA:-0}' -le 2"
check "no call was set up while the plane was gone ($(ncalls))" test "$(ncalls)" = "$N"
LOGGED=$(tail -n +$((LOG_BEFORE + 1)) "$T/daemon.log" | wc -l)
check "srtprelayd logged $LOGGED lines in 2 s without a plane (at most 10: no line per retry)" test "$LOGGED" -le 10

echo "== the datapath starts again"
# The plane is back when the datapath listens; the socket file its SIGKILL
# left behind goes first, so that the new one tells when.
rm -f "$SRTPRELAY_SOCKET"
start_datapath
wait_for 5 test -S "$SRTPRELAY_SOCKET"
BACK=$(now_ms)
# Rounds of 300 ms until one passes: the time includes srtp_calls' start.
OUT=$(media --packets 1 --wait-ms 150 --until-ms 3000)
RC=$?
got=$(($(now_ms) - BACK))
echo "$OUT" | sed 's/^/    after: /'
echo "    (down $((BACK - KILLED)) ms, media back on every call $got ms after the plane)"
check "SRTP flows both ways again on all $N calls within 2 s of the plane's return" \
	sh -c "test $RC -eq 0 && test $got -le 2000"
check "the new datapath has $((2 * N)) streams ($(nstreams))" test "$(nstreams)" = $((2 * N))
check "status says 'userspace datapath' again" sh -c "'$CTL' status -s '$SOCK' | grep -q 'userspace datapath'"

echo "== a new call"
(cd "$T" && exec timeout 30 sipp 127.0.0.1:17060 -sf "$SIPDIR/uac_hold.xml" -inf "$T/uac.csv" \
	-i 127.0.0.93 -p 17081 -mp 9400 -m 1 -d 3000 -nostdin -timeout 20 \
	-trace_msg -message_file "$T/uac-new.msg" -trace_err > "$T/uac-new.out" 2>&1) &
NEW=$!
wait_for 5 sh -c "test \$('$CTL' calls -s '$SOCK' | grep -c '^call .* confirmed') -eq $((N + 1))"
cat "$T/uac-new.msg" >> "$T/uac.msg"
calls_file
OUT=$(media --wait-ms 1000)
RC=$?
echo "    $OUT"
check "the new call has SRTP both ways, and so have the old ones ($(wc -l < "$T/calls") calls)" \
	sh -c "test $RC -eq 0 && test $(wc -l < "$T/calls") -eq $((N + 1))"
wait $NEW
check "SIPp: the new call completed (exit $?)" test $? -eq 0

echo "== the old calls end by BYE"
wait $UAC
check "SIPp caller: all $N old calls ended by BYE (exit $?)" test $? -eq 0
wait $UAS
check "SIPp callee: all $((N + 1)) calls successful (exit $?)" test $? -eq 0
sleep 0.5
"$CTL" status -s "$SOCK" > "$T/status-after.txt" 2>&1
check "afterwards srtprelayd has 0 calls ($(ncalls))" test "$(ncalls)" = 0
check "afterwards 0 port pairs in use" sh -c "! grep '^realm' '$T/status-after.txt' | grep -qv 'in-use 0\$'"
check "afterwards the datapath has 0 streams ($(nstreams))" test "$(nstreams)" = 0
check "srtprelayd is still running" kill -0 $D
stop_procs $D $DP
summary
