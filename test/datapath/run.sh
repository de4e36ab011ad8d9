#!/bin/sh
# One test, two backends: test/kernel/tests.sh, the scenarios the QEMU test
# bed runs against srtprelay.ko, run here against the userspace datapath
# (build/srtprelay-datapath) on this host, with libsrtp2 endpoints in
# network namespaces; then what only the process has, its shutdown
# (test/datapath/shutdown.sh). Both in each mode of DP_MODES (default:
# socket, the datapath's default, then nfqueue, then socket-syscalls:
# socket mode with a system call per socket, as where io_uring is
# refused), so that every media test runs on every packet path. A private
# mount namespace gives the tests their own /run/netns, so their
# namespaces never meet another run's.
# The last line adds up all suites' "N passed, N failed".
set -eu
cd "$(dirname "$0")/../.."
top=$PWD
work=$top/build/datapath-test
rm -rf "$work"
mkdir -p "$work" /run/netns

export BACKEND=userspace WORK="$work" DP_MODES="${DP_MODES:-socket nfqueue socket-syscalls}"
export IP_BIN="$(command -v ip)" SETPRIV="$(command -v setpriv)"
export EXTRA_PATH="$top/build:$top/build/kernel"

exec unshare --mount --propagation private sh -c '
	mount -t tmpfs srtprelay-test /run/netns || exit 1
	n=0
	logs=$WORK
	for DP_MODE in $DP_MODES; do
		# A folder per mode: the scenarios keep files by port (rekey_live
		# syncs its sender through them), and every mode uses the same ports.
		case $DP_MODE in
		socket-syscalls) DP_OPTIONS="--mode socket --io syscalls" ;;
		*) DP_OPTIONS="--mode $DP_MODE" ;;
		esac
		export DP_MODE DP_OPTIONS WORK="$logs/$DP_MODE"
		mkdir -p "$WORK"
		echo "=== dpcheck: srtprelay-datapath $DP_OPTIONS"
		sh test/kernel/tests.sh | tee "$logs/scenarios-$DP_MODE.log"
		# The next mode builds the same hosts again.
		for ns in caller sbc callee stranger; do
			ip netns del $ns 2>/dev/null
		done
		sh test/datapath/shutdown.sh | tee "$logs/shutdown-$DP_MODE.log"
		n=$((n + 2))
	done
	for log in "$logs"/scenarios-*.log "$logs"/shutdown-*.log; do
		tail -n 1 "$log"
	done | awk -v want=$n "
		/^[0-9]+ passed, [0-9]+ failed\$/ { p += \$1; f += \$3; n++ }
		END { if (n < want) f++; print p \" passed, \" f \" failed\"; exit (f > 0) }"'
