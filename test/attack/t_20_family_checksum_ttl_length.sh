#!/bin/sh
# Issue 15 item 5, the userspace datapath's side: test/kernel/tests.sh's
# "family_" scenarios (family.sh) run against srtprelay-datapath on
# this host, as dpcheck runs them all. Every pair of address families
# relays byte-exact with the TTL/hop limit decremented once; a packet with
# a bad UDP checksum, one arriving with TTL 1, and one whose protected form
# would not fit in 65535 bytes are each dropped and counted. The module's
# side is the same file under kcheck (make kboot KTEST=family).
set -eu
cd "$(dirname "$0")/../.."
top=$PWD
work=$top/build/attack-t20
rm -rf "$work"
mkdir -p "$work" /run/netns

export BACKEND=userspace WORK="$work" KTEST_FILTER=family
export IP_BIN="$(command -v ip)" SETPRIV="$(command -v setpriv)"
export EXTRA_PATH="$top/build:$top/build/kernel"
[ -x build/kernel/srtp_peer ] || make -s ktools >/dev/null

exec unshare --mount --propagation private sh -c '
	mount -t tmpfs srtprelay-t20 /run/netns || exit 1
	sh test/kernel/tests.sh'
