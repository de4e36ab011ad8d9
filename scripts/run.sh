#!/bin/sh
# make run: the main job on the embedded default configuration.
set -eu
cd "$(dirname "$0")/.."
if [ -x build/srtprelayd ]; then
	exec build/srtprelayd
fi
cat <<'MSG'
srtprelayd (the SIP/TLS B2BUA) is not part of this tree yet, so there is no
call-handling job to start. What exists and runs is the SRTP core that the
kernel module and the userspace datapath share; running its self-checks and
its micro-benchmark instead:
MSG
make --no-print-directory build/test/test_srtp_core build/bench/srtp_micro
build/test/test_srtp_core
build/bench/srtp_micro 200000
