#!/usr/bin/env python3
"""Malformed SIP and SDP against srtprelayd: each case must get the
expected answer (400, 488, ...) or be dropped silently, and the daemon
must keep serving (an OPTIONS after every case gets its 200).

Usage: malformed.py HOST PORT SOURCE-IP"""
import socket
import sys

HOST, PORT, SRC = sys.argv[1], int(sys.argv[2]), sys.argv[3]
K = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz"
n = 0


def req(method="INVITE", uri="sip:blackhole@127.0.0.1:15060", body="", ctype="application/sdp",
        extra="", drop=(), cl=None, cseq=None, branch=True):
    global n
    n += 1
    hdrs = {
        "Via": "SIP/2.0/UDP %s:15090%s" % (SRC, ";branch=z9hG4bKmal%d" % n if branch else ""),
        "From": "<sip:fuzz@%s>;tag=f%d" % (SRC, n),
        "To": "<%s>" % uri,
        "Call-ID": "malformed-%d@%s" % (n, SRC),
        "CSeq": cseq or "1 %s" % method,
        "Contact": "<sip:fuzz@%s:15090>" % SRC,
        "Max-Forwards": "70",
    }
    for d in drop:
        hdrs.pop(d, None)
    out = "%s %s SIP/2.0\r\n" % (method, uri)
    out += "".join("%s: %s\r\n" % kv for kv in hdrs.items())
    out += extra
    if body:
        out += "Content-Type: %s\r\n" % ctype
    out += "Content-Length: %s\r\n\r\n" % (cl if cl is not None else len(body.encode()))
    return (out + body).encode()


def sdp(media="m=audio 6000 RTP/SAVP 0\r\n", crypto="a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s\r\n" % K,
        conn="c=IN IP4 %s\r\n" % SRC, head="v=0\r\n"):
    return head + "o=- 1 1 IN IP4 %s\r\ns=-\r\n" % SRC + conn + "t=0 0\r\n" + media + crypto


