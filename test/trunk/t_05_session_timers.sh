#!/bin/sh
# RFC 4028 session timers, per leg (issue 17 item 5), with SIPp peers on
# both legs of srtprelayd (test/trunk/srtprelayd-timers.conf: 90 s, Min-SE
# 90). Five calls run at once so that the suite takes as long as its
# longest call (about 140 s):
#   refreshed  srtprelayd refreshes both legs (the caller by re-INVITE, the
#              callee, which allows it, by UPDATE) three times, 45 s apart
#   expires    the caller refreshes once (a re-INVITE relayed to the
#              callee, which counts on both legs) and then nobody does:
#              BYE on both legs 60 s (90 - min(32, 90/3)) after that refresh
#   silent     the callee stops answering srtprelayd's refresh: BYE on
#              both legs before the peer would give up (60 s)
#   min-se     422 both ways: the caller's 60 s is refused with Min-SE 90,
#              the callee's Min-SE 120 makes srtprelayd ask again for 120
#   off        a leg without session timer passes no timer on
cd "$(dirname "$0")/../.." || exit 2
. test/sip/lib.sh		# rx, rx_has, rx_lacks, dlog_has: SIPp's messages, the log
. test/trunk/lib.sh
own_netns "$0" "$@"
need sipp python3
T=$(mktemp -d /tmp/trunk-timers.XXXXXX)
SOCK=/tmp/srtprelayd-timers/control.sock
LOGSTART=0

check "srtprelayd started with session_expires and min_se per IP group" \
	start_daemon "$TRUNKDIR/srtprelayd-timers.conf" "$T/daemon.log"
trap stop_daemon EXIT

sipp_peer a_uas st_uas_refreshed.xml x 127.0.0.20 15070 170
sipp_peer b_uas st_uas_never_refreshes.xml x 127.0.0.21 15070 130
sipp_peer c_uas st_uas_stops_answering.xml x 127.0.0.22 15070 110
sipp_peer d_uas st_uas_422.xml x 127.0.0.23 15070 30
sipp_peer e_uas st_uas_plain.xml x 127.0.0.24 15070 30
sleep 0.3
sipp_peer a_uac st_uac_refreshed.xml refreshed 127.0.0.11 15081 170 127.0.0.1:15060
sipp_peer b_uac st_uac_refresh_once.xml expires 127.0.0.11 15082 130 127.0.0.1:15060
sipp_peer c_uac st_uac_refreshed_once.xml silent 127.0.0.11 15083 110 127.0.0.1:15060
sipp_peer d_uac st_uac_422.xml min-se 127.0.0.11 15084 30 127.0.0.1:15060
sipp_peer e_uac st_uac_plain.xml off 127.0.0.12 15085 30 127.0.0.1:15060
sleep 2
"$CTL" calls -s "$SOCK" > "$T/calls.txt" 2>&1
"$CTL" -j calls -s "$SOCK" > "$T/calls.json" 2>&1

# peers_done CALL CALLER CALLEE: SIPp CALL_uac and CALL_uas have ended, each
# checked to have played its whole scenario (exit 0): CALLER and CALLEE say
# what that scenario was.
peers_done() {
	eval "_uac=\$PID_${1}_uac _uas=\$PID_${1}_uas"
	wait "$_uac"
	check "caller: $2" test $? -eq 0
	wait "$_uas"
	check "callee: $3" test $? -eq 0
}

echo "== srtprelayctl calls shows each leg's timer"
# legs ROUTE: the lines of the call routed by ROUTE's legs.
legs() {
	awk -v want="$1" '/^call / { route = $NF } route == want && /^  leg /' "$T/calls.txt"
}
check "refreshed: both legs 'session-timer 90 refresher us'" \
	test "$(legs refreshed | grep -c 'session-timer 90 refresher us')" -eq 2
check "expires: both legs 'session-timer 90 refresher peer'" \
	test "$(legs expires | grep -c 'session-timer 90 refresher peer')" -eq 2
check "silent: both legs 'session-timer 90 refresher us'" \
	test "$(legs silent | grep -c 'session-timer 90 refresher us')" -eq 2
check "calls -j: JSON with session_timer per leg" python3 -c "
import json, sys
calls = json.load(open('$T/calls.json'))['calls']
timers = [l.get('session_timer') for c in calls for l in c['legs']]
sys.exit(not any(t and t['interval_s'] == 90 and t['refresher'] == 'us' for t in timers))"

