#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# TCP/TLS slowloris (issue 15, item 4). srtprelayd runs with the soft
# file limit systemd gives a service (1024, the hard one above it), then
# with a hard limit of 1024.
#
#   A. 3,000 connections from 12 addresses (10 outside every IP group, 2
#      inside the callers' group), half plain TCP that never send a byte,
#      half TLS stopped after 11 bytes of a ClientHello. While they sit:
#      srtprelayd's CPU stays under 20 %, a new call over a new TLS
#      connection from a caller completes within 2 s, no address holds
#      more connections than the per-address cap (64 by default), and
#      once the deadlines passed (TLS handshake 5 s, first message 10 s)
#      none of them is left open; status counts what was refused and
#      closed.
#   B. fd limit 1,024 (soft and hard) and 1,100 idle TCP connections from
#      10 addresses: CPU under 20 %, the log grows by less than 1 MB a
#      minute (measured over 10 s), and a new TLS call still completes.
set -u
cd "$(dirname "$0")/../.." || exit 2
. test/attack/sbc_lib.sh
own_netns "$0" "$@"

T=$(mktemp -d /tmp/attack-slowloris.XXXXXX)
SOCK=$T/control.sock
OUTSIDE=127.0.8.1,127.0.8.2,127.0.8.3,127.0.8.4,127.0.8.5,127.0.8.6,127.0.8.7,127.0.8.8,127.0.8.9,127.0.8.10

cat > "$T/srtprelayd.conf" <<CONF
state_dir = "$T/state";
control_socket = "$SOCK";
media_backend = "record";
tls_contexts = ( { name = "self"; self_signed = true; } );
media_realms = ( { name = "lo"; address = "127.0.0.1"; ports = [ 30000, 30999 ]; } );
sip_interfaces = ( { name = "lo"; address = "127.0.0.1"; udp_port = 17160; tcp_port = 17160;
  tls_port = 17161; tls_context = "self"; media_realm = "lo"; } );
proxy_sets = ( { name = "uas"; targets = [ "127.0.2.1:17170" ]; keepalive = false; } );
ip_groups = (
  { name = "callers"; match = [ "127.0.1.0/24" ]; srtp = "disabled"; },
  { name = "callee"; match = [ "127.0.2.1" ]; proxy_set = "uas"; srtp = "disabled"; }
);
routing = ( { name = "legit"; from = "callers"; user = "^legit"; to = "callee"; } );
CONF

if ! command -v sipp >/dev/null || ! command -v prlimit >/dev/null; then
	echo "  skip: sipp or prlimit missing"
	echo "0 passed, 0 failed"
	exit 0
fi

# tls_call NAME: a SIPp callee for one call, and a caller over a new TLS
# connection from 127.0.1.1; prints what it measured, true if completed
# within 2 s.
tls_call() {
	printf 'SEQUENTIAL\nRTP/AVP;\n' > "$T/uas.csv"
	(cd "$T" && exec timeout 15 sipp -sf "$SIPDIR/uas_answer.xml" -inf "$T/uas.csv" \
		-i 127.0.2.1 -p 17170 -m 1 -nostdin -aa > "$T/uas-$1.out" 2>&1) &
	_uas=$!
	sleep 0.3
	timeout 12 python3 "$ATTACKDIR/tls_call.py" 127.0.1.1 127.0.0.1 17161 legit > "$T/call-$1.out" 2>&1
	_rc=$?
	kill $_uas 2>/dev/null
	wait $_uas 2>/dev/null
	_ms=$(sed -n 's/^tls_call: completed in \([0-9]*\) ms$/\1/p' "$T/call-$1.out")
	sed 's/^/    /' "$T/call-$1.out"
	[ $_rc -eq 0 ] && [ -n "$_ms" ] && [ "$_ms" -lt 2000 ]
}

# held FROM-REGEX: connections srtprelayd holds established from those
# addresses to its TCP and TLS ports.
held() {
	ss -Htn state established '( sport = :17160 or sport = :17161 )' |
		awk -v re="$1" '{ split($4, a, ":"); if (a[1] ~ re) n++ } END { print n + 0 }'
}

# most_per_address: the most connections held from any one address.
most_per_address() {
	ss -Htn state established '( sport = :17160 or sport = :17161 )' |
		awk '{ split($4, a, ":"); n[a[1]]++ } END { m = 0; for (k in n) if (n[k] > m) m = n[k]; print m }'
}

