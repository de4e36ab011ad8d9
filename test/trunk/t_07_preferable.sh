#!/bin/sh
# Issue 17 item 7: "preferable" reaches every phone. On the embedded default
# configuration (srtprelayd with no -c: one group "phones", srtp =
# "preferable"), every ordered pair of three baresip phones -- SRTP only
# (mediaenc=srtp-mand, TLS), best effort (mediaenc=srtp, TLS) and plain RTP
# (UDP) -- completes a call with a tone each way (caller 440 Hz, callee
# 660 Hz, each recorded by the other), SRTP on each leg whose phone can do
# it, as the SDP each phone received shows; a plain callee's hold reaches
# the SRTP-only caller as RTP/SAVP, which it accepts. SIPp then shows the shape of
# the retries: a 488 to our first offer is followed by an INVITE on the same
# Call-ID and From tag with the next CSeq and the other offer form, then
# one without crypto; which refusals are about the offer and which are not.
#
# Runs in a network and a mount namespace of its own, with the userspace
# datapath and a private /var/lib/srtprelayd (the default state_dir).
# T07_FROM="srtp plain" calls from those phones only; T07_FROM= skips the
# phones (the SIPp part alone takes a few seconds).
cd "$(dirname "$0")/../.." || exit 2
if [ -z "${T07_OWN_MOUNTS:-}" ]; then
	if ! unshare -m true 2>/dev/null; then
		echo "  skip: cannot create a mount namespace (unshare -m needs root)"
		echo "0 passed, 0 failed"
		exit 0
	fi
	mkdir -p /var/lib/srtprelayd
	T07_OWN_MOUNTS=1 exec unshare -m sh "$0" "$@"
fi
. test/trunk/lib.sh
own_netns "$0" "$@"
need baresip sipp sox
mount -t tmpfs tmpfs /var/lib/srtprelayd || { echo "0 passed, 1 failed"; exit 1; }
T=$(mktemp -d /tmp/trunk-t07.XXXXXX)
export SRTPRELAY_SOCKET=$T/datapath.sock
"$BUILD/srtprelay-datapath" -s "$SRTPRELAY_SOCKET" -w 1 > "$T/datapath.log" 2>&1 &
DP=$!
sleep 0.5
"$BUILD/srtprelayd" -d > "$T/daemon.log" 2>&1 &
D=$!
trap 'kill $D $DP 2>/dev/null' EXIT
SOCK=/var/lib/srtprelayd/control.sock
for _ in $(seq 50); do
	"$CTL" status -s "$SOCK" > /dev/null 2>&1 && break
	sleep 0.1
done
check "srtprelayd runs its embedded default (group phones, srtp preferable) on the userspace datapath" \
	grep -q "media plane: userspace datapath" "$T/daemon.log"

# The SDP of the last SIP message with one whose first line matches $2
# (ERE) in baresip's SIP trace $1 (baresip -s).
last_sdp() {
	awk -v want="$2" '
		function done() { if (msg && cur != "") body = cur; cur = "" }
		/^(SIP\/2\.0 [0-9]+|[A-Z]+ sip:[^ ]* SIP\/2\.0)/ { done(); msg = ($0 ~ want); insdp = 0 }
		/^v=0/ { insdp = 1 }
		msg && insdp && /^[a-z]=/ { cur = cur $0 "\n" }
		END { done(); printf "%s", body }' "$1"
}

# sdp_is FILE FORM: the audio line of the SDP in FILE is of FORM: savp
# (RTP/SAVP with a=crypto), avp-crypto (RTP/AVP with a=crypto), avp
# (RTP/AVP, no a=crypto).
sdp_is() {
	grep -q "^m=audio [1-9][0-9]* $(case $2 in savp) echo RTP/SAVP ;; *) echo RTP/AVP ;; esac) " "$1" || return 1
	case $2 in
	savp|avp-crypto) grep -q "^a=crypto:" "$1" ;;
	avp) ! grep -q "^a=crypto:" "$1" ;;
	esac
}

