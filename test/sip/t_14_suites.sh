# Every SRTP suite the core runs (RFC 4568, RFC 6188, RFC 7714), negotiated
# with SIPp on each leg: the caller offers one suite alone and gets it back
# under its own tag; the callee is offered the group's list in its order
# and answers another suite; the media plane gets each leg's own suite.
K46=LlN4ncLnDDFWe6DF6g80WX6jyO0SN1yBpsvwFTpfhKnO8xg9Yoes0fYbQGWKrw==
K28=HEFmi7DV+h9EaY6z2P0iR2yRttsAJUpvlLneAw==
K44=LFF2m8DlCi9UeZ7D6A0yV3yhxusQNVp/pMnuEzhdgqfM8RY7YIWqz/QZPmM=

# key_for SUITE: a key||salt of the suite's length.
key_for() {
	case "$1" in
	AES_256_CM_*) echo "$K46" ;;
	AEAD_AES_128_GCM) echo "$K28" ;;
	AEAD_AES_256_GCM) echo "$K44" ;;
	*) echo "$K80" ;;
	esac
}

# The callee group's list (srtprelayd.conf, callee-gcm-first): its offer's
# tags are the positions in this list.
CALLEE_LIST="AEAD_AES_256_GCM AEAD_AES_128_GCM AES_256_CM_HMAC_SHA1_32 AES_256_CM_HMAC_SHA1_80 AES_CM_128_HMAC_SHA1_80 AES_CM_128_HMAC_SHA1_32"

tag_in_list() {
	n=1
	for s in $CALLEE_LIST; do
		[ "$s" = "$1" ] && echo $n && return
		n=$((n + 1))
	done
}

n=0
for pair in "AES_256_CM_HMAC_SHA1_80 AEAD_AES_128_GCM" \
	"AES_256_CM_HMAC_SHA1_32 AES_CM_128_HMAC_SHA1_80" \
	"AEAD_AES_128_GCM AEAD_AES_256_GCM" \
	"AEAD_AES_256_GCM AES_256_CM_HMAC_SHA1_32" \
	"AES_CM_128_HMAC_SHA1_80 AES_256_CM_HMAC_SHA1_80" \
	"AES_CM_128_HMAC_SHA1_32 AEAD_AES_128_GCM"; do
	set -- $pair
	offer=$1 answer=$2 n=$((n + 1))
	tag=$(tag_in_list "$answer")
	begin "caller offers $offer alone, callee answers $answer"
	uas su${n}_uas uas_answer.xml "RTP/SAVP;a=crypto:$tag $answer inline:$(key_for "$answer")" 127.0.0.20 15070
	uac su${n}_uac uac_call.xml "RTP/SAVP;a=crypto:7 $offer inline:$(key_for "$offer");;suite-$n" 127.0.0.11
	check "call completes" test $? -eq 0
	wait_uas
	check "the caller gets $offer back under its tag 7" \
		rx_has su${n}_uac "^SIP/2.0 200" "^a=crypto:7 $offer inline:[A-Za-z0-9+/=]{38,64}"
	check "the callee is offered the group's list: tag 1 AEAD_AES_256_GCM" \
		rx_has su${n}_uas "^INVITE" "^a=crypto:1 AEAD_AES_256_GCM inline:"
	check "  ... to tag 6 AES_CM_128_HMAC_SHA1_32" \
		rx_has su${n}_uas "^INVITE" "^a=crypto:6 AES_CM_128_HMAC_SHA1_32 inline:"
	check "the media plane gets $offer in from the caller, $answer out to the callee" \
		dlog_has "stream add .* in $offer .* out $answer"
	check "and $answer in from the callee, $offer out to the caller" \
		dlog_has "stream add .* in $answer .* out $offer"
done

begin "a GCM line with UNENCRYPTED_SRTP is not taken: 488"
uac su_bad uac_reject.xml "RTP/SAVP;a=crypto:1 AEAD_AES_128_GCM inline:$K28 UNENCRYPTED_SRTP;;suite-bad" 127.0.0.11
check "caller's INVITE refused" test $? -eq 0
check "with 488" rx_has su_bad "^SIP/2.0 488" "INVITE"

# baresip 1.0 (libre's SRTP) takes AEAD_AES_128_GCM and _256_GCM: offered
# first by a group that lists them first, it answers with them.
BS=$T/baresip-suites
mkdir -p "$BS"
cat > "$BS/config" <<CFG
poll_method epoll
sip_listen 127.0.0.1:15120
net_interface 127.0.0.1
audio_player aubridge,g
audio_alert aubridge,g
audio_source ausine,440
ausrc_srate 48000
auplay_srate 48000
ausrc_channels 2
auplay_channels 2
rtp_ports 37000-37999
module_path /usr/lib/baresip/modules
module g711.so
module ausine.so
module aubridge.so
module srtp.so
module_app account.so
module_app menu.so
CFG
for user in gcm128 gcm256; do
	echo "<sip:$user@127.0.0.1:15120>;regint=0;answermode=auto;mediaenc=srtp-mand"
done > "$BS/accounts"
for suite in AEAD_AES_128_GCM AEAD_AES_256_GCM; do
	user=gcm128
	[ $suite = AEAD_AES_256_GCM ] && user=gcm256
	begin "SIPp (AES_CM_128_HMAC_SHA1_80) -> srtprelayd -> baresip srtp-mand, offered $suite first"
	timeout -k 5 20 baresip -f "$BS" -t 12 > "$BS/$user.out" 2>&1 &
	bs=$!
	# Dial once it listens: a loaded host starts it slowly.
	for i in $(seq 1 50); do
		grep -q "baresip is ready" "$BS/$user.out" && break
		sleep 0.2
	done
	uac bs_$user uac_call.xml "RTP/SAVP;$C80;;$user" 127.0.0.11
	check "call completes" test $? -eq 0
	wait $bs
	check "baresip says SRTP is Enabled ($suite)" \
		grep -q "SRTP is Enabled (cryptosuite=$suite)" "$BS/$user.out"
	check "the media plane runs $suite toward baresip, _80 toward SIPp" \
		dlog_has "stream add .* in AES_CM_128_HMAC_SHA1_80 .* out $suite"
	check "and $suite in from baresip" dlog_has "stream add .* in $suite .* out AES_CM_128_HMAC_SHA1_80"
done
