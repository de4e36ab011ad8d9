#!/bin/sh
# An INVITE must carry a Contact with one SIP URI (RFC 3261 8.1.1.8): it
# is where every later request of the dialog goes. Without it srtprelayd
# answered 200 and, 32 s later, built a BYE with an empty Request-URI
# (and a relayed re-INVITE the same way). Now the answer is 400, before a
# callee hears of it (issue 15, item 8).
. test/attack/b2bua_env.sh

echo "== t_72: INVITE without Contact"
write_conf > "$T/d.conf"
start_daemon "$T/d.conf"

begin "INVITE cut after CSeq: no Contact"
uas nc_uas uas_answer.xml "RTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K_CALLEE" 127.0.0.20 15070
uac nc_uac ../attack/uac_no_contact.xml "RTP/SAVP;$C80;;mand-nocontact" 127.0.0.11
kill "$UAS_PID" 2>/dev/null
wait "$UAS_PID" 2>/dev/null
check "the caller gets 400" rx_has nc_uac "^SIP/2.0 [2-6]" "^SIP/2.0 400"
check "saying what is missing" rx_has nc_uac "^SIP/2.0 400" "^SIP/2.0 400 .*Contact"
check "no 200 OK" sh -c "! grep -q '^SIP/2.0 200' '$T/nc_uac.msg'"
check "the callee never sees the INVITE" sh -c "! grep -q '^INVITE' '$T/nc_uas.msg' 2>/dev/null"
check "no call, no stream" test "$(dlog_count 'stream add')" -eq 0
check "no request built with an empty target" sh -c "! grep -q 'built an invalid request' '$T/daemon.log'"

begin "INVITE whose Contact is '*'"
python3 - > "$T/star.out" 2>&1 <<'PY'
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.11", 15081))
s.settimeout(2)
msg = ("INVITE sip:mand-star@127.0.0.1:15060 SIP/2.0\r\n"
       "Via: SIP/2.0/UDP 127.0.0.11:15081;branch=z9hG4bKstar1\r\n"
       "From: <sip:caller@127.0.0.11>;tag=s1\r\nTo: <sip:mand-star@127.0.0.1>\r\n"
       "Call-ID: star-1@127.0.0.11\r\nCSeq: 1 INVITE\r\nContact: *\r\n"
       "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n")
s.sendto(msg.encode(), ("127.0.0.1", 15060))
try:
    while True:
        data = s.recv(4096).decode(errors="replace")
        first = data.split("\r\n", 1)[0]
        print(first)
        if not first.startswith("SIP/2.0 1"):
            break
except socket.timeout:
    print("timeout")
PY
check "400 to 'Contact: *'" grep -q "^SIP/2.0 400" "$T/star.out"

stop_daemon
finish
