# Symmetric RTP (media_source = "latch"): a phone whose media comes from
# another port than its SDP says (as behind NAT) must hear the other side
# at that port once it has sent; with lock-on-sdp its packets are dropped.
# latch.sh, in a network namespace of its own with the userspace datapath
# (its latch events to srtprelayd), as media.sh is.
begin "latch: symmetric RTP to a phone behind NAT, through the userspace datapath"
BUILD_DIR=$(dirname "$DAEMON")
if [ ! -x "$BUILD_DIR/srtprelay-datapath" ]; then
	echo "  skip: $BUILD_DIR/srtprelay-datapath not built"
elif ! unshare -n true 2>/dev/null; then
	echo "  skip: cannot create a network namespace (unshare -n) here"
else
	mkdir -p "$T/latch"
	timeout 90 unshare -n sh "$SIPDIR/latch.sh" "$BUILD_DIR" "$T/latch" > "$T/latch.out" 2>&1
	grep -E '^  (ok|FAIL)|^    ' "$T/latch.out"
	PASSED=$((PASSED + $(grep -c '^  ok' "$T/latch.out")))
	FAILED=$((FAILED + $(grep -c '^  FAIL' "$T/latch.out")))
	check "latch test ran to its end" grep -Eq '^[0-9]+ passed' "$T/latch.out"
fi
