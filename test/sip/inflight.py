#!/usr/bin/env python3
"""In-dialog requests in flight through srtprelayd, with a caller and a
callee of our own on UDP: the callee holds its answers to the INFOs it is
relayed, so they pile up in srtprelayd. At most 16 per call are relayed;
the 17th is refused at once with 500 and Retry-After (RFC 3261 14.2), as
are 100 more sent after it, the 16 still get their answers, and the call
goes on.

Usage: inflight.py SBC-PORT CALLER-IP CALLEE-IP CALLEE-PORT
Prints "  ok   ..." / "  FAIL ..." per check and "N passed, N failed"."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sip_peer import Checks, Peers, hdr, recv, sdp  # noqa: E402

MAX_IN_FLIGHT = 16
CALLER = sys.argv[2]
CALLEE = (sys.argv[3], int(sys.argv[4]))
peers = Peers(int(sys.argv[1]), CALLER, 15091, CALLEE, "pref-inflight")
caller, callee, request, answer = peers.caller, peers.callee, peers.request, peers.answer
checks = Checks()
check = checks.check
call_id, tag = "inflight-1@" + CALLER, "caller-inflight"

# The call: INVITE, the callee answers 200, ACK on both legs.
caller.sendto(request("INVITE", 1, "<sip:pref-inflight@127.0.0.1>", tag, call_id, "inv",
                      sdp(CALLER, 6000), "application/sdp"), peers.sbc)
got = [m for m, _ in recv(callee, 2) if m[0].startswith("INVITE ")]
check("the callee gets the INVITE", got)
if not got:
    sys.exit(checks.summary())
invite = got[0]
callee.sendto(answer(invite, 200, "callee-inflight", sdp(CALLEE[0], 6002)), peers.sbc)
answers = [m for m, _ in recv(caller, 2) if m[0].startswith("SIP/2.0 200")]
check("the caller gets 200 for its INVITE", answers)
to = hdr(answers[0], "to") if answers else "<sip:pref-inflight@127.0.0.1>"
caller.sendto(request("ACK", 1, to, tag, call_id, "ack"), peers.sbc)
recv(callee, 0.5)       # the ACK on the callee's leg

# 17 INFOs at once; the callee answers none yet.
for cseq in range(2, 2 + MAX_IN_FLIGHT + 1):
    caller.sendto(request("INFO", cseq, to, tag, call_id, "info%d" % cseq,
                          "Signal=5\r\nDuration=160\r\n", "application/dtmf-relay"), peers.sbc)
early = [m for m, _ in recv(caller, 1.5)]
# srtprelayd retransmits each over UDP (Timer E): one per CSeq counts.
relayed = list({hdr(m, "cseq"): m for m, _ in recv(callee, 0.5)
                if m[0].startswith("INFO ")}.values())
refused = [m for m in early if m[0].startswith("SIP/2.0 500")]
check("%d INFOs relayed to the callee while none is answered (got %d)"
      % (MAX_IN_FLIGHT, len(relayed)), len(relayed) == MAX_IN_FLIGHT)
check("the 17th refused at once with 500", len(refused) == 1 and
      hdr(refused[0], "cseq") == "%d INFO" % (2 + MAX_IN_FLIGHT))
check("with Retry-After", refused and hdr(refused[0], "retry-after") == "1")
check("nothing else answered the caller yet (%d)" % len(early), len(early) == 1)

# A caller that goes on sending while 16 are in flight: every one refused
# at once (the log says so a few times, not once each: t_13 checks).
FLOOD = 100
first = 3 + MAX_IN_FLIGHT
for cseq in range(first, first + FLOOD):
    caller.sendto(request("INFO", cseq, to, tag, call_id, "flood%d" % cseq,
                          "Signal=7\r\nDuration=160\r\n", "application/dtmf-relay"), peers.sbc)
flood = {hdr(m, "cseq") for m, _ in recv(caller, 2) if m[0].startswith("SIP/2.0 500")}
check("%d more INFOs while 16 are in flight: each refused with 500 (got %d)"
      % (FLOOD, len(flood)), len(flood) == FLOOD)

# The callee answers all 16: each reaches the caller with its own CSeq.
for info in relayed:
    callee.sendto(answer(info, 200), peers.sbc)
late = [m for m, _ in recv(caller, 1.5) if m[0].startswith("SIP/2.0 200")]
cseqs = sorted(int(hdr(m, "cseq").split()[0]) for m in late)
check("the caller gets the 16 answers, CSeq 2 to 17", cseqs == list(range(2, 2 + MAX_IN_FLIGHT)))

# With the queue drained, the call relays again, and ends. The 16 were
# retransmitted (Timer E) while the flood went on: those copies go first.
recv(callee, 0.3)
cseq = first + FLOOD
caller.sendto(request("INFO", cseq, to, tag, call_id, "again",
                      "Signal=6\r\nDuration=160\r\n", "application/dtmf-relay"), peers.sbc)
again = [m for m, _ in recv(callee, 1) if m[0].startswith("INFO ")]
if again:
    callee.sendto(answer(again[0], 200), peers.sbc)
ok = [m for m, _ in recv(caller, 1) if m[0].startswith("SIP/2.0 200")]
check("a later INFO is relayed and answered", again and ok)
caller.sendto(request("BYE", cseq + 1, to, tag, call_id, "bye"), peers.sbc)
bye = [m for m, _ in recv(callee, 1) if m[0].startswith("BYE ")]
if bye:
    callee.sendto(answer(bye[0], 200), peers.sbc)
ended = [m for m, _ in recv(caller, 1) if m[0].startswith("SIP/2.0 200")]
check("BYE reaches the callee and the caller gets 200", bye and ended)
sys.exit(checks.summary())