# The form of SDP a phone of MODE takes: what it is offered and answered.
form_of() {
	case $1 in
	srtp-mand) echo savp ;;
	srtp) echo avp-crypto ;;
	plain) echo avp ;;
	esac
}

n=0
pair() {
	n=$((n + 1))
	P_DIR=$T/pair$n
	caller=c$n callee=r$n
	phone "$P_DIR/a" "$caller" "$1" $((15100 + n * 20)) 440
	phone "$P_DIR/b" "$callee" "$2" $((15110 + n * 20)) 660 answer
	timeout -k 5 20 baresip -s -f "$P_DIR/b" -t 6 > "$P_DIR/b.out" 2>&1 &
	b=$!
	for _ in $(seq 30); do
		grep -q "registrar: $callee at" "$T/daemon.log" && break
		sleep 0.1
	done
	timeout -k 5 20 baresip -s -f "$P_DIR/a" -t 5 -e "/dial $callee" > "$P_DIR/a.out" 2>&1 &
	a=$!
	wait $a
	wait $b
	what="$1 -> $2"
	check "$what: both phones established the call" sh -c "grep -q 'Call established' '$P_DIR/a.out' && grep -q 'Call established' '$P_DIR/b.out'"
	last_sdp "$P_DIR/b.out" '^INVITE ' > "$P_DIR/b.offer"
	last_sdp "$P_DIR/b.out" '^SIP/2.0 200' > "$P_DIR/b.answer"
	last_sdp "$P_DIR/a.out" '^SIP/2.0 200' > "$P_DIR/a.answer"
	# A plain phone takes RTP/AVP with or without a=crypto, and answers
	# without: whether the last offer had crypto depends on srtp_offer.
	case $2 in
	plain) check "$what: the callee was offered RTP/AVP and answered without a=crypto" \
		sh -c "grep -q '^m=audio [1-9][0-9]* RTP/AVP ' '$P_DIR/b.offer' && ! grep -q '^a=crypto:' '$P_DIR/b.answer' && grep -q '^m=audio' '$P_DIR/b.answer'" ;;
	*) check "$what: the callee was offered $(form_of "$2")" sdp_is "$P_DIR/b.offer" "$(form_of "$2")" ;;
	esac
	case $2 in
	plain) check "$what: the callee's leg is plain RTP (no SRTP in its log)" sh -c "! grep -q 'SRTP is Enabled' '$P_DIR/b.out'" ;;
	*) check "$what: the callee's leg is SRTP (SRTP is Enabled)" grep -q "SRTP is Enabled" "$P_DIR/b.out" ;;
	esac
	check "$what: the caller was answered with $(form_of "$1")" sdp_is "$P_DIR/a.answer" "$(form_of "$1")"
	case $1 in
	plain) check "$what: the caller's leg is plain RTP" sh -c "! grep -q 'SRTP is Enabled' '$P_DIR/a.out'" ;;
	*) check "$what: the caller's leg is SRTP (SRTP is Enabled)" grep -q "SRTP is Enabled" "$P_DIR/a.out" ;;
	esac
	fb=$(freq "$(ls "$P_DIR"/b/rec/*dec*.wav 2>/dev/null | head -1)")
	fa=$(freq "$(ls "$P_DIR"/a/rec/*dec*.wav 2>/dev/null | head -1)")
	check "$what: the callee heard the caller's 440 Hz (${fb:-nothing} Hz)" test "${fb:-0}" -ge 400 -a "${fb:-0}" -le 480
	check "$what: the caller heard the callee's 660 Hz (${fa:-nothing} Hz)" test "${fa:-0}" -ge 620 -a "${fa:-0}" -le 700
}

for from in ${T07_FROM-srtp-mand srtp plain}; do
	for to in srtp-mand srtp plain; do
		pair $from $to
	done
