# OPTIONS, keep-alive of proxy sets, TCP on both legs, failover.
begin "OPTIONS to srtprelayd"
uac t1_uac uac_options.xml ";;;x" 127.0.0.12
check "200 to OPTIONS" test $? -eq 0
check "with Allow" rx_has t1_uac "^SIP/2.0 200" "^Allow: .*INVITE"

begin "OPTIONS keep-alive of a proxy set: down, then up"
sleep 5
check "target without a listener reported DOWN" grep -q "proxy set probed target 127.0.0.30 is DOWN" "$T/daemon.log"
uas t2_uas uas_answer.xml "RTP/AVP;" 127.0.0.30 15076
sleep 2.5
check "answering target reported UP" dlog_has "proxy set probed target 127.0.0.30 is UP"
kill $UAS_PID 2>/dev/null
wait $UAS_PID 2>/dev/null
check "the probes are OPTIONS" rx_has t2_uas "^OPTIONS" "^CSeq: 1 OPTIONS"

begin "TCP on both legs"
uas t3_uas uas_answer.xml "RTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K_CALLEE" 127.0.0.20 15072 -t t1
uac t3_uac uac_call.xml "RTP/SAVP;$C80;;tcp-call" 127.0.0.11 -t t1
check "caller over TCP: call completes" test $? -eq 0
wait_uas
check "callee over TCP: call completes" test $? -eq 0
check "callee's INVITE came over TCP" rx_has t3_uas "^INVITE" "^Via: SIP/2.0/TCP"
check "connections logged" dlog_has "connection TCP 127.0.0.20:15072"

begin "failover: first target answers 503, the second takes the call"
uas t4_bad uas_503.xml "x;" 127.0.0.21 15074
BAD=$UAS_PID
uas t4_uas uas_answer.xml "RTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K_CALLEE" 127.0.0.20 15070
uac t4_uac uac_call.xml "RTP/SAVP;$C80;;fail-over" 127.0.0.11
check "caller: call completes" test $? -eq 0
wait_uas
check "second target answered" test $? -eq 0
wait $BAD
check "first target got its 503 ACKed" test $? -eq 0
check "failover logged" dlog_has "failing over to the next one"

# mtls_options CERT KEY: OPTIONS over TLS to the mutual-TLS interface;
# prints what s_client saw.
mtls_options() {
	P=/tmp/srtprelayd-sipcheck/pki
	{ printf 'OPTIONS sip:127.0.0.2:15063 SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:5999;branch=z9hG4bKmtls%s\r\nFrom: <sip:t@127.0.0.1>;tag=1\r\nTo: <sip:127.0.0.2>\r\nCall-ID: mtls%s\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n' "$1" "$1"; sleep 1; } |
		timeout 5 openssl s_client -connect 127.0.0.2:15063 -CAfile $P/ca.pem -verify_return_error \
		-servername server.srtprelay.test ${2:+-cert $P/$2.pem -key $P/$2-key.pem} -ign_eof 2>&1
}
begin "mutual TLS: client certificates required and checked against ca_file"
mtls_options a client > "$T/mtls_ok.out"
check "server chain verifies against the test CA" grep -q "Verify return code: 0 (ok)" "$T/mtls_ok.out"
check "with a client certificate from the CA: OPTIONS answered 200" grep -q "SIP/2.0 200 OK" "$T/mtls_ok.out"
mtls_options b "" > "$T/mtls_none.out"
check "without a client certificate: no SIP answer" sh -c "! grep -q 'SIP/2.0 ' '$T/mtls_none.out'"
mtls_options c rogue > "$T/mtls_rogue.out"
check "with a certificate the CA did not sign: no SIP answer" sh -c "! grep -q 'SIP/2.0 ' '$T/mtls_rogue.out'"
check "the refusals are logged" test "$(dlog_count 'handshake failed')" -ge 2

begin "registrar: a callee registers, a call to its name reaches its contact"
# The callee registers from the address and port its SIPp then listens on.
python3 - > "$T/register.out" <<'PY'
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.20", 15070))
s.settimeout(2)
s.sendto(b"REGISTER sip:127.0.0.1:15060 SIP/2.0\r\n"
         b"Via: SIP/2.0/UDP 127.0.0.20:15070;branch=z9hG4bKreg1\r\n"
         b"From: <sip:reg-bob@127.0.0.1>;tag=r1\r\nTo: <sip:reg-bob@127.0.0.1>\r\n"
         b"Call-ID: reg1@127.0.0.20\r\nCSeq: 1 REGISTER\r\n"
         b"Contact: <sip:reg-bob@127.0.0.20:15070>\r\nExpires: 60\r\n"
         b"Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n", ("127.0.0.1", 15060))
print(s.recv(4096).decode())
PY
check "REGISTER answered 200 with the binding" grep -q "^Contact: <sip:reg-bob@127.0.0.20:15070>;expires=60" "$T/register.out"
uas r1_uas uas_answer.xml "RTP/AVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K_CALLEE" 127.0.0.20 15070
uac r1_uac uac_call.xml "RTP/SAVP;$C80;;reg-bob" 127.0.0.11
check "caller reached the registered callee" test $? -eq 0
wait_uas
check "callee's INVITE has its contact as Request-URI" rx_has r1_uas "^INVITE sip:reg-bob@127.0.0.20:15070" "^CSeq: 1 INVITE"
check "registration logged" dlog_has "registrar: reg-bob at sip:reg-bob@127.0.0.20:15070 via UDP"

begin "a route back to srtprelayd itself is refused, not looped"
uac r2_uac uac_reject.xml "RTP/SAVP;$C80;;reg-nobody" 127.0.0.11
check "caller gets a final error" test $? -eq 0
check "503: no target" rx_has r2_uac "^SIP/2.0 503" "INVITE"
check "exactly one call was created" test "$(dlog_count 'INVITE reg-nobody')" -eq 1
check "logged as a loop" dlog_has "target is srtprelayd itself"
