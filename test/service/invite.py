#!/usr/bin/env python3
"""One INVITE from 127.0.0.91:17090 to srtprelayd (127.0.0.1:17060), as
test/service/replane.sh makes while the media plane is gone: prints the
final response's status line and its Retry-After header, if any."""
import socket
import time

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.91", 17090))
s.settimeout(2)
sdp = ("v=0\r\no=caller 1 1 IN IP4 127.0.0.91\r\ns=-\r\nc=IN IP4 127.0.0.91\r\n"
       "t=0 0\r\nm=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n")
tag = str(int(time.time() * 1000))
msg = ("INVITE sip:replane@127.0.0.1:17060 SIP/2.0\r\n"
       f"Via: SIP/2.0/UDP 127.0.0.91:17090;branch=z9hG4bK{tag}\r\n"
       f"From: <sip:caller@127.0.0.91:17090>;tag={tag}\r\n"
       "To: <sip:replane@127.0.0.1:17060>\r\n"
       f"Call-ID: {tag}@127.0.0.91\r\nCSeq: 1 INVITE\r\n"
       "Contact: <sip:caller@127.0.0.91:17090>\r\nMax-Forwards: 70\r\n"
       f"Content-Type: application/sdp\r\nContent-Length: {len(sdp)}\r\n\r\n{sdp}")
s.sendto(msg.encode(), ("127.0.0.1", 17060))
try:
    while True:
        lines = s.recv(4096).decode(errors="replace").split("\r\n")
        code = int(lines[0].split()[1])
        if code >= 200:
            break
except (socket.timeout, ValueError, IndexError):
    print("no final response")
    raise SystemExit(1)
print(lines[0])
for h in lines[1:]:
    if h.lower().startswith("retry-after:"):
        print(h)
