#!/bin/sh
# SIP tests of srtprelayd with real peers (SIPp 3.6 over UDP and TCP) on
# loopback: each check printed, "N passed, N failed" at the end.
#
# The signalling tests run srtprelayd with media_backend = "record" (no
# datapath): they check the signalling and the exact streams srtprelayd
# installs (its "media: stream add/set/del" log lines). Media flow is
# checked by t_08_media.sh with the userspace datapath in a network
# namespace of its own (srtprelay.ko cannot be loaded on this host).
#
# Usage: test/sip/run.sh [path/to/srtprelayd]
DAEMON=${1:-build/srtprelayd}
SIPDIR=$(cd "$(dirname "$0")" && pwd)
# srtprelayctl calls/status reads the daemon's control socket.
CTLBIN=$(dirname "$DAEMON")/srtprelayctl
SIP_PORT=15060
CTL_SOCK=/tmp/srtprelayd-sipcheck/control.sock
T=$(mktemp -d /tmp/sipcheck.XXXXXX)
. "$SIPDIR/lib.sh"

sh "$SIPDIR/mkcerts.sh" /tmp/srtprelayd-sipcheck/pki
"$DAEMON" -c "$SIPDIR/srtprelayd.conf" > "$T/daemon.log" 2>&1 &
DAEMON_PID=$!
trap 'kill $DAEMON_PID 2>/dev/null' EXIT
sleep 0.5
LOGSTART=0
check "srtprelayd started on the test configuration" kill -0 $DAEMON_PID

# SIP_TESTS=t_04 runs one file (t_99, the SIGTERM test, always runs last).
for t in "$SIPDIR"/${SIP_TESTS:-t_}*.sh; do
	. "$t"
done

[ -n "$SIP_TESTS" ] && . "$SIPDIR/t_99_sigterm.sh"
kill -TERM $DAEMON_PID 2>/dev/null
wait $DAEMON_PID
check "srtprelayd exited 0 on SIGTERM" test $? -eq 0
trap - EXIT
if [ "$FAILED" -eq 0 ]; then
	rm -rf "$T"
else
	echo "logs kept in $T"
fi
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
