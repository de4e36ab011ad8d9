# Media flow, now that a datapath exists: the userspace one
# (build/srtprelay-datapath), in a network namespace of its own so its
# NFQUEUE steering touches nothing else. Needs unshare -n (root).
begin "media: baresip SRTP <-> srtprelayd + userspace datapath <-> baresip RTP"
BUILD_DIR=$(dirname "$DAEMON")
if [ ! -x "$BUILD_DIR/srtprelay-datapath" ]; then
	echo "  skip: $BUILD_DIR/srtprelay-datapath not built"
elif ! unshare -n true 2>/dev/null; then
	echo "  skip: cannot create a network namespace (unshare -n) here"
else
	mkdir -p "$T/media"
	timeout 60 unshare -n sh "$SIPDIR/media.sh" "$BUILD_DIR" "$T/media" > "$T/media.out" 2>&1
	grep -E '^  (ok|FAIL)|^    ' "$T/media.out"
	PASSED=$((PASSED + $(grep -c '^  ok' "$T/media.out")))
	FAILED=$((FAILED + $(grep -c '^  FAIL' "$T/media.out")))
	check "media test ran to its end" grep -Eq '^[0-9]+ passed' "$T/media.out"
fi
