# 200 concurrent SDES calls through srtprelayd and the userspace datapath
# (concurrent.sh, in a network namespace of its own like media.sh): all
# connected at once, all torn down, no call, port pair or stream left.
begin "load: 200 concurrent SRTP calls through the userspace datapath"
BUILD_DIR=$(dirname "$DAEMON")
if [ ! -x "$BUILD_DIR/srtprelay-datapath" ]; then
	echo "  skip: $BUILD_DIR/srtprelay-datapath not built"
elif ! unshare -n true 2>/dev/null; then
	echo "  skip: cannot create a network namespace (unshare -n) here"
else
	mkdir -p "$T/concurrent"
	timeout 120 unshare -n sh "$SIPDIR/concurrent.sh" "$BUILD_DIR" "$T/concurrent" > "$T/concurrent.out" 2>&1
	grep -E '^  (ok|FAIL)|^    (peak|[0-9]+ calls)' "$T/concurrent.out"
	PASSED=$((PASSED + $(grep -c '^  ok' "$T/concurrent.out")))
	FAILED=$((FAILED + $(grep -c '^  FAIL' "$T/concurrent.out")))
	check "concurrent-calls test ran to its end" grep -Eq '^[0-9]+ passed' "$T/concurrent.out"
fi
