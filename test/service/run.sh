#!/bin/sh
# make servicecheck: srtprelayd and srtprelay-datapath as their systemd
# units run them. Each program runs with a NOTIFY_SOCKET of the test's own
# (notify.py) and must send READY=1, WATCHDOG=1 at half of WATCHDOG_USEC
# and STOPPING=1 on SIGTERM; then both run as an unprivileged user with
# exactly the capabilities their units grant (AmbientCapabilities=, read
# from the unit files) and must still work, and must fail without each one;
# last, what make install writes passes systemd-analyze verify and
# srtprelayd -t.
#
# Runs as root in scripts/isolated.sh's namespaces (service.mk): the
# datapath installs iptables rules, srtprelayd binds 5060. The last line is
# "N passed, N failed".
# as_service prints a command prefix that is split on purpose.
# shellcheck disable=SC2046
set -u
cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-build}
T=/tmp/servicecheck
UNITS=daemon/systemd
SERVICE_USER=nobody
SERVICE_GROUP=$(id -gn "$SERVICE_USER")
DP_SOCK=/run/srtprelay/datapath.sock	# the default both programs use
rm -rf "$T" && mkdir -p "$T"

# Adds up the checks' lines: notify.py prints its own.
count() {
	passed=0 failed=0
	while IFS= read -r line; do
		printf '%s\n' "$line"
		case $line in
		"  ok   "*) passed=$((passed + 1)) ;;
		"  FAIL "*) failed=$((failed + 1)) ;;
		esac
	done
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}

check() {
	desc=$1
	shift
	if "$@" >"$T/check.out" 2>&1; then
		echo "  ok   $desc"
	else
		echo "  FAIL $desc"
		sed 's/^/  | /' "$T/check.out" | tail -n 20
	fi
}

# notify.py prints its checks; an exit other than 0 means it broke off.
notify() {
	python3 test/service/notify.py "$@" ||
		echo "  FAIL notify.py broke off (exit $?): $*"
}

# The embedded default with its state in the test's folder: what make
# install writes to /etc/srtprelay/srtprelayd.conf, state_dir aside.
"$BUILD/srtprelayd" -p | sed "s|^state_dir = .*|state_dir = \"$T/state\";|" \
	>"$T/srtprelayd.conf"

# "CAP_NET_ADMIN CAP_NET_RAW" in a unit -> "+net_admin,+net_raw" for setpriv.
unit_caps() {
	sed -n 's/^AmbientCapabilities=//p' "$UNITS/$1" | tr ' ' '\n' |
		sed -n 's/^CAP_\(.*\)/+\1/p' | tr '[:upper:]' '[:lower:]' | paste -sd, -
}

# The command prefix that runs a program as the service user with only
# the capabilities given (no spaces in it: used unquoted).
as_service() {
	echo setpriv --reuid="$SERVICE_USER" --regid="$SERVICE_GROUP" \
		--clear-groups --inh-caps="-all${1:+,$1}" \
		--ambient-caps="-all${1:+,$1}" --bounding-set="-all${1:+,$1}" --
}

without() {
	echo "$1" | tr ',' '\n' | grep -vx -- "$2" | paste -sd, -
}

