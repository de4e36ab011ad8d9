# baresip over TLS with mandatory SRTP calls, through srtprelayd, a second
# baresip over UDP with plain RTP. Both are baresip 1.0 on 127.0.0.1 (its
# net_interface takes only configured addresses); srtprelayd tells the legs
# apart by routing (request-URI user "bob" -> group baresip-plain, where
# the registrar has bob's binding).
# Media flow is not checked: no datapath on this host (see run.sh).
begin "baresip TLS + srtp-mand -> srtprelayd -> baresip UDP plain RTP"
BS=$T/baresip
for x in a b; do
	mkdir -p "$BS/$x"
	port=15100
	[ $x = b ] && port=15110
	cat > "$BS/$x/config" <<CFG
poll_method epoll
sip_listen 127.0.0.1:$port
net_interface 127.0.0.1
audio_player aubridge,$x
audio_alert aubridge,$x
audio_source ausine,440
ausrc_srate 48000
auplay_srate 48000
ausrc_channels 2
auplay_channels 2
rtp_ports 36000-36999
module_path /usr/lib/baresip/modules
module g711.so
module ausine.so
module aubridge.so
module srtp.so
module_app account.so
module_app menu.so
CFG
done
echo '<sip:alice@127.0.0.1;transport=tls>;regint=0;outbound="sip:127.0.0.1:15061;transport=tls";mediaenc=srtp-mand' > "$BS/a/accounts"
# bob registers with srtprelayd over UDP; alice dials him by name.
echo '<sip:bob@127.0.0.1:15060>;regint=600;answermode=auto' > "$BS/b/accounts"
timeout -k 5 20 baresip -f "$BS/b" -t 9 > "$BS/b.out" 2>&1 &
BOB=$!
# alice dials bob by name once he is registered, and the calls are listed
# while the call is up: waits, not sleeps, for a loaded host.
wait_for 20 dlog_has "registrar: bob at"
timeout -k 5 20 baresip -f "$BS/a" -t 6 -e '/dial sip:bob@127.0.0.1' > "$BS/a.out" 2>&1 &
ALICE=$!
wait_for 10 dlog_has "call [0-9]+ answered"
sleep 1
ctl calls > "$BS/calls.txt"
wait $ALICE
wait $BOB
check "callee baresip registered with srtprelayd" dlog_has "registrar: bob at sip:bob[^ ]*@127.0.0.1:15110 via UDP"
check "caller baresip: call established" grep -q "Call established" "$BS/a.out"
check "caller baresip says SRTP is Enabled (AES_CM_128_HMAC_SHA1_80)" grep -q "SRTP is Enabled (cryptosuite=AES_CM_128_HMAC_SHA1_80)" "$BS/a.out"
check "callee baresip: call established" grep -q "Call established" "$BS/b.out"
check "callee baresip has no SRTP" sh -c "! grep -q 'SRTP is Enabled' '$BS/b.out'"
check "caller leg came over TLS" dlog_has "tls TLS 127.0.0.1:[0-9]+ #[0-9]+: established TLSv1"
check "control socket: caller leg TLS, SRTP _80 both ways" grep -q "srtp yes in AES_CM_128_HMAC_SHA1_80 out AES_CM_128_HMAC_SHA1_80" "$BS/calls.txt"
check "control socket: callee leg UDP, plain RTP" grep -q "leg callee group baresip-plain UDP" "$BS/calls.txt"
check "streams: SRTP in from the caller, plain out to the callee" dlog_has "stream add .* in AES_CM_128_HMAC_SHA1_80 .* out NONE"
check "call ended by a BYE" dlog_has "call [0-9]+ ended: BYE from"

begin "TLS certificate: a chain OpenSSL verifies"
echo | timeout 5 openssl s_client -connect 127.0.0.1:15061 -CAfile /tmp/srtprelayd-sipcheck/test-cert.pem \
	-verify_return_error > "$T/s_client.out" 2>&1
check "openssl s_client verifies the generated certificate" grep -q "Verify return code: 0 (ok)" "$T/s_client.out"
check "the callee baresip unregistered when it quit" grep -q "registrar: bob unregistered" "$T/daemon.log"
