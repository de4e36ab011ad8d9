#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""Holds a TLS connection across a certificate reload (test/tls/run.sh).

reload_client.py [--sip] PORT CAFILE COMMAND: connects to 127.0.0.1:PORT
trusting only CAFILE, echoes a line, runs COMMAND (which swaps the files and
sends SIGHUP), echoes again on the same connection, then opens a second one.
With --sip the peer is srtprelayd: an OPTIONS request and its response
stand in for the echo.
Prints "first=FP second=FP held=ok|broken", FP the SHA-256 of the
certificate each connection was given. Python's ssl module is the
independent client.
"""
import hashlib
import socket
import ssl
import subprocess
import sys


def connect(port, ctx):
    raw = socket.create_connection(("127.0.0.1", port), timeout=5)
    s = ctx.wrap_socket(raw, server_hostname="sbc.example.test")
    fp = hashlib.sha256(s.getpeercert(binary_form=True)).hexdigest().upper()
    return s, fp


def echo(s, line):
    s.sendall(line)
    got = b""
    while len(got) < len(line):
        chunk = s.recv(len(line) - len(got))
        if not chunk:
            break
        got += chunk
    return got == line


SIP = False
SEQ = [0]


def options(s):
    SEQ[0] += 1
    port = s.getsockname()[1]
    req = ("OPTIONS sip:sbc.example.test;transport=tls SIP/2.0\r\n"
           "Via: SIP/2.0/TLS 127.0.0.1:%d;branch=z9hG4bK-reload-%d\r\n"
           "Max-Forwards: 70\r\n"
           "From: <sip:probe@127.0.0.1>;tag=reload%d\r\n"
           "To: <sip:sbc.example.test>\r\n"
           "Call-ID: reload-%d@127.0.0.1\r\n"
           "CSeq: %d OPTIONS\r\n"
           "Content-Length: 0\r\n\r\n") % (port, SEQ[0], SEQ[0], SEQ[0], SEQ[0])
    s.sendall(req.encode())
    got = b""
    while b"\r\n\r\n" not in got:
        chunk = s.recv(4096)
        if not chunk:
            break
        got += chunk
    return got.startswith(b"SIP/2.0 ")


def probe(s, line):
    return options(s) if SIP else echo(s, line)


def main():
    global SIP
    if sys.argv[1] == "--sip":
        SIP = True
        del sys.argv[1]
    port, cafile, command = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    ctx = ssl.create_default_context(cafile=cafile)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    first, fp1 = connect(port, ctx)
    ok = probe(first, b"before reload\n")
    subprocess.run(command, shell=True, check=True)
    ok = probe(first, b"after reload, same connection\n") and ok
    second, fp2 = connect(port, ctx)
    ok = probe(second, b"new connection\n") and ok
    print("first=%s second=%s held=%s" % (fp1, fp2, "ok" if ok else "broken"))
    first.close()
    second.close()


if __name__ == "__main__":
    main()
