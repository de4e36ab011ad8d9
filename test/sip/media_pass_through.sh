#!/bin/sh
# The SRTP baresip call of media_srtp.sh with SRTP pass-through
# (srtprelayd-media-pt.conf), in a network namespace of its own (run by
# t_15_pass_through.sh under `unshare -n`): each stream has one key in and
# out and the pass_through flag, the datapath forwards SRTP unchanged, and
# each baresip still records the other's tone, decrypting with the key the
# other side sent with. Prints "ok"/"FAIL" lines and "N passed, N failed".
SIPDIR=$(cd "$(dirname "$0")" && pwd)
BUILD=$1
T=$2
. "$SIPDIR/media_lib.sh"
media_plane pt- "$SIPDIR/srtprelayd-media-pt.conf" "$T/daemon-media-pt.log"
BS=$T/pt-baresip
media_baresips "$BS" srtp-mand
media_call_start "$BS"
CTL=/tmp/srtprelayd-media-pt/control.sock
python3 "$SIPDIR/ctl.py" $CTL calls > "$BS/calls.txt" 2>&1
python3 "$SIPDIR/ctl.py" $CTL streams > "$BS/streams.txt" 2>&1
wait $ALICE
wait $BOB
check "pass-through: both baresips say SRTP is Enabled (AES_CM_128_HMAC_SHA1_80)" sh -c "
	grep -q 'SRTP is Enabled (cryptosuite=AES_CM_128_HMAC_SHA1_80)' '$BS/a.out' &&
	grep -q 'SRTP is Enabled (cryptosuite=AES_CM_128_HMAC_SHA1_80)' '$BS/b.out'"
sed -n 's/^stream \(local [^ ]*\) .*\(flags.*\) \(in [^ ]* key-id [0-9a-f]*\) .* \(out [^ ]* key-id [0-9a-f]*\) .*/\1 \2 \3 \4/p' "$BS/streams.txt" | sed 's/^/    /'
check "pass-through: every stream has the flag and one key-id in and out" awk '
	/^stream / { ik = ""; ok = ""; for (i = 1; i < NF; i++) { if ($i == "key-id" && $(i - 2) == "in") ik = $(i + 1)
			if ($i == "key-id" && $(i - 2) == "out") ok = $(i + 1) }
		n++; if (ik == "" || ik != ok || $0 !~ / pass_through /) bad = 1 }
	END { exit !(n >= 2 && !bad) }' "$BS/streams.txt"
check "pass-through: both legs carried packets both ways, auth-failed 0" sh -c "
	grep 'leg caller' -A1 '$BS/calls.txt' | grep -Eq 'srtp yes .*rx [1-9][0-9]* tx [1-9][0-9]* auth-failed 0' &&
	grep 'leg callee' -A1 '$BS/calls.txt' | grep -Eq 'srtp yes .*rx [1-9][0-9]* tx [1-9][0-9]* auth-failed 0'"
both_tones "$BS" "pass-through"
kill $D $DP 2>/dev/null
wait $D $DP 2>/dev/null
echo "$P passed, $F failed"
