# Helpers of the suites that t_08 to t_11 run under `unshare -n`, each in a
# network namespace of its own with the userspace datapath: media.sh,
# media_srtp.sh, default.sh, concurrent.sh, latch.sh, and of test/crash and
# test/service. Counting checks, starting and stopping the media plane,
# what srtprelayd holds, the baresip call. Sourced, not run; expects
# SIPDIR, BUILD and T from the caller. Sources test/lib.sh.

. "$SIPDIR/../lib.sh"

# Each check prints "  ok   WHAT" or "  FAIL WHAT" and is counted in P or F;
# a suite ends with "$P passed, $F failed", which the t_*.sh running it adds
# to run.sh's counts.
P=0
F=0
ok() { P=$((P + 1)); echo "  ok   $1"; }
bad() { F=$((F + 1)); echo "  FAIL $1"; }
# check WHAT CMD...: CMD's exit status decides.
check() { d=$1; shift; if "$@" >/dev/null 2>&1; then ok "$d"; else bad "$d"; fi; }

# own_state_conf CONF: CONF with its state_dir (control socket) under $T, as
# $T/srtprelayd.conf, so that the run touches nothing outside its own folder
# and namespace; sets SOCK to that control socket.
own_state_conf() {
	sed "s|^state_dir = .*|state_dir = \"$T/state\";|" "$1" > "$T/srtprelayd.conf"
	SOCK=$T/state/control.sock
}

# media_plane PREFIX CONF DAEMON_LOG: srtprelay-datapath (socket and log
# $T/PREFIXdatapath.*) and srtprelayd on CONF (log_level "info" at least:
# its "srtprelayd ready" line is awaited); sets DP, D and DAEMON_LOG.
media_plane() {
	ip link set lo up
	export SRTPRELAY_SOCKET="$T/${1}datapath.sock"
	"$BUILD/srtprelay-datapath" -s "$SRTPRELAY_SOCKET" -w 1 \
		> "$T/${1}datapath.log" 2>&1 &
	DP=$!
	wait_for 20 test -S "$SRTPRELAY_SOCKET"
	"$BUILD/srtprelayd" -c "$2" > "$3" 2>&1 &
	D=$!
	DAEMON_LOG=$3
	wait_for 20 grep -q "srtprelayd ready" "$3"
}

# start_datapath [LOG]: srtprelay-datapath again on $SRTPRELAY_SOCKET (as
# media_plane set it), its output added to LOG ($T/datapath.log); sets DP.
start_datapath() {
	"$BUILD/srtprelay-datapath" -s "$SRTPRELAY_SOCKET" -w 1 \
		>> "${1:-$T/datapath.log}" 2>&1 &
	DP=$!
}

# What srtprelayd ($CTL on $SOCK) and the datapath hold: calls, streams, and
# port pairs in use in realm REALM or in all (empty when srtprelayctl lists
# no such realm).
ncalls() { "$CTL" -j status -s "$SOCK" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["calls"])' 2>/dev/null; }
nstreams() { "$CTL" stats 2>/dev/null | awk '$1 == "streams:" { print $2; exit }'; }
pairs_in_use() {
	"$CTL" status -s "$SOCK" 2>/dev/null |
		awk -v r="${1:-}" '$1 == "realm" && (r == "" || $2 == r) { n += $4; seen = 1 }
			END { if (seen) print n }'
}

# stop_procs PID...: the suite's processes killed and reaped, its EXIT trap
# (which would kill them) cleared.
stop_procs() {
	kill "$@" 2>/dev/null
	wait "$@" 2>/dev/null
	trap - EXIT
}

# keep_logs_unless_passed KEEP: $T removed when every check passed and KEEP
# is empty; otherwise kept, and said where.
keep_logs_unless_passed() {
	if [ "$F" -eq 0 ] && [ -z "$1" ]; then
		rm -rf "$T"
	else
		echo "logs kept in $T"
	fi
}

# summary: the suite's closing line; its status is the suite's verdict.
summary() {
	echo "$P passed, $F failed"
	[ "$F" -eq 0 ]
}

# both_tones DIR LABEL: each baresip of media_baresips DIR recorded the
# other's tone (the caller's 440 Hz at the callee, the callee's 660 Hz at
# the caller), decrypted by baresip itself.
both_tones() {
	_fb=$(freq "$(ls "$1"/b/rec/*dec*.wav 2>/dev/null | head -1)")
	_fa=$(freq "$(ls "$1"/a/rec/*dec*.wav 2>/dev/null | head -1)")
	check "$2: callee recorded the caller's 440 Hz tone (${_fb:-no recording} Hz)" \
		test "${_fb:-0}" -ge 400 -a "${_fb:-0}" -le 480
	check "$2: caller recorded the callee's 660 Hz tone (${_fa:-no recording} Hz)" \
		test "${_fa:-0}" -ge 620 -a "${_fa:-0}" -le 700
}

# media_baresips DIR CALLEE_MEDIAENC: configs for the caller (DIR/a: TLS,
# srtp-mand, sends 440 Hz) and the callee (DIR/b: UDP 15110, sends 660 Hz,
# mediaenc CALLEE_MEDIAENC or plain RTP when empty).
media_baresips() {
	baresip_config "$1/a" 15100 a 440
	baresip_config "$1/b" 15110 b 660
	echo '<sip:alice@127.0.0.1;transport=tls>;regint=0;outbound="sip:127.0.0.1:15061;transport=tls";mediaenc=srtp-mand;audio_codecs=PCMU' > "$1/a/accounts"
	echo "<sip:bob@127.0.0.1:15110>;regint=0;answermode=auto;${2:+mediaenc=$2;}audio_codecs=PCMU" > "$1/b/accounts"
}

# media_call_start DIR: the callee, then, once it is ready, the caller
# dialling it; sets BOB and ALICE and returns once srtprelayd (media_plane's
# DAEMON_LOG: baresip's own output reaches its file only when it exits) says
# the call is answered and it has carried media for 2 s. The caller hangs up
# 10 s after it starts.
media_call_start() {
	timeout -k 5 40 baresip -f "$1/b" -t 14 > "$1/b.out" 2>&1 &
	BOB=$!
	wait_for 20 grep -q "baresip is ready" "$1/b.out"
	timeout -k 5 40 baresip -f "$1/a" -t 10 -e '/dial sip:bob@127.0.0.1:15110;transport=udp' > "$1/a.out" 2>&1 &
	ALICE=$!
	wait_for 10 grep -Eq "call [0-9]+ answered" "$DAEMON_LOG"
	sleep 2
}
