#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# SIP overload (issue 18, item 4). A trunk (one TCP connection, SIPp)
# offers calls far past what srtprelayd can set up (OVERLOAD_RATE, default
# 8,000 calls/s, 1.4x the most it was ever measured to sustain; SRTP on
# both legs, so every call rewrites and re-keys two SDPs) for
# OVERLOAD_SECONDS (8). A call is INVITE, 200, ACK, BYE, or INVITE, 503,
# ACK (test/sip/uac_admission.xml). Meanwhile a call set up before the
# flood, from another address, ends with a BYE in the flood's middle.
#
# The SIPp peers run at nice -15 and srtprelayd at nice -10: on this
# machine, shared with other builds at load 15-27 on 2 cores, a process of
# the default priority gets a tenth of a core, and then neither srtprelayd
# reads a flood's INVITEs in time to answer them at all nor a SIPp caller
# its answers. The generator must never be the limit (a caller that reads
# late times out calls answered on time), and srtprelayd, the part under
# test, gets what is left of the two cores.
#
# Checks: every INVITE of the flood is answered, completed or refused with
# 503 (SIPp's recv timeout is 8 s: none timed out); srtprelayd refused
# some, counted them in status and in the metrics; each refusal 20 traced
# calls placed in the flood got is a 503 with Retry-After; the established
# call's BYE got its 200; the log stayed short.
set -u
cd "$(dirname "$0")/../.." || exit 2
. test/attack/sbc_lib.sh
own_netns "$0" "$@"

T=$(mktemp -d /tmp/attack-overload.XXXXXX)
SOCK=$T/control.sock
RATE=${OVERLOAD_RATE:-8000}
SECS=${OVERLOAD_SECONDS:-8}
GEN_NICE="nice -n -15"
K_CALLER=WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz
K_CALLEE=MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkw

cat > "$T/srtprelayd.conf" <<CONF
log_level = "warning";
state_dir = "$T/state";
control_socket = "$SOCK";
media_backend = "record";
metrics = { address = "127.0.0.1"; port = 18090; };
media_realms = ( { name = "lo"; address = "127.0.0.1"; ports = [ 20000, 59999 ];
  max_sessions = 20000; } );
sip_interfaces = ( { name = "lo"; address = "127.0.0.1"; tcp_port = 18060; udp_port = 18060;
  media_realm = "lo"; } );
proxy_sets = ( { name = "uas"; targets = [ "127.0.2.1:18070;transport=tcp" ]; keepalive = false; } );
ip_groups = (
  { name = "trunk"; match = [ "127.0.1.0/24" ]; srtp = "mandatory"; request_rate = 0; },
  { name = "callee"; match = [ "127.0.2.1" ]; proxy_set = "uas"; srtp = "mandatory"; }
);
routing = ( { name = "out"; from = "trunk"; to = "callee"; } );
CONF

echo "== SIP overload: $RATE calls/s offered for $SECS s over one TCP connection"
if ! command -v sipp >/dev/null; then
	echo "  skip: no sipp"
	echo "0 passed, 0 failed"
	exit 0
fi
start_daemon "$T/srtprelayd.conf" "$T/daemon.log"
trap 'kill $D $UAS $EST $UAC 2>/dev/null' EXIT
check "srtprelayd started" "$CTL" status -s "$SOCK"
renice -n -10 -p "$D" >/dev/null
LOG0=$(file_bytes "$T/daemon.log")

printf 'SEQUENTIAL\nRTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s\n' "$K_CALLEE" > "$T/uas.csv"
printf 'SEQUENTIAL\nRTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s;;flood\n' "$K_CALLER" > "$T/uac.csv"
printf 'SEQUENTIAL\nRTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s;;held\n' "$K_CALLER" > "$T/est.csv"
(cd "$T" && exec timeout $((SECS + 40)) $GEN_NICE sipp -sf "$SIPDIR/uas_answer.xml" \
	-inf "$T/uas.csv" -t t1 -i 127.0.2.1 -p 18070 -nostdin \
	> "$T/uas.out" 2>&1) &
UAS=$!
i=0
while [ $i -lt 50 ] && ! ss -Hltn 'sport = :18070' | grep -q .; do
	sleep 0.1
	i=$((i + 1))
done
# The established call: answered before the flood, BYE in its middle.
HOLD_MS=$((2000 + SECS * 500))
(cd "$T" && exec timeout $((SECS + 30)) $GEN_NICE sipp 127.0.0.1:18060 -sf "$SIPDIR/uac_admission.xml" \
	-inf "$T/est.csv" -t t1 -i 127.0.1.2 -p 18081 -m 1 -d $HOLD_MS -nostdin \
	-recv_timeout 8000 -trace_stat -stf "$T/est.stat" -trace_err \
	> "$T/est.out" 2>&1) &
