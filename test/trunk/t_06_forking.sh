#!/bin/sh
# Forked early dialogs (issue 17 item 6; RFC 3261 12.1, 13.2.2.4, RFC 3960).
# srtprelayd's INVITE reaches a forking proxy (a SIPp scenario speaking for
# one with two branches): 183 with SDP from branch A (To tag forkA, port
# 6002, key A), then from branch B (forkB, 6004, key B), then A answers
# and B's 200 crosses it. Then the same with reliable 183s (RFC 3262),
# PRACKed by the caller in each early dialog, and A's 200 without SDP: the
# media goes back to A's early answer. Then a real fork: Kamailio forks
# in parallel (append_branch) to two SIPp callees, and CANCELs the loser
# once the other answers. Checked: the caller sees two early dialogs (two
# To tags of ours), early media follows the latest early answer (B), the
# 200 keeps A (its To tag toward the caller, its address and key in the
# media plane, B's stream state gone), B's 200 is ACKed and BYEd, and the
# caller's BYE reaches A.
cd "$(dirname "$0")/../.." || exit 2
. test/sip/lib.sh		# rx, dlog_has: SIPp's messages, the log
. test/trunk/lib.sh
own_netns "$0" "$@"
need sipp python3
T=$(mktemp -d /tmp/trunk-forking.XXXXXX)
SOCK=/tmp/srtprelayd-forking/control.sock
CTL_SOCK=$SOCK
LOGSTART=0

# in_key_id ERE: the key-id (a hash the media plane logs instead of the
# key) of what the first stream line of this part of the log matching ERE
# receives with: branch A's and B's keys told apart without knowing how
# key-ids are derived.
in_key_id() {
	dlog | grep "stream .*$1" | head -n 1 | sed -n 's/.* in [A-Z0-9_]* key-id \([0-9a-f]*\) .*/\1/p'
}

# keys_of A-ADDR B-ADDR: KEY_ID_A and KEY_ID_B from the streams that
# received from each branch's address.
keys_of() {
	KEY_ID_A=$(in_key_id "remote $1 ")
	KEY_ID_B=$(in_key_id "remote $2 ")
	check "the branches' keys told apart (A $KEY_ID_A, B $KEY_ID_B)" \
		test -n "$KEY_ID_A" -a -n "$KEY_ID_B" -a "$KEY_ID_A" != "$KEY_ID_B"
}

# The To tags of the messages $1 received whose first line matches $2.
to_tags() {
	rx "$1" "$2" | tr -d '\r' | sed -n 's/^To:.*;tag=\([^;>]*\).*/\1/p'
}

check "srtprelayd started" start_daemon "$TRUNKDIR/srtprelayd-forking.conf" "$T/daemon.log"
trap 'stop_daemon; [ -n "${KAMAILIO:-}" ] && kill "$KAMAILIO" 2>/dev/null' EXIT

echo "== two early dialogs, the first one answers (SIPp as the forking proxy)"
sipp_peer f_uas fork_uas.xml x 127.0.0.20 15070 20
sleep 0.3
sipp_peer f_uac fork_uac.xml forked 127.0.0.11 15081 20 127.0.0.1:15060
sleep 3.5	# both 183s and the 200 are in; the caller waits 4 s to BYE
ctl streams > "$T/streams.during" 2>&1
"$CTL" calls -s "$SOCK" > "$T/calls.during" 2>&1
wait $PID_f_uac
check "caller: two 183s, 200, ACK, BYE answered" test $? -eq 0
wait $PID_f_uas
check "forking proxy: both branches answered, the loser ACKed and BYEd, the BYE for A" test $? -eq 0
tags=$(to_tags f_uac '^SIP/2.0 183' | tr '\n' ' ')
set -- $tags
check "caller saw two early dialogs, two To tags ($tags)" test $# -eq 2 -a "$1" != "$2"
check "both 183s to the caller carry our SDP answer" test "$(rx f_uac '^SIP/2.0 183' | grep -c '^m=audio')" -eq 2
check "caller's 200 is in the first early dialog (A's tag $1)" test "$(to_tags f_uac '^SIP/2.0 200' | head -n 1)" = "$1"
keys_of 127.0.0.20:6002 127.0.0.20:6004
check "early media followed B's answer when it came (stream from 6004, key B)" \
	dlog_has "stream set local .* remote 127.0.0.20:6004 .* in AES_CM_128_HMAC_SHA1_80 key-id $KEY_ID_B"
