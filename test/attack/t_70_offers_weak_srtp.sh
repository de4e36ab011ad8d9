#!/bin/sh
# A crypto line may switch SRTP's protection off with session parameters
# (RFC 4568 6.3.2, 6.3.3): UNENCRYPTED_SRTP, UNENCRYPTED_SRTCP,
# UNAUTHENTICATED_SRTP. Echoing them is a downgrade to no protection under
# "mandatory" (issue 15, item 8). Such lines are declined unless the group
# sets allow_unencrypted_srtp, and a line without authentication is never
# SRTP: in a mandatory group the offer gets 488, in a preferable one plain
# RTP, and another line of the offer may still be taken.
. test/attack/b2bua_env.sh

echo "== t_70: weakened crypto lines"
write_conf "" '{ name = "caller-allow"; match = [ "127.0.0.13" ]; srtp = "mandatory"; allow_unencrypted_srtp = true; },' > "$T/d.conf"
start_daemon "$T/d.conf"
W1="a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K80 UNENCRYPTED_SRTP UNAUTHENTICATED_SRTP"
W2="a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K80 UNENCRYPTED_SRTCP"
W3="a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K80 UNAUTHENTICATED_SRTP"
OK2="a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:$K_CALLEE"
CALLEE_ANSWER="RTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K_CALLEE"

# refused NAME CRYPTO SOURCE: the offer gets 488, and nothing is installed.
# A callee stands ready: an offer let through would be answered 200.
refused() {
	uas "$1_uas" uas_answer.xml "$CALLEE_ANSWER" 127.0.0.20 15070
	uac "$1" ../attack/uac_offer.xml "RTP/SAVP;;;mand-$1" "$3" \
		-key conn "IN IP4 $3" -key crypto "$2"
	kill "$UAS_PID" 2>/dev/null
	wait "$UAS_PID" 2>/dev/null
	check "488 to the caller" rx_has "$1" "^SIP/2.0 [0-9]" "^SIP/2.0 488"
	check "with a Warning naming the parameter" rx_has "$1" "^SIP/2.0 488" "^Warning: 399 srtprelayd \".*(UNENCRYPTED|UNAUTHENTICATED)"
	check "no 200 OK echoing it" sh -c "! grep -q '^SIP/2.0 200' '$T/$1.msg'"
	check "no stream installed" test "$(dlog_count 'stream add')" -eq 0
}

begin "mandatory: UNENCRYPTED_SRTP UNAUTHENTICATED_SRTP"
refused w1 "$W1" 127.0.0.11
begin "mandatory: UNENCRYPTED_SRTCP"
refused w2 "$W2" 127.0.0.11
begin "mandatory with allow_unencrypted_srtp: UNAUTHENTICATED_SRTP is still not SRTP"
refused w3 "$W3" 127.0.0.13

begin "mandatory: a weakened line and a whole one: the whole one is taken"
uas w4_uas uas_answer.xml "$CALLEE_ANSWER" 127.0.0.20 15070
uac w4_uac uac_call.xml "RTP/SAVP;$W1;$OK2;mand-w4" 127.0.0.11
check "call completes" test $? -eq 0
wait_uas
check "the answer takes tag 2" rx_has w4_uac "^SIP/2.0 200" "^a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:"
check "and echoes no weakening parameter" rx_lacks w4_uac "^SIP/2.0 200" "UNENCRYPTED|UNAUTHENTICATED"

begin "preferable, RTP/AVP with a weakened line: plain RTP, not 'SRTP'"
uas w5_uas uas_answer.xml "$CALLEE_ANSWER" 127.0.0.20 15070
uac w5_uac uac_call.xml "RTP/AVP;$W3;;pref-w5" 127.0.0.12
check "call completes" test $? -eq 0
wait_uas
check "the answer carries no crypto line" rx_lacks w5_uac "^SIP/2.0 200" "^a=crypto"
check "the caller's stream is plain (in NONE)" dlog_has "stream add .*remote 127.0.0.12:6000 .*in NONE"

begin "allow_unencrypted_srtp: UNENCRYPTED_SRTCP accepted and echoed, as asked"
uas w6_uas uas_answer.xml "$CALLEE_ANSWER" 127.0.0.20 15070
uac w6_uac uac_call.xml "RTP/SAVP;$W2;;mand-w6" 127.0.0.13
check "call completes" test $? -eq 0
wait_uas
check "the answer echoes UNENCRYPTED_SRTCP" rx_has w6_uac "^SIP/2.0 200" "^a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:.* UNENCRYPTED_SRTCP"

begin "a callee answering with a parameter we did not offer is refused"
uas w7_uas uas_answer.xml "RTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K_CALLEE UNENCRYPTED_SRTP" 127.0.0.20 15070
uac w7_uac uac_reject.xml "RTP/SAVP;$OK2;;mand-w7" 127.0.0.11
wait_uas
check "488 to the caller" rx_has w7_uac "^SIP/2.0 [0-9]" "^SIP/2.0 488"
check "no stream installed with it" sh -c "! grep -q 'stream add.*unencrypted' '$T/daemon.log'"

stop_daemon
finish