done

# Hold toward an SRTP-only caller: the plain callee puts the call on hold
# (baresip's hold through its ctrl_tcp module), srtprelayd re-offers the
# caller, which must get RTP/SAVP again (it refuses RTP/AVP with 488).
if [ -n "${T07_FROM-x}" ]; then
	n=$((n + 1))
	P_DIR=$T/hold
	phone "$P_DIR/a" c$n srtp-mand $((15100 + n * 20)) 440
	phone "$P_DIR/b" r$n plain $((15110 + n * 20)) 660 answer
	printf 'module_app ctrl_tcp.so\nctrl_tcp_listen 127.0.0.1:4444\n' >> "$P_DIR/b/config"
	timeout -k 5 20 baresip -s -f "$P_DIR/b" -t 7 > "$P_DIR/b.out" 2>&1 &
	b=$!
	for _ in $(seq 30); do
		grep -q "registrar: r$n at" "$T/daemon.log" && break
		sleep 0.1
	done
	timeout -k 5 20 baresip -s -f "$P_DIR/a" -t 6 -e "/dial r$n" > "$P_DIR/a.out" 2>&1 &
	a=$!
	for _ in $(seq 40); do
		grep -q "Call established" "$P_DIR/b.out" && break
		sleep 0.1
	done
	sleep 0.5
	python3 - > "$P_DIR/ctrl.out" 2>&1 <<'PY'
import json, socket
s = socket.create_connection(("127.0.0.1", 4444), timeout=2)
m = json.dumps({"command": "hold", "params": "", "token": "t07"}).encode()
s.sendall(b"%d:%s," % (len(m), m))
print(s.recv(4096))
PY
	wait $a
	wait $b
	last_sdp "$P_DIR/a.out" '^INVITE sip:c' > "$P_DIR/a.reoffer"
	last_sdp "$P_DIR/a.out" '^SIP/2.0 200' > "$P_DIR/a.reanswer"
	last_sdp "$P_DIR/b.out" '^SIP/2.0 200' > "$P_DIR/b.reanswer"
	check "hold: the plain callee's hold reached the srtp-mand caller as a re-INVITE, RTP/SAVP with a=crypto" \
		sdp_is "$P_DIR/a.reoffer" savp
	check "hold: that re-offer is sendonly" grep -q '^a=sendonly' "$P_DIR/a.reoffer"
	check "hold: the caller accepted it (200, recvonly), and so did the callee's re-INVITE" \
		sh -c "grep -q '^a=recvonly' '$P_DIR/a.reanswer' && grep -q '^a=recvonly' '$P_DIR/b.reanswer'"
fi

# The SIP shape of the retries, with SIPp as the callee (127.0.0.20, reached
# by the request-URI's host) and as a caller offering plain RTP/AVP.
#
# uas_scenario FILE REFUSAL... [answer]: a SIPp callee refusing one INVITE
# of the call per REFUSAL ("488 Not Acceptable Here|Header: value"), then
# answering the next with plain RTP/AVP ("answer") or waiting 1 s, in which
# a further INVITE is an unexpected message and fails SIPp. Written per
# test: SIPp takes no status code from an injection file.
uas_scenario() {
	f=$1
	shift
	printf '<?xml version="1.0" encoding="ISO-8859-1" ?>\n<scenario name="t07 callee">\n' > "$f"
	k=0
	for r in "$@"; do
		k=$((k + 1))
		if [ "$r" = answer ]; then
			cat >> "$f" <<'XML'
  <recv request="INVITE"/>
  <send retrans="500"><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag09[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:callee@[local_ip]:[local_port];transport=[transport]>
Content-Type: application/sdp
Content-Length: [len]

v=0
o=callee 53655765 1 IN IP4 [local_ip]
s=-
c=IN IP4 [local_ip]
t=0 0
m=audio 6002 RTP/AVP 0
a=rtpmap:0 PCMU/8000
]]></send>
  <recv request="ACK"/>
  <recv request="BYE"/>
  <send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>
