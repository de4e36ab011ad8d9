# SRTP pass-through (srtp_pass_through in both legs' IP groups): the callee
# is offered the caller's own key, the caller is answered with the
# callee's, and the media plane checks and forwards SRTP without
# re-encrypting (stream flag pass_through). Anything else keeps a key per
# leg: one group without the option, or a GCM suite.
begin "pass-through: both groups opt in, AES_CM_128_HMAC_SHA1_80"
uas pt1_uas uas_answer.xml "RTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K_CALLEE" 127.0.0.20 15070
uac pt1_uac uac_call.xml "RTP/SAVP;a=crypto:5 AES_CM_128_HMAC_SHA1_80 inline:$K80;;pt-1" 127.0.0.17
check "call completes" test $? -eq 0
wait_uas
check "the callee is offered the caller's key" rx_has pt1_uas "^INVITE" "^a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K80"
check "  and only it" test "$(rx pt1_uas '^INVITE' | grep -c '^a=crypto')" -eq 1
check "the caller is answered with the callee's key, under its tag 5" \
	rx_has pt1_uac "^SIP/2.0 200" "^a=crypto:5 AES_CM_128_HMAC_SHA1_80 inline:$K_CALLEE"
check "both streams pass SRTP through" \
	test "$(dlog_count 'stream add .* pass_through in ')" -eq 2
check "  each with one key in and out" dlog_has "stream add .* in AES_CM_128_HMAC_SHA1_80 key-id ([0-9a-f]+) mki-len 0 out AES_CM_128_HMAC_SHA1_80 key-id \1 "

begin "no pass-through when the callee's group does not opt in"
uas pt2_uas uas_answer.xml "RTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K_CALLEE" 127.0.0.20 15070
uac pt2_uac uac_call.xml "RTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K80;;mand-pt2" 127.0.0.17
check "call completes" test $? -eq 0
wait_uas
check "the callee gets a key of its own, not the caller's" rx_lacks pt2_uas "^INVITE" "inline:$K80"
check "the caller gets a key of ours, not the callee's" rx_lacks pt2_uac "^SIP/2.0 200" "inline:$K_CALLEE"
check "no stream passes through" test "$(dlog_count 'pass_through')" -eq 0

begin "no pass-through for GCM (a tag is checked only by decrypting)"
K28=HEFmi7DV+h9EaY6z2P0iR2yRttsAJUpvlLneAw==
uas pt3_uas uas_answer.xml "RTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K_CALLEE" 127.0.0.20 15070
uac pt3_uac uac_call.xml "RTP/SAVP;a=crypto:1 AEAD_AES_128_GCM inline:$K28;;pt-3" 127.0.0.17
check "call completes" test $? -eq 0
wait_uas
check "the callee is offered our own keys, not the caller's" rx_lacks pt3_uas "^INVITE" "inline:$K28"
check "the relay re-encrypts: GCM in, AES_CM_128 out" dlog_has "stream add .* in AEAD_AES_128_GCM .* out AES_CM_128_HMAC_SHA1_80"
check "no stream passes through" test "$(dlog_count 'pass_through')" -eq 0

# Media: baresip to baresip through srtprelayd and the userspace datapath,
# both legs' groups opting in (media_pass_through.sh).
begin "media: baresip SRTP <-> srtprelayd + userspace datapath passing SRTP through <-> baresip SRTP"
in_netns media-pt media_pass_through.sh 60 "media (pass-through) test"
