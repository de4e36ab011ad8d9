#!/bin/sh
# NAT public addresses (issue 17 item 3) through a real 1:1 NAT: srtprelayd
# in a namespace of its own bound to 10.0.0.1 only; a router (this test's
# namespace) maps 203.0.113.1 to it with nftables (DNAT in, SNAT out); a
# SIPp trunk outside at 203.0.113.10 (nat_side public) and a SIPp phone
# inside at 10.0.0.254 (nat_side private). The trunk must see 203.0.113.1
# in Via, Contact and SDP c=/o=, the phone 10.0.0.1; the trunk's answers
# and RTP reach srtprelayd through the NAT, and RTP relayed by the
# userspace datapath on the private address arrives at each side; the
# REGISTER srtprelayd sends the carrier names the public address too.
cd "$(dirname "$0")/../.." || exit 2
. test/trunk/lib.sh
. test/trunk/lib_kamailio.sh
own_netns "$0" "$@"
need sipp nft python3

T=$(mktemp -d /tmp/trunk-nat.XXXXXX)
SBC=sbc$$
OUT=out$$
DAEMON_PID=
DP_PID=
cleanup() {
	[ -n "$DAEMON_PID" ] && kill "$DAEMON_PID" 2>/dev/null && wait "$DAEMON_PID" 2>/dev/null
	[ -n "$DP_PID" ] && kill "$DP_PID" 2>/dev/null && wait "$DP_PID" 2>/dev/null
	ip netns del "$SBC" 2>/dev/null
	ip netns del "$OUT" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
in_sbc() { ip netns exec "$SBC" "$@"; }
in_out() { ip netns exec "$OUT" "$@"; }

# The router: inside 10.0.0.254/24, outside 203.0.113.254/24 and the
# public address 203.0.113.1 mapped one to one onto 10.0.0.1.
setup_nat() {
	ip netns add "$SBC" && ip netns add "$OUT" || return 1
	ip link add s1 type veth peer name s0 netns "$SBC" &&
	ip link add o1 type veth peer name o0 netns "$OUT" || return 1
	ip addr add 10.0.0.254/24 dev s1 && ip link set s1 up &&
	ip addr add 203.0.113.254/24 dev o1 && ip addr add 203.0.113.1/32 dev o1 &&
	ip link set o1 up || return 1
	in_sbc ip link set lo up && in_sbc ip addr add 10.0.0.1/24 dev s0 &&
	in_sbc ip link set s0 up && in_sbc ip route add default via 10.0.0.254 || return 1
	in_out ip link set lo up && in_out ip addr add 203.0.113.10/24 dev o0 &&
	in_out ip link set o0 up && in_out ip route add default via 203.0.113.254 || return 1
	sysctl -qw net.ipv4.ip_forward=1
	nft -f - <<EOT
table ip nat {
	chain pre { type nat hook prerouting priority -100; ip daddr 203.0.113.1 dnat to 10.0.0.1; }
	chain post { type nat hook postrouting priority 100; ip saddr 10.0.0.1 oifname "o1" snat to 203.0.113.1; }
}
EOT
}

setup_nat || { echo "FAIL the NAT namespaces"; echo "0 passed, 1 failed"; exit 1; }

cat > "$T/sbc.conf" <<EOT
state_dir = "$T/state";
control_socket = "$T/ctl.sock";
media_realms = ( { name = "r"; address = "10.0.0.1"; public_address = "203.0.113.1";
	ports = [ 40000, 40999 ]; } );
sip_interfaces = ( { name = "edge"; address = "10.0.0.1"; public_address = "203.0.113.1";
	udp_port = 5060; media_realm = "r"; } );
proxy_sets = ( { name = "carrier"; targets = [ "203.0.113.10:5060;transport=udp" ];
	register = { aor = "sip:sbc@carrier.example.test"; expires = 60; }; } );
ip_groups = (
	{ name = "lan"; match = [ "10.0.0.0/24" ]; srtp = "disabled"; nat_side = "private"; },
	{ name = "carrier"; match = [ "203.0.113.10/32" ]; proxy_set = "carrier";
	  srtp = "disabled"; nat_side = "public"; request_rate = 0; } );
routing = ( { name = "direct"; from = "lan"; user = "^loop$"; to = "lan"; },
	{ name = "out"; from = "lan"; to = "carrier"; } );
EOT
mkdir -p "$T/state"
export SRTPRELAY_SOCKET="$T/datapath.sock"
# A simple command, not in_sbc: $! must be the program, for cleanup to stop it.
ip netns exec "$SBC" "$BUILD/srtprelay-datapath" -s "$SRTPRELAY_SOCKET" -w 1 > "$T/datapath.log" 2>&1 &
DP_PID=$!
sleep 0.5
# The carrier's registrar takes srtprelayd's REGISTER first.
(cd "$T" && exec ip netns exec "$OUT" timeout 10 sipp -sf "$TRUNKDIR/uas_registrar.xml" \
	-i 203.0.113.10 -p 5060 -mp 7000 -m 1 -nostdin -trace_msg \
	-message_file "$T/registrar.msg" >/dev/null 2>&1) &
REG_PID=$!
sleep 0.3
ip netns exec "$SBC" "$BUILD/srtprelayd" -c "$T/sbc.conf" > "$T/daemon.log" 2>&1 &
DAEMON_PID=$!
sleep 1

echo "== srtprelayd registers with the carrier outside"
wait "$REG_PID"
check "the carrier's registrar took a REGISTER through the NAT" [ $? -eq 0 ]
check "its Via sent-by is 203.0.113.1:5060" rx_has registrar '^REGISTER ' '^Via: SIP/2.0/UDP 203\.0\.113\.1:5060;'
check "its Contact is sip:sbc@203.0.113.1:5060" rx_has registrar '^REGISTER ' '^Contact: <sip:sbc@203\.0\.113\.1:5060;transport=udp>'

echo "== a call from the phone inside to the trunk outside"
check "srtprelayd listens on the private address only" sh -c \
	"ip netns exec $SBC ss -uln | grep -q '10.0.0.1:5060' && ! ip netns exec $SBC ss -uln | grep -q '203.0.113.1'"
(cd "$T" && exec ip netns exec "$OUT" timeout 30 sipp -sf "$TRUNKDIR/uas_trunk.xml" -i 203.0.113.10 \
	-p 5060 -mp 7000 -m 1 -nostdin -trace_msg -message_file "$T/trunk.msg" >/dev/null 2>&1) &
UAS_PID=$!
sleep 0.3
# The phone holds the call 4 s, for the media checks below (SIPp's own
# media sockets are moved off the SDP's ports 6000 and 6002 with -mp).
sed 's/milliseconds="300"/milliseconds="4000"/' "$SIPDIR/uac_call.xml" > "$T/uac_hold.xml"
printf 'SEQUENTIAL\nRTP/AVP;;;bob\n' > "$T/phone.csv"
(cd "$T" && exec timeout 30 sipp 10.0.0.1:5060 -sf "$T/uac_hold.xml" -inf "$T/phone.csv" \
	-i 10.0.0.254 -p 5060 -mp 7100 -m 1 -nostdin -trace_msg -message_file "$T/phone.msg" \
	-timeout 25 >/dev/null 2>&1) &
UAC_PID=$!
for i in $(seq 1 30); do
	rx_has phone '^SIP/2.0 200' 'CSeq: 1 INVITE' 2>/dev/null && break
	sleep 0.1
done

check "the trunk's INVITE has Via sent-by 203.0.113.1:5060" rx_has trunk '^INVITE ' '^Via: SIP/2.0/UDP 203\.0\.113\.1:5060;'
check "and Contact 203.0.113.1" rx_has trunk '^INVITE ' '^Contact: <sip:srtprelayd@203\.0\.113\.1:5060;transport=udp>'
check "and SDP c=IN IP4 203.0.113.1" rx_has trunk '^INVITE ' '^c=IN IP4 203\.0\.113\.1'
check "and SDP o= ... IN IP4 203.0.113.1" rx_has trunk '^INVITE ' '^o=srtprelayd .* IN IP4 203\.0\.113\.1'
check "nothing the trunk got names 10.0.0.1" sh -c "! grep -q '10\.0\.0\.1' '$T/trunk.msg'"
check "the phone's 200 has Contact 10.0.0.1 (private side)" rx_has phone '^SIP/2.0 200' '^Contact: <sip:srtprelayd@10\.0\.0\.1:5060;transport=udp>'
check "and SDP c=IN IP4 10.0.0.1" rx_has phone '^SIP/2.0 200' '^c=IN IP4 10\.0\.0\.1'
check "the trunk got the ACK through the NAT" rx_has trunk '^ACK ' '^ACK '

out_port=$(rx trunk '^INVITE ' | sed -n 's/^m=audio \([0-9]*\) .*/\1/p' | head -n 1)
in_port=$(rx phone '^SIP/2.0 200' | sed -n 's/^m=audio \([0-9]*\) .*/\1/p' | head -n 1)
echo "    srtprelayd's ports: $out_port toward the trunk, $in_port toward the phone"

echo "== RTP through the NAT"
in_out python3 "$TRUNKDIR/rtp_probe.py" 203.0.113.10 6002 203.0.113.1 "$out_port" 25 2 \
	> "$T/trunk.rtp" &
R=$!
python3 "$TRUNKDIR/rtp_probe.py" 10.0.0.254 6000 10.0.0.1 "$in_port" 25 2 > "$T/phone.rtp"
wait "$R"
sed 's/^/    phone /' "$T/phone.rtp"
sed 's/^/    trunk /' "$T/trunk.rtp"
check "the trunk's RTP to 203.0.113.1 reached the phone from 10.0.0.1 (private address)" \
	grep -Eq "^received (1[0-9]|2[0-9]) from 10\.0\.0\.1:$in_port$" "$T/phone.rtp"
check "the phone's RTP reached the trunk from 203.0.113.1 (mapped by the NAT)" \
	grep -Eq "^received (1[0-9]|2[0-9]) from 203\.0\.113\.1:$out_port$" "$T/trunk.rtp"

wait "$UAC_PID"
check "the call completes (the phone's BYE answered through the NAT)" [ $? -eq 0 ]
wait "$UAS_PID"
check "the trunk got the BYE" [ $? -eq 0 ]

echo "== a request-URI naming our own public address is a loop"
sed 's/@127\.0\.0\.1:/@203.0.113.1:/' "$SIPDIR/uac_call.xml" > "$T/uac_self.xml"
printf 'SEQUENTIAL\nRTP/AVP;;;loop\n' > "$T/loop.csv"
(cd "$T" && timeout 20 sipp 10.0.0.1:5060 -sf "$T/uac_self.xml" -inf "$T/loop.csv" \
	-i 10.0.0.254 -p 5060 -mp 7100 -m 1 -nostdin -trace_msg -message_file "$T/loop.msg" \
	-timeout 15 >/dev/null 2>&1)
check "INVITE sip:loop@203.0.113.1 is refused with 503" rx_has loop '^SIP/2.0 [3-6]' '^SIP/2.0 503'
check "logged as a loop" grep -q "the target is srtprelayd itself: refused (loop)" "$T/daemon.log"

echo "== keep-alives: the 200 to OPTIONS names us as calls do"
(cd "$T" && ip netns exec "$OUT" timeout 10 sipp 203.0.113.1:5060 -sf "$SIPDIR/uac_options.xml" \
	-i 203.0.113.10 -p 5060 -m 1 -nostdin -trace_msg -message_file "$T/trunk-options.msg" \
	>/dev/null 2>&1)
check "the trunk's OPTIONS to 203.0.113.1 is answered 200 through the NAT" [ $? -eq 0 ]
check "with Contact 203.0.113.1" rx_has trunk-options '^SIP/2.0 200' \
	'^Contact: <sip:srtprelayd@203\.0\.113\.1:5060;transport=udp>'
(cd "$T" && timeout 10 sipp 10.0.0.1:5060 -sf "$SIPDIR/uac_options.xml" -i 10.0.0.254 -p 5060 \
	-m 1 -nostdin -trace_msg -message_file "$T/phone-options.msg" >/dev/null 2>&1)
check "the phone's OPTIONS is answered 200" [ $? -eq 0 ]
check "with Contact 10.0.0.1 (private side)" rx_has phone-options '^SIP/2.0 200' \
	'^Contact: <sip:srtprelayd@10\.0\.0\.1:5060;transport=udp>'
finish
