#!/bin/sh
# Control planes (issue 15, item 6): the userspace datapath's control
# socket against local users. Only root and the configured group (-g)
# may connect (SO_PEERCRED, mode 0660); a client that never reads or
# sends half a message is dropped, never blocks the control thread (nor
# the other clients); the stream table stops at its cap (-m) with a clear
# error.
cd "$(dirname "$0")/../.." || exit 2
. test/attack/lib_ctl.sh

work=$(attack_workdir t_51)
bin=${DATAPATH_BIN:-build/srtprelay-datapath}
# What uid 65534 runs or connects to lives where it can reach it: the
# tree may sit in a folder only root may enter (a clone under /root).
pub=$(mktemp -d /tmp/srtprelay-t51.XXXXXX)
chmod 755 "$pub"
cp "${CTL:-build/srtprelayctl}" test/attack/nl_unix_client.py "$pub/"
ctl=$pub/srtprelayctl
client=$pub/nl_unix_client.py
sock=$pub/datapath.sock
group=4242
cap=300
export SRTPRELAY_BACKEND=userspace SRTPRELAY_SOCKET=$sock
# The system's python: nobody cannot reach one under /root.
py=/usr/bin/python3
nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
member="setpriv --reuid=65534 --regid=$group --clear-groups"
chmod 755 "$work"

start_datapath() {
	"$bin" -s "$sock" -w 1 -q 8700 -g $group -m $cap >"$work/datapath.log" 2>&1 &
	dp=$!
	sleep 0.5
	if ! kill -0 $dp 2>/dev/null; then
		say "this datapath refused -g/-m: $(head -c 200 "$work/datapath.log"); started without them"
		"$bin" -s "$sock" -w 1 -q 8700 >"$work/datapath.log" 2>&1 &
		dp=$!
	fi
	wait_for_socket "$sock"
	say "socket: $(stat -c '%A %U:%g' "$sock")"
}

# Answers within 1 s, as root: the control thread is not stuck.
serves() {
	t0=$(now_ms)
	timeout 10 "$ctl" stats >"$work/stats" 2>&1
	status=$?
	took=$(($(now_ms) - t0))
	say "$1: srtprelayctl stats as root: exit $status in $took ms$( [ $status -ne 0 ] && echo ": $(head -c 150 "$work/stats" | tr "\n" " ")")"
	[ $status -eq 0 ] && [ $took -lt 1000 ]
}

refused_as() {
	who=$1
	shift
	timeout 10 $who "$ctl" "$@" >"$work/np" 2>&1
	status=$?
	say "as uid 65534 ($who): srtprelayctl $*: exit $status: $(head -c 150 "$work/np" | tr "\n" " ")"
	[ $status -ne 0 ] && [ $status -ne 124 ] && grep -qi 'permission denied\|not permitted\|refused\|closed the connection\|reset' "$work/np"
}

nobody_refused() {
	refused_as "$nobody" stats || return 1
	refused_as "$nobody" realm list
}

# An administrator's slip (or a process of the group that opens it up)
# must not open the datapath: the server checks the peer, not the file.
nobody_refused_socket_open_to_all() {
	mode=$(stat -c %a "$sock")
	chmod 666 "$sock"
	r=0
	refused_as "$nobody" stats || r=1
	refused_as "$nobody" stream flush || r=1
	refused_as "$nobody unshare -U -r" stream flush || r=1
	chmod "$mode" "$sock"
	return $r
}

nobody_in_userns_refused() {
	refused_as "$nobody unshare -U -r" stats || return 1
	refused_as "$nobody unshare -U -r" stream flush
}

member_allowed() {
	timeout 10 $member "$ctl" stats >"$work/member" 2>&1
	status=$?
	say "as uid 65534 gid $group: srtprelayctl stats: exit $status"
	[ $status -eq 0 ]
}

