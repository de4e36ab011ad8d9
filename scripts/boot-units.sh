#!/bin/sh
# The units under a real systemd: boots ROOT (a Debian 12 root with the
# srtprelayd package installed, as scripts/fresh-packages.sh leaves it)
# with systemd-nspawn, its own network namespace, and checks what systemd
# does with them: both services reach active only through READY=1, with
# their STATUS=; they run as srtprelay with exactly the capabilities the
# units grant under ProtectSystem=strict and the rest of the sandbox; the
# watchdog is armed and no service is restarted while it pings; a SIGKILLed
# datapath is restarted (Restart=on-failure);
# a stop ends cleanly with srtprelayd's own last line in the journal.
#
#   scripts/boot-units.sh ROOT     (as root; ROOT must not be in use)
#
# The last line is "N passed, N failed".
set -u
ROOT=$1
LOG=${LOG:-/dev/null}
passed=0
failed=0
NSPAWN_PID=""
SCRATCH=$(mktemp -d)

command -v systemd-nspawn >/dev/null ||
	apt-get install -y --no-install-recommends systemd-container >>"$LOG" 2>&1 ||
	{ echo "boot-units: cannot install systemd-nspawn"; echo "0 passed, 1 failed"; exit 2; }

cleanup() {
	rm -rf "$SCRATCH"
	[ -n "$NSPAWN_PID" ] || return
	kill -TERM "$NSPAWN_PID" 2>/dev/null
	for _ in $(seq 30); do
		kill -0 "$NSPAWN_PID" 2>/dev/null || return
		sleep 1
	done
	kill -KILL "$NSPAWN_PID" 2>/dev/null
}
trap cleanup EXIT

# Inside the root: a unit's main process runs as srtprelay, its effective
# capabilities exactly its AmbientCapabilities= (bits of capability.h).
cat >"$ROOT/root/unit-creds.sh" <<'CREDS'
unit=$1
pid=$(systemctl show -p MainPID --value "$unit")
grep -E '^(Uid|Gid|CapEff|CapBnd|NoNewPrivs|Seccomp):' "/proc/$pid/status"
want=0
for cap in $(sed -n 's/^AmbientCapabilities=//p' "/lib/systemd/system/$unit.service"); do
	case $cap in
	CAP_NET_BIND_SERVICE) bit=10 ;;
	CAP_NET_ADMIN) bit=12 ;;
	CAP_NET_RAW) bit=13 ;;
	*) echo "unknown capability $cap"; exit 1 ;;
	esac
	want=$((want | (1 << bit)))
done
have=$(sed -n 's/^CapEff:\t*//p' "/proc/$pid/status")
echo "CapEff wanted $(printf '%016x' "$want"), has $have"
grep -Eq "^Uid:[[:space:]]+$(id -u srtprelay)[[:space:]]" "/proc/$pid/status" &&
	[ "$(printf '%016x' "$want")" = "$have" ]
CREDS

# The datapath is the media plane here: the host's kernel has no
# srtprelay.ko for the container to load.
chroot "$ROOT" systemctl enable srtprelay-datapath.service >>"$LOG" 2>&1
systemd-nspawn -D "$ROOT" --boot --register=no --keep-unit --private-network -q \
	>>"$LOG" 2>&1 &
NSPAWN_PID=$!

# The container's PID 1, nspawn's child.
pid1=""
for _ in $(seq 100); do
	pid1=$(ps -o pid= --ppid "$NSPAWN_PID" 2>/dev/null | head -n 1 | tr -d ' ')
	[ -n "$pid1" ] && [ "$(cat "/proc/$pid1/comm" 2>/dev/null)" = systemd ] && break
	sleep 0.2
done

in_boot() {
	nsenter -t "$pid1" -a /usr/bin/env -i \
		PATH=/usr/sbin:/usr/bin:/sbin:/bin sh -c "$1"
}

check() {
	desc=$1
	shift
	if in_boot "$*" >"$SCRATCH/check.out" 2>&1; then
		passed=$((passed + 1))
		echo "  ok   $desc"
	else
		failed=$((failed + 1))
		echo "  FAIL $desc"
		sed 's/^/  | /' "$SCRATCH/check.out" | tail -n 15
	fi
	cat "$SCRATCH/check.out" >>"$LOG"
}

show() {
	in_boot "systemctl show -p $2 --value $1"
}

# Both services: active (Type=notify: only after READY=1) within 60 s.
for _ in $(seq 120); do
	[ "$(show srtprelayd.service ActiveState 2>/dev/null)" = active ] &&
		[ "$(show srtprelay-datapath.service ActiveState)" = active ] && break
	sleep 0.5
done
check "systemd booted the root (PID 1 $pid1)" "test -n '$pid1' && systemctl is-system-running | grep -Eq 'running|degraded'"
check "srtprelay-datapath.service active after READY=1, STATUS= shown" \
	"systemctl show -p StatusText --value srtprelay-datapath | tee /dev/stderr | grep -q 'workers on UDP sockets'"
check "srtprelayd.service active after READY=1, media plane the datapath" \
	"systemctl show -p StatusText --value srtprelayd | tee /dev/stderr | grep -q 'media plane: userspace datapath'"
for unit in srtprelayd srtprelay-datapath; do
	check "$unit runs as srtprelay with only its unit's capabilities" \
		sh /root/unit-creds.sh "$unit"
done
check "srtprelayd's watchdog armed (WatchdogUSec=10s)" \
	"systemctl show -p WatchdogUSec --value srtprelayd | grep -qx 10s"
echo "  (waiting 12 s: a service that did not ping would be killed after 10 s)"
sleep 12
check "after 12 s both still active, never restarted (the pings arrive)" \
	"systemctl show -p NRestarts,ActiveState srtprelayd srtprelay-datapath | tee /dev/stderr |
	 grep -vq 'NRestarts=[1-9]' && [ \$(systemctl show -p ActiveState --value srtprelayd srtprelay-datapath | grep -c active) -eq 2 ]"
# Both log to stderr, which the journal keeps; their own level word marks
# an error (the journal's priority is the same for every stderr line).
check "journal: both logged, and no error" \
	"journalctl -b -u srtprelayd -u srtprelay-datapath -o cat --no-pager | tee /dev/stderr | grep -q . &&
	 ! journalctl -b -u srtprelayd -u srtprelay-datapath -o cat --no-pager | grep -E '^[0-9:.]+ error |: error'"
check "a SIGKILLed datapath is restarted (Restart=on-failure)" \
	"systemctl kill -s KILL srtprelay-datapath; sleep 3;
	 systemctl show -p NRestarts,ActiveState srtprelay-datapath | tee /dev/stderr |
	 grep -q NRestarts=1 && systemctl is-active srtprelay-datapath"
check "systemctl stop srtprelayd: STOPPING, a clean exit, its last line in the journal" \
	"systemctl stop srtprelayd; systemctl show -p Result,ActiveState srtprelayd | tee /dev/stderr |
	 grep -q Result=success && journalctl -b -u srtprelayd --no-pager | tail -n 5 | tee /dev/stderr |
	 grep -q 'srtprelayd stopped'"
in_boot "systemctl poweroff" >/dev/null 2>&1
for _ in $(seq 30); do
	kill -0 "$NSPAWN_PID" 2>/dev/null || break
	sleep 1
done
NSPAWN_PID=""
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
