#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# SIP flood (issue 15, item 3). For 30 s, 10,000 requests/s (INVITE,
# OPTIONS, REGISTER; half with random branches, half with branches chosen
# to collide in an unseeded FNV-1a table of 8192 buckets) come from 250
# addresses outside every IP group (40/s each: under any per-address rate
# limit, as a spoofed or distributed flood is), and 2,000/s from one
# address inside the callers' group, while a SIPp caller inside that group
# places 50 calls to a SIPp callee through srtprelayd (record backend:
# signalling only).
#
# Checks: >= 99 % of the 50 calls complete; srtprelayd's RSS grows by less
# than 64 MB (printed before and after); it sends the flooders no more
# packets than it gets from them (iptables counters on the namespace's
# lo, so nothing the flooders fail to read is missed); its log grows by
# less than 1 MB; status answers during the flood and names the banned
# source, in text and JSON.
set -u
cd "$(dirname "$0")/../.." || exit 2
. test/attack/sbc_lib.sh
own_netns "$0" "$@"

FLOOD=$BUILD/attack/sipflood
T=$(mktemp -d /tmp/attack-sipflood.XXXXXX)
SOCK=$T/control.sock
SECONDS_FLOOD=${SIPFLOOD_SECONDS:-30}
OUTSIDE=$(seq -s, -f '127.0.9.%g' 1 250)
INSIDE=127.0.1.99
N=50

cat > "$T/srtprelayd.conf" <<CONF
state_dir = "$T/state";
control_socket = "$SOCK";
media_backend = "record";
media_realms = ( { name = "lo"; address = "127.0.0.1"; ports = [ 30000, 30999 ]; } );
sip_interfaces = ( { name = "lo"; address = "127.0.0.1"; udp_port = 17060; media_realm = "lo"; } );
proxy_sets = ( { name = "uas"; targets = [ "127.0.2.1:17070" ]; keepalive = false; } );
ip_groups = (
  { name = "callers"; match = [ "127.0.1.0/24" ]; srtp = "disabled"; },
  { name = "callee"; match = [ "127.0.2.1" ]; proxy_set = "uas"; srtp = "disabled"; }
);
routing = ( { name = "legit"; from = "callers"; user = "^legit"; to = "callee"; } );
CONF

echo "== sip_limits mistakes are refused at load"
sed 's/^routing = /sip_limits = { unknown_sources = "ignore"; request_rate = -1; };\nrouting = /' \
	"$T/srtprelayd.conf" > "$T/bad.conf"
"$BUILD/srtprelayd" -t -c "$T/bad.conf" > "$T/bad.out" 2>&1
sed 's/^/    /' "$T/bad.out"
check "unknown_sources and request_rate out of range: file:line errors" sh -c "
	grep -q 'bad.conf:[0-9]*: unknown_sources .ignore.: use reject or drop' '$T/bad.out' &&
	grep -q \"bad.conf:[0-9]*: 'request_rate' = -1 is out of range\" '$T/bad.out'"

echo "== SIP flood: 10,000/s from outside every group, 2,000/s from inside, ${SECONDS_FLOOD} s, 50 calls"
if ! command -v sipp >/dev/null || [ ! -x "$FLOOD" ]; then
	echo "  skip: sipp or $FLOOD missing"
	echo "0 passed, 0 failed"
	exit 0
fi
for src in 127.0.9.0/24 127.0.1.99/32; do
	iptables -w -A OUTPUT -p udp -s "$src" -d 127.0.0.1 --dport 17060 \
		-m comment --comment "from $src"
	iptables -w -A OUTPUT -p udp -s 127.0.0.1 --sport 17060 -d "$src" \
		-m comment --comment "to $src"
done

start_daemon "$T/srtprelayd.conf" "$T/daemon.log"
trap 'kill $D $UAS $UAC 2>/dev/null' EXIT
check "srtprelayd started" "$CTL" status -s "$SOCK"
RSS0=$(rss_kb "$D")
LOG0=$(file_bytes "$T/daemon.log")

printf 'SEQUENTIAL\nRTP/AVP;\n' > "$T/uas.csv"
printf 'SEQUENTIAL\nRTP/AVP;;;legit\n' > "$T/uac.csv"
(cd "$T" && exec timeout $((SECONDS_FLOOD + 40)) sipp -sf "$SIPDIR/uas_answer.xml" \
	-inf "$T/uas.csv" -i 127.0.2.1 -p 17070 -m $N -nostdin -aa \
	-trace_err > "$T/uas.out" 2>&1) &
UAS=$!
"$FLOOD" -t 127.0.0.1:17060 -s "$OUTSIDE" -r 10000 -d "$SECONDS_FLOOD" > "$T/outside.out" 2>&1 &
F1=$!
"$FLOOD" -t 127.0.0.1:17060 -s "$INSIDE" -r 2000 -d "$SECONDS_FLOOD" > "$T/inside.out" 2>&1 &
F2=$!
# Both flooders send (finding colliding branches takes them a moment).
i=0
while [ $i -lt 100 ] && ! { grep -q flooding "$T/outside.out" && grep -q flooding "$T/inside.out"; }; do
	sleep 0.1
	i=$((i + 1))
done
sleep 2
# 50 calls over the flood's middle 25 s, each answered, held 0.3 s, BYE.
(cd "$T" && exec timeout $((SECONDS_FLOOD + 30)) sipp 127.0.0.1:17060 \
	-sf "$SIPDIR/uac_call.xml" -inf "$T/uac.csv" -i 127.0.1.1 -p 17080 \
	-m $N -r 2 -l $N -nostdin -timeout $((SECONDS_FLOOD + 25)) \
	-trace_stat -stf "$T/uac.stat" -fd 1 -trace_err > "$T/uac.out" 2>&1) &
