# The media security table, caller side: mode x what the offer holds.
# The callee group is "preferable" and answers RTP/AVP with a=crypto.
CALLEE_BE="RTP/AVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K_CALLEE"

# policy_ok NAME CALLER-IP PROTO CRYPTO EXPECT-PROTO EXPECT-CRYPTO(yes|no)
policy_ok() {
	begin "policy: $1"
	uas "$1_uas" uas_answer.xml "$CALLEE_BE" 127.0.0.20 15070
	uac "$1_uac" uac_call.xml "$3;$4;;pref-$1" "$2"
	check "call completes" test $? -eq 0
	wait_uas
	check "answer is $5" rx_has "$1_uac" "^SIP/2.0 200" "^m=audio [1-9][0-9]* $5 "
	if [ "$6" = yes ]; then
		check "answer has a=crypto" rx_has "$1_uac" "^SIP/2.0 200" "^a=crypto:"
	else
		check "answer has no a=crypto" rx_lacks "$1_uac" "^SIP/2.0 200" "^a=crypto:"
	fi
}

# policy_488 NAME CALLER-IP PROTO CRYPTO
policy_488() {
	begin "policy: $1"
	uac "$1_uac" uac_reject.xml "$3;$4;;pref-$1" "$2"
	check "call refused" test $? -eq 0
	check "with 488" rx_has "$1_uac" "^SIP/2.0 488" "^CSeq: 1 INVITE"
	check "and a Warning saying why" rx_has "$1_uac" "^SIP/2.0 488" "^Warning: 399 srtprelayd \".*(refused|crypto)"
	check "nothing sent to the callee" test "$(dlog_count 'stream add')" -eq 0
}

policy_ok mand_srtp 127.0.0.11 RTP/SAVP "$C80" RTP/SAVP yes
policy_ok mand_besteffort 127.0.0.11 RTP/AVP "$C80" RTP/AVP yes
policy_488 mand_rtp 127.0.0.11 RTP/AVP ""
policy_ok pref_srtp 127.0.0.12 RTP/SAVP "$C80" RTP/SAVP yes
policy_ok pref_besteffort 127.0.0.12 RTP/AVP "$C80" RTP/AVP yes
policy_ok pref_rtp 127.0.0.12 RTP/AVP "" RTP/AVP no
policy_488 dis_srtp 127.0.0.13 RTP/SAVP "$C80"
policy_ok dis_besteffort 127.0.0.13 RTP/AVP "$C80" RTP/AVP no
policy_ok dis_rtp 127.0.0.13 RTP/AVP "" RTP/AVP no
# All crypto lines unusable (AES-256, a 29-byte key): no SRTP.
policy_488 pref_savp_unusable 127.0.0.12 RTP/SAVP "a=crypto:1 AES_192_CM_HMAC_SHA1_80 inline:$K80$K80"
policy_ok pref_avp_unusable 127.0.0.12 RTP/AVP "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubG" RTP/AVP no
