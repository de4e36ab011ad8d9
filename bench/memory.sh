#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# srtprelayd's memory (issue 18, item 5): bytes per established call at
# 1,000 and 10,000 calls, and its resident size a minute after a burst of
# 6,000 calls/s for 20 s.
#
# The calls are bench/sip.sh's (SIPp caller -> srtprelayd -> SIPp callee
# over TCP, one connection each, SDES SRTP mandatory on both legs, media
# backend "record"), except that the caller holds each call (its pause
# lasts HOLD_MS) instead of hanging up after 300 ms.
#
#   per call  srtprelayd started fresh; its RSS (/proc) and the allocator's
#             bytes in use (srtprelay_heap_in_use_bytes, mallinfo2, from its
#             metrics endpoint) idle, then with 1,000 calls up and with
#             10,000: (figure - idle) / calls. Read once every INVITE
#             transaction has ended (srtprelay_sip_transactions back to
#             what the calls' own leave), so the figure is what an
#             established call keeps.
#   burst     srtprelayd started fresh; BURST_RATE calls/s for BURST_S s of
#             short calls (most answered 503 by sip_limits'
#             max_calls_in_progress once it is overloaded, or lost), then
#             AFTER_S s of quiet: RSS idle, at its peak (VmHWM) and after.
#
# Prints "MEM-RESULT: what,value,goal,note" rows (bench/run.sh collects them
# into $RESULTS/memory.csv). QUICK=1: 200 and 1,000 calls, a 3 s burst of
# 1,000 calls/s and 8 s after it (about 20 s in all): the harness, not the
# figures. Environment: BUILD, RELAY_CPU (0), GEN_CPU (1), and MEM_N1,
# MEM_N2, MEM_SETUP_RATE, MEM_BURST_RATE, MEM_BURST_S, MEM_AFTER_S,
# MEM_SETTLE_S for the figures above.
set -u
cd "$(dirname "$0")/.." || exit 2
BUILD=${BUILD:-build}
RELAY_CPU=${RELAY_CPU:-0}
GEN_CPU=${GEN_CPU:-1}
WORK=${WORK:-/tmp/srtprelay-bench}/memory
SIPDIR=$(pwd)/test/sip
N1=1000 N2=10000 SETUP_RATE=1000
BURST_RATE=6000 BURST_S=20 AFTER_S=60
SETTLE_S=45	# an INVITE server transaction outlives its 2xx by 32 s (RFC 6026)
if [ "${QUICK:-0}" = 1 ]; then
	N1=200 N2=1000 SETUP_RATE=500
	BURST_RATE=1000 BURST_S=3 AFTER_S=8
	SETTLE_S=0
fi
# Each may be set for a run of its own (MEM_N1=2000 MEM_BURST_S=5 ...).
N1=${MEM_N1:-$N1} N2=${MEM_N2:-$N2} SETUP_RATE=${MEM_SETUP_RATE:-$SETUP_RATE}
BURST_RATE=${MEM_BURST_RATE:-$BURST_RATE} BURST_S=${MEM_BURST_S:-$BURST_S}
AFTER_S=${MEM_AFTER_S:-$AFTER_S} SETTLE_S=${MEM_SETTLE_S:-$SETTLE_S}
# Calls are held past both measurements (each may wait out its settling
# and a slow setup); the callers are killed at the end.
HOLD_MS=$(((N2 / SETUP_RATE * 4 + SETTLE_S * 2 + 300) * 1000))
METRICS=127.0.0.1:29464

row() { echo "MEM-RESULT: $1,$2,$3,$4"; }
skip_all() {
	for w in bytes_per_call_$N1 bytes_per_call_$N2 rss_after_burst; do
		row "$w" "" "" "skipped: $1"
	done
	exit 0
}
[ -x "$BUILD/srtprelayd" ] || skip_all "no $BUILD/srtprelayd"
command -v sipp >/dev/null || skip_all "no sipp"
command -v curl >/dev/null || skip_all "no curl"
rm -rf "$WORK"
mkdir -p "$WORK/state"