wait_socket() {
	for _ in $(seq 50); do
		[ -S "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

# The datapath as the service user with capabilities $1: 0 if it never
# opened its control socket.
datapath_refuses() {
	sock=$T/state/refuse.sock
	$(as_service "$1") "$BUILD/srtprelay-datapath" -w 1 -q 8830 \
		-s "$sock" &
	pid=$!
	started=0
	wait_socket "$sock" && started=1
	kill "$pid" 2>/dev/null
	wait "$pid"
	[ "$started" -eq 0 ]
}

# srtprelayctl as user $1 on the datapath: reads, but may not change it.
datapath_refuses_user() {
	ctl="setpriv --reuid=$1 --regid=$1 --clear-groups -- $BUILD/srtprelayctl"
	export SRTPRELAY_BACKEND=userspace SRTPRELAY_SOCKET="$DP_SOCK"
	! $ctl realm list && ! $ctl realm add 9 127.0.0.1 40000-40099
}

# systemd-analyze verify on the installed units, their programs' paths
# moved into DESTDIR (verify checks that ExecStart= is executable) and man
# pages not looked up (they are not installed on this host). verify exits
# 0 on an unknown key or a bad value, so any line it prints fails too.
units_verify() {
	mkdir -p "$T/units"
	for unit in srtprelayd.service srtprelay-datapath.service; do
		sed "s|/usr/sbin/|$T/inst/usr/sbin/|g" \
			"$T/inst/lib/systemd/system/$unit" >"$T/units/$unit"
	done
	systemd-analyze verify --man=no "$T/units/srtprelayd.service" \
		"$T/units/srtprelay-datapath.service" >"$T/verify.out" 2>&1
	status=$?
	cat "$T/verify.out"
	[ "$status" -eq 0 ] && ! [ -s "$T/verify.out" ]
}

# /usr/src/srtprelay-VERSION/dkms.conf says VERSION (make install wrote it).
dkms_conf_versioned() {
	dir=$(echo "$T"/inst/usr/src/srtprelay-*)
	grep -qx "PACKAGE_VERSION=\"${dir##*/srtprelay-}\"" "$dir/dkms.conf"
}

srtprelayd_refuses() {
	! timeout 5 $(as_service "$1") "$BUILD/srtprelayd" -c "$T/srtprelayd.conf"
}

suite() {
	dp_caps=$(unit_caps srtprelay-datapath.service)
	d_caps=$(unit_caps srtprelayd.service)
	echo "== capabilities the units grant: datapath $dp_caps, srtprelayd $d_caps"

	echo "== srtprelay-datapath under a NOTIFY_SOCKET (root)"
	notify --status 'workers on UDP sockets' -- \
		"$BUILD/srtprelay-datapath" -w 1 -q 8800

	echo "== srtprelayd under a NOTIFY_SOCKET, media plane up (root)"
	mkdir -p "$(dirname "$DP_SOCK")"
	"$BUILD/srtprelay-datapath" -w 1 -q 8810 >"$T/datapath.log" 2>&1 &
	dp_pid=$!
	wait_socket "$DP_SOCK"
	notify --status 'media plane: userspace datapath' -- \
		"$BUILD/srtprelayd" -c "$T/srtprelayd.conf"

	echo "== srtprelayd, WATCHDOG_PID another process's: no pings"
	notify --watchdog-pid 1 --no-watchdog --seconds 1.5 --status . -- \
		"$BUILD/srtprelayd" -c "$T/srtprelayd.conf"
	kill "$dp_pid"
	wait "$dp_pid"

	echo "== srtprelayd with no media plane: READY, and says it waits"
	notify --status 'waiting for srtprelay.ko or srtprelay-datapath' -- \
		"$BUILD/srtprelayd" -c "$T/srtprelayd.conf"

	echo "== as $SERVICE_USER with the units' capabilities only"
	rm -rf "$T/state" "$(dirname "$DP_SOCK")"
	mkdir -p "$T/state" "$(dirname "$DP_SOCK")"
	chown "$SERVICE_USER" "$T/state" "$(dirname "$DP_SOCK")"
	chmod 700 "$T/state"
	$(as_service "$dp_caps") "$BUILD/srtprelay-datapath" -w 1 -q 8820 \
		>"$T/datapath-user.log" 2>&1 &
	dp_pid=$!
	check "datapath as $SERVICE_USER ($dp_caps): control socket up" \
		wait_socket "$DP_SOCK"
	# The realms go in over the datapath's control socket from srtprelayd,
	# another process of the same service user: it must be let in.
	notify --name "srtprelayd as $SERVICE_USER" \
		--status 'media plane: userspace datapath' --seconds 1.5 -- \
		$(as_service "$d_caps") "$BUILD/srtprelayd" -c "$T/srtprelayd.conf"
	# Any other user is refused, reading too: the socket is for root, the
	# service user and the -g group only (issue 15, item 6).
	check "datapath refuses user daemon, to read as to change" \
		datapath_refuses_user daemon
	kill "$dp_pid"
	wait "$dp_pid"
	check "datapath as $SERVICE_USER: exit status 0 after SIGTERM" test $? -eq 0

	echo "== each capability is needed"
	for cap in $(echo "$dp_caps" | tr ',' ' '); do
		check "datapath without ${cap#+} refuses to start" \
			datapath_refuses "$(without "$dp_caps" "$cap")"
	done
	for cap in $(echo "$d_caps" | tr ',' ' '); do
		[ "$cap" = +net_admin ] && continue	# the module's netlink only
		check "srtprelayd without ${cap#+} refuses to start" \
			srtprelayd_refuses "$(without "$d_caps" "$cap")"
	done

	echo "== make install, systemd-analyze verify, srtprelayd -t"
	check "make install DESTDIR=$T/inst" \
		make --no-print-directory -s install DESTDIR="$T/inst"
	check "dkms.conf installed with the version in its path" \
		dkms_conf_versioned
	check "systemd-analyze verify passes on both units" units_verify
	check "srtprelayd -t passes on the installed srtprelayd.conf" \
		"$T/inst/usr/sbin/srtprelayd" -t -c "$T/inst/etc/srtprelay/srtprelayd.conf"
}

suite 2>&1 | count
