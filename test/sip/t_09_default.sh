# The embedded default configuration with real softphones (after
# t_08_media.sh, whose baresip configuration it reuses).
begin "default configuration: two softphones register and call by name"
if [ -d "$T/media/media-baresip" ] && unshare -n true 2>/dev/null; then
	mkdir -p "$T/media/default"
	timeout 60 unshare -n sh "$SIPDIR/default.sh" "$(dirname "$DAEMON")" "$T/media/default" > "$T/default.out" 2>&1
	grep -E '^  (ok|FAIL)' "$T/default.out"
	PASSED=$((PASSED + $(grep -c '^  ok' "$T/default.out")))
	FAILED=$((FAILED + $(grep -c '^  FAIL' "$T/default.out")))
	check "default-configuration test ran to its end" grep -Eq '^[0-9]+ passed' "$T/default.out"
else
	echo "  skip: needs t_08_media.sh's baresip setup and unshare -n"
fi
