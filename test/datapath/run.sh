#!/bin/sh
# One test, two backends: test/kernel/tests.sh, the scenarios the QEMU test
# bed runs against srtprelay.ko, run here against the userspace datapath
# (build/srtprelay-datapath) on this host, with libsrtp2 endpoints in
# network namespaces. A private mount namespace gives the test its own
# /run/netns, so its caller/sbc/callee never meet another run's.
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
	exec sh test/kernel/tests.sh'