echo "== 422 both ways (min-se)"
peers_done d "422, then the call with 90 s completes" "422, the second INVITE answered, BYE"
check "caller's 422 says Min-SE: 90" rx_has d_uac "^SIP/2.0 422" "^Min-SE: 90"
check "callee got two INVITEs" test "$(msg_times d_uas '^INVITE' | wc -l)" -eq 2
check "callee's INVITE says Supported: timer" rx_has d_uas "^INVITE" "^Supported: (.*, )?timer"
check "callee's INVITEs ask for 90, then 120 (its Min-SE)" test \
	"$(rx d_uas '^INVITE' | grep -E '^(Session-Expires|Min-SE):' | tr -d '\r' | tr '\n' ' ')" = \
	"Session-Expires: 90 Min-SE: 90 Session-Expires: 120 Min-SE: 120 "
check "the retry is the same dialog with the next CSeq" test \
	"$(rx d_uas '^INVITE' | grep -E '^(CSeq|Call-ID):' | sort -u | wc -l)" -eq 3
check "caller's 200 carries Session-Expires: 90;refresher=uac" rx_has d_uac "^SIP/2.0 200" "^Session-Expires: 90;refresher=uac"
check "caller's 200 carries Require: timer" rx_has d_uac "^SIP/2.0 200" "^Require: timer"

echo "== a leg without session timer (off)"
peers_done e "plain call completes" "answered and got the BYE"
check "callee's INVITE has no Session-Expires" rx_lacks e_uas "^INVITE" "^Session-Expires"
check "callee's INVITE does not claim Supported: timer" rx_lacks e_uas "^INVITE" "^Supported:.*timer"
check "caller's 200 has no Session-Expires" rx_lacks e_uac "^SIP/2.0 200" "^Session-Expires"

echo "== the callee stops answering srtprelayd's refresh (silent)"
peers_done c "answered srtprelayd's re-INVITE, then got BYE" \
	"got the UPDATE, left it unanswered, then got BYE"
g=$(msg_gap c_uac "^SIP/2.0 200" "^INVITE")
check "caller refreshed by re-INVITE 45 s after the answer (${g:-none})" within "$g" 44 47
check "caller's refresh says Session-Expires: 90;refresher=uac" rx_has c_uac "^INVITE" "^Session-Expires: 90;refresher=uac"
g=$(msg_gap c_uas "^ACK" "^UPDATE")
check "callee refreshed by UPDATE 45 s after the answer (${g:-none})" within "$g" 44 47
g=$(msg_gap c_uas "^ACK" "^BYE")
check "BYE to the callee 60 s after the answer (${g:-none})" within "$g" 58 63
g=$(msg_gap c_uac "^SIP/2.0 200" "^BYE")
check "BYE to the caller at the same time (${g:-none})" within "$g" 58 63
check "logged: refresh not answered in time" dlog_has "session timer: refresh not answered in time on the callee leg"

echo "== the caller refreshes once, then nobody does (expires)"
peers_done b "its re-INVITE answered, then BYE" "the relayed re-INVITE answered, then BYE"
check "relayed re-INVITE keeps the callee the refresher (refresher=uas)" rx_has b_uas "^INVITE" "^Session-Expires: 90;refresher=uas"
g=$(msg_gap b_uas "^ACK" "^BYE")
check "callee's BYE 90 s after the answer: the relayed refresh counted on its leg (${g:-none})" within "$g" 88 93
g=$(msg_gap b_uac "^SIP/2.0 200" "^BYE")
check "caller's BYE 90 s after the answer, 60 s after its refresh (${g:-none})" within "$g" 88 93
check "logged: no refresh from the peer" dlog_has "session timer: no refresh from the peer on the (caller|callee) leg"

echo "== srtprelayd refreshes both legs three times (refreshed)"
peers_done a "three re-INVITEs answered, then its BYE" \
	"three UPDATEs answered, then the BYE"
check "caller got three re-INVITEs" test "$(msg_times a_uac '^INVITE' | wc -l)" -eq 3
check "callee got three UPDATEs" test "$(msg_times a_uas '^UPDATE' | wc -l)" -eq 3
for f in a_uac:^INVITE a_uas:^UPDATE; do
	gaps=$(msg_times "${f%%:*}" "${f#*:}" | awk 'NR > 1 { printf "%.1f ", $1 - p } { p = $1 }')
	check "${f%%:*}: refreshes 45 s apart (${gaps:-none})" sh -c \
		"echo '$gaps' | awk '{ for (i = 1; i <= NF; i++) if (\$i < 44 || \$i > 47) exit 1; exit NF != 2 }'"
done
check "re-INVITE refreshes carry our last SDP (same o= version)" test \
	"$(rx a_uac '^(INVITE|SIP/2.0 200)' | grep '^o=' | sort -u | wc -l)" -eq 1
check "UPDATE refreshes carry no body" rx_has a_uas "^UPDATE" "^Content-Length: 0"
check "call ended by the caller's BYE, not by a timer" dlog_has "ended: BYE from caller"
check "no session timer ended a call it should not have" test "$(dlog_count 'session timer:')" -eq 2

stop_daemon
trap - EXIT
finish "$T"