</scenario>
XML
			return
		fi
		cat >> "$f" <<XML
  <recv request="INVITE"/>
  <send><![CDATA[
SIP/2.0 ${r%%|*}
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag0$k[call_number]
[last_Call-ID:]
[last_CSeq:]
${r#*|}
Content-Length: 0

]]></send>
  <recv request="ACK"/>
XML
	done
	printf '  <pause milliseconds="1000"/>\n</scenario>\n' >> "$f"
}

# sipp_call NAME REFUSAL... [answer]: one call through srtprelayd to a
# callee of uas_scenario; the callee's INVITEs go to $T/NAME.inv1, .inv2,
# ...; sets UAS_RC.
sipp_call() {
	name=$1
	shift
	uas_scenario "$T/$name-uas.xml" "$@"
	(cd "$T" && exec timeout 25 sipp -sf "$T/$name-uas.xml" \
		-i 127.0.0.20 -p 15070 -m 1 -nostdin -trace_msg \
		-message_file "$T/$name-uas.msg" > /dev/null 2>&1) &
	uas=$!
	sleep 0.3
	printf 'SEQUENTIAL\nsip:uas@127.0.0.20:15070\n' > "$T/$name-uac.csv"
	(cd "$T" && timeout 25 sipp 127.0.0.1:5060 -sf "$TRUNKDIR/uac_preferable.xml" \
		-inf "$T/$name-uac.csv" -i 127.0.0.15 -p 15080 -m 1 -nostdin -trace_msg \
		-message_file "$T/$name-uac.msg" -timeout 20 > /dev/null 2>&1)
	wait $uas
	UAS_RC=$?
	awk -v out="$T/$name.inv" '
		/^-----------------------------------------------/ { inrx = 0; f = ""; next }
		/message received/ { inrx = 1; next }
		inrx && f == "" && /^INVITE / { f = out "." (++n) }
		f != "" { print > f }' "$T/$name-uas.msg"
}
# inv_hdr FILE HEADER: the value of HEADER in an INVITE.
inv_hdr() { sed -n "s/^$2: *//p" "$1" | tr -d '\r' | head -1; }
# The first line the caller received of a final response.
caller_final() {
	awk '/message received/ { inrx = 1; next } inrx && /^SIP\/2\.0 [2-6]/ { print; exit }
		/^-------/ { inrx = 0 }' "$T/$1-uac.msg" | tr -d '\r'
}

sipp_call retry "488 Not Acceptable Here|Server: t07" "488 Not Acceptable Here|Server: t07" answer
I=$T/retry.inv
check "sipp: a callee that refuses twice gets three INVITEs, answers the third, and the call ends cleanly (exit $UAS_RC)" \
	sh -c "test $UAS_RC -eq 0 && test -f $I.3 && ! test -f $I.4"
check "sipp: the caller's first final response is the 200 ($(caller_final retry))" test "$(caller_final retry | cut -c1-11)" = "SIP/2.0 200"
check "sipp: the same Call-ID in all three INVITEs" sh -c "test '$(inv_hdr $I.1 Call-ID)' = '$(inv_hdr $I.2 Call-ID)' && test '$(inv_hdr $I.2 Call-ID)' = '$(inv_hdr $I.3 Call-ID)'"
check "sipp: the same From (tag) in all three" sh -c "test '$(inv_hdr $I.1 From)' = '$(inv_hdr $I.3 From)' && test '$(inv_hdr $I.2 From)' = '$(inv_hdr $I.3 From)'"
check "sipp: no To tag in any of them (no dialog survives a refusal)" sh -c "test -f $I.3 && ! grep -qi '^To:.*;tag=' $I.1 $I.2 $I.3"
check "sipp: CSeq 1, 2, 3 INVITE ($(inv_hdr $I.1 CSeq), $(inv_hdr $I.2 CSeq), $(inv_hdr $I.3 CSeq))" \
	sh -c "test '$(inv_hdr $I.1 CSeq)' = '1 INVITE' && test '$(inv_hdr $I.2 CSeq)' = '2 INVITE' && test '$(inv_hdr $I.3 CSeq)' = '3 INVITE'"