check "and A's again on its 200" sh -c "tail -n +$((LOGSTART + 1)) '$T/daemon.log' | grep 'stream set local .* remote 127.0.0.20:600' | tail -n 1 | grep -q 'remote 127.0.0.20:6002 .*key-id $KEY_ID_A'"
check "media plane (streams): the callee's stream is A's (6002, key A)" \
	grep -q "remote 127.0.0.20:6002 .*in AES_CM_128_HMAC_SHA1_80 key-id $KEY_ID_A" "$T/streams.during"
check "media plane (streams): nothing of B left (no 6004, no key B)" \
	sh -c "! grep -Eq '127.0.0.20:6004|key-id $KEY_ID_B' '$T/streams.during'"
check "media plane (streams): toward the callee goes to A (out-dst 6002)" \
	grep -q "out-dst 127.0.0.20:6002" "$T/streams.during"
check "calls: the callee leg's media peer is A's address" grep -q "127.0.0.20:6002" "$T/calls.during"
acks=$(to_tags f_uas '^ACK' | tr '\n' ' ')
check "the proxy got ACKs for A, then for B ($acks)" test "$acks" = "forkA forkB "
byes=$(to_tags f_uas '^BYE' | tr '\n' ' ')
check "the proxy got a BYE for B, then the caller's for A ($byes)" test "$byes" = "forkB forkA "
check "logged: forked, answered by early dialog 1 of 2, the other 2xx ended" \
	sh -c "grep -q 'forked: early dialog 2' '$T/daemon.log' && grep -q 'answered by early dialog 1 of 2' '$T/daemon.log' && grep -q '2xx from another fork' '$T/daemon.log'"
check "call ended by the caller's BYE, streams removed" dlog_has "ended: BYE from caller"
check "no stream left" test -z "$(ctl streams | grep local)"

echo "== reliable 183s PRACKed per early dialog, the 200 without SDP (100rel)"
LOGSTART=$(wc -l < "$T/daemon.log")
sipp_peer r_uas fork_uas_100rel.xml x 127.0.0.20 15070 20
sleep 0.3
sipp_peer r_uac fork_uac_100rel.xml forked 127.0.0.11 15081 20 127.0.0.1:15060
sleep 3.5
ctl streams > "$T/streams.100rel" 2>&1
wait $PID_r_uac
check "caller: two reliable 183s PRACKed, 200, ACK, BYE answered" test $? -eq 0
wait $PID_r_uas
check "forking proxy: each branch's PRACK, A's 200 ACKed, B's ACKed and BYEd" test $? -eq 0
pracks=$(to_tags r_uas '^PRACK' | tr '\n' ' ')
check "each PRACK reached its own branch ($pracks)" test "$pracks" = "forkA forkB "
tags=$(to_tags r_uac '^SIP/2.0 183' | tr '\n' ' ')
set -- $tags
check "caller saw two early dialogs ($tags)" test $# -eq 2 -a "$1" != "$2"
check "caller's 200 is in A's early dialog" test "$(to_tags r_uac '^SIP/2.0 200' | tail -n 2 | head -n 1)" = "$1"
keys_of 127.0.0.20:6002 127.0.0.20:6004
check "early media followed B's reliable answer" \
	dlog_has "stream set local .* remote 127.0.0.20:6004 .* key-id $KEY_ID_B"
check "A's 200 without SDP: media back to A's early answer (6002, key A)" \
	grep -q "remote 127.0.0.20:6002 .*in AES_CM_128_HMAC_SHA1_80 key-id $KEY_ID_A" "$T/streams.100rel"
check "nothing of B left in the media plane" \
	sh -c "! grep -Eq '127.0.0.20:6004|key-id $KEY_ID_B' '$T/streams.100rel'"
