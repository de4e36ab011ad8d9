#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# SIP call setup rate of srtprelayd (the B2BUA), with SIPp on loopback:
# a SIPp caller (test/sip/uac_call.xml: INVITE with an SDES offer, 200,
# ACK, 300 ms, BYE) through srtprelayd to a SIPp callee
# (test/sip/uas_answer.xml, answering with its own key), SRTP mandatory
# on both legs so that every call parses, rewrites and re-keys both SDPs.
# srtprelayd runs pinned to RELAY_CPU (SCHED_FIFO, as the relays of
# bench/netns.sh), the SIPp peers to GEN_CPU.
#
# srtprelayd runs with media_backend "record": it allocates ports and
# keys and would install streams, but no media plane is driven (that is
# what bench/netns.sh measures). The rate doubles from 25 calls/s while
# every call of a 5-second run completes; the answer is the highest rate
# at which all did.
#
#   sip.sh            prints "SIP-RESULT: calls_per_s,cpu_pct,note"
# Environment: BUILD, RELAY_CPU (0), GEN_CPU (1), SECONDS_PER_RATE (5),
# MAX_RATE (800).
set -u
cd "$(dirname "$0")/.." || exit 2
BUILD=${BUILD:-build}
RELAY_CPU=${RELAY_CPU:-0}
GEN_CPU=${GEN_CPU:-1}
DUR=${SECONDS_PER_RATE:-5}
MAX_RATE=${MAX_RATE:-800}
WORK=${WORK:-/tmp/srtprelay-bench}/sip
RT=${RT-chrt -f 50}
SIPDIR=$(pwd)/test/sip

if [ ! -x "$BUILD/srtprelayd" ]; then
	echo "SIP-RESULT: ,,skipped: no $BUILD/srtprelayd"
	exit 0
fi
if ! command -v sipp >/dev/null || [ ! -f "$SIPDIR/uac_call.xml" ] ||
	[ ! -f "$SIPDIR/uas_answer.xml" ]; then
	echo "SIP-RESULT: ,,skipped: no sipp or no test/sip scenarios"
	exit 0
fi
rm -rf "$WORK"
mkdir -p "$WORK"
cat >"$WORK/srtprelayd.conf" <<EOF
log_level = "warning";
state_dir = "$WORK/state";
media_backend = "record";
tls_contexts = ( { name = "bench"; self_signed = true; } );
media_realms = (
  { name = "lo"; address = "127.0.0.1"; ports = [ 40000, 59999 ]; max_sessions = 5000; }
);
sip_interfaces = (
  { name = "lo"; address = "127.0.0.1"; udp_port = 25060; tcp_port = 25060;
    tls_port = 25061; tls_context = "bench"; media_realm = "lo"; }
);
proxy_sets = ( { name = "uas"; targets = [ "127.0.0.20:25070" ]; keepalive = false; } );
ip_groups = (
  { name = "callers"; match = [ "127.0.0.11" ]; srtp = "mandatory"; },
  { name = "callee"; proxy_set = "uas"; srtp = "mandatory"; }
);
routing = ( { name = "all"; user = ".*"; to = "callee"; } );
EOF
mkdir -p "$WORK/state"
K_CALLER=WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz
K_CALLEE=MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkw
printf 'SEQUENTIAL\nRTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s\n' "$K_CALLEE" \
	>"$WORK/uas.csv"
printf 'SEQUENTIAL\nRTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s;;bench\n' "$K_CALLER" \
	>"$WORK/uac.csv"

if ! "$BUILD/srtprelayd" -t -c "$WORK/srtprelayd.conf" >"$WORK/check.log" 2>&1; then
	echo "sip.sh: srtprelayd rejects the configuration:"
	cat "$WORK/check.log"
	echo "SIP-RESULT: ,,failed: configuration rejected"
	exit 1
fi
# shellcheck disable=SC2086
$RT taskset -c "$RELAY_CPU" "$BUILD/srtprelayd" -c "$WORK/srtprelayd.conf" \
	>"$WORK/daemon.log" 2>&1 &
daemon=$!
(cd "$WORK" && exec taskset -c "$GEN_CPU" sipp -sf "$SIPDIR/uas_answer.xml" \
	-inf "$WORK/uas.csv" -i 127.0.0.20 -p 25070 -nostdin -aa -bg \
	>"$WORK/uas.log" 2>&1)
sleep 1
uas=$(pgrep -f "sipp -sf $SIPDIR/uas_answer.xml" | head -1)

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$daemon/stat" 2>/dev/null || echo 0; }

best=0
best_cpu=
note=ok
rate=25
while [ "$rate" -le "$MAX_RATE" ]; do
	if ! kill -0 "$daemon" 2>/dev/null; then
		note="srtprelayd died"
		break
	fi
	calls=$((rate * DUR))
	t0=$(cpu_ticks)
	start=$(date +%s.%N)
	(cd "$WORK" && taskset -c "$GEN_CPU" sipp 127.0.0.1:25060 -sf "$SIPDIR/uac_call.xml" \
		-inf "$WORK/uac.csv" -i 127.0.0.11 -p 25080 -r "$rate" -m "$calls" \
		-l $((rate * 2)) -nostdin -timeout $((DUR + 20)) \
		-trace_stat -stf "$WORK/uac-$rate.stat" -trace_err -error_file "$WORK/uac-$rate.err" >"$WORK/uac-$rate.log" 2>&1)
	rc=$?
	t1=$(cpu_ticks)
	secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
	cpu=$(awk -v t="$((t1 - t0))" -v s="$secs" -v hz="$(getconf CLK_TCK)" \
		'BEGIN { printf "%.0f", 100 * t / hz / s }')
	if [ "$rc" -eq 0 ]; then
		echo "  SIP rate=$rate calls/s: $calls calls, all completed; srtprelayd CPU ${cpu}%"
		best=$rate
		best_cpu=$cpu
		rate=$((rate * 2))
	else
		echo "  SIP rate=$rate calls/s: sipp exit $rc (some calls failed); srtprelayd CPU ${cpu}%"
		break
	fi
done
[ "$rate" -gt "$MAX_RATE" ] && note="limit not reached (MAX_RATE $MAX_RATE)"
kill "$daemon" 2>/dev/null
[ -n "$uas" ] && kill "$uas" 2>/dev/null
wait "$daemon" 2>/dev/null
echo "SIP-RESULT: $best,$best_cpu,$note"
