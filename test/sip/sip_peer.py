"""A SIP caller and callee of a test's own on UDP, for the checks SIPp
cannot make (inflight.py, ack_retransmit.py): raw messages in and out,
parsed just enough to answer them, and the checks' "  ok"/"  FAIL" lines
with the closing "N passed, N failed"."""
import select
import socket
import time


class Checks:
    def __init__(self):
        self.passed = self.failed = 0

    def check(self, what, ok):
        self.passed, self.failed = self.passed + bool(ok), self.failed + (not ok)
        print("  %s %s" % ("ok  " if ok else "FAIL", what))

    def summary(self):
        print("%d passed, %d failed" % (self.passed, self.failed))
        return 1 if self.failed else 0


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


def recv_raw(sock, seconds):
    """(bytes, source) of what arrives on @sock within @seconds."""
    out, end = [], time.time() + seconds
    while True:
        left = end - time.time()
        if left <= 0 or not select.select([sock], [], [], left)[0]:
            return out
        out.append(sock.recvfrom(65535))


def recv(sock, seconds):
    """Parsed messages arriving on @sock within @seconds."""
    return [(parse(data), src) for data, src in recv_raw(sock, seconds)]


def sdp(ip, port):
    return ("v=0\r\no=x 1 1 IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\n"
            "m=audio %d RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n" % (ip, ip, port))


class Peers:
    """A caller at @caller_ip:@caller_port calling @user through srtprelayd
    at 127.0.0.1:@sbc_port, and a callee at @callee (ip, port)."""

    def __init__(self, sbc_port, caller_ip, caller_port, callee, user):
        self.sbc = ("127.0.0.1", sbc_port)
        self.caller_ip, self.caller_port = caller_ip, caller_port
        self.callee_addr, self.user = callee, user
        self.caller = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.caller.bind((caller_ip, caller_port))
        self.callee = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.callee.bind(callee)

    def request(self, method, cseq, to, tag_from, call_id, branch, body="", ctype=""):
        out = "%s sip:%s@%s:%d SIP/2.0\r\n" % (method, self.user, self.sbc[0], self.sbc[1])
        out += "Via: SIP/2.0/UDP %s:%d;branch=z9hG4bK-%s-%s\r\n" % (
            self.caller_ip, self.caller_port, self.user, branch)
        out += "From: <sip:caller@%s>;tag=%s\r\nTo: %s\r\n" % (self.caller_ip, tag_from, to)
        out += "Call-ID: %s\r\nCSeq: %d %s\r\nMax-Forwards: 70\r\n" % (call_id, cseq, method)
        out += "Contact: <sip:caller@%s:%d>\r\n" % (self.caller_ip, self.caller_port)
        if body:
            out += "Content-Type: %s\r\n" % ctype
        return (out + "Content-Length: %d\r\n\r\n%s" % (len(body.encode()), body)).encode()

    def answer(self, msg, code, to_tag=None, body=""):
        out = "SIP/2.0 %d %s\r\n" % (code, "OK" if code == 200 else "Trying")
        for name in ("via", "from", "to", "call-id", "cseq"):
            for n, v in msg[1]:
                if n == name:
                    if name == "to" and to_tag and ";tag=" not in v:
                        v += ";tag=" + to_tag
                    out += "%s: %s\r\n" % (name.title().replace("Cseq", "CSeq")
                                           .replace("Call-Id", "Call-ID"), v)
        out += "Contact: <sip:callee@%s:%d>\r\n" % self.callee_addr
        if body:
            out += "Content-Type: application/sdp\r\n"
        return (out + "Content-Length: %d\r\n\r\n%s" % (len(body.encode()), body)).encode()
