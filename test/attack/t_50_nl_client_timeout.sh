#!/bin/sh
# Control planes (issue 15, item 6): every media-plane call of the netlink
# client (libsrtp-glue/relay_netlink.c, used by srtprelayd and
# srtprelayctl) ends within its timeout when the userspace datapath's
# socket accepts but never answers, or never reads: a stuck or hostile
# backend must not freeze srtprelayd's one thread with it.
cd "$(dirname "$0")/../.." || exit 2
. test/attack/lib_ctl.sh

work=$(attack_workdir t_50)
sock=$work/silent.sock

# mode: "read" reads every request and answers none; "deaf" never reads.
silent_server() {
	python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.bind(sys.argv[1]); s.listen(64)
held = []
while True:
    c, _ = s.accept()
    held.append(c)
    if sys.argv[2] == "read":
        c.setblocking(False)
        for h in held:
            try:
                while h.recv(65536): pass
            except OSError:
                pass
' "$sock" "$1" &
	server=$!
	wait_for_socket "$sock"
}

# A call against the server must fail within 4 s (the client's 2 s budget
# plus start-up), saying why; `timeout 20` bounds the old, hanging code.
times_out() {
	what=$1
	shift
	t0=$(now_ms)
	SRTPRELAY_BACKEND=userspace SRTPRELAY_SOCKET=$sock timeout 20 "$@" \
		>"$work/out" 2>&1
	status=$?
	took=$(($(now_ms) - t0))
	say "$what: exit $status after $took ms: $(head -c 200 "$work/out")"
	[ "$status" -ne 0 ] && [ "$status" -ne 124 ] && [ "$took" -lt 4000 ] &&
		grep -q 'did not answer\|took no request' "$work/out"
}

silent_server read
check "srtprelayctl stats against a datapath that reads but never answers ends in < 4 s" \
	times_out "stats, silent datapath" ${CTL:-build/srtprelayctl} stats
check "srtprelayctl realm list against the same ends in < 4 s" \
	times_out "realm list, silent datapath" ${CTL:-build/srtprelayctl} realm list
kill "$server"
wait "$server" 2>/dev/null
rm -f "$sock"

# A server that never reads: its queue fills, the client's send() blocks.
silent_server deaf
check "srtprelayctl stats against a datapath that never reads ends in < 4 s" \
	times_out "stats, deaf datapath" ${CTL:-build/srtprelayctl} stats
kill "$server"
wait "$server" 2>/dev/null

finish
