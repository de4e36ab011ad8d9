#!/bin/sh
# Symmetric RTP (RFC 4961) through srtprelayd and the userspace datapath,
# in a network namespace of its own (run by t_11_latch.sh under
# `unshare -n`, as media.sh is). A SIPp caller on 127.0.0.81 offers
# m=audio 6000 but, like a phone behind NAT, sends its RTP from port 6010
# (latch_peer.py); the callee (SIPp on 127.0.0.82, media 6002) is honest.
#
# media_source = "latch": before the phone sends, the callee's media goes
# to the SDP port 6000; once the phone sent, it must reach 6010 (the
# datapath's latch event, srtprelayd moving the reverse stream's OUT_DST,
# RTCP to 6011). A re-INVITE moving the line to 6020 sends media there
# until the phone's next packet latches 6010 again; packets from yet
# another port (6030, as after a NAT rebinding, or a stranger on the same
# IP) are no better a source than 6010 and are refused (RTP Bleed, issue
# 15): media stays at 6010. srtprelayctl monitor must see the datapath's
# events as the module would send them.
# Events lost: with srtprelayd stopped (SIGSTOP) the phone floods 2000
# new SSRCs from 6010 and then sends from its SDP port 6000, a better
# source in the learning window; the datapath relays all of it, and
# srtprelayd, told events were lost (ENOBUFS), re-reads the latched
# source and sends to 6000.
# media_source = "lock-on-sdp" (caller on 127.0.0.83): the phone's packets
# from 6010 are dropped and counted (source_rejected), and the callee's
# media keeps going to the SDP port.
# Prints "ok"/"FAIL" lines and "N passed, N failed".
SIPDIR=$(cd "$(dirname "$0")" && pwd)
BUILD=$1
T=$2
. "$SIPDIR/media_lib.sh"
CTL=$BUILD/srtprelayctl
own_state_conf "$SIPDIR/srtprelayd-latch.conf"
media_plane "" "$T/srtprelayd.conf" "$T/daemon.log"
trap 'kill $D $DP 2>/dev/null' EXIT
check "srtprelayd uses the userspace datapath" grep -q "media plane: userspace datapath" "$T/daemon.log"
check "srtprelayd joined the datapath's events group" sh -c "! grep -q 'media events:' '$T/daemon.log'"
"$CTL" monitor > "$T/monitor.out" 2>&1 &
MON=$!
trap 'kill $D $DP $MON 2>/dev/null' EXIT

# calls_port LEG: the realm port srtprelayd gave leg LEG (caller|callee).
calls_port() {
	"$CTL" calls -s "$SOCK" 2>/dev/null |
		awk -v leg="$1" '$1 == "leg" { cur = $2 } $1 == "media" && cur == leg { print $4; exit }'
}
# stream_field PORT KEY: a field of the datapath's stream on 127.0.0.1:PORT.
stream_field() {
	"$CTL" -j stream get "127.0.0.1:$1" 2>/dev/null | python3 -c '
import json, sys
s = json.load(sys.stdin)
if isinstance(s, list):
    s = s[0]
v = s
for k in sys.argv[1].split("."):
    v = v[k]
print(v)' "$2" 2>/dev/null
}
# call IP: SIPp callee and caller (from IP; their own RTP sockets on 9000,
# away from the ports latch_peer.py binds); the call holds 5 s, re-INVITEs
# (m=audio 6020), holds 5 s more and hangs up. Sets UAC, UAS, CALLER_PORT,
# CALLEE_PORT once both legs have media.
call() {
	printf 'SEQUENTIAL\nRTP/AVP;\n' > "$T/uas.csv"
	printf 'SEQUENTIAL\nRTP/AVP;;;latch\n' > "$T/uac.csv"
	(cd "$T" && exec timeout 25 sipp -sf "$SIPDIR/uas_reinvite1.xml" -inf "$T/uas.csv" \
		-i 127.0.0.82 -p 15070 -mp 9000 -m 1 -nostdin -aa > /dev/null 2>&1) &
	UAS=$!
	wait_for 5 udp_bound 127.0.0.82 15070
	(cd "$T" && exec timeout 25 sipp 127.0.0.1:15060 -sf "$SIPDIR/uac_latch.xml" \
		-inf "$T/uac.csv" -i "$1" -p 15080 -mp 9000 -m 1 -nostdin -d 5000 \
		-timeout 20 > /dev/null 2>&1) &
	UAC=$!
	wait_for 5 sh -c "'$CTL' calls -s '$SOCK' | grep -q 'remote 127.0.0.82:6002'"
	CALLER_PORT=$(calls_port caller)
	CALLEE_PORT=$(calls_port callee)
}
peer() {
	python3 "$SIPDIR/latch_peer.py" 127.0.0.1 "$CALLER_PORT" "$CALLEE_PORT" "$PHONE" 127.0.0.82 "$@"
}
# has OUTPUT PATTERN: the peer's output has a line matching PATTERN (ERE).
has() { echo "$1" | grep -Eq -- "$2"; }

