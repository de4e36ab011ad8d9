#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Refused calls must not flood the log. A peer can make srtprelayd refuse
# as many INVITEs as it likes once a limit is reached (its media realm has
# no free port pair, its realm is at max_sessions, its IP group at
# max_calls) or while the media plane is gone. Each refusal is a 503 to
# the caller (and a count in status), but the warning that says why is
# written at most a few times per kind (base/log_limit.h: 10 lines in
# 10 s, then a count of those suppressed): a trunk at a limit retrying all
# night must not fill the disk.
#
# For each kind: the calls the limit allows are answered and held, then a
# flood of FLOOD INVITEs (default 200, at 200/s) from the same address
# is refused. Checks: every flood INVITE got a 503, the held calls' BYEs
# went through, and the kind's warning is in the log at least once and at
# most 10 times.
set -u
cd "$(dirname "$0")/../.." || exit 2
. test/attack/sbc_lib.sh
. test/lib.sh
own_netns "$0" "$@"

T=$(mktemp -d /tmp/attack-refusal-log.XXXXXX)
SOCK=$T/control.sock
FLOOD=${FLOOD:-200}

cat > "$T/srtprelayd.conf" <<CONF
log_level = "warning";
state_dir = "$T/state";
control_socket = "$SOCK";
media_backend = "record";
media_realms = (
  { name = "two-pairs"; address = "127.0.0.1"; ports = [ 20000, 20003 ]; max_sessions = 100; },
  { name = "capped"; address = "127.0.0.1"; ports = [ 21000, 21099 ]; max_sessions = 1; },
  { name = "big"; address = "127.0.0.1"; ports = [ 22000, 29999 ]; max_sessions = 10000; }
);
sip_interfaces = ( { name = "lo"; address = "127.0.0.1"; udp_port = 18160; media_realm = "big"; } );
proxy_sets = ( { name = "uas"; targets = [ "127.0.2.1:18170" ]; keepalive = false; } );
ip_groups = (
  { name = "trunk-ports"; match = [ "127.0.1.1" ]; media_realm = "two-pairs"; srtp = "disabled";
    request_rate = 0; },
  { name = "trunk-sessions"; match = [ "127.0.1.2" ]; media_realm = "capped"; srtp = "disabled";
    request_rate = 0; },
  { name = "trunk-calls"; match = [ "127.0.1.3" ]; media_realm = "big"; srtp = "disabled";
    request_rate = 0; max_calls = 1; },
  { name = "callee"; match = [ "127.0.2.1" ]; proxy_set = "uas"; media_realm = "big";
    srtp = "disabled"; request_rate = 0; }
);
routing = ( { name = "out"; to = "callee"; } );
CONF

echo "== refused calls: $FLOOD INVITEs past each limit, the log stays short"
if ! command -v sipp >/dev/null; then
	echo "  skip: no sipp"
	echo "0 passed, 0 failed"
	exit 0
fi
start_daemon "$T/srtprelayd.conf" "$T/daemon.log"
trap 'kill $D $UAS $HELD 2>/dev/null' EXIT
check "srtprelayd started" "$CTL" status -s "$SOCK"

printf 'SEQUENTIAL\nRTP/AVP;\n' > "$T/uas.csv"
printf 'SEQUENTIAL\nRTP/AVP;;;refused\n' > "$T/uac.csv"
(cd "$T" && exec timeout 120 sipp -sf "$SIPDIR/uas_answer.xml" -inf "$T/uas.csv" \
	-i 127.0.2.1 -p 18170 -nostdin > "$T/uas.out" 2>&1) &
UAS=$!
wait_for 5 udp_bound 127.0.2.1 18170

# flood_kind NAME ADDRESS HELD PATTERN: HELD calls from ADDRESS answered and
# held (what the limit allows), then FLOOD refused ones; PATTERN (ERE) is
# the warning each refusal causes.
flood_kind() {
	HELD=
	if [ "$3" -gt 0 ]; then
		(cd "$T" && exec timeout 60 sipp 127.0.0.1:18160 -sf "$SIPDIR/uac_admission.xml" \
			-inf "$T/uac.csv" -i "$2" -p 18180 -m "$3" -l "$3" -r 20 -d 6000 \
			-nostdin -recv_timeout 8000 > "$T/$1-held.out" 2>&1) &
		HELD=$!
		sleep 1
	fi
	log0=$(wc -l < "$T/daemon.log")
	(cd "$T" && timeout 60 sipp 127.0.0.1:18160 -sf "$SIPDIR/uac_admission.xml" \
		-inf "$T/uac.csv" -i "$2" -p 18181 -m "$FLOOD" -r 200 -d 100 -nostdin \
		-recv_timeout 8000 -trace_msg \
		-message_file "$T/$1.msg" > "$T/$1.out" 2>&1)
	held_rc=0
	if [ -n "$HELD" ]; then
		wait $HELD
		held_rc=$?
	fi
	tail -n +$((log0 + 1)) "$T/daemon.log" > "$T/$1.log"
	refused=$(grep -c '^SIP/2.0 503 ' "$T/$1.msg")
	lines=$(grep -Ec "$4" "$T/$1.log")
	echo "    $1: $refused of $FLOOD refused with 503; $lines warnings like /$4/," \
		"$(grep -c 'more lines like the next one suppressed' "$T/$1.log") suppression notes"
	check "$1: every flood INVITE refused with 503" test "$refused" -eq "$FLOOD"
	check "$1: the held calls ended with their BYEs answered" test "$held_rc" -eq 0
	check "$1: the refusal is logged (at least once)" test "$lines" -ge 1
	check "$1: the refusal is logged at most 10 times, not per INVITE" test "$lines" -le 10
}

flood_kind ports 127.0.1.1 2 'media realm two-pairs: all 2 port pairs in use'
flood_kind sessions 127.0.1.2 1 'media realm capped: session limit 1 reached'
flood_kind calls 127.0.1.3 1 'INVITE from 127\.0\.1\.3:18181: 503, IP group trunk-calls is at its limit'
check "srtprelayd is still running" kill -0 "$D"
stop_daemon

# While there is no media plane (no module, no datapath at the socket
# named), every INVITE is refused 503 at once.
sed 's/media_backend = "record"/media_backend = "auto"/' "$T/srtprelayd.conf" > "$T/no-plane.conf"
SRTPRELAY_SOCKET=$T/no-datapath.sock start_daemon "$T/no-plane.conf" "$T/daemon.log"
check "srtprelayd with no media plane started" "$CTL" status -s "$SOCK"
flood_kind plane 127.0.1.1 0 'INVITE from 127\.0\.1\.1:18181: 503, no media plane'
check "srtprelayd is still running" kill -0 "$D"
kill -INT $UAS 2>/dev/null
stop_daemon
trap - EXIT
finish "$T"
