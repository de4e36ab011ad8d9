# Sourced by the attack tests that run srtprelayd against SIPp peers
# (t_6x keys, t_7x offers): the checks and SIPp helpers of test/sip/lib.sh,
# a scratch folder, and one srtprelayd started on a configuration the test
# writes. Run from the top of the tree (test/attack/run.sh does).
BUILD=${BUILD:-build}
DAEMON=$BUILD/srtprelayd
SIPDIR=$(pwd)/test/sip
ATTACKDIR=$(pwd)/test/attack
SIP_PORT=15060
T=$(mktemp -d /tmp/attack.XXXXXX)
. "$SIPDIR/lib.sh"

# start_daemon CONF [srtprelayd options]: logs to $T/daemon.log.
start_daemon() {
	_conf=$1
	shift
	: > "$T/daemon.log"
	"$DAEMON" -c "$_conf" "$@" > "$T/daemon.log" 2>&1 &
	DAEMON_PID=$!
	trap 'kill $DAEMON_PID 2>/dev/null' EXIT
	for _i in 1 2 3 4 5 6 7 8 9 10; do
		grep -q "srtprelayd ready" "$T/daemon.log" && break
		sleep 0.2
	done
	LOGSTART=0
	check "srtprelayd started" grep -q "srtprelayd ready" "$T/daemon.log"
}

# stop_daemon: SIGTERM, and it must exit 0.
stop_daemon() {
	kill -TERM "$DAEMON_PID" 2>/dev/null
	wait "$DAEMON_PID"
	check "srtprelayd exited 0 on SIGTERM" test $? -eq 0
	trap - EXIT
}

# finish: the closing count; the scratch folder is kept when a check failed.
finish() {
	if [ "$FAILED" -eq 0 ]; then
		rm -rf "$T"
	else
		echo "logs kept in $T"
	fi
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
	exit
}

# A configuration for these tests: one UDP/TCP interface on 127.0.0.1:15060,
# callers 127.0.0.11 (mandatory) and 127.0.0.12 (preferable), a SIPp callee
# at 127.0.0.20:15070, user "dead..." routed to a TCP target that refuses.
# $1: extra top-level settings, $2: extra ip_groups entries.
write_conf() {
	cat <<CONF
log_level = "info";
state_dir = "$T/state";
control_socket = "$T/state/control.sock";
media_backend = "record";
$1
media_realms = (
  { name = "lo"; address = "127.0.0.1"; ports = [ 35000, 35099 ]; }
);
sip_interfaces = (
  { name = "lo"; address = "127.0.0.1"; udp_port = 15060; tcp_port = 15060;
    media_realm = "lo"; }
);
proxy_sets = (
  { name = "uas"; targets = [ "127.0.0.20:15070" ]; keepalive = false; },
  { name = "dead"; targets = [ "127.0.0.21:15072;transport=tcp" ];
    keepalive = false; }
);
ip_groups = (
  { name = "caller-mandatory"; match = [ "127.0.0.11" ]; srtp = "mandatory"; },
  { name = "caller-preferable"; match = [ "127.0.0.12" ]; srtp = "preferable"; },
  $2
  { name = "callee-mandatory"; proxy_set = "uas"; srtp = "mandatory"; },
  { name = "callee-dead"; proxy_set = "dead"; srtp = "mandatory"; }
);
routing = (
  { name = "to-dead"; user = "^(dead|blackhole)"; to = "callee-dead"; },
  { name = "to-callee"; user = "."; to = "callee-mandatory"; }
);
CONF
}
