#!/bin/sh
# Control planes (issue 15, item 6): srtprelayd's control socket against
# local users. With 800 calls up, a client that asks for "calls" and
# never reads (`srtprelayctl calls | less`) must not stop SIP nor the
# other control clients; a client that sends half a line is dropped; only
# root, srtprelayd's own user and control_group may connect (peer
# credentials, not only the file's mode); srtprelayctl gives up on a
# srtprelayd that never answers.
cd "$(dirname "$0")/../.." || exit 2
. test/attack/lib_ctl.sh

work=$(attack_workdir t_52)
daemon=${DAEMON_BIN:-build/srtprelayd}
ctl=${CTL:-build/srtprelayctl}
sock=/tmp/srtprelayd-t52/control.sock
py=/usr/bin/python3
nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
member="setpriv --reuid=65534 --regid=4242 --clear-groups"
N=800
mkdir -p /tmp/srtprelayd-t52
chmod 755 "$work" /tmp/srtprelayd-t52

start_daemon() {
	cp test/attack/srtprelayd-ctl.conf "$work/srtprelayd.conf"
	"$daemon" -c "$work/srtprelayd.conf" >"$work/daemon.log" 2>&1 &
	d=$!
	sleep 0.5
	if ! kill -0 $d 2>/dev/null; then
		say "this srtprelayd refused the configuration: $(grep -i error "$work/daemon.log" | head -2); started without control_group"
		grep -v control_group test/attack/srtprelayd-ctl.conf >"$work/srtprelayd.conf"
		"$daemon" -c "$work/srtprelayd.conf" >"$work/daemon.log" 2>&1 &
		d=$!
	fi
	wait_for_socket "$sock"
	say "socket: $(stat -c '%A %U:%g' "$sock")"
}

# An OPTIONS over UDP answered within 1 s: the SIP loop is not stuck.
sip_answers() {
	"$py" - 127.0.0.1 16160 <<'PY' >"$work/options" 2>&1
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.71", 0))
s.settimeout(1.0)
port = s.getsockname()[1]
msg = ("OPTIONS sip:127.0.0.1:16160 SIP/2.0\r\n"
       "Via: SIP/2.0/UDP 127.0.0.71:%d;branch=z9hG4bK-t52-%d\r\n"
       "From: <sip:probe@127.0.0.71>;tag=t52\r\nTo: <sip:127.0.0.1>\r\n"
       "Call-ID: t52-%d@127.0.0.71\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n"
       "Content-Length: 0\r\n\r\n") % (port, time.time_ns(), time.time_ns())
t0 = time.monotonic()
s.sendto(msg.encode(), (sys.argv[1], int(sys.argv[2])))
try:
    data = s.recv(4096)
    print("answered in %d ms: %s" % ((time.monotonic() - t0) * 1000,
                                    data.split(b"\r\n")[0].decode()))
except socket.timeout:
    print("no answer in 1 s")
    sys.exit(1)
PY
	status=$?
	say "$1: OPTIONS $(cat "$work/options")"
	return $status
}

status_answers() {
	t0=$(now_ms)
	timeout 10 "$ctl" status -s "$sock" >"$work/status" 2>&1
	status=$?
	took=$(($(now_ms) - t0))
	say "$1: srtprelayctl status: exit $status in $took ms, $(grep '^calls' "$work/status")"
	[ $status -eq 0 ] && [ $took -lt 1000 ]
}

hostile() { # MODE ARGS...: a client of test/attack/nl_unix_client.py
	: >"$work/hostile.out"
	"$py" test/attack/nl_unix_client.py "$@" >"$work/hostile.out" 2>&1 &
	hostile_pid=$!
	for _ in $(seq 50); do
		grep -q ready "$work/hostile.out" && break
		sleep 0.1
	done
	say "hostile client: $(cat "$work/hostile.out")"
}

calls_never_read() {
	hostile line "$sock" "calls
"
	sleep 1
	r=0
	sip_answers "while a client sits on the calls of $N calls" || r=1
	status_answers "meanwhile" || r=1
	kill $hostile_pid
	wait $hostile_pid 2>/dev/null
	return $r
}

