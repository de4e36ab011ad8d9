#!/usr/bin/env python3
"""RTP through the NAT of t_03, as a phone does it: one socket sends N
packets to DST every 20 ms and counts what arrives on it, and from where,
until SECONDS have passed (symmetric RTP, RFC 4961).

    rtp_probe.py SRC_IP SRC_PORT DST_IP DST_PORT N SECONDS
    prints "received N from IP:PORT[,IP:PORT...]"
"""
import socket
import struct
import sys
import time


def talk(src, sport, dst, dport, n, seconds):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((src, sport))
    s.settimeout(0.02)
    end = time.time() + seconds
    sent, got, sources = 0, 0, set()
    while time.time() < end:
        if sent < n:
            hdr = struct.pack("!BBHII", 0x80, 0, sent, sent * 160, 0x1234)
            s.sendto(hdr + b"\xff" * 160, (dst, dport))
            sent += 1
        try:
            _, peer = s.recvfrom(2048)
        except socket.timeout:
            continue
        got += 1
        sources.add("%s:%d" % peer)
    print("received %d from %s" % (got, ",".join(sorted(sources)) or "-"))


if __name__ == "__main__":
    a = sys.argv
    talk(a[1], int(a[2]), a[3], int(a[4]), int(a[5]), float(a[6]))
