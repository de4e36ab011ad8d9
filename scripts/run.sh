#!/bin/sh
# make run: srtprelayd on its embedded default configuration (SIP on
# 127.0.0.1 UDP/TCP 5060, TLS 5061, a media realm on 127.0.0.1). Media goes
# through srtprelay.ko when it is loaded; otherwise the userspace datapath
# is started beside the daemon and stopped after it.
set -eu
cd "$(dirname "$0")/.."

datapath_pid=""
stop_datapath() {
	[ -n "$datapath_pid" ] && kill "$datapath_pid" 2>/dev/null && wait "$datapath_pid" 2>/dev/null
	return 0
}

if [ ! -d /sys/module/srtprelay ]; then
	echo "srtprelay.ko is not loaded: starting the userspace datapath (build/srtprelay-datapath)"
	# A session of its own: Ctrl-C at the terminal reaches srtprelayd, which
	# ends its calls through the media plane; the datapath stops after it.
	setsid build/srtprelay-datapath &
	datapath_pid=$!
	trap stop_datapath EXIT
	trap 'exit 130' INT TERM
	# The daemon retries the media plane, but a ready datapath avoids the 503s.
	for _ in $(seq 50); do
		[ -S /run/srtprelay/datapath.sock ] && break
		sleep 0.1
	done
fi
build/srtprelayd "$@"
