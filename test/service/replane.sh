#!/bin/sh
# make replanecheck: the media plane comes and goes (issue 16, item 2).
# srtprelayd with the userspace datapath, in scripts/isolated.sh's
# namespaces: N plain RTP calls (SIPp caller on 127.0.0.91, SIPp callee on
# 127.0.0.92, media from replane_peer.py both ways) and one SDES-SRTP call
# (127.0.0.93 to 127.0.0.94, srtp_peer its media, authenticated with the
# keys of both SDPs). The datapath is
# SIGKILLed: srtprelayd must notice within a second (status no longer says
# "userspace datapath") and answer a new INVITE 503 with Retry-After. The
# datapath is started again: within 2 s the old calls' media must flow
# both ways again (srtprelayd re-added its realms and re-installed every
# call's streams), a new call must complete with media, and every old call
# must still end by BYE, leaving no call, port pair or stream behind.
# Prints "ok"/"FAIL" lines and "N passed, N failed".
# Ports and SDP fields are split into arguments on purpose.
# shellcheck disable=SC2046
set -u
cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-build}
SIPDIR=$(pwd)/test/sip
HERE=$(pwd)/test/service
T=/tmp/replanecheck
N=${REPLANE_CALLS:-20}
rm -rf "$T" && mkdir -p "$T"
. "$SIPDIR/media_lib.sh"
CTL=$BUILD/srtprelayctl
own_state_conf "$HERE/srtprelayd-replane.conf"

media_plane "" "$T/srtprelayd.conf" "$T/daemon.log"
trap 'kill $D $DP 2>/dev/null' EXIT

status() { "$CTL" status -s "$SOCK" 2>/dev/null; }
# pairs: "CALLER_PORT:CALLEE_PORT" of every plain RTP call with both legs'
# media.
pairs() {
	"$CTL" calls -s "$SOCK" 2>/dev/null | awk '
		$1 == "call" { if (cp && ep) print cp ":" ep; cp = ep = ""; plain = $NF == "to-callee" }
		!plain { next }
		$1 == "leg" { leg = $2 }
		$1 == "media" && leg == "caller" && !cp { cp = $4 }
		$1 == "media" && leg == "callee" && !ep { ep = $4 }
		END { if (cp && ep) print cp ":" ep }'
}
media() { python3 "$HERE/replane_peer.py" 127.0.0.1 $(pairs); }
PEER=$BUILD/kernel/srtp_peer
SUITE="--suite AES_CM_128_HMAC_SHA1_80"
# srtp_one SSRC SEQ LISTEN KEY_IN SRC DST KEY_OUT: 5 SRTP packets sent from
# SRC to the relay's DST with KEY_OUT must arrive at LISTEN, authenticated
# with KEY_IN (what srtprelayd offered that side), each once.
srtp_one() {
	rm -f "$T/ready"
	"$PEER" recv --ready-file "$T/ready" --listen "$3" $SUITE --key "$4" \
		--timeout-ms 1500 --linger-ms 50 "rtp:$1:$2:5" > "$T/recv.out" 2>&1 &
	rpid=$!
	wait_for 2 test -e "$T/ready"
	"$PEER" send --src "$5" --dst "$6" $SUITE --key "$7" "rtp:$1:$2:5" > "$T/send.out" 2>&1
	wait $rpid
}
# srtp_media SEQ: the SRTP call's media, caller to callee then back.
srtp_media() {
	srtp_one 0x3000 "$1" 127.0.0.94:6002 "$K_TO_CALLEE" 127.0.0.93:6000 \
		"127.0.0.1:$SRTP_CP" "$K80" &&
	srtp_one 0x4000 "$1" 127.0.0.93:6000 "$K_TO_CALLER" 127.0.0.94:6002 \
		"127.0.0.1:$SRTP_EP" "$K_CALLEE"
}

check "srtprelayd uses the userspace datapath" sh -c "'$CTL' status -s '$SOCK' | grep -q 'userspace datapath'"
printf 'SEQUENTIAL\nRTP/AVP;\n' > "$T/uas.csv"
printf 'SEQUENTIAL\nRTP/AVP;;;replane\n' > "$T/uac.csv"
(cd "$T" && exec timeout 90 sipp -sf "$SIPDIR/uas_answer.xml" -inf "$T/uas.csv" \
	-i 127.0.0.92 -p 17070 -mp 9000 -m $((N + 1)) -nostdin -aa \
	-trace_err > "$T/uas.out" 2>&1) &
UAS=$!
sleep 0.3
(cd "$T" && exec timeout 60 sipp 127.0.0.1:17060 -sf "$SIPDIR/uac_hold.xml" -inf "$T/uac.csv" \
	-i 127.0.0.91 -p 17080 -mp 9000 -m "$N" -l "$N" -r 50 -d 20000 -nostdin -timeout 50 \
	-trace_err > "$T/uac.out" 2>&1) &
UAC=$!
trap 'kill $D $DP $UAC $UAS 2>/dev/null' EXIT
wait_for 10 sh -c "test \$('$CTL' calls -s '$SOCK' | grep -c '^call .* confirmed') -eq $N"
check "$N calls up" test "$(pairs | wc -l)" -eq "$N"
OUT=$(media)
echo "    before: $OUT"
check "media flows both ways on all $N calls" sh -c "echo '$OUT' | grep -q '^calls $N both-ways $N '"

