#!/usr/bin/env python3
"""A callee's 2xx retransmitted (its ACK lost, RFC 3261 13.3.1.4) reaches
srtprelayd after it sent its ACK: it must send that same ACK again, byte
for byte, not a new ACK with a new branch, which a peer matching
retransmissions (SIPp) takes for an unexpected request and fails the call.
The retransmitted 2xx is not relayed to the caller, who has its answer.

Usage: ack_retransmit.py SBC-PORT CALLER-IP CALLEE-IP CALLEE-PORT
Prints "  ok   ..." / "  FAIL ..." per check and "N passed, N failed"."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sip_peer import Checks, Peers, hdr, parse, recv, recv_raw, sdp  # noqa: E402

CALLER = sys.argv[2]
CALLEE = (sys.argv[3], int(sys.argv[4]))
peers = Peers(int(sys.argv[1]), CALLER, 15092, CALLEE, "pref-ack")
checks = Checks()
call_id, tag = "ack-retransmit-1@" + CALLER, "caller-ack"

peers.caller.sendto(peers.request("INVITE", 1, "<sip:pref-ack@127.0.0.1>", tag, call_id,
                                  "inv", sdp(CALLER, 6000), "application/sdp"), peers.sbc)
got = [m for m, _ in recv(peers.callee, 2) if m[0].startswith("INVITE ")]
checks.check("the callee gets the INVITE", got)
if not got:
    sys.exit(checks.summary())
ok200 = peers.answer(got[-1], 200, "callee-ack", sdp(CALLEE[0], 6002))
peers.callee.sendto(ok200, peers.sbc)
answers = [m for m, _ in recv(peers.caller, 2) if m[0].startswith("SIP/2.0 200")]
checks.check("the caller gets 200 for its INVITE", answers)
to = hdr(answers[0], "to") if answers else "<sip:pref-ack@127.0.0.1>"
peers.caller.sendto(peers.request("ACK", 1, to, tag, call_id, "ack"), peers.sbc)
acks = [d for d, _ in recv_raw(peers.callee, 1) if d.startswith(b"ACK ")]
checks.check("the callee gets an ACK", acks)

# Its ACK "lost": the callee sends its 200 again, twice.
again = []
for _ in range(2):
    peers.callee.sendto(ok200, peers.sbc)
    again += [d for d, _ in recv_raw(peers.callee, 1) if d.startswith(b"ACK ")]
checks.check("each retransmitted 200 gets an ACK (%d of 2)" % len(again), len(again) == 2)
checks.check("the very ACK sent first, byte for byte (same branch)",
             acks and again and all(a == acks[0] for a in again))
if acks and again and again[0] != acks[0]:
    print("    first: %s" % hdr(parse(acks[0]), "via"))
    print("    again: %s" % hdr(parse(again[0]), "via"))
relayed = [m for m, _ in recv(peers.caller, 0.5) if m[0].startswith("SIP/2.0 200")]
checks.check("the caller is not sent the 200 again (%d)" % len(relayed), not relayed)

peers.caller.sendto(peers.request("BYE", 2, to, tag, call_id, "bye"), peers.sbc)
bye = [m for m, _ in recv(peers.callee, 1) if m[0].startswith("BYE ")]
if bye:
    peers.callee.sendto(peers.answer(bye[0], 200), peers.sbc)
ended = [m for m, _ in recv(peers.caller, 1) if m[0].startswith("SIP/2.0 200")]
checks.check("BYE reaches the callee and the caller gets 200", bye and ended)
sys.exit(checks.summary())
