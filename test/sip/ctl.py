#!/usr/bin/env python3
"""Minimal srtprelayd control-socket client: ctl.py SOCKET COMMAND...

The protocol (daemon/control.h): write one command line, read until the
daemon closes. srtprelayctl should grow a `calls` subcommand doing this."""
import socket
import sys

s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.sendall((" ".join(sys.argv[2:]) + "\n").encode())
out = b""
while True:
    chunk = s.recv(65536)
    if not chunk:
        break
    out += chunk
sys.stdout.write(out.decode())
