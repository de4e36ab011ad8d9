#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""One SIP call over TLS through srtprelayd (test/attack/t_40_slowloris.sh).

tls_call.py SOURCE_IP TARGET_IP PORT USER: from SOURCE_IP, a new TLS
connection (Python's ssl module, no certificate check: the point is the
time), INVITE with a plain-RTP offer, the 200 awaited, ACK, BYE, its 200
awaited. Prints "tls_call: completed in N ms" and exits 0, or says what
failed and exits 1. Everything within 10 s.
"""
import socket
import ssl
import sys
import time


def request(method, user, host, port, src, sport, n, tag, to_tag, body=""):
    return ("%s sip:%s@%s:%d;transport=tls SIP/2.0\r\n"
            "Via: SIP/2.0/TLS %s:%d;branch=z9hG4bK-tlscall-%d\r\n"
            "Max-Forwards: 70\r\n"
            "From: <sip:caller@%s>;tag=%s\r\n"
            "To: <sip:%s@%s>%s\r\n"
            "Call-ID: tlscall-%s@%s\r\n"
            "CSeq: %d %s\r\n"
            "Contact: <sip:caller@%s:%d;transport=tls>\r\n"
            "%s"
            "Content-Length: %d\r\n\r\n%s") % (
        method, user, host, port, src, sport, n, src, tag, user, host,
        ";tag=" + to_tag if to_tag else "", tag, src, 1 if method != "BYE" else 2,
        method, src, sport,
        "Content-Type: application/sdp\r\n" if body else "", len(body), body)


def responses(s, buf):
    """Reads until one whole response is in buf; returns (first line, headers, rest)."""
    while b"\r\n\r\n" not in buf:
        chunk = s.recv(65536)
        if not chunk:
            raise OSError("connection closed")
        buf += chunk
    head, rest = buf.split(b"\r\n\r\n", 1)
    lines = head.decode(errors="replace").split("\r\n")
    length = 0
    for line in lines:
        if line.lower().startswith(("content-length:", "l:")):
            length = int(line.split(":", 1)[1])
    while len(rest) < length:
        rest += s.recv(65536)
    return lines, rest[length:]


def await_final(s, buf, method):
    while True:
        lines, buf = responses(s, buf)
        if not lines[0].startswith("SIP/2.0 "):
            continue    # a request from srtprelayd: not expected here
        code = int(lines[0].split()[1])
        if code >= 200 and any(l.upper().startswith("CSEQ:") and method in l
                               for l in lines):
            return code, lines, buf


def main():
    src, host, port, user = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    start = time.monotonic()
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    raw = socket.create_connection((host, port), timeout=10, source_address=(src, 0))
    s = ctx.wrap_socket(raw)
    sport = s.getsockname()[1]
    tag = "t%d" % sport
    sdp = ("v=0\r\no=caller 1 1 IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\n"
           "m=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n") % (src, src)
    s.sendall(request("INVITE", user, host, port, src, sport, 1, tag, "", sdp).encode())
    code, lines, buf = await_final(s, b"", "INVITE")
    if code != 200:
        print("tls_call: INVITE answered %d" % code)
        return 1
    to_tag = ""
    for l in lines:
        if l.lower().startswith(("to:", "t:")) and ";tag=" in l:
            to_tag = l.split(";tag=", 1)[1].split(";")[0].strip()
    s.sendall(request("ACK", user, host, port, src, sport, 2, tag, to_tag).encode())
    s.sendall(request("BYE", user, host, port, src, sport, 3, tag, to_tag).encode())
    code, lines, buf = await_final(s, buf, "BYE")
    if code != 200:
        print("tls_call: BYE answered %d" % code)
        return 1
    print("tls_call: completed in %d ms" % ((time.monotonic() - start) * 1000))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (OSError, ValueError) as e:
        print("tls_call: failed: %s" % e)
        sys.exit(1)
