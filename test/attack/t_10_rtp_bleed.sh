#!/bin/sh
# RTP Bleed (issue 15 item 1) through srtprelayd and the userspace
# datapath: a stranger who guesses a plain-RTP leg's realm port must not
# take the other party's audio, nor inject its own, once the learning
# window after the answer has closed; a phone behind NAT (its SDP says one
# port, its media comes from another within the window) still gets its
# audio. The same policy in srtprelay.ko is tested by test/kernel/tests.sh
# (rtp_bleed_*), which make kcheck runs in the guest and make dpcheck here.
#
# Network namespace of its own (re-executed under unshare -n -m), holding
# srtprelayd (SIP on 127.0.0.1), the datapath (realm 10.99.0.1, a veth),
# the caller 127.0.0.81 and the callee 127.0.0.82 (SIPp for the SIP,
# bleed_peer.py for the media, 50 packets/s each way). The stranger is a
# namespace of its own behind the veth, 10.99.0.2; "the SDP's IP with
# another port" is 127.0.0.81:6100 in the relay's namespace.
#
# Timeline after the answer (the learning window is srtprelayd's default,
# 3 s): at 5 s the caller falls silent for 2 s and the stranger sends one
# packet; at 8 s the stranger sends 50/s for 10 s; at 19 s 127.0.0.81:6100
# sends 50/s for 10 s. Then a second call whose phone (127.0.0.84) says
# port 6000 in its SDP but sends from 6010.
# Prints "ok"/"FAIL" lines and "N passed, N failed".
cd "$(dirname "$0")/../.." || exit 2
TOP=$PWD
BUILD=$TOP/build
if [ -z "${BLEED_NETNS:-}" ]; then
	exec env BLEED_NETNS=1 timeout 150 unshare -n -m sh "$0" "$@"
fi

P=0
F=0
ok() { P=$((P + 1)); echo "  ok   $1"; }
bad() { F=$((F + 1)); echo "  FAIL $1"; }
check() { d=$1; shift; if "$@" >/dev/null 2>&1; then ok "$d"; else bad "$d"; fi; }
finish() { echo "$P passed, $F failed"; [ "$F" -eq 0 ]; exit $?; }

T=$(mktemp -d /tmp/bleed.XXXXXX)
CTL=$BUILD/srtprelayctl
SOCK=$T/state/control.sock
RELAY=10.99.0.1

# --- the hosts ----------------------------------------------------------------
mkdir -p /run/netns && mount -t tmpfs bleed /run/netns || { bad "private /run/netns"; finish; }
ip link set lo up
ip netns add stranger
ip link add sbc0 type veth peer name str0 netns stranger
ip addr add $RELAY/24 dev sbc0
ip link set sbc0 up
ip -n stranger link set lo up
ip -n stranger addr add 10.99.0.2/24 dev str0
ip -n stranger link set str0 up
ip -n stranger route add default via $RELAY
check "the stranger's namespace reaches the relay's address" \
	ip netns exec stranger ping -c 1 -W 2 $RELAY

cat > "$T/srtprelayd.conf" <<CONF
log_level = "info";
state_dir = "$T/state";
media_backend = "auto";
media_realms = (
  { name = "edge"; address = "$RELAY"; ports = [ 37000, 37099 ]; }
);
sip_interfaces = (
  { name = "lo"; address = "127.0.0.1"; udp_port = 15060; media_realm = "edge"; }
);
proxy_sets = (
  { name = "uas"; targets = [ "127.0.0.82:15070" ]; keepalive = false; }
);
ip_groups = (
  { name = "phone";     match = [ "127.0.0.81" ]; srtp = "disabled"; },
  { name = "nat-phone"; match = [ "127.0.0.84" ]; srtp = "disabled"; },
  { name = "callee";    proxy_set = "uas"; srtp = "disabled"; }
);
routing = (
  { name = "to-callee"; user = "^bleed"; to = "callee"; }
);
CONF
export SRTPRELAY_SOCKET="$T/datapath.sock"
"$BUILD/srtprelay-datapath" -s "$SRTPRELAY_SOCKET" -w 1 > "$T/datapath.log" 2>&1 &
DP=$!
sleep 0.5
"$BUILD/srtprelayd" -c "$T/srtprelayd.conf" > "$T/daemon.log" 2>&1 &
D=$!
trap 'kill $D $DP $UAC $UAS 2>/dev/null' EXIT
sleep 0.5
check "srtprelayd uses the userspace datapath" grep -q "media plane: userspace datapath" "$T/daemon.log"

