#!/usr/bin/env python3
"""Plain RTP media of every call of test/service/replane.sh, both ways.

replane_peer.py RELAY CALLER_PORT:CALLEE_PORT...

Each pair is one call: where srtprelayd told the caller to send (the
caller leg's realm port) and the callee (the callee leg's). The caller
sends from 127.0.0.91:6000 and the callee from 127.0.0.92:6002, as their
SDPs say; each sends 5 RTP packets per call (an SSRC per call and side),
then both read for 0.4 s. Prints one line:
  "calls N both-ways M to-callee X to-caller Y"
M counts the calls whose packets arrived at the other side both ways.
"""
import select
import socket
import struct
import sys
import time

relay = sys.argv[1]
pairs = [tuple(int(p) for p in a.split(":")) for a in sys.argv[2:]]
PACKETS = 5


def bind(ip, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((ip, port))
    return s


caller = bind("127.0.0.91", 6000)
callee = bind("127.0.0.92", 6002)
# Sequence numbers go on from run to run: one per 20 ms of wall clock.
seq = int(time.time() * 50) & 0xFFFF
for k in range(PACKETS):
    for i, (cp, ep) in enumerate(pairs):
        hdr = struct.pack("!BBHII", 0x80, 0, (seq + k) & 0xFFFF, seq * 160, 0x1000 + i)
        caller.sendto(hdr + b"\xff" * 160, (relay, cp))
        hdr = struct.pack("!BBHII", 0x80, 0, (seq + k) & 0xFFFF, seq * 160, 0x2000 + i)
        callee.sendto(hdr + b"\xff" * 160, (relay, ep))
got = {}
end = time.time() + 0.4
while time.time() < end:
    r, _, _ = select.select([caller, callee], [], [], max(0, end - time.time()))
    for s in r:
        data = s.recv(2048)
        if len(data) >= 12:
            ssrc = struct.unpack("!I", data[8:12])[0]
            got[ssrc] = got.get(ssrc, 0) + 1
to_callee = sum(got.get(0x1000 + i, 0) for i in range(len(pairs)))
to_caller = sum(got.get(0x2000 + i, 0) for i in range(len(pairs)))
both = sum(1 for i in range(len(pairs))
           if got.get(0x1000 + i) and got.get(0x2000 + i))
print(f"calls {len(pairs)} both-ways {both} to-callee {to_callee} to-caller {to_caller}")