add_streams() { # FIRST COUNT: plain streams 10.0.99.1:FIRST.. (step 2)
	i=0
	while [ $i -lt "$2" ]; do
		p=$(($1 + 2 * i))
		timeout 10 "$ctl" stream add "10.0.99.1:$p" out-src "10.0.99.1:$p" out-dst 10.0.99.2:7000 \
			in-suite NONE out-suite NONE >"$work/add" 2>&1 || return 1
		i=$((i + 1))
	done
}

stream_count() { timeout 10 "$ctl" -j stats 2>/dev/null | tr -d ' \n' | grep -o '"streams":[0-9]*' | cut -d: -f2; }

hostile() { # MODE ARGS...: starts the client, waits for its "ready"
	$py "$client" "$@" >"$work/hostile.out" 2>&1 &
	hostile_pid=$!
	for _ in $(seq 50); do
		grep -q ready "$work/hostile.out" && break
		sleep 0.1
	done
	say "hostile client: $(cat "$work/hostile.out")"
}

never_reads() {
	hostile dumps "$sock" 2000
	r=0
	serves "while a client holds 2000 unread dumps of $cap streams" || r=1
	timeout 10 "$ctl" stream del 10.0.99.1:20000 >/dev/null 2>&1 &&
		timeout 10 "$ctl" stream add 10.0.99.1:20000 out-src 10.0.99.1:20000 out-dst 10.0.99.2:7000 \
			in-suite NONE out-suite NONE >"$work/readd" 2>&1 ||
		{ say "stream del/add meanwhile failed: $(cat "$work/readd")"; r=1; }
	kill $hostile_pid
	wait $hostile_pid 2>/dev/null
	return $r
}

half_message() {
	hostile half "$sock"
	serves "while a client holds half a message"
	r=$?
	kill $hostile_pid
	wait $hostile_pid 2>/dev/null
	return $r
}

slots_held_by_nobody() {
	mode=$(stat -c %a "$sock")
	chmod 666 "$sock"
	$nobody $py "$client" hold "$sock" 100 >"$work/hostile.out" 2>&1 &
	hostile_pid=$!
	sleep 1
	say "as nobody: $(cat "$work/hostile.out")"
	serves "while nobody tries to hold 100 connections"
	r=$?
	chmod "$mode" "$sock"
	kill $hostile_pid
	wait $hostile_pid 2>/dev/null
	return $r
}

cap_holds() {
	n=$(stream_count)
	add_streams $((20000 + 2 * n)) $((cap - n)) || { say "adding up to the cap failed: $(cat "$work/add")"; return 1; }
	say "$(stream_count) streams installed (cap $cap)"
	if add_streams 30000 1; then
		say "stream $((cap + 1)) was accepted; $(stream_count) streams"
		return 1
	fi
	say "stream $((cap + 1)): $(cat "$work/add")"
	grep -q "limit\|cap" "$work/add" && [ "$(stream_count)" -eq $cap ]
}

start_datapath
timeout 10 "$ctl" realm add 1 10.0.99.1 20000-39999 >"$work/realm" 2>&1 || say "realm add: $(cat "$work/realm")"
check "nobody cannot connect to the datapath socket" nobody_refused
check "nobody is refused even with the socket file chmod 666 (peer credentials)" \
	nobody_refused_socket_open_to_all
check "nobody in a user namespace (unshare -U -r) cannot connect either" nobody_in_userns_refused
check "a member of the datapath's group (-g $group) can" member_allowed
add_streams 20000 200 || say "adding 200 streams: $(cat "$work/add")"
check "a client with 2000 unread dumps does not stop the datapath serving others" never_reads
check "a client that sends half a message does not either" half_message
check "nobody holding 100 connections does not take root's slot" slots_held_by_nobody
check "the stream table stops at its cap ($cap) with a clear error" cap_holds
kill $dp
wait $dp
say "datapath exit status $?"
rm -rf "$pub"
finish