# calls_port LEG IP: the realm port srtprelayd gave leg LEG (caller|callee)
# of the call whose caller signals from IP. The first call's SIPp peers are
# killed without a BYE, so it is still listed while the second one runs.
calls_port() {
	"$CTL" calls -s "$SOCK" 2>/dev/null |
		awk -v leg="$1" -v ip="$2:" '
			$1 == "call" { mine = 0 }
			$1 == "leg" { cur = $2; if (cur == "caller" && index($6, ip) == 1) mine = 1 }
			$1 == "media" && cur == leg && mine { print $4; exit }'
}
# counter PORT NAME: a counter of the datapath's stream on $RELAY:PORT.
counter() {
	"$CTL" -j stream get "$RELAY:$1" 2>/dev/null | tr -d ' \n\t' |
		grep -o "\"$2\":[0-9]*" | head -1 | cut -d: -f2
}
field() {
	"$CTL" -j stream get "$RELAY:$1" 2>/dev/null | tr -d ' \n\t' |
		grep -o "\"$2\":\"[^\"]*\"" | head -1 | cut -d'"' -f4
}
# call PHONE HOLD_MS: SIPp callee and caller (from PHONE, SDP m=audio 6000);
# sets CALLER_PORT, CALLEE_PORT and T0 (the wall clock at the answer).
call() {
	printf 'SEQUENTIAL\nRTP/AVP;\n' > "$T/uas.csv"
	printf 'SEQUENTIAL\nRTP/AVP;;;bleed\n' > "$T/uac.csv"
	(cd "$T" && exec sipp -sf "$TOP/test/sip/uas_answer.xml" -inf "$T/uas.csv" \
		-i 127.0.0.82 -p 15070 -mp 9000 -m 1 -nostdin -aa > /dev/null 2>&1) &
	UAS=$!
	sleep 0.3
	(cd "$T" && exec sipp 127.0.0.1:15060 -sf "$TOP/test/sip/uac_hold.xml" \
		-inf "$T/uac.csv" -i "$1" -p 15080 -mp 9000 -m 1 -nostdin -d "$2" \
		-timeout 60 > /dev/null 2>&1) &
	UAC=$!
	CALLER_PORT= CALLEE_PORT=
	i=0
	# Up to 15 s: a retransmitted INVITE or answer on a loaded host.
	while [ $i -lt 150 ] && [ -z "$CALLER_PORT" -o -z "$CALLEE_PORT" ]; do
		sleep 0.1
		i=$((i + 1))
		"$CTL" calls -s "$SOCK" 2>/dev/null | grep -q 'remote 127.0.0.82:6002' || continue
		CALLER_PORT=$(calls_port caller "$1")
		CALLEE_PORT=$(calls_port callee "$1")
	done
	[ -n "$CALLER_PORT" ] && [ -n "$CALLEE_PORT" ] || { echo "    no call from $1 with both legs' media listed; srtprelayctl calls:";
		"$CTL" calls -s "$SOCK" 2>&1 | sed 's/^/    | /'; }
	T0=$(python3 -c 'import time; print("%.3f" % time.time())')
}
peer() { python3 "$TOP/test/attack/bleed_peer.py" "$@"; }
# num OUTPUT KEY: the number after KEY= in the peer's output.
num() { echo "$1" | grep -o "$2=[0-9]*" | head -1 | cut -d= -f2; }

echo "== a plain call; strangers after the learning window"
call 127.0.0.81 40000
check "call up: caller leg port ${CALLER_PORT:-none}, callee leg port ${CALLEE_PORT:-none}" \
	test -n "$CALLER_PORT" -a -n "$CALLEE_PORT"
[ -n "$CALLEE_PORT" ] || finish
peer call $RELAY "$CALLER_PORT" "$CALLEE_PORT" 127.0.0.81:6000 127.0.0.82:6002 "$T0" 30 5-7 \
	> "$T/call.out" 2>&1 &
CALLS=$!
ip netns exec stranger python3 "$TOP/test/attack/bleed_peer.py" stranger $RELAY "$CALLER_PORT" \
	10.99.0.2:7000 "$T0" 5.2 1 7 > "$T/once.out" 2>&1
ip netns exec stranger python3 "$TOP/test/attack/bleed_peer.py" stranger $RELAY "$CALLER_PORT" \
	10.99.0.2:7000 "$T0" 8 500 18.5 > "$T/flood.out" 2>&1
