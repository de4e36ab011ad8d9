#!/usr/bin/env python3
"""Plain RTP peers of test/sip/latch.sh: a phone behind NAT and its callee.

latch_peer.py RELAY CALLER_PORT CALLEE_PORT PHONE_IP CALLEE_IP STEPS...

RELAY CALLER_PORT is where srtprelayd told the phone to send (the caller
leg's realm port), RELAY CALLEE_PORT where it told the callee. The phone
listens on every port it may be sent to (6000 and 6020, the ports its SDP
names, 6010 and 6030, the ports its NAT sends from); the callee listens
and sends on CALLEE_IP:6002, as its SDP says. Each step sends 5 RTP
packets and then reads for 0.5 s what arrived where:

  callee   the callee sends to the phone: prints, per phone port, how many
           packets arrived there
  nat      the phone sends from PHONE_IP:6010 (not an SDP port): prints how
           many the callee got
  rebind   the same from PHONE_IP:6030, as after a NAT rebinding
  sdp      the same from PHONE_IP:6000, the port its SDP names
  flood    2000 packets from PHONE_IP:6010, each with an SSRC of its own:
           2000 events, more than a listener's socket holds

One line per step, "STEP port=count ...", for the shell to check.
"""
import select
import socket
import struct
import sys
import time

relay = sys.argv[1]
caller_port, callee_port = int(sys.argv[2]), int(sys.argv[3])
phone_ip, callee_ip = sys.argv[4], sys.argv[5]
steps = sys.argv[6:]


def bind(ip, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((ip, port))
    return s


phone = {port: bind(phone_ip, port) for port in (6000, 6010, 6020, 6030)}
callee = bind(callee_ip, 6002)
# Each run goes on where the last one left off, as the media plane keeps a
# replay window per SSRC: one sequence number per 20 ms of wall clock.
seq = dict.fromkeys(("phone", "callee"), int(time.time() * 50) & 0xFFFF)


def rtp(who, ssrc):
    seq[who] = (seq[who] + 1) & 0xFFFF
    # V=2, PT 0 (PCMU), 160 bytes of silence: 20 ms at 8 kHz.
    return struct.pack("!BBHII", 0x80, 0, seq[who], (seq[who] * 160) & 0xFFFFFFFF,
                       ssrc) + b"\xff" * 160


def drain(socks, seconds):
    """Packets that arrive on each socket within @seconds."""
    got = {s: 0 for s in socks}
    end = time.monotonic() + seconds
    while True:
        left = end - time.monotonic()
        if left <= 0:
            return got
        ready, _, _ = select.select(socks, [], [], left)
        for s in ready:
            s.recv(2048)
            got[s] += 1


for step in steps:
    drain(list(phone.values()) + [callee], 0.05)  # nothing stale
    if step == "callee":
        for _ in range(5):
            callee.sendto(rtp("callee", 0xCA11EE), (relay, callee_port))
            time.sleep(0.02)
        got = drain(list(phone.values()), 0.5)
        print("callee " + " ".join("%d=%d" % (p, got[s]) for p, s in phone.items()))
    elif step in ("nat", "rebind", "sdp"):
        src = phone[{"nat": 6010, "rebind": 6030, "sdp": 6000}[step]]
        for _ in range(5):
            src.sendto(rtp("phone", 0x9A7), (relay, caller_port))
            time.sleep(0.02)
        got = drain([callee], 0.5)
        # The media plane has the latch event out; let srtprelayd act on it.
        time.sleep(0.3)
        print("%s 6002=%d" % (step, got[callee]))
    elif step == "flood":
        for i in range(2000):
            phone[6010].sendto(rtp("phone", 0x100000 + i), (relay, caller_port))
            if i % 50 == 49:
                time.sleep(0.005)
        print("flood sent=2000")
    sys.stdout.flush()
