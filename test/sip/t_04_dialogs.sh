# Call flows: callee busy, caller CANCEL, BYE from the callee, re-INVITE
# hold/resume, UPDATE, INVITE without SDP.
SAVP_CALLEE="RTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K_CALLEE"

begin "callee busy: 486 relayed to the caller"
uas d1_uas uas_busy.xml "x;" 127.0.0.20 15070
uac d1_uac uac_reject.xml "RTP/SAVP;$C80;;mand-busy" 127.0.0.11
check "caller's call ends as expected" test $? -eq 0
wait_uas
check "callee's 486 was ACKed (its scenario completed)" test $? -eq 0
check "caller gets 486" rx_has d1_uac "^SIP/2.0 486" "INVITE"
check "no stream installed" test "$(dlog_count 'stream add')" -eq 0
check "media ports returned" ctl status

begin "caller CANCEL while ringing"
uas d2_uas uas_cancel.xml "x;" 127.0.0.20 15070
uac d2_uac uac_cancel.xml "RTP/SAVP;$C80;;mand-cancel" 127.0.0.11
check "caller: 200 to CANCEL and 487" test $? -eq 0
wait_uas
check "callee got the CANCEL, answered 487 and got the ACK" test $? -eq 0
check "callee's CANCEL matches its INVITE (same branch)" test "$(rx d2_uas '^CANCEL' | grep '^Via' | sed 's/.*branch=//;s/;.*//')" = "$(rx d2_uas '^INVITE' | grep '^Via' | sed 's/.*branch=//;s/;.*//')"
check "call logged as cancelled" dlog_has "cancelled by caller"

begin "BYE from the callee"
uas d3_uas uas_bye.xml "$SAVP_CALLEE" 127.0.0.20 15070
uac d3_uac uac_wait_bye.xml "RTP/SAVP;$C80;;mand-calleebye" 127.0.0.11
check "caller got BYE and answered" test $? -eq 0
wait_uas
check "callee's BYE got 200" test $? -eq 0
check "streams removed" test "$(dlog_count 'stream del')" -eq 2
check "logged as BYE from callee" dlog_has "BYE from callee"

begin "re-INVITE hold and resume, keys kept"
uas d4_uas uas_reinvite.xml "$SAVP_CALLEE" 127.0.0.20 15070
uac d4_uac uac_reinvite.xml "RTP/SAVP;$C80;;mand-hold" 127.0.0.11
check "caller: call, hold, resume, BYE complete" test $? -eq 0
wait_uas
check "callee answered both re-INVITEs" test $? -eq 0
check "callee's hold re-INVITE says sendonly" test "$(rx d4_uas '^INVITE' | grep -c '^a=sendonly')" -eq 1
check "hold 200 to the caller says recvonly" rx_has d4_uac "^SIP/2.0 200" "^a=recvonly"
check "streams updated in place (set), not re-added" test "$(dlog_count 'stream add')" -eq 2
check "callee->caller stream held during hold" dlog_has "stream set local .* remote 127.0.0.20:6002 .*hold"
check "and released on resume" test "$(dlog | grep 'stream set local .* remote 127.0.0.20:6002' | tail -1 | grep -c hold)" -eq 0
check "same keys after re-INVITEs (ROC kept)" test "$(dlog | grep 'stream .* remote 127.0.0.11:6000' | sed 's/.*in \([^ ]*\) key-id \([0-9a-f]*\).*out \([^ ]*\) key-id \([0-9a-f]*\).*/\2 \4/' | sort -u | wc -l)" -eq 1
check "re-offer to the callee repeats our key" test "$(rx d4_uas '^INVITE' | grep '^a=crypto' | sort -u | wc -l)" -eq 2
check "all three of our INVITEs to the callee carry the same _80 key" test "$(rx d4_uas '^INVITE' | grep '^a=crypto:1' | sort -u | wc -l)" -eq 1

