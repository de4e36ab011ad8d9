#!/usr/bin/env python3
"""Plain RTP endpoints of test/attack/t_10_rtp_bleed.sh (RTP Bleed).

bleed_peer.py call RELAY CALLER_PORT CALLEE_PORT CALLER CALLEE T0 DUR [SILENT] [LISTEN...]
    A call's two phones, 50 packets/s each way for DUR seconds from the wall
    clock time T0: the caller sends from CALLER (ip:port) to
    RELAY:CALLER_PORT, the callee from CALLEE to RELAY:CALLEE_PORT, each
    listening where it sends from. SILENT "a-b": the caller says nothing
    from a to b seconds after T0. LISTEN ip:port: more sockets of the caller
    that count what arrives (its SDP port when it sends from another).
    Prints:
      callee_got caller=N stranger=N      what reached the callee, by SSRC
      caller_got callee=N sent=N          the callee's packets at CALLER
      listen PORT=N                       per LISTEN socket

bleed_peer.py stranger RELAY PORT SRC T0 AT COUNT UNTIL
    A stranger at SRC (ip:port) sends COUNT packets (50/s) to RELAY:PORT
    from AT seconds after T0, listens until UNTIL and prints
      stranger_got=N
"""
import select
import socket
import struct
import sys
import time

CALLER_SSRC, CALLEE_SSRC, STRANGER_SSRC = 0xCA11E4, 0xCA11EE, 0x5742
PERIOD = 0.02  # 50 packets/s: 20 ms of PCMU each


def endpoint(text):
    ip, port = text.rsplit(":", 1)
    return ip, int(port)


def bind(addr):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(addr)
    return s


def rtp(ssrc, seq):
    # V=2, PT 0 (PCMU), 160 bytes: 20 ms at 8 kHz.
    return struct.pack("!BBHII", 0x80, 0, seq & 0xFFFF, (seq * 160) & 0xFFFFFFFF,
                       ssrc) + b"\xd5" * 160


def ssrc_of(packet):
    return struct.unpack("!I", packet[8:12])[0] if len(packet) >= 12 else None


def wait_until(t0):
    left = t0 - time.time()
    if left > 0:
        time.sleep(left)


def call(argv):
    relay, caller_port, callee_port = argv[0], int(argv[1]), int(argv[2])
    caller_addr, callee_addr = endpoint(argv[3]), endpoint(argv[4])
    t0, dur = float(argv[5]), float(argv[6])
    silent = (0.0, 0.0)
    rest = argv[7:]
    if rest and "-" in rest[0] and ":" not in rest[0]:
        a, b = rest.pop(0).split("-")
        silent = (float(a), float(b))
    caller, callee = bind(caller_addr), bind(callee_addr)
    extra = {endpoint(x)[1]: bind(endpoint(x)) for x in rest}
    socks = [caller, callee] + list(extra.values())
    got = {s: {} for s in socks}
    sent = {"caller": 0, "callee": 0}
    # Sequence numbers from the wall clock, as a phone's would be.
    seq0 = int(time.time() * 50)
    wait_until(t0)
    start = time.monotonic()
    tick = 0
    while True:
        now = time.monotonic() - start
        if now >= dur + 0.5:
            break
        if now >= tick * PERIOD and tick * PERIOD < dur:
            if not silent[0] <= now < silent[1]:
                caller.sendto(rtp(CALLER_SSRC, seq0 + tick), (relay, caller_port))
                sent["caller"] += 1
            callee.sendto(rtp(CALLEE_SSRC, seq0 + tick), (relay, callee_port))
            sent["callee"] += 1
            tick += 1
        timeout = max(0.0, min(start + tick * PERIOD, start + dur + 0.5) - time.monotonic())
        ready, _, _ = select.select(socks, [], [], timeout)
        for s in ready:
            ssrc = ssrc_of(s.recv(2048))
            got[s][ssrc] = got[s].get(ssrc, 0) + 1
    print("callee_got caller=%d stranger=%d" % (got[callee].get(CALLER_SSRC, 0),
                                                 got[callee].get(STRANGER_SSRC, 0)))
    print("caller_got callee=%d sent=%d" % (got[caller].get(CALLEE_SSRC, 0), sent["callee"]))
    for port, s in extra.items():
        print("listen %d=%d" % (port, sum(got[s].values())))


def stranger(argv):
    relay, port, src = argv[0], int(argv[1]), endpoint(argv[2])
    t0, at, count, until = float(argv[3]), float(argv[4]), int(argv[5]), float(argv[6])
    s = bind(src)
    got = 0
    wait_until(t0 + at)
    seq = int(time.time() * 50)
    next_send = time.monotonic()
    end = time.monotonic() + (until - at)
    while time.monotonic() < end:
        if count and time.monotonic() >= next_send:
            s.sendto(rtp(STRANGER_SSRC, seq), (relay, port))
            seq += 1
            count -= 1
            next_send += PERIOD
        timeout = max(0.0, min(next_send if count else end, end) - time.monotonic())
        ready, _, _ = select.select([s], [], [], timeout)
        if ready:
            s.recv(2048)
            got += 1
    print("stranger_got=%d" % got)


if __name__ == "__main__":
    {"call": call, "stranger": stranger}[sys.argv[1]](sys.argv[2:])
    sys.stdout.flush()