echo "== latch: a phone behind NAT sends from 6010, its SDP says 6000"
PHONE=127.0.0.81
call $PHONE
check "call up, caller leg port ${CALLER_PORT:-none}, callee leg port ${CALLEE_PORT:-none}" test -n "$CALLER_PORT" -a -n "$CALLEE_PORT"
OUT=$(peer callee nat callee)
echo "$OUT" | sed 's/^/    /'
check "before the phone sent: the callee's media goes to the SDP port 6000" has "$(echo "$OUT" | sed -n 1p)" "^callee 6000=5 6010=0 6020=0 6030=0"
check "the phone's media from 6010 reaches the callee" has "$OUT" "^nat 6002=5"
check "once the phone sent: the callee's media reaches it at 6010, not 6000" has "$(echo "$OUT" | sed -n 3p)" "^callee 6000=0 6010=5 6020=0 6030=0"
check "the reverse stream sends RTP to 127.0.0.81:6010" test "$(stream_field "$CALLEE_PORT" out_dst)" = 127.0.0.81:6010
check "and RTCP to 127.0.0.81:6011" test "$(stream_field "$CALLEE_PORT" out_rtcp_dst)" = 127.0.0.81:6011
check "srtprelayd logged the latch once: SDP address -> latched address" test "$(grep -c 'leg caller .*latched, media to the peer goes to 127.0.0.81:6010 (SDP said 127.0.0.81:6000)' "$T/daemon.log")" -eq 1
check "'calls' shows the caller leg latched at 127.0.0.81:6010" sh -c "'$CTL' calls -s '$SOCK' | grep -q 'latched 127.0.0.81:6010'"

# The re-INVITE (after 5 s) moves the phone's line to 6020: latching
# starts over, media goes to the new SDP port until the phone sends again.
wait_for 5 sh -c "'$CTL' calls -s '$SOCK' | grep -q 'remote 127.0.0.81:6020'"
OUT=$(peer callee nat callee rebind callee)
echo "$OUT" | sed 's/^/    /'
check "re-INVITE to 6020: the callee's media goes to the new SDP port" has "$(echo "$OUT" | sed -n 1p)" "^callee 6000=0 6010=0 6020=5 6030=0"
check "the phone sends from 6010 again: its media reaches the callee" has "$OUT" "^nat 6002=5"
check "latched again: the callee's media reaches the phone at 6010" has "$(echo "$OUT" | sed -n 3p)" "^callee 6000=0 6010=5 6020=0 6030=0"
check "srtprelayd logged the new latch (SDP said 6020)" grep -q 'leg caller .*latched, media to the peer goes to 127.0.0.81:6010 (SDP said 127.0.0.81:6020)' "$T/daemon.log"
check "another port of the phone's IP (6030), no better than 6010: refused" has "$OUT" "^rebind 6002=0"
check "and counted as source_rejected (5)" test "$(stream_field "$CALLER_PORT" stats.source_rejected)" = 5
check "the callee's media stays at 6010" has "$(echo "$OUT" | sed -n 5p)" "^callee 6000=0 6010=5 6020=0 6030=0"
check "the reverse stream's RTCP stays at 6011" test "$(stream_field "$CALLEE_PORT" out_rtcp_dst)" = 127.0.0.81:6011
M="local 127.0.0.1:$CALLER_PORT cookie [0-9]+"
check "monitor: the datapath reported remote_latched 127.0.0.81:6010" grep -Eq "^remote_latched $M remote 127.0.0.81:6010$" "$T/monitor.out"
check "monitor: and source_rejected 127.0.0.81:6030" grep -Eq "^source_rejected $M remote 127.0.0.81:6030$" "$T/monitor.out"
check "monitor: and the phone's SSRC (ssrc_changed 0x000009a7)" grep -Eq "^ssrc_changed $M ssrc 0x000009a7$" "$T/monitor.out"
wait $UAC
check "SIPp caller: the call completed (exit 0)" test $? -eq 0
wait $UAS

echo "== events lost: srtprelayd stopped while the phone floods new SSRCs, then sends from 6000"
PHONE=127.0.0.81
call $PHONE
kill -STOP $D
OUT=$(peer flood sdp)
kill -CONT $D
echo "$OUT" | sed 's/^/    /'
check "the datapath relayed the flood while srtprelayd read no events" test "$(stream_field "$CALLER_PORT" stats.tx_packets)" -ge 2005
wait_for 5 sh -c "test \"\$('$CTL' -j stream get 127.0.0.1:$CALLEE_PORT | grep -o '\"out_dst\":\"[^\"]*')\" = '\"out_dst\":\"127.0.0.81:6000'"
check "srtprelayd was told events were lost, and re-read the latched sources" grep -q "media events: events were lost.*re-reading the latched sources" "$T/daemon.log"
check "the phone's stream latched 6000, the better source" test "$(stream_field "$CALLER_PORT" latched)" = 127.0.0.81:6000
check "the reverse stream sends to 127.0.0.81:6000, the source it missed the event of" test "$(stream_field "$CALLEE_PORT" out_dst)" = 127.0.0.81:6000
OUT=$(peer callee)
echo "$OUT" | sed 's/^/    /'
check "the callee's media reaches the phone at 6000" has "$OUT" "^callee 6000=5 6010=0 6020=0 6030=0"
wait $UAC
check "SIPp caller: the call completed (exit 0)" test $? -eq 0
wait $UAS

echo "== lock-on-sdp: the same phone, media_source = \"lock-on-sdp\""
PHONE=127.0.0.83
call $PHONE
OUT=$(peer nat callee)
echo "$OUT" | sed 's/^/    /'
check "the phone's packets from 6010 are dropped" has "$OUT" "^nat 6002=0"
check "and counted as source_rejected (5)" test "$(stream_field "$CALLER_PORT" stats.source_rejected)" = 5
check "the callee's media still goes to the SDP port 6000" has "$OUT" "^callee 6000=5 6010=0 6020=0 6030=0"
check "the reverse stream still sends to 127.0.0.83:6000" test "$(stream_field "$CALLEE_PORT" out_dst)" = 127.0.0.83:6000
check "no latch logged for this call" sh -c "! grep -q 'leg caller .*latched, media to the peer goes to 127.0.0.83' '$T/daemon.log'"
wait $UAC
check "SIPp caller: the call completed (exit 0)" test $? -eq 0
wait $UAS

kill $D $DP $MON 2>/dev/null
wait $D $DP $MON 2>/dev/null
trap - EXIT
echo "$P passed, $F failed"