begin "UPDATE with a new media port"
uas d5_uas uas_update.xml "$SAVP_CALLEE" 127.0.0.20 15070
uac d5_uac uac_update.xml "RTP/SAVP;$C80;;mand-update" 127.0.0.11
check "caller: call, UPDATE, BYE complete" test $? -eq 0
wait_uas
check "callee answered the UPDATE" test $? -eq 0
check "UPDATE 200 to the caller carries SDP" rx_has d5_uac "^SIP/2.0 200" "^m=audio 350"
check "stream toward the caller moved to port 6010" dlog_has "stream set .* out-dst 127.0.0.11:6010"

begin "INVITE without SDP (offer in 200, answer in ACK)"
uas d6_uas uas_answer.xml "RTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K_CALLEE" 127.0.0.20 15070
uac d6_uac uac_late.xml "RTP/SAVP;$C80;;pref-late" 127.0.0.11
check "caller: call completes" test $? -eq 0
wait_uas
check "callee's INVITE has no body" rx_has d6_uas "^INVITE" "^Content-Length: 0"
check "caller's 200 carries our offer, RTP/SAVP (caller group mandatory)" rx_has d6_uac "^SIP/2.0 200" "^m=audio 350[0-9]+ RTP/SAVP"
check "callee's ACK carries our answer" rx_has d6_uas "^ACK" "^m=audio 350[0-9]+ RTP/SAVP"
check "two streams once the ACK arrived" test "$(dlog_count 'stream add')" -eq 2

begin "reliable 183 with SDP and PRACK passed through (RFC 3262)"
uas d7_uas uas_prack.xml "RTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K_CALLEE" 127.0.0.20 15070
uac d7_uac uac_prack.xml "RTP/SAVP;$C80;;mand-prack" 127.0.0.11
check "caller: 183, PRACK, 200, ACK, BYE complete" test $? -eq 0
wait_uas
check "callee: PRACK received, call complete" test $? -eq 0
reliable_183() {
	rx d7_uac '^SIP/2.0 183' | grep -q '^RSeq: 1' &&
		rx d7_uac '^SIP/2.0 183' | grep -q '^Require: 100rel'
}
media_on_183() {
	dlog | grep 'stream add\|answered' | head -1 | grep -q 'stream add'
}
check "caller's 183 is reliable (Require: 100rel, RSeq: 1)" reliable_183
check "caller's 183 carries our SDP answer (early media)" rx_has d7_uac "^SIP/2.0 183" "^a=crypto:1 AES_CM_128_HMAC_SHA1_80"
check "callee's PRACK: RAck mapped to its INVITE's CSeq" rx_has d7_uas "^PRACK" "^RAck: 1 1 INVITE"
check "media installed on the 183, before the answer" media_on_183

begin "re-INVITE from the callee (hold), relayed to the caller"
uas d8_uas uas_reinvite_out.xml "RTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K_CALLEE" 127.0.0.20 15070
uac d8_uac uac_answer_reinvite.xml "RTP/SAVP;$C80;;mand-callee-hold" 127.0.0.11
check "caller answered the relayed re-INVITE and hung up" test $? -eq 0
wait_uas
check "callee's re-INVITE got 200, ACK, then BYE" test $? -eq 0
check "caller's re-INVITE is ours, sendonly, our old key (same tag 1)" rx_has d8_uac "^INVITE" "^a=sendonly"
check "caller's re-INVITE keeps RTP/SAVP and one crypto line" test "$(rx d8_uac '^INVITE' | grep -c '^a=crypto:1 AES_CM_128_HMAC_SHA1_80')" -eq 1
check "callee's 200 says recvonly" rx_has d8_uas "^SIP/2.0 200" "^a=recvonly"
check "callee moved to port 6004" dlog_has "stream set .* out-dst 127.0.0.20:6004"
check "caller->callee stream held" dlog_has "stream set local .* remote 127.0.0.11:6000 .*hold"

