#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# SIP flood (issue 15, item 3). For 30 s, 10,000 requests/s (INVITE,
# OPTIONS, REGISTER; half with random branches, half with branches chosen
# to collide in an unseeded FNV-1a table of 8192 buckets) come from eight
# addresses outside every IP group, and 2,000/s from one address inside the
# callers' group, while a SIPp caller inside that group places 50 calls to
# a SIPp callee through srtprelayd (record backend: signalling only).
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
OUTSIDE=127.0.9.1,127.0.9.2,127.0.9.3,127.0.9.4,127.0.9.5,127.0.9.6,127.0.9.7,127.0.9.8
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
timeout 5 "$CTL" -j status -s "$SOCK" > "$T/status.json" 2>&1
RSS_MID=$(rss_kb "$D")
wait $F1 $F2
wait $UAC
UAC_RC=$?
wait $UAS
RSS1=$(rss_kb "$D")
LOG1=$(file_bytes "$T/daemon.log")
OK=$(awk -F';' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "SuccessfulCall(C)") col = i }
	END { print (col ? $col : 0) + 0 }' "$T/uac.stat" 2>/dev/null)
sed 's/^/    /' "$T/outside.out" "$T/inside.out"
echo "    legitimate calls completed: $OK of $N (SIPp exit $UAC_RC)"
echo "    RSS before $RSS0 kB, during $RSS_MID kB, after $RSS1 kB"
echo "    log grew $(( (LOG1 - LOG0) / 1024 )) kB"
echo "    status answered in $STATUS_MS ms (exit $STATUS_RC):"
sed 's/^/      /' "$T/status.txt" | head -n 30
check "at least 99 % of the $N legitimate calls completed ($OK)" test $((OK * 100)) -ge $((N * 99))
check "RSS grew by less than 64 MB ($RSS0 -> $RSS1 kB)" test $((RSS1 - RSS0)) -lt 65536
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
check "status lists the inside flooder as banned" grep -Eq "^banned 127\.0\.1\.99 " "$T/status.txt"
check "status -j lists it too" python3 -c "
import json, sys
s = json.load(open('$T/status.json'))
sys.exit(not any(b['address'] == '127.0.1.99' for b in s['banned']))"
check "srtprelayd is still running" kill -0 "$D"
stop_daemon
trap - EXIT
[ "$FAILED" -eq 0 ] && rm -rf "$T" || echo "    logs kept in $T"
finish
