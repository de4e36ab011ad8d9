#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""A TLS SIP peer for the trunk tests: answers every request with 200 OK
(enough for OPTIONS keep-alive) and writes the server name each client
asked for (SNI) to a file, one line per handshake.

    tls_sip_peer.py ADDR PORT CERT KEY SNI-FILE
"""
import socket
import ssl
import sys
import threading

addr, port, cert, key, sni_file = sys.argv[1:6]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)


def note_sni(sock, name, context):
    with open(sni_file, 'a') as f:
        f.write('%s\n' % name)


ctx.sni_callback = note_sni


def answer(request):
    head = request.split(b'\r\n\r\n', 1)[0].decode('latin-1').split('\r\n')
    keep = [h for h in head[1:] if h.split(':', 1)[0].strip().lower()
            in ('via', 'from', 'to', 'call-id', 'cseq')]
    return ('SIP/2.0 200 OK\r\n' + '\r\n'.join(keep) +
            '\r\nContent-Length: 0\r\n\r\n').encode('latin-1')


def serve(conn):
    buf = b''
    try:
        tls = ctx.wrap_socket(conn, server_side=True)
        while True:
            data = tls.recv(4096)
            if not data:
                return
            buf += data
            while b'\r\n\r\n' in buf:
                msg, buf = buf.split(b'\r\n\r\n', 1)
                if msg.strip():
                    tls.sendall(answer(msg + b'\r\n\r\n'))
    except (OSError, ssl.SSLError):
        return


srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind((addr, int(port)))
srv.listen(16)
while True:
    c, _ = srv.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