byes=$(to_tags r_uas '^BYE' | tr '\n' ' ')
check "the proxy got a BYE for B, then the caller's for A ($byes)" test "$byes" = "forkB forkA "

echo "== Kamailio forking in parallel to two callees (a real fork)"
if ! command -v kamailio >/dev/null 2>&1; then
	echo "  skip: kamailio is not installed (make deps)"
else
	LOGSTART=$(wc -l < "$T/daemon.log")
	ip addr add 127.0.0.30/32 dev lo 2>/dev/null
	cat > "$T/kamailio.cfg" <<'KAM'
#!KAMAILIO
debug=2
log_stderror=yes
children=2
listen=udp:127.0.0.30:15090
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "corex.so"

request_route {
	if (!mf_process_maxfwd_header("10")) {
		sl_send_reply("483", "Too Many Hops");
		exit;
	}
	if (has_totag()) {
		if (loose_route() || is_method("ACK")) {
			t_relay();
			exit;
		}
		sl_send_reply("404", "Not here");
		exit;
	}
	if (is_method("CANCEL")) {
		if (t_check_trans())
			t_relay();
		exit;
	}
	if (is_method("INVITE")) {
		record_route();
		$ru = "sip:x@127.0.0.31:15070";
		append_branch("sip:x@127.0.0.32:15070");
		t_relay();
		exit;
	}
	sl_send_reply("405", "Method Not Allowed");
}
KAM
	kamailio -f "$T/kamailio.cfg" -DD -E -P "$T/kamailio.pid" > "$T/kamailio.log" 2>&1 &
	KAMAILIO=$!
	sleep 0.5
	check "Kamailio forks on 127.0.0.30:15090" kill -0 $KAMAILIO
	sipp_peer k_a kam_branch_a.xml x 127.0.0.31 15070 20
	sipp_peer k_b kam_branch_b.xml x 127.0.0.32 15070 20
	sleep 0.3
	sipp_peer k_uac fork_uac.xml kam 127.0.0.11 15082 20 127.0.0.1:15060
	sleep 4.5	# 183 A, 183 B at 0.8 s, 200 A at 2.5 s; the caller's BYE at 6.5 s
	ctl streams > "$T/streams.kamailio" 2>&1
	wait $PID_k_uac
	check "caller: 183 from each branch, 200, ACK, BYE answered" test $? -eq 0
	wait $PID_k_a
	check "branch A: 183, 200, ACK and the caller's BYE through Kamailio" test $? -eq 0
	wait $PID_k_b
	check "branch B: 183, then Kamailio's CANCEL (487, ACK)" test $? -eq 0
	tags=$(to_tags k_uac '^SIP/2.0 183' | tr '\n' ' ')
	set -- $tags
	check "caller saw both branches as two early dialogs ($tags)" test $# -eq 2 -a "$1" != "$2"
	check "caller's 200 is in A's early dialog" \
		test "$(to_tags k_uac '^SIP/2.0 200' | head -n 1)" = "$1"
	keys_of 127.0.0.31:6002 127.0.0.32:6004
	check "early media followed B when its 183 came (127.0.0.32:6004, key B)" \
		dlog_has "stream set local .* remote 127.0.0.32:6004 .* key-id $KEY_ID_B"
	check "after the 200: the callee's stream is A's (127.0.0.31:6002, key A)" \
		grep -q "remote 127.0.0.31:6002 .*in AES_CM_128_HMAC_SHA1_80 key-id $KEY_ID_A" "$T/streams.kamailio"
	check "nothing of B left in the media plane" \
		sh -c "! grep -Eq '127.0.0.32|key-id $KEY_ID_B' '$T/streams.kamailio'"
	check "the caller's BYE reached A through Kamailio (its Record-Route)" \
		rx_has k_a '^BYE' '^Via: SIP/2.0/UDP 127.0.0.30:15090'
	kill $KAMAILIO 2>/dev/null
	wait $KAMAILIO 2>/dev/null
fi

stop_daemon
trap - EXIT
finish "$T"
