# The offers srtprelayd sends, per callee policy, and what it does with
# the callee's answer.
begin "offer to a preferable callee: RTP/AVP with crypto (best effort)"
uas o1_uas uas_answer.xml "RTP/AVP;a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:$K_CALLEE" 127.0.0.20 15070
uac o1_uac uac_call.xml "RTP/SAVP;$C80;;pref-offer" 127.0.0.11
check "call completes" test $? -eq 0
wait_uas
check "callee's INVITE is RTP/AVP" rx_has o1_uas "^INVITE" "^m=audio [0-9]+ RTP/AVP "
check "with crypto lines" rx_has o1_uas "^INVITE" "^a=crypto:1 AES_CM_128_HMAC_SHA1_80"
check "callee leg runs _32 (its answer), caller leg _80" dlog_has "stream add .* in AES_CM_128_HMAC_SHA1_32 .* out AES_CM_128_HMAC_SHA1_80"

begin "offer to a disabled callee: plain RTP/AVP, lock-on-SDP"
uas o2_uas uas_answer.xml "RTP/AVP;" 127.0.0.20 15070
uac o2_uac uac_call.xml "RTP/SAVP;$C80;;dis-offer" 127.0.0.11
check "call completes" test $? -eq 0
wait_uas
check "callee's INVITE is RTP/AVP" rx_has o2_uas "^INVITE" "^m=audio [0-9]+ RTP/AVP "
check "without crypto" rx_lacks o2_uas "^INVITE" "^a=crypto"
check "RTP/AVP <-> RTP/SAVP interworking: caller leg SRTP, callee leg plain" dlog_has "stream add .* in AES_CM_128_HMAC_SHA1_80 .* out NONE"
check "callee's stream locked on its SDP address" dlog_has "stream add .* remote 127.0.0.20:6002 .*lock_on_sdp"

begin "mandatory callee answers without crypto: 488 to the caller, BYE to the callee"
uas o3_uas uas_answer.xml "RTP/AVP;" 127.0.0.20 15070
uac o3_uac uac_reject.xml "RTP/SAVP;$C80;;mand-noanswer" 127.0.0.11
check "caller's INVITE refused" test $? -eq 0
wait_uas
check "with 488" rx_has o3_uac "^SIP/2.0 488" "INVITE"
check "callee got ACK and BYE" rx_has o3_uas "^BYE" "BYE"
check "no stream left" test "$(dlog_count 'stream add')" -eq 0

# invite_n NAME N: the Nth INVITE SIPp peer NAME received.
invite_n() {
	rx "$1" '^INVITE' | awk -v want="$2" '/^INVITE / { n++ } n == want'
}
# invite_has NAME N ERE: does it match?
invite_has() {
	invite_n "$1" "$2" | grep -Eq -- "$3"
}

begin "mandatory callee refuses RTP/SAVP (488): the next INVITE offers RTP/AVP with crypto"
uas o3r_uas uas_refuse_answer.xml "RTP/AVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K_CALLEE" 127.0.0.20 15070
uac o3r_uac uac_call.xml "RTP/SAVP;$C80;;mand-retry" 127.0.0.11
check "call completes" test $? -eq 0
wait_uas
check "callee's SIPp scenario ran to its end (488, then a second INVITE answered)" test $? -eq 0
check "the caller never saw the 488" rx_lacks o3r_uac "^SIP/2.0" "^SIP/2.0 488"
check "  CSeq 1" invite_has o3r_uas 1 "^CSeq: 1 INVITE"
check "  RTP/SAVP (mandatory's srtp_offer)" invite_has o3r_uas 1 "^m=audio [0-9]+ RTP/SAVP "
check "second INVITE: CSeq 2" invite_has o3r_uas 2 "^CSeq: 2 INVITE"
check "  RTP/AVP" invite_has o3r_uas 2 "^m=audio [0-9]+ RTP/AVP "
check "  with a=crypto" invite_has o3r_uas 2 "^a=crypto:1 AES_CM_128_HMAC_SHA1_80 "
check "both legs SRTP" dlog_has "stream add .* in AES_CM_128_HMAC_SHA1_80 .* out AES_CM_128_HMAC_SHA1_80"

begin "mandatory callee refusing both forms: never offered plain RTP, the caller gets the 488"
uas o3n_uas uas_refuse2.xml "RTP/AVP;" 127.0.0.20 15070
uac o3n_uac uac_reject.xml "RTP/SAVP;$C80;;mand-refuse2" 127.0.0.11
check "caller's INVITE refused" test $? -eq 0
wait_uas
check "callee's SIPp scenario ran to its end: two INVITEs, no third" test $? -eq 0
check "the second INVITE had a=crypto too" invite_has o3n_uas 2 "^a=crypto:1 "
check "the caller got 488" rx_has o3n_uac "^SIP/2.0 488" "INVITE"
check "no stream was installed" test "$(dlog_count 'stream add')" -eq 0

