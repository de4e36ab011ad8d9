#!/bin/sh
# Keystream reuse on send (issue 15, item 2) against the userspace datapath
# on this host: test/kernel/keystream.sh's scenario, which kcheck runs
# against srtprelay.ko in the guest. A stranger on the plain leg of a
# plain -> SRTP stream floods forged SSRCs, then sends the real sender's
# (SSRC, index) pairs again; the relay must send each pair once only.
set -eu
cd "$(dirname "$0")/../.."
top=$PWD
work=$top/build/attack/t_25
rm -rf "$work"
mkdir -p "$work" /run/netns

export BACKEND=userspace WORK="$work" KTEST_FILTER=keystream
export IP_BIN="$(command -v ip)" SETPRIV="$(command -v setpriv)"
export EXTRA_PATH="$top/build:$top/build/kernel"

exec unshare --mount --propagation private sh -c '
	mount -t tmpfs srtprelay-test /run/netns || exit 1
	sh test/kernel/tests.sh'
