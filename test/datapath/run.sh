#!/bin/sh
# One test, two backends: test/kernel/tests.sh, the scenarios the QEMU test
# bed runs against srtprelay.ko, run here against the userspace datapath
# (build/srtprelay-datapath) on this host, with libsrtp2 endpoints in
# network namespaces; then what only the process has, its shutdown
# (test/datapath/shutdown.sh). A private mount namespace gives the tests
# their own /run/netns, so their namespaces never meet another run's.
# The last line adds up both suites' "N passed, N failed".
set -eu
cd "$(dirname "$0")/../.."
top=$PWD
work=$top/build/datapath-test
rm -rf "$work"
mkdir -p "$work" /run/netns

export BACKEND=userspace WORK="$work"
export IP_BIN="$(command -v ip)" SETPRIV="$(command -v setpriv)"
export EXTRA_PATH="$top/build:$top/build/kernel"

exec unshare --mount --propagation private sh -c '
	mount -t tmpfs srtprelay-test /run/netns || exit 1
	sh test/kernel/tests.sh | tee "$WORK/scenarios.log"
	sh test/datapath/shutdown.sh | tee "$WORK/shutdown.log"
	tail -q -n 1 "$WORK/scenarios.log" "$WORK/shutdown.log" | awk "
		/^[0-9]+ passed, [0-9]+ failed\$/ { p += \$1; f += \$3; n++ }
		END { if (n < 2) f++; print p \" passed, \" f \" failed\"; exit (f > 0) }"'
