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

# The same call with SRTP on both legs (media_srtp.sh, its own state_dir
# and folders): keys per leg, shown by the streams' key-ids and counters.
begin "media: baresip SRTP <-> srtprelayd + userspace datapath <-> baresip SRTP"
if [ -x "$BUILD_DIR/srtprelay-datapath" ] && unshare -n true 2>/dev/null; then
	timeout 60 unshare -n sh "$SIPDIR/media_srtp.sh" "$BUILD_DIR" "$T/media" > "$T/media_srtp.out" 2>&1
	grep -E '^  (ok|FAIL)|^    ' "$T/media_srtp.out"
	PASSED=$((PASSED + $(grep -c '^  ok' "$T/media_srtp.out")))
	FAILED=$((FAILED + $(grep -c '^  FAIL' "$T/media_srtp.out")))
	check "media (SRTP both legs) test ran to its end" grep -Eq '^[0-9]+ passed' "$T/media_srtp.out"
else
	echo "  skip: needs $BUILD_DIR/srtprelay-datapath and unshare -n"
fi