check "sipp: a new branch for each (new transactions)" sh -c "test '$(inv_hdr $I.1 Via)' != '$(inv_hdr $I.2 Via)' && test '$(inv_hdr $I.2 Via)' != '$(inv_hdr $I.3 Via)'"
check "sipp: first offer RTP/AVP with a=crypto (srtp_offer avp-with-crypto)" sdp_is $I.1 avp-crypto
check "sipp: after the 488, RTP/SAVP with a=crypto" sdp_is $I.2 savp
check "sipp: after the second 488, RTP/AVP without a=crypto (preferable)" sdp_is $I.3 avp
check "sipp: the second offer's keys are new (the refused offer's were dropped)" sh -c "test -f $I.2 && ! grep '^a=crypto' $I.2 | sed 's/.*inline://' | grep -qFf - $I.1"
check "sipp: the same media port in all three offers (no port taken per attempt)" sh -c "test -f $I.3 && test \$(grep -h '^m=audio' $I.1 $I.2 $I.3 | awk '{ print \$2 }' | sort -u | wc -l) -eq 1"
check "sipp: srtprelayd logged both retries" sh -c "grep -q 'callee refused our avp-with-crypto offer with 488: offering savp' '$T/daemon.log' && grep -q 'callee refused our savp offer with 488: offering plain RTP/AVP' '$T/daemon.log'"

sipp_call three '406 Not Acceptable|Warning: 305 t07 "Incompatible media format"' \
	"606 Not Acceptable|Server: t07" "415 Unsupported Media Type|Accept: application/sdp"
check "sipp: 406 with a 3xx Warning, 606, and 415 accepting application/sdp are each retried, and nothing after the last form (exit $UAS_RC)" \
	sh -c "test $UAS_RC -eq 0 && test -f $T/three.inv.3 && ! test -f $T/three.inv.4"
check "sipp: the caller gets the last refusal ($(caller_final three)), and only it" test "$(caller_final three | cut -c1-11)" = "SIP/2.0 415"

for refusal in "415 Unsupported Media Type|Accept: text/plain" "406 Not Acceptable|Server: t07" \
	"486 Busy Here|Server: t07"; do
	code=${refusal%% *}
	sipp_call "once$code" "$refusal"
	check "sipp: ${refusal%%|*} (${refusal#*|}) is not about the offer: not retried, the caller gets $code (exit $UAS_RC)" \
		sh -c "test $UAS_RC -eq 0 && ! test -f $T/once$code.inv.2 && test '$(caller_final "once$code" | cut -c1-11)' = 'SIP/2.0 $code'"
done

# Every call is over: no port pair and no stream left behind.
"$CTL" status -s "$SOCK" > "$T/status.txt" 2>&1
python3 "$SIPDIR/ctl.py" "$SOCK" streams > "$T/streams.txt" 2>&1
"$CTL" show > "$T/show.txt" 2>&1
check "no media port pair left in use after all calls ($(grep port-pairs "$T/status.txt"))" grep -q "realm loopback port-pairs-in-use 0" "$T/status.txt"
check "no call and no stream left in srtprelayd" sh -c "grep -qx 'calls 0' '$T/status.txt' && test \"\$(cat '$T/streams.txt')\" = end"
check "no stream left in the media plane (srtprelayctl show: $(grep -c . "$T/show.txt") line)" sh -c "grep -q '^realm' '$T/show.txt' && ! grep -qi stream '$T/show.txt'"

kill $D $DP 2>/dev/null
wait $D $DP 2>/dev/null
trap - EXIT
finish "$T"
