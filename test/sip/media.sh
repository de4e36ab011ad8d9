#!/bin/sh
# Media through srtprelayd and the userspace datapath, inside a network
# namespace of its own (run by t_08_media.sh under `unshare -n`): baresip
# over TLS with srtp-mand sends a 440 Hz tone to a plain-RTP baresip, which
# answers with a 660 Hz one (two tones that cannot be confused); the
# streams' counters must show packets relayed both ways with no
# authentication failure, the callee must record 440 Hz and the caller
# 660 Hz (sndfile's *-dec.wav: what each one heard).
# Prints "ok"/"FAIL" lines and "N passed, N failed".
SIPDIR=$(cd "$(dirname "$0")" && pwd)
BUILD=$1
T=$2
. "$SIPDIR/media_lib.sh"
media_plane "" "$SIPDIR/srtprelayd-media.conf" "$T/daemon-media.log"
check "srtprelayd uses the userspace datapath" grep -q "media plane: userspace datapath" "$T/daemon-media.log"

BS=$T/media-baresip
media_baresips "$BS" ""
media_call_start "$BS"
python3 "$SIPDIR/ctl.py" /tmp/srtprelayd-media/control.sock calls > "$BS/calls.txt" 2>&1
wait $ALICE
wait $BOB
check "caller: SRTP is Enabled" grep -q "SRTP is Enabled" "$BS/a.out"
check "call established on both sides" sh -c "grep -q 'Call established' '$BS/a.out' && grep -q 'Call established' '$BS/b.out'"
grep "media 0" "$BS/calls.txt" | sed 's/^/    /'
check "caller->callee: packets received and sent on" sh -c "grep 'leg caller' -A1 '$BS/calls.txt' | grep -Eq 'rx [1-9][0-9]* tx [1-9][0-9]* auth-failed 0'"
check "callee->caller: packets received and sent on" sh -c "grep 'leg callee' -A1 '$BS/calls.txt' | grep -Eq 'rx [1-9][0-9]* tx [1-9][0-9]* auth-failed 0'"
REC=$(ls "$BS"/b/rec/*dec*.wav 2>/dev/null | head -1)
if [ -n "$REC" ]; then
	sox "$REC" -n stat > "$BS/stat.txt" 2>&1
	grep -E "RMS +amplitude|Rough +frequency" "$BS/stat.txt" | sed 's/^/    /'
	FREQ=$(awk '/Rough +frequency/ { print $3 }' "$BS/stat.txt")
	check "callee recorded the 440 Hz tone through the relay (${FREQ} Hz)" test "${FREQ:-0}" -ge 400 -a "${FREQ:-0}" -le 480
else
	bad "callee recorded nothing"
fi
# The reverse direction too: the callee's 660 Hz, decrypted nowhere (plain
# RTP in) and encrypted by the relay for the caller's SRTP leg.
FA=$(freq "$(ls "$BS"/a/rec/*dec*.wav 2>/dev/null | head -1)")
check "the reverse direction too: caller recorded the callee's 660 Hz tone through the relay (${FA:-no recording} Hz)" test "${FA:-0}" -ge 620 -a "${FA:-0}" -le 700
# Media inactivity: SIPp sends no RTP; the caller group's media_timeout
# is 3 s, checked every 5 s: both legs get a BYE.
printf 'SEQUENTIAL\nRTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkw\n' > "$T/to_uas.csv"
printf 'SEQUENTIAL\nRTP/SAVP;a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz;;mand-idle\n' > "$T/to_uac.csv"
(cd "$T" && timeout 25 sipp -sf "$SIPDIR/uas_wait_bye.xml" -inf "$T/to_uas.csv" -i 127.0.0.20 -p 15070 \
	-m 1 -nostdin -aa > /dev/null 2>&1) &
TUAS=$!
wait_for 5 udp_bound 127.0.0.20 15070
START=$(date +%s)
(cd "$T" && timeout 25 sipp 127.0.0.1:15060 -sf "$SIPDIR/uac_wait_bye.xml" -inf "$T/to_uac.csv" \
	-i 127.0.0.15 -p 15080 -m 1 -nostdin -timeout 20 > /dev/null 2>&1)
RC=$?
END=$(date +%s)
wait $TUAS
TRC=$?
check "no media for 3 s: the caller gets a BYE (after $((END - START)) s)" test $RC -eq 0 -a $((END - START)) -ge 3
check "and so does the callee" test $TRC -eq 0
check "logged as a media inactivity timeout" grep -q "media inactivity timeout" "$T/daemon-media.log"
kill $D $DP 2>/dev/null
wait $D $DP 2>/dev/null
echo "$P passed, $F failed"