begin "re-INVITE from the callee to an RTP/SAVP caller of a preferable group keeps RTP/SAVP"
uas d8p_uas uas_reinvite_out.xml "RTP/AVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K_CALLEE" 127.0.0.20 15070
uac d8p_uac uac_answer_reinvite.xml "RTP/SAVP;$C80;;pref-callee-hold" 127.0.0.12
check "caller answered the relayed re-INVITE and hung up" test $? -eq 0
wait_uas
check "callee's re-INVITE got 200, ACK, then BYE" test $? -eq 0
check "the callee was offered RTP/AVP with crypto (preferable's first form)" rx_has d8p_uas "^INVITE" "^m=audio [0-9]+ RTP/AVP "
check "the caller's re-INVITE is RTP/SAVP, as the caller spoke (an SRTP-only phone refuses RTP/AVP)" \
	rx_has d8p_uac "^INVITE" "^m=audio [0-9]+ RTP/SAVP "
check "with our old key, one crypto line" test "$(rx d8p_uac '^INVITE' | grep -c '^a=crypto:1 AES_CM_128_HMAC_SHA1_80')" -eq 1

begin "the callee's ACK of our 200 comes after the caller's BYE ended the call"
# Seen on a loaded host: the 200 to a callee's re-INVITE went on being
# retransmitted after the call ended, onto the next test's peer.
uas d8a_uas uas_reinvite_late_ack.xml "RTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K_CALLEE" 127.0.0.20 15070
uac d8a_uac uac_answer_reinvite.xml "RTP/SAVP;$C80;;mand-callee-late-ack" 127.0.0.11
check "caller answered the relayed re-INVITE and hung up" test $? -eq 0
wait_uas
check "callee: no 200 retransmitted once the call had ended (SIPp exit 0)" test $? -eq 0
check "... and none unexpected in its trace" sh -c "! grep -q '^Unexpected' '$T/d8a_uas.msg'"

begin "INFO (DTMF) relayed within the call"
uas d9_uas uas_answer.xml "RTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K_CALLEE" 127.0.0.20 15070
uac d9_uac uac_info.xml "RTP/SAVP;$C80;;mand-info" 127.0.0.11
check "caller: INFO answered 200, call completes" test $? -eq 0
wait_uas
check "callee got the INFO with its body and type" sh -c "grep -q '^Signal=5' '$T/d9_uas.msg' && grep -q '^Content-Type: application/dtmf-relay' '$T/d9_uas.msg'"

begin "re-INVITE with a new key and a new address (rekey)"
K2=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNk
uas d10_uas uas_reinvite1.xml "RTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K_CALLEE" 127.0.0.20 15070
uac d10_uac uac_rekey.xml "RTP/SAVP;$C80;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K2;mand-rekey" 127.0.0.11
check "caller: call, rekey re-INVITE, BYE complete" test $? -eq 0
wait_uas
check "callee answered the relayed re-INVITE" test $? -eq 0
key_ids() {	# in/out key-ids of the stream from the caller, add then set
	dlog | grep "stream .* remote 127.0.0.11:60" | sed 's/.* in [^ ]* key-id \([0-9a-f]*\).* out [^ ]* key-id \([0-9a-f]*\).*/\1 \2/'
}
check "caller's new key: the in key of its stream changed" test "$(key_ids | cut -d' ' -f1 | sort -u | wc -l)" -eq 2
check "our key toward the callee unchanged (its ROC kept)" test "$(key_ids | cut -d' ' -f2 | sort -u | wc -l)" -eq 1
check "the stream follows the caller's new address" dlog_has "stream set local .* remote 127.0.0.11:6020 .* out-dst"
check "the stream toward the caller too" dlog_has "stream set .* out-dst 127.0.0.11:6020"
check "callee's re-INVITE repeats our first key" test "$(rx d10_uas '^INVITE' | grep '^a=crypto:1' | sort -u | wc -l)" -eq 1
