#!/usr/bin/env python3
# A hostile local client of a srtprelay control socket (SOCK_SEQPACKET for
# the userspace datapath, SOCK_STREAM for srtprelayd). Modes:
#   dumps PATH N      send N stream-dump requests, never read, hold
#   half PATH         send half a netlink header, hold
#   hold PATH N       open N connections, send nothing, hold
#   line PATH TEXT    (stream socket) send TEXT, never read, hold
# Prints "ready" once everything is sent, then holds until killed.
import socket, struct, sys, time

FAMILY = 0x7ff0            # daemon/datapath/datapath_control.h
CMD_STREAM_GET = 7         # include/uapi/linux/srtprelay.h
NLM_F_REQUEST, NLM_F_DUMP = 0x1, 0x300

def conn(path, kind=socket.SOCK_SEQPACKET):
    s = socket.socket(socket.AF_UNIX, kind)
    s.connect(path)
    return s

mode, path = sys.argv[1], sys.argv[2]
held = []
if mode == "dumps":
    s = conn(path)
    s.setblocking(False)
    sent = 0
    for seq in range(int(sys.argv[3])):
        msg = struct.pack("=IHHII", 20, FAMILY, NLM_F_REQUEST | NLM_F_DUMP, seq + 1, 0) + \
              struct.pack("=BBH", CMD_STREAM_GET, 1, 0)
        try:
            s.send(msg)
            sent += 1
        except BlockingIOError:
            break
    print("ready: %d dump requests sent, none read" % sent, flush=True)
    held.append(s)
elif mode == "half":
    s = conn(path)
    s.send(struct.pack("=IH", 120, FAMILY))
    print("ready: 6 bytes of a 120-byte message sent", flush=True)
    held.append(s)
elif mode == "hold":
    n = 0
    for _ in range(int(sys.argv[3])):
        try:
            held.append(conn(path))
            n += 1
        except OSError as e:
            print("connect %d: %s" % (n + 1, e), flush=True)
            break
    print("ready: %d connections held" % n, flush=True)
elif mode == "line":
    s = conn(path, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.send(sys.argv[3].encode())
    print("ready: sent %r, reading nothing" % sys.argv[3], flush=True)
    held.append(s)
while True:
    time.sleep(60)