UAC=$!
sleep 8
t0=$(date +%s%N)
timeout 5 "$CTL" status -s "$SOCK" > "$T/status.txt" 2>&1
STATUS_RC=$?
STATUS_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
RSS_MID=$(rss_kb "$D")
wait $F1 $F2
# On a loaded machine the flood overflows srtprelayd's socket buffer and
# the inside flooder's share of what is read may stay under its rate: one
# more second of it, alone, shows the ban list whatever the flood did.
"$FLOOD" -t 127.0.0.1:17060 -s "$INSIDE" -r 1000 -d 1 > "$T/inside2.out" 2>&1
timeout 5 "$CTL" status -s "$SOCK" > "$T/status-after.txt" 2>&1
timeout 5 "$CTL" -j status -s "$SOCK" > "$T/status.json" 2>&1
wait $UAC
UAC_RC=$?
wait $UAS
RSS1=$(rss_kb "$D")
LOG1=$(file_bytes "$T/daemon.log")
OK=$(awk -F';' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "SuccessfulCall(C)") col = i }
	END { print (col ? $col : 0) + 0 }' "$T/uac.stat" 2>/dev/null)
sed 's/^/    /' "$T/outside.out" "$T/inside.out" "$T/inside2.out"
echo "    legitimate calls completed: $OK of $N (SIPp exit $UAC_RC)"
echo "    RSS before $RSS0 kB, during $RSS_MID kB, after $RSS1 kB"
echo "    log grew $(( (LOG1 - LOG0) / 1024 )) kB"
echo "    status answered in $STATUS_MS ms (exit $STATUS_RC):"
sed 's/^/      /' "$T/status.txt" | head -n 30
check "at least 99 % of the $N legitimate calls completed ($OK)" test $((OK * 100)) -ge $((N * 99))
check "RSS grew by less than 64 MB ($RSS0 -> $RSS1 kB)" test $((RSS1 - RSS0)) -lt 65536
# (127.0.1.99's counts include its last second.)
for src in 127.0.9.0/24 127.0.1.99/32; do
	got=$(rule_packets "from $src")
	sent=$(rule_packets "to $src")
	echo "    $src: srtprelayd received ${got:-?} packets, sent ${sent:-?}"
	check "srtprelayd sent $src no more packets than it received from it" \
		test "${sent:-1}" -le "${got:-0}"
done
check "the log grew by less than 1 MB during the flood" test $((LOG1 - LOG0)) -lt 1048576
check "status answered within 1 s during the flood ($STATUS_MS ms)" \
	test "$STATUS_RC" -eq 0 -a "$STATUS_MS" -lt 1000
grep -E '^(requests-|rate-limit|banned 127\.0\.1)' "$T/status-after.txt" | sed 's/^/    after: /'
check "status lists the inside flooder as banned" grep -Eq "^banned 127\.0\.1\.99 " "$T/status-after.txt"
check "status -j lists it too" python3 -c "
import json, sys
s = json.load(open('$T/status.json'))
sys.exit(not any(b['address'] == '127.0.1.99' for b in s['banned']))"
check "srtprelayd is still running" kill -0 "$D"

echo "== reloaded: the callers' group unlimited (as a trunk), max_transactions 500, max_calls_in_progress 1"
sed 's/{ name = "callers"; match = \[ "127.0.1.0\/24" \];/& request_rate = 0;/; s/^routing = /sip_limits = { max_transactions = 500; max_calls_in_progress = 1; };\nrouting = /' \
	"$T/srtprelayd.conf" > "$T/trunk.conf"
cp "$T/trunk.conf" "$T/srtprelayd.conf"
"$CTL" reload -s "$SOCK" > "$T/reload.out" 2>&1
check "reload applied the new limits" grep -q '^ok' "$T/reload.out"
# Two INVITEs to the callee, who is gone: the first waits for an answer,
# the second finds max_calls_in_progress reached. (At 2/s for 1 s each
# flooder sends its INVITE at 0.5 s; its second request may not go.)
"$FLOOD" -t 127.0.0.1:17060 -s 127.0.1.5 -u legit -r 2 -d 1 > /dev/null 2>&1
"$FLOOD" -t 127.0.0.1:17060 -s 127.0.1.6 -u legit -r 2 -d 1 > /dev/null 2>&1
timeout 5 "$CTL" status -s "$SOCK" > "$T/status-calls.txt" 2>&1
grep -E '^(calls|requests-refused)' "$T/status-calls.txt" | sed 's/^/    /'
check "an INVITE past max_calls_in_progress got 503" \
	grep -Eq '^requests-refused transactions [0-9]+ calls-in-progress [1-9]' "$T/status-calls.txt"
"$FLOOD" -t 127.0.0.1:17060 -s "$INSIDE" -r 2000 -d 2 > "$T/inside3.out" 2>&1
timeout 5 "$CTL" status -s "$SOCK" > "$T/status-trunk.txt" 2>&1
sed 's/^/    /' "$T/inside3.out"
grep -E '^(transactions|requests-refused)' "$T/status-trunk.txt" | sed 's/^/    /'
TX=$(awk '$1 == "transactions" { print $2 }' "$T/status-trunk.txt")
check "past 500 server transactions new requests got a stateless 503" \
	grep -Eq '^requests-refused transactions [1-9]' "$T/status-trunk.txt"
check "transactions stayed near the cap (${TX:-?})" test "${TX:-99999}" -le 600
stop_daemon
trap - EXIT
finish "$T"
