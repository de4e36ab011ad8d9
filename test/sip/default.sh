#!/bin/sh
# srtprelayd with no arguments (the embedded default), as its banner tells
# an operator to use it: two baresips register as alice and bob, alice
# (TLS, srtp-mand) calls bob (UDP, plain RTP) by name, media through the
# userspace datapath. Run by t_09_default.sh under `unshare -n`.
# Prints "ok"/"FAIL" lines and "N passed, N failed".
SIPDIR=$(cd "$(dirname "$0")" && pwd)
BUILD=$1
T=$2
. "$SIPDIR/media_lib.sh"

ip link set lo up
export SRTPRELAY_SOCKET=$T/datapath.sock
"$BUILD/srtprelay-datapath" -s "$SRTPRELAY_SOCKET" -w 1 > "$T/datapath.log" 2>&1 &
DP=$!
wait_for 20 test -S "$SRTPRELAY_SOCKET"
"$BUILD/srtprelayd" > "$T/daemon-default.log" 2>&1 &
D=$!
# The banner's last line.
wait_for 20 grep -q "Ctrl-C ends the calls" "$T/daemon-default.log"
check "default: listening on UDP/TCP 5060 and TLS 5061" sh -c "grep -q 'UDP 127.0.0.1:5060' '$T/daemon-default.log' && grep -q 'TLS 127.0.0.1:5061' '$T/daemon-default.log'"
check "default: prints how to make a first call with two softphones" grep -q "First call with two softphones" "$T/daemon-default.log"
check "default: the banner names the media plane that runs (userspace datapath)" grep -q "media plane: userspace datapath" "$T/daemon-default.log"
check "default: the banner tells how to watch with srtprelayctl calls and monitor" sh -c "grep -q 'srtprelayctl calls' '$T/daemon-default.log' && grep -q 'srtprelayctl monitor' '$T/daemon-default.log'"
BS=$T/default-baresip
for x in a b; do
	mkdir -p "$BS/$x/rec"
	port=15100
	[ $x = b ] && port=15110
	sed -e "s/^sip_listen .*/sip_listen 127.0.0.1:$port/" -e "s/aubridge,[ab]/aubridge,$x/" \
		-e "s|^snd_path .*|snd_path $BS/$x/rec|" "$T/../media-baresip/$x/config" > "$BS/$x/config" 2>/dev/null ||
		{ bad "no baresip config from media.sh to start from"; exit 0; }
done
echo '<sip:alice@127.0.0.1;transport=tls>;regint=600;mediaenc=srtp-mand;audio_codecs=PCMU' > "$BS/a/accounts"
echo '<sip:bob@127.0.0.1>;regint=600;answermode=auto;audio_codecs=PCMU' > "$BS/b/accounts"
timeout -k 5 20 baresip -f "$BS/b" -t 9 > "$BS/b.out" 2>&1 &
BOB=$!
# alice dials bob by name: once he is registered.
wait_for 20 grep -q "registrar: bob at" "$T/daemon-default.log"
timeout -k 5 20 baresip -f "$BS/a" -t 6 -e '/dial bob' > "$BS/a.out" 2>&1 &
ALICE=$!
wait $ALICE
wait $BOB
check "alice and bob registered" sh -c "grep -q 'registrar: alice at' '$T/daemon-default.log' && grep -q 'registrar: bob at' '$T/daemon-default.log'"
check "alice reached bob by name: both established" sh -c "grep -q 'Call established' '$BS/a.out' && grep -q 'Call established' '$BS/b.out'"
check "alice's leg SRTP (srtp-mand), bob's plain RTP (default: preferable)" sh -c "grep -q 'SRTP is Enabled' '$BS/a.out' && ! grep -q 'SRTP is Enabled' '$BS/b.out'"
REC=$(ls "$BS"/b/rec/*dec*.wav 2>/dev/null | head -1)
FREQ=$(freq "$REC")
check "bob heard alice's 440 Hz tone (${FREQ:-no recording} Hz)" test "${FREQ:-0}" -ge 400 -a "${FREQ:-0}" -le 480
# As make run stops it: srtprelayd first (Ctrl-C), the datapath after it.
kill -INT $D 2>/dev/null
wait $D
check "default: Ctrl-C stops srtprelayd with exit 0" test $? -eq 0
kill $DP 2>/dev/null
wait $DP 2>/dev/null
check "default: a clean stop logs no error" sh -c "sed -n '/signal 2: /,\$p' '$T/daemon-default.log' | grep -q 'srtprelayd stopped' && ! sed -n '/signal 2: /,\$p' '$T/daemon-default.log' | grep -q ' error '"
echo "$P passed, $F failed"
