#!/bin/sh
# The baresip call of media.sh with SRTP on both legs, inside a network
# namespace of its own (run by t_08_media.sh under `unshare -n`): the TLS
# caller (srtp-mand) sends 440 Hz, the UDP callee (srtp-mand too) answers
# with 660 Hz. srtprelayd (srtprelayd-media-srtp.conf, "mandatory" on both
# legs) must give each leg its own keys: the datapath decrypts with one and
# re-encrypts with the other, which the `streams` key-ids and the counters
# (auth-failed 0 on both legs) show; each side must record the other's tone.
# Its own paths (state_dir /tmp/srtprelayd-media-srtp, $T/srtp-*), so it can
# run next to media.sh. Prints "ok"/"FAIL" lines and "N passed, N failed".
SIPDIR=$(cd "$(dirname "$0")" && pwd)
BUILD=$1
T=$2
. "$SIPDIR/media_lib.sh"
media_plane srtp- "$SIPDIR/srtprelayd-media-srtp.conf" "$T/daemon-media-srtp.log"
check "srtp both legs: srtprelayd uses the userspace datapath" grep -q "media plane: userspace datapath" "$T/daemon-media-srtp.log"

BS=$T/srtp-baresip
media_baresips "$BS" srtp-mand
media_call_start "$BS"
CTL=/tmp/srtprelayd-media-srtp/control.sock
python3 "$SIPDIR/ctl.py" $CTL calls > "$BS/calls.txt" 2>&1
python3 "$SIPDIR/ctl.py" $CTL streams > "$BS/streams.txt" 2>&1
wait $ALICE
wait $BOB
check "srtp both legs: caller says SRTP is Enabled" grep -q "SRTP is Enabled" "$BS/a.out"
check "srtp both legs: callee says SRTP is Enabled" grep -q "SRTP is Enabled" "$BS/b.out"
check "srtp both legs: call established on both sides" sh -c "grep -q 'Call established' '$BS/a.out' && grep -q 'Call established' '$BS/b.out'"
grep "media 0" "$BS/calls.txt" | sed 's/^/    /'
check "srtp both legs: caller leg srtp yes, packets both ways, auth-failed 0" sh -c "grep 'leg caller' -A1 '$BS/calls.txt' | grep -Eq 'srtp yes .*rx [1-9][0-9]* tx [1-9][0-9]* auth-failed 0'"
check "srtp both legs: callee leg srtp yes, packets both ways, auth-failed 0" sh -c "grep 'leg callee' -A1 '$BS/calls.txt' | grep -Eq 'srtp yes .*rx [1-9][0-9]* tx [1-9][0-9]* auth-failed 0'"
# Every stream (one per leg and direction, RTCP muxed or not): an SRTP
# suite and a key-id both in and out, and the two key-ids different, i.e.
# the relay decrypts with one leg's key and encrypts with the other's.
sed -n 's/^stream \(local [^ ]*\) .* \(in [^ ]* key-id [0-9a-f]*\) .* \(out [^ ]* key-id [0-9a-f]*\) .*/\1 \2 \3/p' "$BS/streams.txt" | sed 's/^/    /'
check "srtp both legs: streams listed with SRTP both in and out" grep -Eq '^stream .* in AES_CM[^ ]* key-id [0-9a-f]{8} .* out AES_CM[^ ]* key-id [0-9a-f]{8} ' "$BS/streams.txt"
check "srtp both legs: every stream's in and out key-ids differ (keys per leg)" awk '
	/^stream / { ik = ""; ok = ""; for (i = 1; i < NF; i++) { if ($i == "key-id" && $(i - 2) == "in") ik = $(i + 1)
			if ($i == "key-id" && $(i - 2) == "out") ok = $(i + 1) }
		n++; if (ik == "" || ik == ok || ik == "00000000" || ok == "00000000") bad = 1 }
	END { exit !(n >= 2 && !bad) }' "$BS/streams.txt"
# The two directions of the call: caller->callee is decrypted with the
# caller's key and encrypted with ours for the callee, and back; the four
# key-ids are then all different.
check "srtp both legs: four distinct key-ids (each side's own and ours per leg)" sh -c "
	sed -n 's/.* in [^ ]* key-id \([0-9a-f]*\) .* out [^ ]* key-id \([0-9a-f]*\) .*/\1\n\2/p' '$BS/streams.txt' | sort -u | wc -l | grep -qx 4"
both_tones "$BS" "srtp both legs"
kill $D $DP 2>/dev/null
wait $D $DP 2>/dev/null
echo "$P passed, $F failed"