begin "early answer, then 488: its streams go, the next INVITE's answer installs new keys"
K_EARLY=QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk
uas o3e_uas uas_early_refuse.xml "RTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K_EARLY;RTP/AVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K_CALLEE" 127.0.0.20 15070
uac o3e_uac uac_call.xml "RTP/SAVP;$C80;;mand-early" 127.0.0.11
check "call completes" test $? -eq 0
wait_uas
check "callee's SIPp scenario ran to its end (183, 488, then a second INVITE answered)" test $? -eq 0
dlog | grep -E "media: stream (add|del)" | sed 's/^.*media: stream \([a-z]*\) local \([^ ]*\).* in [^ ]* key-id \([0-9a-f]*\) .* out [^ ]* key-id \([0-9a-f]*\) .*$/\1 \2 \3 \4/; s/^.*media: stream del local \([^ ]*\)$/del \1/' > "$T/o3e_streams"
sed 's/^/    /' "$T/o3e_streams"
check "streams: added for the early answer, deleted at the 488, added again (and deleted at the BYE)" test "$(awk '{ print $1 }' "$T/o3e_streams" | uniq | tr '\n' ' ')" = "add del add del "
check "each of the two streams came back with a new key (our offer's toward the callee, the callee's new answer)" \
	test "$(grep '^add' "$T/o3e_streams" | sort -u | awk '{ print $2 }' | uniq -c | awk '$1 == 2' | wc -l)" -eq 2

begin "suite priority: the caller group's list picks among offered lines"
uas o4_uas uas_answer.xml "RTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K_CALLEE" 127.0.0.20 15070
uac o4_uac uac_call.xml "RTP/SAVP;$C80;$C32;mand-prio" 127.0.0.14
check "call completes" test $? -eq 0
wait_uas
check "answer picks tag 2, _32 (first in the group's list)" rx_has o4_uac "^SIP/2.0 200" "^a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:"
check "and only it" rx_lacks o4_uac "^SIP/2.0 200" "^a=crypto:1"

begin "Microsoft Teams style: tag 0, _32, lifetime and MKI on RTP/AVP"
uas o5_uas uas_answer.xml "RTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K_CALLEE" 127.0.0.20 15070
uac o5_uac uac_call.xml "RTP/AVP;a=crypto:0 AES_CM_128_HMAC_SHA1_32 inline:$K80|2^31|1:1;;mand-teams" 127.0.0.14
check "call completes" test $? -eq 0
wait_uas
check "answer: RTP/AVP with tag 0 _32 and a 1-byte MKI" rx_has o5_uac "^SIP/2.0 200" "^a=crypto:0 AES_CM_128_HMAC_SHA1_32 inline:[A-Za-z0-9+/=]+\|1:1"
check "stream from Teams expects MKI length 1" dlog_has "stream add .* in AES_CM_128_HMAC_SHA1_32 key-id [0-9a-f]+ mki-len 1 "

begin "RTP/SAVP and RTP/AVP lines as alternatives"
uas o6_uas uas_answer.xml "RTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K_CALLEE" 127.0.0.20 15070
uac o6_uac uac_both.xml "RTP/SAVP;$C80;;mand-both" 127.0.0.11
check "call completes" test $? -eq 0
wait_uas
check "mandatory takes the RTP/SAVP line" rx_has o6_uac "^SIP/2.0 200" "^m=audio 350[0-9]+ RTP/SAVP"
check "and rejects the RTP/AVP one (port 0)" rx_has o6_uac "^SIP/2.0 200" "^m=audio 0 RTP/AVP"
check "callee sees one m= line" test "$(rx o6_uas '^INVITE' | grep -c '^m=')" -eq 1

begin "RTP/SAVP and RTP/AVP alternatives to a disabled caller group"
uas o7_uas uas_answer.xml "RTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K_CALLEE" 127.0.0.20 15070
uac o7_uac uac_both.xml "RTP/SAVP;$C80;;mand-both2" 127.0.0.13
check "call completes" test $? -eq 0
wait_uas
check "disabled rejects the RTP/SAVP line" rx_has o7_uac "^SIP/2.0 200" "^m=audio 0 RTP/SAVP"
check "and takes the RTP/AVP one" rx_has o7_uac "^SIP/2.0 200" "^m=audio 350[0-9]+ RTP/AVP"

begin "rtcp-mux honoured per leg (RFC 5761)"
uas o8_uas uas_answer.xml "RTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K_CALLEE" 127.0.0.20 15070
uac o8_uac uac_call.xml "RTP/SAVP;$C80;a=rtcp-mux;mand-mux" 127.0.0.11
check "call completes" test $? -eq 0
wait_uas
check "caller offered rtcp-mux: our answer accepts it" rx_has o8_uac "^SIP/2.0 200" "^a=rtcp-mux"
check "we offer rtcp-mux to the callee too (it answers without)" rx_has o8_uas "^INVITE" "^a=rtcp-mux"
check "stream from the caller: RTCP muxed in" dlog_has "stream add .* remote 127.0.0.11:6000 .*rtcp_mux_in"
check "stream from the callee: RTCP muxed out to the caller only" dlog_has "stream add .* remote 127.0.0.20:6002 .*flags latch rtcp_mux_out "
