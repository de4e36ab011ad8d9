#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Connections that fail must not flood the log. Anyone who can reach a
# TCP or TLS port can open a connection and end it badly, as fast as the
# host lets them: a TLS port sent bytes that are no handshake, a TCP
# connection reset (RST) after half a request. srtprelayd closes each and
# counts it; the warning that says why passes the per-kind log limiter
# (base/log_limit.h: 10 lines in 10 s, then a count of those suppressed).
#
# ROUNDS (default 300) connections of each kind from inside an IP group
# (127.0.1.1) and outside every one (127.0.8.1). Checks: each kind's
# warning is in the log at least once and at most 10 times; srtprelayd
# answers OPTIONS over TCP afterwards.
set -u
cd "$(dirname "$0")/../.." || exit 2
. test/attack/sbc_lib.sh
own_netns "$0" "$@"

T=$(mktemp -d /tmp/attack-connection-log.XXXXXX)
SOCK=$T/control.sock
ROUNDS=${ROUNDS:-300}

cat > "$T/srtprelayd.conf" <<CONF
log_level = "warning";
state_dir = "$T/state";
control_socket = "$SOCK";
media_backend = "record";
tls_contexts = ( { name = "self"; self_signed = true; } );
media_realms = ( { name = "lo"; address = "127.0.0.1"; ports = [ 30000, 30999 ]; } );
sip_interfaces = ( { name = "lo"; address = "127.0.0.1"; udp_port = 17260; tcp_port = 17260;
  tls_port = 17261; tls_context = "self"; media_realm = "lo"; } );
ip_groups = ( { name = "callers"; match = [ "127.0.1.0/24" ]; srtp = "disabled";
  request_rate = 0; } );
CONF

echo "== failed connections: $ROUNDS of each kind, the log stays short"
start_daemon "$T/srtprelayd.conf" "$T/daemon.log"
trap 'kill $D 2>/dev/null' EXIT
check "srtprelayd started" "$CTL" status -s "$SOCK"

# bad_connections KIND SOURCE: ROUNDS connections from SOURCE that fail.
bad_connections() {
	python3 - "$1" "$2" "$ROUNDS" <<'PY'
import socket, struct, sys
kind, source, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
for _ in range(rounds):
    s = socket.socket()
    s.bind((source, 0))
    try:
        if kind == "tls-garbage":
            s.connect(("127.0.0.1", 17261))
            s.sendall(b"OPTIONS sip:x SIP/2.0\r\n\r\n")  # no ClientHello
            s.settimeout(2)
            try:
                s.recv(100)
            except OSError:
                pass
        else:  # tcp-reset: half a request, then RST
            s.connect(("127.0.0.1", 17260))
            s.sendall(b"OPTIONS sip:x SIP/2.0\r\nVia: SIP/2.0/TCP 1")
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    s.close()
PY
}

# kind_check NAME PATTERN: the kind's warnings (ERE) in the log since $LOG0.
kind_check() {
	tail -n +$((LOG0 + 1)) "$T/daemon.log" > "$T/$1.log"
	lines=$(grep -Ec "$2" "$T/$1.log")
	echo "    $1: $lines warnings like /$2/ for $((2 * ROUNDS)) connections," \
		"$(grep -c 'more lines like the next one suppressed' "$T/$1.log") suppression notes"
	check "$1: logged at least once" test "$lines" -ge 1
	check "$1: logged at most 10 times, not per connection" test "$lines" -le 10
}

sleep 11	# a fresh limiter window for each kind
LOG0=$(wc -l < "$T/daemon.log")
bad_connections tls-garbage 127.0.1.1
bad_connections tls-garbage 127.0.8.1
sleep 0.5
kind_check tls-garbage 'tls .*handshake failed'

sleep 11
LOG0=$(wc -l < "$T/daemon.log")
bad_connections tcp-reset 127.0.1.1
bad_connections tcp-reset 127.0.8.1
sleep 0.5
kind_check tcp-reset 'connection .*recv: '

check "srtprelayd answers OPTIONS over TCP afterwards" sh -c "printf 'OPTIONS sip:ping@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.1.2:5099;branch=z9hG4bK-t33\r\nFrom: <sip:t@127.0.1.2>;tag=1\r\nTo: <sip:ping@127.0.0.1>\r\nCall-ID: t33\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n' | timeout 5 python3 -c '
import socket, sys
s = socket.socket(); s.bind((\"127.0.1.2\", 0)); s.connect((\"127.0.0.1\", 17260))
s.sendall(sys.stdin.buffer.read()); s.settimeout(4)
sys.exit(0 if s.recv(200).startswith(b\"SIP/2.0 200\") else 1)'"
check "srtprelayd is still running" kill -0 "$D"
stop_daemon
trap - EXIT
finish "$T"