K80=WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz
K_CALLEE=MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkw
printf 'SEQUENTIAL\nRTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s\n' "$K_CALLEE" > "$T/uas-srtp.csv"
printf 'SEQUENTIAL\nRTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s;;srtp\n' "$K80" > "$T/uac-srtp.csv"
(cd "$T" && exec timeout 60 sipp -sf "$SIPDIR/uas_answer.xml" -inf "$T/uas-srtp.csv" \
	-i 127.0.0.94 -p 17070 -mp 9200 -m 1 -nostdin -aa \
	-trace_msg -message_file "$T/uas-srtp.msg" -trace_err > "$T/uas-srtp.out" 2>&1) &
UAS2=$!
sleep 0.3
(cd "$T" && exec timeout 60 sipp 127.0.0.1:17060 -sf "$SIPDIR/uac_hold.xml" -inf "$T/uac-srtp.csv" \
	-i 127.0.0.93 -p 17082 -mp 9300 -m 1 -d 18000 -nostdin -timeout 50 \
	-trace_msg -message_file "$T/uac-srtp.msg" -trace_err > "$T/uac-srtp.out" 2>&1) &
UAC2=$!
trap 'kill $D $DP $UAC $UAS $UAC2 $UAS2 2>/dev/null' EXIT
wait_for 5 sh -c "test -n \"\$(sdp_of '$T/uac-srtp.msg' '^SIP/2.0 200')\""
set -- $(sdp_of "$T/uac-srtp.msg" '^SIP/2.0 200') x x
SRTP_CP=$1 K_TO_CALLER=$2
set -- $(sdp_of "$T/uas-srtp.msg" '^INVITE ') x x
SRTP_EP=$1 K_TO_CALLEE=$2
SEQ=$(($(date +%s) % 30000))
check "the SRTP call ($SRTP_CP, $SRTP_EP): media authenticated both ways" srtp_media $SEQ

echo "== the datapath is SIGKILLed"
kill -KILL $DP
wait $DP 2>/dev/null
KILLED=$(now_ms)
wait_for 1 sh -c "! '$CTL' status -s '$SOCK' | grep -q 'userspace datapath'"
check "within 1 s status no longer says 'userspace datapath' ($(status | grep -m1 -i 'media plane\|backend'))" sh -c "! '$CTL' status -s '$SOCK' | grep -q 'userspace datapath'"
sleep 0.5
OUT=$(python3 "$HERE/invite.py" 2>&1)
echo "$OUT" | sed 's/^/    /'
check "an INVITE while the plane is gone gets 503" sh -c "echo '$OUT' | grep -q '^SIP/2.0 503'"
check "with Retry-After" sh -c "echo '$OUT' | grep -qi '^Retry-After: [0-9]'"
check "srtprelayd logged that the media plane was lost" grep -qi "media plane.*lost\|lost the media plane" "$T/daemon.log"

echo "== the datapath starts again"
# The plane is back when the datapath listens (its workers are set up
# first): the old socket file, left by the SIGKILL, is
# removed so that the new one tells when.
rm -f "$SRTPRELAY_SOCKET"
STARTED=$(now_ms)
start_datapath
wait_for 5 test -S "$SRTPRELAY_SOCKET"
BACK=$(now_ms)
got=""
while [ $(($(now_ms) - BACK)) -lt 2000 ]; do
	OUT=$(media)
	if echo "$OUT" | grep -q "^calls $N both-ways $N "; then
		got=$(($(now_ms) - BACK))
		break
	fi
	sleep 0.1
done
echo "    after: $OUT (down $((BACK - KILLED)) ms, datapath listening $((BACK - STARTED)) ms after its start, media back after ${got:-never} ms)"
check "media flows both ways again on all $N old calls within 2 s of the plane's return" test -n "$got"
check "the new datapath has $((2 * N + 2)) streams ($(nstreams))" test "$(nstreams)" = $((2 * N + 2))
check "the SRTP call: media authenticated both ways again (keys re-installed)" srtp_media $((SEQ + 100))
check "status says 'userspace datapath' again" sh -c "'$CTL' status -s '$SOCK' | grep -q 'userspace datapath'"

echo "== a new call"
(cd "$T" && exec timeout 30 sipp 127.0.0.1:17060 -sf "$SIPDIR/uac_hold.xml" -inf "$T/uac.csv" \
	-i 127.0.0.91 -p 17081 -mp 9100 -m 1 -d 3000 -nostdin -timeout 20 \
	-trace_err > "$T/uac-new.out" 2>&1) &
NEW=$!
wait_for 5 sh -c "test \$('$CTL' calls -s '$SOCK' | grep -c '^call .* confirmed .* to-callee\$') -eq $((N + 1))"
OUT=$(media)
echo "    $OUT"
check "the new call has media both ways, and so do the old ones" sh -c "echo '$OUT' | grep -q '^calls $((N + 1)) both-ways $((N + 1)) '"
wait $NEW
check "SIPp: the new call completed (exit $?)" test $? -eq 0

echo "== the old calls end by BYE"
wait $UAC
URC=$?
check "SIPp caller: all $N old calls ended by BYE (exit $URC)" test $URC -eq 0
wait $UAS
check "SIPp callee: all $((N + 1)) calls successful (exit $?)" test $? -eq 0
wait $UAC2
check "SIPp: the SRTP call ended by BYE (exit $?)" test $? -eq 0
wait $UAS2
sleep 0.5
status > "$T/status-after.txt"
check "afterwards srtprelayd has 0 calls ($(ncalls))" test "$(ncalls)" = 0
check "afterwards 0 port pairs in use" sh -c "! grep '^realm' '$T/status-after.txt' | grep -qv 'in-use 0\$'"
check "afterwards the datapath has 0 streams ($(nstreams))" test "$(nstreams)" = 0
check "srtprelayd is still running" kill -0 $D
stop_procs $D $DP
summary