EST=$!
sleep 2
(cd "$T" && exec timeout $((SECS + 35)) $GEN_NICE sipp 127.0.0.1:18060 -sf "$SIPDIR/uac_admission.xml" \
	-inf "$T/uac.csv" -t t1 -i 127.0.1.1 -p 18080 -r "$RATE" -m $((RATE * SECS)) \
	-l $((RATE * 8)) -d 200 -nostdin -recv_timeout 8000 -timeout $((SECS + 25)) \
	-trace_stat -stf "$T/uac.stat" -trace_counts -trace_err > "$T/uac.out" 2>&1) &
UAC=$!
# A few more callers from the trunk in the flood's middle, their messages
# traced, to see what a refusal looks like on the wire.
sleep 2
(cd "$T" && exec timeout 30 $GEN_NICE sipp 127.0.0.1:18060 -sf "$SIPDIR/uac_admission.xml" \
	-inf "$T/uac.csv" -t t1 -i 127.0.1.3 -p 18082 -r 20 -m 20 -d 200 -nostdin \
	-recv_timeout 8000 -trace_msg -message_file "$T/few.msg" > "$T/few.out" 2>&1)
wait $EST
EST_RC=$?
wait $UAC
UAC_RC=$?
timeout 5 "$CTL" status -s "$SOCK" > "$T/status.txt" 2>&1
timeout 5 "$CTL" -j status -s "$SOCK" > "$T/status.json" 2>&1
curl -s -m 5 http://127.0.0.1:18090/metrics > "$T/metrics.txt" 2>&1
LOG1=$(file_bytes "$T/daemon.log")
kill -INT $UAS 2>/dev/null

# stat_col FILE COLUMN: a column of a SIPp statistics file's last line.
stat_col() {
	awk -F';' -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) col = i }
		{ last = $0 } END { split(last, f, ";"); print (col ? f[col] : 0) + 0 }' "$1" 2>/dev/null
}
MADE=$(stat_col "$T/uac.stat" 'TotalCallCreated')
OK=$(stat_col "$T/uac.stat" 'SuccessfulCall(C)')
BAD=$(stat_col "$T/uac.stat" 'FailedCall(C)')
TIMEDOUT=$(stat_col "$T/uac.stat" 'FailedTimeoutOnRecv(C)')
SHED=$(awk '$1 == "overload" { for (i = 2; i < NF; i++) if ($i == "shed") print $(i + 1) }' "$T/status.txt")
echo "    flood: $MADE calls made, $OK ended as the scenario says (completed or 503)," \
	"$BAD failed, $TIMEDOUT of them timed out; srtprelayd shed ${SHED:-?} with 503 (SIPp exit $UAC_RC)"
echo "    established call: SIPp exit $EST_RC; log grew $(( (LOG1 - LOG0) / 1024 )) kB"
grep -E '^overload' "$T/status.txt" | sed 's/^/    status: /'
check "the flood's calls were all made ($MADE of $((RATE * SECS)))" test "$MADE" -ge $((RATE * SECS * 9 / 10))
check "every INVITE answered: completed or 503, none timed out ($TIMEDOUT timed out, $BAD failed)" \
	test "$BAD" -eq 0 -a "$TIMEDOUT" -eq 0 -a "$OK" -eq "$MADE"
check "srtprelayd shed load with 503 (${SHED:-none} in status)" test "${SHED:-0}" -gt 0
check "status -j counts the same 503s" python3 -c "
import json, sys
s = json.load(open('$T/status.json'))
sys.exit(s['overload']['shed'] != int('${SHED:-0}'))"
check "the metrics count them" grep -Eq "^srtprelay_overload_shed_total ${SHED:-x}\$" "$T/metrics.txt"
check "the established call's BYE went through during the flood" test "$EST_RC" -eq 0
# Each 503 the traced callers got: status line, then its header lines.
awk '/^SIP\/2.0 503 / { n++; inside = 1; next } inside && /^Retry-After: 2\r?$/ { ra++ }
	inside && /^\r?$/ { inside = 0 } END { print n + 0, ra + 0 }' "$T/few.msg" > "$T/few.503"
read -r N503 NRA < "$T/few.503"
echo "    traced callers: $N503 refusals, $NRA with Retry-After: 2"
check "a refusal is 503 with Retry-After ($NRA of $N503)" test "$N503" -gt 0 -a "$NRA" -eq "$N503"
check "the log grew by less than 64 kB" test $((LOG1 - LOG0)) -lt 65536
check "srtprelayd is still running" kill -0 "$D"
stop_daemon
trap - EXIT
finish "$T"
