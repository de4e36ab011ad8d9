#!/usr/bin/env python3
"""In-dialog requests in flight through srtprelayd, with a caller and a
callee of our own on UDP: the callee holds its answers to the INFOs it is
relayed, so they pile up in srtprelayd. At most 16 per call are relayed;
the 17th is refused at once with 500 and Retry-After (RFC 3261 14.2), the
16 still get their answers, and the call goes on.

Usage: inflight.py SBC-PORT CALLER-IP CALLEE-IP CALLEE-PORT
Prints "  ok   ..." / "  FAIL ..." per check and "N passed, N failed"."""
import select
import socket
import sys
import time

SBC = ("127.0.0.1", int(sys.argv[1]))
CALLER, CALLEE = sys.argv[2], (sys.argv[3], int(sys.argv[4]))
MAX_IN_FLIGHT = 16
passed = failed = 0


def check(what, ok):
    global passed, failed
    passed, failed = passed + bool(ok), failed + (not ok)
    print("  %s %s" % ("ok  " if ok else "FAIL", what))


def parse(data):
    head, _, body = data.decode(errors="replace").partition("\r\n\r\n")
    lines = head.split("\r\n")
    hdrs = []
    for line in lines[1:]:
        name, _, value = line.partition(":")
        hdrs.append((name.strip().lower(), value.strip()))
    return lines[0], hdrs, body


def hdr(msg, name):
    return next((v for n, v in msg[1] if n == name.lower()), None)


def recv(sock, seconds):
    """Messages arriving on @sock within @seconds."""
    out, end = [], time.time() + seconds
    while True:
        left = end - time.time()
        if left <= 0 or not select.select([sock], [], [], left)[0]:
            return out
        data, src = sock.recvfrom(65535)
        out.append((parse(data), src))


def request(method, cseq, to, tag_from, call_id, branch, body="", ctype=""):
    out = "%s sip:pref-inflight@%s:%d SIP/2.0\r\n" % (method, SBC[0], SBC[1])
    out += "Via: SIP/2.0/UDP %s:15091;branch=z9hG4bK-inflight-%s\r\n" % (CALLER, branch)
    out += "From: <sip:caller@%s>;tag=%s\r\nTo: %s\r\n" % (CALLER, tag_from, to)
    out += "Call-ID: %s\r\nCSeq: %d %s\r\nMax-Forwards: 70\r\n" % (call_id, cseq, method)
    out += "Contact: <sip:caller@%s:15091>\r\n" % CALLER
    if body:
        out += "Content-Type: %s\r\n" % ctype
    return (out + "Content-Length: %d\r\n\r\n%s" % (len(body.encode()), body)).encode()


def answer(msg, code, to_tag=None, body=""):
    hdrs = msg[1]
    out = "SIP/2.0 %d %s\r\n" % (code, "OK" if code == 200 else "Trying")
    for name in ("via", "from", "to", "call-id", "cseq"):
        for n, v in hdrs:
            if n == name:
                if name == "to" and to_tag and ";tag=" not in v:
                    v += ";tag=" + to_tag
                out += "%s: %s\r\n" % (name.title().replace("Cseq", "CSeq").replace("Call-Id", "Call-ID"), v)
    out += "Contact: <sip:callee@%s:%d>\r\n" % CALLEE
    if body:
        out += "Content-Type: application/sdp\r\n"
    return (out + "Content-Length: %d\r\n\r\n%s" % (len(body.encode()), body)).encode()


def sdp(ip, port):
    return ("v=0\r\no=x 1 1 IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\n"
            "m=audio %d RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n" % (ip, ip, port))


caller = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
caller.bind((CALLER, 15091))
callee = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
callee.bind(CALLEE)
call_id, tag = "inflight-1@" + CALLER, "caller-inflight"

# The call: INVITE, the callee answers 200, ACK on both legs.
caller.sendto(request("INVITE", 1, "<sip:pref-inflight@127.0.0.1>", tag, call_id, "inv",
                      sdp(CALLER, 6000), "application/sdp"), SBC)
got = [m for m, _ in recv(callee, 2) if m[0].startswith("INVITE ")]
check("the callee gets the INVITE", got)
if not got:
    sys.exit(print("%d passed, %d failed" % (passed, failed + 1)) or 1)
invite = got[0]
callee.sendto(answer(invite, 200, "callee-inflight", sdp(CALLEE[0], 6002)), SBC)
answers = [m for m, _ in recv(caller, 2) if m[0].startswith("SIP/2.0 200")]
check("the caller gets 200 for its INVITE", answers)
to = hdr(answers[0], "to") if answers else "<sip:pref-inflight@127.0.0.1>"
caller.sendto(request("ACK", 1, to, tag, call_id, "ack"), SBC)
recv(callee, 0.5)       # the ACK on the callee's leg

# 17 INFOs at once; the callee answers none yet.
for cseq in range(2, 2 + MAX_IN_FLIGHT + 1):
    caller.sendto(request("INFO", cseq, to, tag, call_id, "info%d" % cseq,
                          "Signal=5\r\nDuration=160\r\n", "application/dtmf-relay"), SBC)
early = [m for m, _ in recv(caller, 1.5)]
# srtprelayd retransmits each over UDP (Timer E): one per CSeq counts.
relayed = list({hdr(m, "cseq"): m for m, _ in recv(callee, 0.5)
                if m[0].startswith("INFO ")}.values())
refused = [m for m in early if m[0].startswith("SIP/2.0 500")]
check("%d INFOs relayed to the callee while none is answered (got %d)"
      % (MAX_IN_FLIGHT, len(relayed)), len(relayed) == MAX_IN_FLIGHT)
check("the 17th refused at once with 500", len(refused) == 1 and
      hdr(refused[0], "cseq") == "%d INFO" % (2 + MAX_IN_FLIGHT))
check("with Retry-After", refused and hdr(refused[0], "retry-after") == "1")
check("nothing else answered the caller yet (%d)" % len(early), len(early) == 1)

# The callee answers all 16: each reaches the caller with its own CSeq.
for info in relayed:
    callee.sendto(answer(info, 200), SBC)
late = [m for m, _ in recv(caller, 1.5) if m[0].startswith("SIP/2.0 200")]
cseqs = sorted(int(hdr(m, "cseq").split()[0]) for m in late)
check("the caller gets the 16 answers, CSeq 2 to 17", cseqs == list(range(2, 2 + MAX_IN_FLIGHT)))

# With the queue drained, the call relays again, and ends.
cseq = 3 + MAX_IN_FLIGHT
caller.sendto(request("INFO", cseq, to, tag, call_id, "again",
                      "Signal=6\r\nDuration=160\r\n", "application/dtmf-relay"), SBC)
again = [m for m, _ in recv(callee, 1) if m[0].startswith("INFO ")]
if again:
    callee.sendto(answer(again[0], 200), SBC)
ok = [m for m, _ in recv(caller, 1) if m[0].startswith("SIP/2.0 200")]
check("a later INFO is relayed and answered", again and ok)
caller.sendto(request("BYE", cseq + 1, to, tag, call_id, "bye"), SBC)
bye = [m for m, _ in recv(callee, 1) if m[0].startswith("BYE ")]
if bye:
    callee.sendto(answer(bye[0], 200), SBC)
ended = [m for m, _ in recv(caller, 1) if m[0].startswith("SIP/2.0 200")]
check("BYE reaches the callee and the caller gets 200", bye and ended)
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