cat >"$WORK/srtprelayd.conf" <<EOF
log_level = "warning";
state_dir = "$WORK/state";
media_backend = "record";
metrics = { address = "127.0.0.1"; port = 29464; };
media_realms = (
  { name = "lo"; address = "127.0.0.1"; ports = [ 10000, 65000 ]; max_sessions = 30000; }
);
sip_interfaces = (
  { name = "lo"; address = "127.0.0.1"; tcp_port = 26060; media_realm = "lo"; }
);
proxy_sets = (
  { name = "uas"; targets = [ "127.0.0.20:26070;transport=tcp" ]; keepalive = false; }
);
ip_groups = (
  { name = "callers"; match = [ "127.0.0.11" ]; srtp = "mandatory"; request_rate = 0; },
  { name = "callee"; proxy_set = "uas"; srtp = "mandatory"; }
);
routing = ( { name = "out"; from = "callers"; to = "callee"; } );
EOF
# The calls held up are counted, not refused: on a shared machine a late
# tick of the loop would turn overload control on (0: off). The burst
# runs with the defaults, as an operator's srtprelayd would.
cp "$WORK/srtprelayd.conf" "$WORK/burst.conf"
echo 'sip_limits = { overload_busy_high = 0; };' >>"$WORK/srtprelayd.conf"
printf 'SEQUENTIAL\nRTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkw\n' \
	>"$WORK/uas.csv"
printf 'SEQUENTIAL\nRTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz;;bench\n' \
	>"$WORK/uac.csv"
# The caller of bench/sip.sh, holding its calls for -d milliseconds.
sed 's|<pause milliseconds="300"/>|<pause/>|' "$SIPDIR/uac_call.xml" >"$WORK/uac_hold.xml"
grep -q '<pause/>' "$WORK/uac_hold.xml" || skip_all "test/sip/uac_call.xml has no 300 ms pause to lengthen"

daemon= uas= uac=
stop_all() {
	for p in $uac $daemon $uas; do
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
	daemon='' uas='' uac=''
}
trap stop_all EXIT
trap 'exit 2' INT TERM

listening() {	# listening PORT: a TCP listener within 5 s
	tries=0
	while ! ss -Hltn "sport = :$1" | grep -q .; do
		[ $tries -ge 50 ] && return 1
		sleep 0.1
		tries=$((tries + 1))
	done
}

metric() {	# metric NAME: its value on srtprelayd's metrics page
	curl -s --max-time 5 "http://$METRICS/metrics" |
		awk -v n="$1" '$1 == n { printf "%.0f\n", $2; exit }'
}

# Read from /proc, so that a build without the heap metrics is measured too.
rss() { awk '/^VmRSS:/ { print $2 * 1024 }' "/proc/$daemon/status" 2>/dev/null; }
hwm() { awk '/^VmHWM:/ { print $2 * 1024 }' "/proc/$daemon/status" 2>/dev/null; }

start() {	# start CONFIG: srtprelayd and the callee, fresh
	stop_all
	taskset -c "$RELAY_CPU" "$BUILD/srtprelayd" -c "$1" \
		>>"$WORK/daemon.log" 2>&1 &
	daemon=$!
	listening 26060 && listening 29464 || { echo "srtprelayd did not start (see $WORK/daemon.log)"; return 1; }
	(cd "$WORK" && exec taskset -c "$GEN_CPU" sipp -sf "$SIPDIR/uas_answer.xml" \
		-inf "$WORK/uas.csv" -t t1 -i 127.0.0.20 -p 26070 -nostdin \
		>"$WORK/uas.log" 2>&1) &
	uas=$!
	listening 26070 || { echo "SIPp's callee did not start (see $WORK/uas.log)"; return 1; }
	sleep 1
}

# wait_calls N SECS: until N calls are up with no INVITE in progress and at
# most N transactions open (each call's BYE-less dialog holds none; late
# ones are the INVITEs' 32 s), or SECS pass. 0 if N are up.
wait_calls() {
	t=0
	while [ $t -lt "$2" ]; do
		up=$(metric srtprelay_calls_active)
		busy=$(metric srtprelay_calls_in_progress)
		txns=$(metric srtprelay_sip_transactions)
		if [ "${up:-0}" -ge "$1" ] && [ "${busy:-1}" = 0 ] &&
			{ [ "$SETTLE_S" = 0 ] || [ "${txns:-1}" = 0 ]; }; then
			return 0
		fi
		sleep 1
		t=$((t + 1))
	done
	[ "${up:-0}" -ge "$1" ]
}

