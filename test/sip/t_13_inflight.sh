# In-dialog requests in flight: at most 16 per call are relayed, the next
# gets 500 with Retry-After, and the call goes on (inflight.py, a caller
# and a callee of its own that holds its answers).
begin "in-dialog requests in flight: 16 per call, then 500"
python3 "$SIPDIR/inflight.py" $SIP_PORT 127.0.0.12 127.0.0.20 15070 > "$T/inflight.out" 2>&1
grep -E '^  (ok|FAIL)' "$T/inflight.out"
PASSED=$((PASSED + $(grep -c '^  ok' "$T/inflight.out")))
FAILED=$((FAILED + $(grep -c '^  FAIL' "$T/inflight.out")))
check "inflight.py ran to its end" grep -Eq '^[0-9]+ passed' "$T/inflight.out"
check "the refusal was logged" dlog_has "16 in-dialog requests in flight already: 500"
# 101 refusals in a few seconds: a caller's flood, not 101 warnings.
check "the refusals were logged at most 10 times ($(dlog_count 'in-dialog requests in flight already'))" \
	test "$(dlog_count 'in-dialog requests in flight already')" -le 10

# A callee's retransmitted 2xx gets the same ACK again (ack_retransmit.py).
begin "a retransmitted 2xx gets the same ACK again"
python3 "$SIPDIR/ack_retransmit.py" $SIP_PORT 127.0.0.12 127.0.0.20 15070 > "$T/ack_retransmit.out" 2>&1
grep -E '^  (ok|FAIL)|^    ' "$T/ack_retransmit.out"
PASSED=$((PASSED + $(grep -c '^  ok' "$T/ack_retransmit.out")))
FAILED=$((FAILED + $(grep -c '^  FAIL' "$T/ack_retransmit.out")))
check "ack_retransmit.py ran to its end" grep -Eq '^[0-9]+ passed' "$T/ack_retransmit.out"
