# Malformed SIP and SDP: answered 400/488/... or dropped, nothing crashes,
# and a call set up afterwards still works.
begin "malformed SIP and SDP corpus (UDP)"
python3 "$SIPDIR/malformed.py" 127.0.0.1 $SIP_PORT 127.0.0.12 > "$T/malformed.out" 2>&1
grep -E '^  (ok|FAIL)' "$T/malformed.out"
PASSED=$((PASSED + $(grep -c '^  ok' "$T/malformed.out")))
FAILED=$((FAILED + $(grep -c '^  FAIL' "$T/malformed.out")))
check "corpus ran to its end" grep -Eq '^[0-9]+ passed' "$T/malformed.out"
check "srtprelayd still running" kill -0 $DAEMON_PID

begin "malformed stream framing (TCP): connection closed, daemon lives"
python3 - <<'PY' > "$T/tcp_malformed.out" 2>&1
import socket
s = socket.create_connection(("127.0.0.1", 15060))
s.sendall(b"INVITE sip:x@127.0.0.1 SIP/2.0\r\n" + b"X: " + b"a" * 20000 + b"\r\n\r\n")
s.settimeout(2)
try:
    print("closed" if s.recv(100) == b"" else "answered")
except Exception as e:
    print("error", e)
s = socket.create_connection(("127.0.0.1", 15060))
s.sendall(b"\r\n\r\n")
s.settimeout(2)
print("pong" if s.recv(10) == b"\r\n" else "nopong")
PY
check "oversized header section closes the connection" grep -q closed "$T/tcp_malformed.out"
check "CRLF keep-alive ping gets a CRLF pong" grep -q pong "$T/tcp_malformed.out"

begin "a call after the corpus still works"
uas m1_uas uas_answer.xml "RTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$K_CALLEE" 127.0.0.20 15070
uac m1_uac uac_call.xml "RTP/SAVP;$C80;;mand-after" 127.0.0.11
check "call completes" test $? -eq 0
wait_uas