caller() {	# caller PORT CALLS RATE SCENARIO EXTRA...: a SIPp caller in the background
	port=$1 calls=$2 rate=$3 sf=$4
	shift 4
	# shellcheck disable=SC2068
	(cd "$WORK" && exec taskset -c "$GEN_CPU" sipp 127.0.0.1:26060 -sf "$sf" \
		-inf "$WORK/uac.csv" -t t1 -i 127.0.0.11 -p "$port" -r "$rate" -m "$calls" \
		-l "$calls" -nostdin $@ >"$WORK/uac-$port.log" 2>&1) &
	uac="$uac $!"
}

load=$(cut -d' ' -f1-3 /proc/loadavg)

# Per call at N1 and N2 calls held up.
if start "$WORK/srtprelayd.conf" >"$WORK/start.log"; then
	rss0=$(rss) heap0=$(metric srtprelay_heap_in_use_bytes)
	echo "  memory: srtprelayd idle: RSS $((rss0 / 1024)) KB, heap in use ${heap0:+$((heap0 / 1024)) KB}" >&2
	for n in $N1 $N2; do
		have=$(metric srtprelay_calls_active)
		caller $((26080 + n % 1000 + n / 1000)) $((n - ${have:-0})) "$SETUP_RATE" "$WORK/uac_hold.xml" \
			-d "$HOLD_MS"
		wait_calls "$n" $((n / SETUP_RATE * 3 + SETTLE_S + 20))
		# One more of srtprelayd's 5 s heap checks (base/heap_trim.h).
		[ "$SETTLE_S" = 0 ] || sleep 6
		# Calls the loaded machine lost (SIPp timed them out) do not
		# count: the figure is per call up, if nine in ten came up.
		up=$(metric srtprelay_calls_active)
		if [ "${up:-0}" -ge $((n * 9 / 10)) ]; then
			rss=$(rss) heap=$(metric srtprelay_heap_in_use_bytes)
			txns=$(metric srtprelay_sip_transactions)
			per_heap=n/a
			[ -n "$heap" ] && [ -n "$heap0" ] && per_heap="$(((heap - heap0) / up)) B/call"
			echo "  memory: $up calls up ($txns transactions open): RSS $((rss / 1024)) KB, heap in use ${heap:+$((heap / 1024)) KB}" >&2
			row "bytes_per_call_$n" $(((rss - rss0) / up)) 32768 \
				"RSS delta / calls; $up of $n calls up; heap in use $per_heap; $txns transactions open; load $load"
		else
			row "bytes_per_call_$n" "" 32768 "only ${up:-0} of $n calls came up (see $WORK)"
		fi
	done
else
	row "bytes_per_call_$N1" "" 32768 "$(cat "$WORK/start.log")"
	row "bytes_per_call_$N2" "" 32768 "$(cat "$WORK/start.log")"
fi

# RSS after a burst.
uac=''
if start "$WORK/burst.conf" >"$WORK/start.log"; then
	rss0=$(rss)
	caller 26180 $((BURST_RATE * BURST_S)) "$BURST_RATE" "$SIPDIR/uac_call.xml" -timeout "$((BURST_S + 2))"
	sleep $((BURST_S + 2))
	for p in $uac; do kill -INT "$p" 2>/dev/null; done
	wait $uac 2>/dev/null
	uac=''
	answered=$(metric srtprelay_calls_answered_total)
	peak=$(hwm)
	sleep "$AFTER_S"
	rss=$(rss)
	trims=$(metric srtprelay_heap_trims_total)
	heap=$(metric srtprelay_heap_in_use_bytes) free=$(metric srtprelay_heap_free_bytes)
	echo "  memory: burst of $BURST_RATE calls/s for $BURST_S s ($answered answered): RSS idle $((rss0 / 1024)) KB, peak $((peak / 1024)) KB, $AFTER_S s later $((rss / 1024)) KB" >&2
	row rss_after_burst "$rss" $((2 * rss0)) \
		"${AFTER_S}s after ${BURST_RATE}/s for ${BURST_S}s ($answered answered); idle $rss0; peak $peak; heap in use ${heap:-n/a} free ${free:-n/a}; ${trims:-no} trims; load $load"
else
	row rss_after_burst "" "" "$(cat "$WORK/start.log")"
fi