CASES = [
    ("truncated request line only", b"INVITE sip:x@127.0.0.1 SIP/2.0\r\n", {"drop"}),
    ("truncated mid-header", req()[:60], {"drop"}),
    ("missing Call-ID", req(drop=["Call-ID"]), {"drop", "400"}),
    ("missing Via", req(drop=["Via"]), {"drop"}),
    ("missing CSeq", req(drop=["CSeq"]), {"drop", "400"}),
    ("missing From", req(drop=["From"]), {"drop", "400"}),
    ("CSeq not a number", req(cseq="abc INVITE"), {"400", "drop"}),
    ("CSeq method differs", req(cseq="1 BYE"), {"400"}),
    ("Content-Length beyond the datagram", req(body=sdp(), cl=900), {"400"}),
    ("Content-Length not a number", req(body=sdp(), cl="12x"), {"400", "drop"}),
    ("Content-Length huge", req(body=sdp(), cl=999999999), {"400", "drop"}),
    ("Via without branch", req(branch=False), {"400"}),
    ("header line of 10 kB", req(extra="X-Big: %s\r\n" % ("a" * 10000)), {"drop"}),
    ("300 header lines", req(extra="".join("X-H%d: v\r\n" % i for i in range(300))), {"drop"}),
    ("NUL byte inside", req().replace(b"Max-Forwards", b"Max-\x00orwards"), {"drop"}),
    ("binary garbage", bytes(range(256)) * 4, {"drop"}),
    ("SIP/3.0", req().replace(b"SIP/2.0\r\n", b"SIP/3.0\r\n", 1), {"drop", "400", "505"}),
    ("header without colon", req(extra="NoColonHere\r\n"), {"drop", "400"}),
    ("Max-Forwards 0", req(body=sdp(), extra="").replace(b"Max-Forwards: 70", b"Max-Forwards: 0"), {"483"}),
    ("unknown method", req(method="FROB", body=""), {"405"}),
    ("BYE outside any dialog", req(method="BYE"), {"481"}),
    ("CANCEL of no INVITE", req(method="CANCEL"), {"481"}),
    ("response of no transaction", b"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:15060;branch=z9hG4bKnothing\r\n"
     b"From: <sip:a@b>;tag=1\r\nTo: <sip:c@d>;tag=2\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n", {"drop"}),
    ("body not SDP", req(body="hello", ctype="text/plain"), {"415"}),
    ("SDP: no m= line", req(body=sdp(media="", crypto="")), {"488"}),
    ("SDP: not v=0 first", req(body=sdp(head="")), {"488"}),
    ("SDP: bad c= line", req(body=sdp(conn="c=IN IP4\r\n")), {"488"}),
    ("SDP: no c= anywhere", req(body=sdp(conn="")), {"488"}),
    ("SDP: port 99999", req(body=sdp(media="m=audio 99999 RTP/SAVP 0\r\n")), {"488"}),
    ("SDP: m= without formats", req(body=sdp(media="m=audio 6000 RTP/SAVP\r\n")), {"488"}),
    ("SDP: 9 m= lines", req(body=sdp(media="m=audio 6000 RTP/SAVP 0\r\n" * 9)), {"488"}),
    ("SDP: line of 600 bytes", req(body=sdp(crypto="a=x-long:%s\r\n" % ("b" * 600))), {"488"}),
    ("SDP: binary line", req(body=sdp() + "\x01\x02\x03\r\n"), {"488"}),
    ("crypto: bad base64", req(body=sdp(crypto="a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:!!!!\r\n")), {"488"}),
    ("crypto: key 29 bytes", req(body=sdp(crypto="a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s\r\n" % K[:-2])), {"488"}),
    ("crypto: unknown suite", req(body=sdp(crypto="a=crypto:1 ROT13_HMAC_NONE inline:%s\r\n" % K)), {"488"}),
    ("crypto: tag too long", req(body=sdp(crypto="a=crypto:12345678901 AES_CM_128_HMAC_SHA1_80 inline:%s\r\n" % K)), {"488"}),
    ("crypto: no key-params", req(body=sdp(crypto="a=crypto:1 AES_CM_128_HMAC_SHA1_80\r\n")), {"488"}),
    ("crypto: MKI of 5 bytes", req(body=sdp(crypto="a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s|2^31|1:5\r\n" % K)), {"488"}),
    ("crypto: unknown mandatory param", req(body=sdp(crypto="a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s FOO=1\r\n" % K)), {"488"}),
    ("crypto: KDR=4", req(body=sdp(crypto="a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s KDR=4\r\n" % K)), {"488"}),
    ("crypto: 20 lines, all broken", req(body=sdp(crypto="a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:x\r\n" * 20)), {"488"}),
]


def call_id(msg):
    for line in msg.split(b"\r\n"):
        if line.lower().startswith(b"call-id:"):
            return line[8:].strip()
    return None


def send(sock, payload):
    """The final answer to @payload: responses are matched by Call-ID, so a
    retransmitted final of an earlier case (timer G) is not taken for it."""
    want = call_id(payload)
    sock.sendto(payload, (HOST, PORT))
    got = "drop"
    while True:
        try:
            data = sock.recv(65536)
        except socket.timeout:
            return got
        if want is not None and call_id(data) != want:
            continue
        if data.startswith(b"SIP/2.0 100 "):
            got = "100-only"
            continue
        return data.split(b" ", 2)[1].decode(errors="replace")


def alive(sock):
    opt = req(method="OPTIONS", uri="sip:127.0.0.1:15060")
    return send(sock, opt) == "200"


def main():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((SRC, 15090))
    s.settimeout(0.8)
    passed = failed = 0
    for name, payload, want in CASES:
        got = send(s, payload)
        ok = got in want and alive(s)
        passed += ok
        failed += not ok
        print("  %s %s: %s (expected %s)" % ("ok  " if ok else "FAIL", name, got, "/".join(sorted(want))))
    print("%d passed, %d failed" % (passed, failed))


main()
