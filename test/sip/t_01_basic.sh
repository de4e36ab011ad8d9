# Basic call, SDES on both legs, each leg its own keys; BYE from the caller.
begin "basic call: SRTP on both legs, own keys per leg, BYE from caller"
uas b_uas uas_answer.xml "RTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K_CALLEE" 127.0.0.20 15070
uac b_uac uac_call.xml "RTP/SAVP;$C80;$C32;mand-basic" 127.0.0.11
check "caller's call completes (INVITE/200/ACK/BYE/200)" test $? -eq 0
wait_uas
check "callee's call completes" test $? -eq 0
check "caller's 200 answers RTP/SAVP" rx_has b_uac "^SIP/2.0 200" "^m=audio 350[0-9][0-9] RTP/SAVP 0 101"
check "caller's 200 has one a=crypto, tag 1, the _80 suite (priority)" rx_has b_uac "^SIP/2.0 200" "^a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:"
check "caller's 200 has a new key, not the caller's" rx_lacks b_uac "^SIP/2.0 200" "$K80|$K_CALLEE"
check "caller's 200: c= is the realm address" rx_has b_uac "^SIP/2.0 200" "^c=IN IP4 127.0.0.1"
check "callee's INVITE offers RTP/SAVP (callee group mandatory)" rx_has b_uas "^INVITE" "^m=audio 350[0-9][0-9] RTP/SAVP"
check "callee's INVITE offers both suites" rx_has b_uas "^INVITE" "^a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:"
check "callee's INVITE carries none of the caller's keys" rx_lacks b_uas "^INVITE" "$K80"
check "callee's INVITE has our Via and Contact, not the caller's" rx_lacks b_uas "^INVITE" "^(Via|Contact):.*127.0.0.11"
check "callee got the BYE" rx_has b_uas "^BYE" "^CSeq: [0-9]+ BYE"
check "callee's BYE follows its Record-Route (route set)" rx_has b_uas "^BYE" "^Route: <sip:edge.callee.test;lr>"
check "callee's ACK too" rx_has b_uas "^ACK" "^Route: <sip:edge.callee.test;lr>"
check "the caller never sees the callee's Record-Route" sh -c "! grep -q 'edge.callee.test' '$T/b_uac.msg'"
check "two streams added, SRTP _80 in and out" test "$(dlog_count 'stream add .* in AES_CM_128_HMAC_SHA1_80 .* out AES_CM_128_HMAC_SHA1_80')" -eq 2
check "stream from caller: lands on the caller-side port, goes to the callee 127.0.0.20:6002" dlog_has "stream add local 127.0.0.1:350[0-9]+ remote 127.0.0.11:6000 out-src 127.0.0.1:350[0-9]+ out-dst 127.0.0.20:6002 .*latch"
check "stream from callee goes to the caller 127.0.0.11:6000" dlog_has "stream add local 127.0.0.1:350[0-9]+ remote 127.0.0.20:6002 .* out-dst 127.0.0.11:6000"
check "both streams removed on BYE" test "$(dlog_count 'stream del')" -eq 2
check "call logged as ended by the caller's BYE" dlog_has "ended: BYE from caller"