peer stranger $RELAY "$CALLER_PORT" 127.0.0.81:6100 "$T0" 19 500 29.5 > "$T/sameip.out" 2>&1
wait $CALLS
OUT=$(cat "$T/call.out")
ONCE=$(num "$(cat "$T/once.out")" stranger_got)
FLOOD=$(num "$(cat "$T/flood.out")" stranger_got)
SAMEIP=$(num "$(cat "$T/sameip.out")" stranger_got)
FROM_CALLEE=$(num "$OUT" callee)
SENT=$(num "$OUT" sent)
INJECTED=$(num "$OUT" stranger)
REJECTED=$(counter "$CALLER_PORT" source_rejected)
LATCHES=$(grep -c "latched, media to the peer goes to" "$T/daemon.log")
echo "    $OUT" | tr '\n' ' '
echo
echo "    the stranger received: ${ONCE:-?} (one packet, caller silent)," \
	"${FLOOD:-?} (50/s for 10 s), ${SAMEIP:-?} (from 127.0.0.81:6100, 50/s for 10 s)"
echo "    caller-leg stream: source_rejected ${REJECTED:-?}; srtprelayd logged $LATCHES latches;" \
	"the callee's stream sends to $(field "$CALLEE_PORT" out_dst)"
check "one packet from another IP while the caller is silent takes none of the callee's audio" \
	test "${ONCE:-x}" = 0
check "50/s from another IP for 10 s take none of the callee's audio" test "${FLOOD:-x}" = 0
check "50/s from the SDP's IP with another port take none of it" test "${SAMEIP:-x}" = 0
check "none of the strangers' packets reached the callee (no injection)" test "${INJECTED:-x}" = 0
check "the caller got >= 98% of the callee's ${SENT:-?} packets (${FROM_CALLEE:-?})" \
	test "$((${FROM_CALLEE:-0} * 100))" -ge "$((${SENT:-1} * 98))"
check "the caller-leg stream counted the strangers' 1001 packets as source_rejected (${REJECTED:-?})" \
	test "${REJECTED:-0}" -ge 1001
check "srtprelayd never moved the callee's audio (no latch logged)" test "$LATCHES" = 0
check "the callee's stream still sends to 127.0.0.81:6000" \
	test "$(field "$CALLEE_PORT" out_dst)" = 127.0.0.81:6000
check "the caller-leg stream latched once, the caller's SDP address (latches $(counter "$CALLER_PORT" latches))" \
	test "$(counter "$CALLER_PORT" latches)" = 1 -a "$(field "$CALLER_PORT" latched)" = 127.0.0.81:6000
REPORTS=$(grep -c "media from .* refused" "$T/daemon.log")
check "srtprelayd reported the refused strangers, at most once a second ($REPORTS lines)" \
	test "$REPORTS" -ge 3 -a "$REPORTS" -le 30
check "... naming them" grep -q "media from 10.99.0.2:7000 refused" "$T/daemon.log"
kill $UAC $UAS 2>/dev/null
wait $UAC $UAS 2>/dev/null

echo "== a phone behind NAT: SDP says 127.0.0.84:6000, media comes from 6010"
call 127.0.0.84 8000
check "call up: caller leg port ${CALLER_PORT:-none}" test -n "$CALLER_PORT" -a -n "$CALLEE_PORT"
[ -n "$CALLEE_PORT" ] || finish
OUT=$(peer call $RELAY "$CALLER_PORT" "$CALLEE_PORT" 127.0.0.84:6010 127.0.0.82:6002 "$T0" 4 \
	127.0.0.84:6000)
echo "    $OUT" | tr '\n' ' '
echo
FROM_CALLEE=$(num "$OUT" callee)
SENT=$(num "$OUT" sent)
check "the phone's media reached the callee ($(num "$OUT" caller) of 200)" test "$(num "$OUT" caller)" -ge 190
check "the callee's audio reached the phone at 6010 (${FROM_CALLEE:-?} of ${SENT:-?}, all but the first few)" \
	test "${FROM_CALLEE:-0}" -ge $((${SENT:-200} - 10))
check "the callee's stream sends to 127.0.0.84:6010" \
	test "$(field "$CALLEE_PORT" out_dst)" = 127.0.0.84:6010
check "the caller-leg stream counted one latch" test "$(counter "$CALLER_PORT" latches)" = 1
check "srtprelayd logged the latch once" \
	test "$(grep -c 'latched, media to the peer goes to 127.0.0.84:6010 (SDP said 127.0.0.84:6000)' "$T/daemon.log")" = 1
wait $UAC
check "SIPp caller: the NAT call completed (exit 0)" test $? -eq 0
wait $UAS
kill $D $DP 2>/dev/null
wait $D $DP 2>/dev/null
trap - EXIT
finish