# Whether srtprelayd still holds the hostile client's connection.
held() { ss -x -p 2>/dev/null | grep -c "$sock.*srtprelayd"; }

half_line_dropped() {
	hostile line "$sock" "cal"
	r=0
	status_answers "while a client holds half a line" || r=1
	sleep 3
	# The client's end sees the close: a read returns 0.
	"$py" - "$sock" <<'PY' >"$work/half" 2>&1 || r=1
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1]); s.send(b"sta")
s.settimeout(6)
t0 = time.monotonic()
try:
    d = s.recv(100)
    print("srtprelayd closed a half line after %.1f s (%r)" % (time.monotonic() - t0, d[:40]))
except socket.timeout:
    print("srtprelayd still holds a half line after 6 s"); sys.exit(1)
PY
	say "$(cat "$work/half")"
	kill $hostile_pid
	wait $hostile_pid 2>/dev/null
	return $r
}

refused_as() {
	who=$1
	shift
	timeout 10 $who "$ctl" "$@" -s "$sock" >"$work/np" 2>&1
	status=$?
	say "as uid 65534 ($who): srtprelayctl $*: exit $status: $(head -c 150 "$work/np" | tr '\n' ' ')"
	[ $status -ne 0 ] && [ $status -ne 124 ] && ! grep -q '^calls\|^call ' "$work/np"
}

nobody_refused() {
	mode=$(stat -c %a "$sock")
	chmod 666 "$sock"
	r=0
	refused_as "$nobody" status || r=1
	refused_as "$nobody unshare -U -r" calls || r=1
	timeout 10 $member "$ctl" status -s "$sock" >"$work/member" 2>&1 ||
		{ say "a member of control_group was refused: $(cat "$work/member")"; r=1; }
	chmod "$mode" "$sock"
	return $r
}

ctl_times_out() {
	"$py" -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1]); s.listen(8)
held = []
while True:
    c, _ = s.accept(); held.append(c)
' "$work/silent.sock" &
	silent=$!
	wait_for_socket "$work/silent.sock"
	t0=$(now_ms)
	timeout 20 "$ctl" status -s "$work/silent.sock" >"$work/silent" 2>&1
	status=$?
	took=$(($(now_ms) - t0))
	kill $silent
	say "srtprelayctl status against a srtprelayd that never answers: exit $status after $took ms: $(head -c 150 "$work/silent")"
	[ $status -ne 0 ] && [ $status -ne 124 ] && [ $took -lt 6000 ]
}

start_daemon
printf 'SEQUENTIAL\nRTP/AVP;;;ctl\n' >"$work/uac.csv"
printf 'SEQUENTIAL\nRTP/AVP;\n' >"$work/uas.csv"
(cd "$work" && exec timeout 120 sipp -sf "$PWD/../../../test/sip/uas_answer.xml" \
	-inf "$work/uas.csv" -i 127.0.0.72 -p 16170 -m $N -nostdin -aa >/dev/null 2>&1) &
uas=$!
sleep 0.3
(cd "$work" && exec timeout 120 sipp 127.0.0.1:16160 -sf "$PWD/../../../test/sip/uac_hold.xml" \
	-inf "$work/uac.csv" -i 127.0.0.71 -p 16180 -m $N -l $N -r 200 -d 60000 -nostdin \
	-timeout 110 >/dev/null 2>&1) &
uac=$!
for _ in $(seq 100); do
	c=$(timeout 5 "$ctl" status -s "$sock" 2>/dev/null | awk '$1 == "calls" { print $2 }')
	[ "${c:-0}" -ge $N ] && break
	sleep 0.2
done
timeout 10 "$ctl" calls -s "$sock" >"$work/calls.txt" 2>&1
say "$c calls up; srtprelayctl calls answers $(wc -c <"$work/calls.txt") bytes"

check "SIP and the control socket answer while a client never reads its calls" calls_never_read
check "a client that sends half a line is closed, others served" half_line_dropped
check "nobody is refused even with the socket file chmod 666; control_group is not" nobody_refused
check "srtprelayctl gives up on a srtprelayd that never answers" ctl_times_out
kill $uac $uas 2>/dev/null
wait $uac $uas 2>/dev/null
kill $d
wait $d
say "srtprelayd exit status $?"
finish
