#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""Holds a TLS connection across a certificate reload (test/tls/run.sh).

reload_client.py PORT CAFILE COMMAND: connects to 127.0.0.1:PORT trusting
only CAFILE, echoes a line, runs COMMAND (which swaps the files and sends
SIGHUP), echoes again on the same connection, then opens a second one.
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


def main():
    port, cafile, command = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    ctx = ssl.create_default_context(cafile=cafile)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    first, fp1 = connect(port, ctx)
    ok = echo(first, b"before reload\n")
    subprocess.run(command, shell=True, check=True)
    ok = echo(first, b"after reload, same connection\n") and ok
    second, fp2 = connect(port, ctx)
    ok = echo(second, b"new connection\n") and ok
    print("first=%s second=%s held=%s" % (fp1, fp2, "ok" if ok else "broken"))
    first.close()
    second.close()


if __name__ == "__main__":
    main()
