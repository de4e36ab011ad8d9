#!/bin/sh
# Proves the README's two commands as a new Debian 12 machine would run them:
# builds a minimal Debian 12 root (mmdebstrap, with this machine's apt
# sources), puts a clean clone of HEAD in it and, chrooted there, runs
# `make run` in the background until srtprelayd answers a SIP OPTIONS, stops
# it as Ctrl-C would, then runs `make check` to its closing line. Not part
# of make check: run it before you stop whenever an install step changed.
#
#   scripts/fresh-machine.sh            (as root; about 45 minutes here)
#
# Environment: FRESH_ROOT (the root's folder, default a new one under
# /var/tmp), KEEP=1 (keep the root afterwards), LOG (default
# build/fresh-machine.log), RUN_TIMEOUT (seconds for make run to answer,
# default 1200), MAKE_RUN=0 (skip make run: make check alone, as CI runs
# it on a new machine, installing its own packages), MAKE_CHECK=0 (make run
# alone). Its closing line is make check's counts with make run (it
# answered, and stopped on Ctrl-C without an error) as one more check; exit
# 0 when nothing failed, 2 when the root could not be built or make run
# never answered.
set -eu
cd "$(dirname "$0")/.."
TREE=$(pwd)
LOG=${LOG:-$TREE/build/fresh-machine.log}
RUN_TIMEOUT=${RUN_TIMEOUT:-1200}
SIP_PORT=5060

say() { echo "fresh-machine: $*" | tee -a "$LOG"; }
die() { say "$*"; exit 2; }

[ "$(id -u)" -eq 0 ] || { echo "fresh-machine: run as root (mmdebstrap, chroot, mounts)" >&2; exit 2; }
mkdir -p "$(dirname "$LOG")"
: >"$LOG"

. scripts/fresh-root.sh
RUN_PID=""

cleanup() {
	[ -n "$RUN_PID" ] && kill -KILL "-$RUN_PID" 2>/dev/null
	fresh_root_cleanup
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fresh_root_build srtprelay-fresh make,git

# An OPTIONS from outside the root (the same network): any SIP answer will
# do, it proves srtprelayd parsed the request and replied.
options_answered() {
	python3 - "$SIP_PORT" <<'EOF'
import socket, sys
port = int(sys.argv[1])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1)
s.bind(("127.0.0.1", 0))
me = s.getsockname()[1]
req = ("OPTIONS sip:127.0.0.1:%d SIP/2.0\r\n"
       "Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK-fresh%d\r\n"
       "Max-Forwards: 70\r\nFrom: <sip:probe@127.0.0.1>;tag=fresh\r\n"
       "To: <sip:127.0.0.1>\r\nCall-ID: fresh-machine-%d\r\n"
       "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n") % (port, me, me, me)
s.sendto(req.encode(), ("127.0.0.1", port))
try:
    answer = s.recv(4096).decode(errors="replace")
except OSError:
    sys.exit(1)
print(answer.splitlines()[0])
sys.exit(0 if answer.startswith("SIP/2.0 ") else 1)
EOF
}

run_status=skipped
run_seconds=0
# MAKE_RUN=0: make check alone on the new root, exactly as CI runs it (its
# own first step installs the packages).
if [ "${MAKE_RUN:-1}" = 1 ]; then
	say "make run (in the background until it answers OPTIONS)"
	started=$(date +%s)
	# A session of its own, as a terminal's: Ctrl-C goes to its process group.
	setsid sh -c ". scripts/fresh-root.sh; ROOT='$ROOT'; in_root 'make run'" \
		>"$LOG.run" 2>&1 &
	RUN_PID=$!
	answered=""
	while [ $(( $(date +%s) - started )) -lt "$RUN_TIMEOUT" ]; do
		kill -0 "$RUN_PID" 2>/dev/null || break
		if answer=$(options_answered 2>/dev/null); then
			answered=$answer
			break
		fi
		sleep 2
	done
	run_seconds=$(( $(date +%s) - started ))
	if [ -z "$answered" ]; then
		cat "$LOG.run" >>"$LOG"
		die "make run did not answer OPTIONS within ${run_seconds} s (see $LOG)"
	fi
	say "make run answered OPTIONS after $run_seconds s: $answered"
	# Ctrl-C at a terminal: SIGINT to the whole foreground process group.
	kill -INT "-$RUN_PID"
	stopped=""
	for _ in $(seq 30); do
		kill -0 "$RUN_PID" 2>/dev/null || { stopped=1; break; }
		sleep 1
	done
	RUN_PID=""
	cat "$LOG.run" >>"$LOG"
	grep -Eq '^deps: installing' "$LOG.run" && say "make run installed its packages with apt in the root"
	run_status=ok
	[ -n "$stopped" ] || run_status="did not stop within 30 s of Ctrl-C"
	grep -q 'srtprelayd stopped' "$LOG.run" || run_status="srtprelayd did not log its stop"
	sed -n '/ signal 2: /,$p' "$LOG.run" | grep -q ' error ' &&
		run_status="an error was logged after Ctrl-C"
	say "make run stopped by Ctrl-C: $run_status"
fi

# MAKE_CHECK=0: make run alone (its install, its start, its Ctrl-C).
summary="0 passed, 0 failed"
check_seconds=0
if [ "${MAKE_CHECK:-1}" = 1 ]; then
	say "make check"
	started=$(date +%s)
	set +e
	in_root "make check" 2>&1 | tee -a "$LOG" >"$LOG.check"
	set -e
	check_seconds=$(( $(date +%s) - started ))
	summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$LOG.check" | tail -n 1)
	say "make check took $check_seconds s: ${summary:-no closing line}"
fi
say "wall times on the fresh root: make run $run_seconds s to answer OPTIONS ($run_status), make check $check_seconds s"
rm -f "$LOG.check" "$LOG.run"
# make run answering and stopping cleanly is one check beside make check's.
passed=$(echo "${summary:-0 passed}" | sed -E 's/^([0-9]+) passed.*/\1/')
failed=$(echo "${summary:-0 passed, 1 failed}" | sed -E 's/.* ([0-9]+) failed.*/\1/')
case $run_status in
ok) passed=$((passed + 1)) ;;
skipped) ;;
*) failed=$((failed + 1)) ;;
esac
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
