#!/usr/bin/env python3
"""The peers and the reading of test/service/metrics.sh.

metrics_peer.py invite SRC_IP SRC_PORT USER
    One INVITE with a plain RTP offer to srtprelayd (127.0.0.1:18060);
    prints the final response's status line (and ACKs it).
metrics_peer.py options
    One OPTIONS from 127.0.0.96; prints "RTT_MS" of its answer, or "none".
metrics_peer.py keys UAC_MSG UAS_MSG
    The SRTP calls' media, from SIPp's message traces and srtprelayctl's
    JSON calls on stdin: one line per call, "CALLER_PORT KEY_TO_CALLER
    CALLEE_PORT KEY_TO_CALLEE": the relay ports each side sends to and the
    keys srtprelayd offered that side (200 OK to the caller, INVITE to the
    callee), matched by port.
metrics_peer.py scrape URL
    GET URL; prints the body, exit 1 if it failed.
metrics_peer.py value FILE SERIES
    The value of SERIES (name{labels} exactly as exposed) in the scrape
    FILE, or "absent".
metrics_peer.py burst URL N
    N scrapes in a row, each followed by an OPTIONS; prints "scrape-max
    MS options-max MS" (none: an OPTIONS went unanswered).
metrics_peer.py hold PORT N SECONDS
    N connections to the metrics port held SECONDS, half silent, half
    stopped in the middle of a request line; prints how many the server
    closed at once (over its client limit) and how many it closed before
    the end (its idle timeout).
"""
import json
import re
import socket
import sys
import time
import urllib.request

SBC = ("127.0.0.1", 18060)


def sip(src, msg):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(src)
    s.settimeout(3)
    s.sendto(msg.encode(), SBC)
    return s


def invite(ip, port, user):
    tag = str(int(time.time() * 1000000))
    sdp = (f"v=0\r\no=caller 1 1 IN IP4 {ip}\r\ns=-\r\nc=IN IP4 {ip}\r\n"
           "t=0 0\r\nm=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n")
    head = (f"Via: SIP/2.0/UDP {ip}:{port};branch=z9hG4bK{tag}\r\n"
            f"From: <sip:caller@{ip}:{port}>;tag={tag}\r\n"
            f"To: <sip:{user}@127.0.0.1:18060>\r\n"
            f"Call-ID: {tag}@{ip}\r\n")
    s = sip((ip, int(port)), f"INVITE sip:{user}@127.0.0.1:18060 SIP/2.0\r\n{head}"
            f"CSeq: 1 INVITE\r\nContact: <sip:caller@{ip}:{port}>\r\n"
            f"Max-Forwards: 70\r\nContent-Type: application/sdp\r\n"
            f"Content-Length: {len(sdp)}\r\n\r\n{sdp}")
    try:
        while True:
            lines = s.recv(4096).decode(errors="replace").split("\r\n")
            if int(lines[0].split()[1]) >= 200:
                break
    except (socket.timeout, ValueError, IndexError):
        print("no final response")
        return 1
    to = next(h for h in lines if h.lower().startswith("to:"))
    ack = (f"ACK sip:{user}@127.0.0.1:18060 SIP/2.0\r\n{head}".replace(
        f"To: <sip:{user}@127.0.0.1:18060>\r\n", to + "\r\n") +
        "CSeq: 1 ACK\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n")
    s.sendto(ack.encode(), SBC)
    print(lines[0])
    return 0


def options_rtt():
    """Milliseconds to the answer of one OPTIONS, or None."""
    tag = str(int(time.time() * 1000000))
    start = time.monotonic()
    s = sip(("127.0.0.96", 18090),
            "OPTIONS sip:127.0.0.1:18060 SIP/2.0\r\n"
            f"Via: SIP/2.0/UDP 127.0.0.96:18090;branch=z9hG4bK{tag}\r\n"
            f"From: <sip:probe@127.0.0.96:18090>;tag={tag}\r\n"
            "To: <sip:127.0.0.1:18060>\r\n"
            f"Call-ID: {tag}@127.0.0.96\r\nCSeq: 1 OPTIONS\r\n"
            "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n")
    try:
        s.recv(4096)
    except socket.timeout:
        return None
    finally:
        s.close()
    return int((time.monotonic() - start) * 1000)


def options():
    rtt = options_rtt()
    print("none" if rtt is None else rtt)
    return 0 if rtt is not None else 1


def burst(url, n):
    scrape_max = options_max = 0
    for _ in range(n):
        start = time.monotonic()
        urllib.request.urlopen(url, timeout=3).read()
        scrape_max = max(scrape_max, int((time.monotonic() - start) * 1000))
        rtt = options_rtt()
        if rtt is None:
            print(f"scrape-max {scrape_max} options-max none")
            return 1
        options_max = max(options_max, rtt)
    print(f"scrape-max {scrape_max} options-max {options_max}")
    return 0


def offers(path, start_re):
    """{port: key} of the SDPs in the messages whose first line matches."""
    found = {}
    text = open(path, errors="replace").read().replace("\r", "")
    for msg in re.split(r"\n(?=(?:INVITE|ACK|BYE|SIP/2\.0) )", text):
        if not re.match(start_re, msg):
            continue
        port = re.search(r"^m=audio (\d+) ", msg, re.M)
        key = re.search(r"^a=crypto:\d+ AES_CM_128_HMAC_SHA1_80 inline:([^|\s]+)",
                        msg, re.M)
        if port and key:
            found[int(port.group(1))] = key.group(1)
    return found


def keys(uac_msg, uas_msg):
    to_caller = offers(uac_msg, r"SIP/2\.0 200 ")
    to_callee = offers(uas_msg, r"INVITE ")
    for call in json.load(sys.stdin)["calls"]:
        caller, callee = call["legs"]
        cp, ep = caller["media"][0]["port"], callee["media"][0]["port"]
        if cp in to_caller and ep in to_callee:
            print(cp, to_caller[cp], ep, to_callee[ep])
    return 0


def scrape(url):
    try:
        body = urllib.request.urlopen(url, timeout=3).read().decode()
    except OSError as e:
        print(f"scrape failed: {e}", file=sys.stderr)
        return 1
    sys.stdout.write(body)
    return 0


def value(path, series):
    for line in open(path):
        if line.startswith(series + " "):
            print(line.split()[-1])
            return 0
    print("absent")
    return 0


def hold(port, n, seconds):
    conns = []
    for i in range(n):
        c = socket.create_connection(("127.0.0.1", port))
        if i % 2:
            c.sendall(b"GET /metr")
        conns.append(c)
    time.sleep(0.3)

    def closed_now():
        gone = 0
        for c in conns:
            c.setblocking(False)
            try:
                gone += c.recv(1) == b""
            except BlockingIOError:
                pass
            except OSError:
                gone += 1
        return gone
    at_once = closed_now()
    time.sleep(seconds)
    print(f"at-once {at_once} before-end {closed_now() - at_once} of {n}")
    return 0


cmd = sys.argv[1]
args = sys.argv[2:]
if cmd == "invite":
    sys.exit(invite(*args))
elif cmd == "options":
    sys.exit(options())
elif cmd == "keys":
    sys.exit(keys(*args))
elif cmd == "scrape":
    sys.exit(scrape(*args))
elif cmd == "value":
    sys.exit(value(*args))
elif cmd == "burst":
    sys.exit(burst(args[0], int(args[1])))
elif cmd == "hold":
    sys.exit(hold(int(args[0]), int(args[1]), float(args[2])))
sys.exit(2)
