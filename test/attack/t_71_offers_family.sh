#!/bin/sh
# Media of one leg flows between that leg's media realm and the peer's c=
# address: both must be of one family. An offer with c=IN IP6 to a leg
# whose realm is IPv4 got 200 OK while the media plane refused one of the
# two streams ("out-src and out-dst are of different families"): one-way
# audio (issue 15, item 8). Now srtprelayd takes a realm of the offer's
# family for that leg when one exists, else answers 488; a callee whose
# answer is of the other family fails the call (488 to the caller, BYE to
# the callee) rather than connect half the media.
. test/attack/b2bua_env.sh

echo "== t_71: c= address family against the leg's media realm"
CALLEE_ANSWER="RTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K_CALLEE"
write_conf > "$T/v4.conf"
start_daemon "$T/v4.conf"

begin "IPv6 offer, only an IPv4 realm: 488"
uas f1_uas uas_answer.xml "$CALLEE_ANSWER" 127.0.0.20 15070
uac f1_uac ../attack/uac_offer.xml "RTP/SAVP;;;mand-f1" 127.0.0.11 \
	-key conn "IN IP6 ::1" -key crypto "$C80"
kill "$UAS_PID" 2>/dev/null
wait "$UAS_PID" 2>/dev/null
check "488 to the caller" rx_has f1_uac "^SIP/2.0 [2-6]" "^SIP/2.0 488"
check "with a Warning naming the family" rx_has f1_uac "^SIP/2.0 488" "^Warning: 399 srtprelayd \".*IPv6"
check "never 200 OK" sh -c "! grep -q '^SIP/2.0 200' '$T/f1_uac.msg'"
check "no stream installed" test "$(dlog_count 'stream add')" -eq 0

begin "IPv4 offer, the callee answers c=IN IP6: the call fails whole"
uas f2_uas ../attack/uas_answer_conn.xml "$CALLEE_ANSWER" 127.0.0.20 15070 -key conn "IN IP6 ::1"
uac f2_uac ../attack/uac_offer.xml "RTP/SAVP;;;mand-f2" 127.0.0.11 \
	-key conn "IN IP4 127.0.0.11" -key crypto "$C80"
wait_uas
check "488 to the caller" rx_has f2_uac "^SIP/2.0 [2-6]" "^SIP/2.0 488"
check "the callee gets a BYE" rx_has f2_uas "^BYE" "BYE"
check "no stream installed" test "$(dlog_count 'stream add')" -eq 0
stop_daemon

echo "== with an IPv6 realm beside the IPv4 one"
write_conf | sed 's|^media_realms = (|media_realms = (\n  { name = "lo6"; address = "::1"; ports = [ 36000, 36099 ]; },|' > "$T/v6.conf"
start_daemon "$T/v6.conf"
begin "IPv6 offer: the caller's leg takes the IPv6 realm"
uas f3_uas uas_answer.xml "$CALLEE_ANSWER" 127.0.0.20 15070
uac f3_uac ../attack/uac_offer.xml "RTP/SAVP;;;mand-f3" 127.0.0.11 \
	-key conn "IN IP6 ::1" -key crypto "$C80"
check "call completes" test $? -eq 0
wait_uas
check "the answer's c= is IPv6" rx_has f3_uac "^SIP/2.0 200" "^c=IN IP6 ::1"
check "with a port of realm lo6" rx_has f3_uac "^SIP/2.0 200" "^m=audio 360[0-9][0-9] RTP/SAVP"
check "the callee is offered IPv4 (its realm)" rx_has f3_uas "^INVITE" "^c=IN IP4 127.0.0.1"
check "the caller's stream: IPv6 local, IPv6 peer" dlog_has "stream add local \[::1\]:360[0-9]+ remote \[::1\]:6000"
check "the stream to the caller goes out from IPv6" dlog_has "stream add .* out-src \[::1\]:360[0-9]+ out-dst \[::1\]:6000"
stop_daemon
finish