# wait_line FILE TEXT SECONDS
wait_line() {
	_i=0
	while ! grep -q "$2" "$1" 2>/dev/null && [ $_i -lt $(($3 * 10)) ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
}

echo "== A: 3,000 idle TCP and half-open TLS connections (fd limit 1024 soft, the hard limit above)"
start_daemon "$T/srtprelayd.conf" "$T/a.log" --nofile=1024:
trap 'kill $D $ATT 2>/dev/null' EXIT
check "srtprelayd started" "$CTL" status -s "$SOCK"
LOG0=$(file_bytes "$T/a.log")
python3 "$ATTACKDIR/slowloris.py" --target 127.0.0.1 --tcp 17160 --tls 17161 \
	--sources "$OUTSIDE,127.0.1.200,127.0.1.201" --count 3000 --hold 20 > "$T/att-a.out" 2>&1 &
ATT=$!
wait_line "$T/att-a.out" established 10
START=$(date +%s)
sed 's/^/    /' "$T/att-a.out"
echo "    srtprelayd holds $(held .) connections, at most $(most_per_address) from one address"
check "no address holds more than 64 connections ($(most_per_address))" test "$(most_per_address)" -le 64
CPU=$(cpu_percent "$D" 3)
echo "    srtprelayd CPU over 3 s: $CPU %"
check "srtprelayd's CPU stays under 20 % while they sit there ($CPU %)" test "$CPU" -lt 20
check "a new TLS call completes within 2 s" tls_call a
check "status answers" timeout 2 "$CTL" status -s "$SOCK"
WAIT=$((START + 12 - $(date +%s)))
[ "$WAIT" -gt 0 ] && sleep "$WAIT"
LEFT=$(held .)
echo "    12 s after they connected srtprelayd still holds $LEFT of them"
check "after the handshake and first-message deadlines none is left" test "$LEFT" -eq 0
timeout 2 "$CTL" status -s "$SOCK" > "$T/status-a.txt" 2>&1
grep '^connections-' "$T/status-a.txt" | sed 's/^/    /'
check "status counts the refused and the timed-out connections" sh -c "
	grep -Eq '^connections-refused total [0-9]+ per-ip [1-9]' '$T/status-a.txt' &&
	grep -Eq '^connections-closed handshake [1-9][0-9]* first-message [1-9]' '$T/status-a.txt'"
LOGA=$(( $(file_bytes "$T/a.log") - LOG0 ))
echo "    log grew $((LOGA / 1024)) kB"
check "the log grew by less than 1 MB" test "$LOGA" -lt 1048576
check "srtprelayd is still running" kill -0 "$D"
kill $ATT 2>/dev/null
wait $ATT 2>/dev/null
stop_daemon

echo "== B: fd limit 1024 (soft and hard), 1,100 idle TCP connections"
start_daemon "$T/srtprelayd.conf" "$T/b.log" --nofile=1024:1024
check "srtprelayd started" "$CTL" status -s "$SOCK"
python3 "$ATTACKDIR/slowloris.py" --target 127.0.0.1 --tcp 17160 \
	--sources "$OUTSIDE" --count 1100 --hold 15 > "$T/att-b.out" 2>&1 &
ATT=$!
wait_line "$T/att-b.out" established 10
sed 's/^/    /' "$T/att-b.out"
LOG0=$(file_bytes "$T/b.log")
CPU=$(cpu_percent "$D" 10)
LOGB=$(( $(file_bytes "$T/b.log") - LOG0 ))
echo "    over 10 s: CPU $CPU %, log grew $LOGB bytes"
check "srtprelayd's CPU stays under 20 % ($CPU %)" test "$CPU" -lt 20
check "its log grows by less than 1 MB a minute ($LOGB bytes in 10 s)" test "$LOGB" -lt 174763
check "a new TLS call completes within 2 s" tls_call b
check "srtprelayd is still running" kill -0 "$D"
kill $ATT 2>/dev/null
wait $ATT 2>/dev/null
stop_daemon
trap - EXIT
echo "    log excerpt (B):"
sort -k3 "$T/b.log" | awk '{ $1 = ""; print }' | uniq -c | sort -rn | head -n 5 | cut -c1-150 | sed 's/^/      /'
finish "$T"
