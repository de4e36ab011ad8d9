# Helpers of the real-trunk tests (test/trunk/t_*.sh, issue 17): a network
# namespace of the test's own, dnsmasq serving a made-up zone, SIPp peers,
# baresip phones; checks and srtprelayd from test/daemon_lib.sh, wait_for
# from test/lib.sh. Sourced, not run.
#
# A test that sources this calls own_netns "$0" "$@" first: it re-executes
# itself under `unshare -n -m` (unless it already runs in one of its own), so
# the 127.x addresses, port 53 and fixed SIP ports meet nothing else, and
# files bound over /etc/hosts or /etc/resolv.conf are the test's alone. Use
# 127.0.0.0/8 addresses only; 127.0.0.53 is the DNS server.

BUILD=${BUILD:-$(pwd)/build}
TRUNKDIR=$(pwd)/test/trunk
SIPDIR=$(pwd)/test/sip
CTL=$BUILD/srtprelayctl
DNS_ADDR=127.0.0.53
. test/lib.sh
. test/daemon_lib.sh

# own_netns "$0" "$@": re-executes the test in network and mount
# namespaces of its own, with lo up.
own_netns() {
	[ -n "${TRUNK_IN_NETNS:-}" ] && return 0
	if ! unshare -n -m true 2>/dev/null; then
		echo "  skip: cannot create network and mount namespaces (unshare -n -m needs root)"
		echo "0 passed, 0 failed"
		exit 0
	fi
	_script=$1
	shift
	TRUNK_IN_NETNS=1 BUILD=$BUILD exec unshare -n -m sh -c \
		'ip link set lo up && exec sh "$@"' sh "$_script" "$@"
}

# need CMD...: skips the whole test (0 passed, 0 failed) when one is missing.
need() {
	for _c in "$@"; do
		if ! command -v "$_c" >/dev/null 2>&1; then
			echo "  skip: $_c is not installed (make deps)"
			echo "0 passed, 0 failed"
			exit 0
		fi
	done
}

# Indents a file (or stdin) under a check, as the other suites show details.
show() {
	sed 's/^/    /' "$@"
}

# status_has REGEX: does `srtprelayctl status` on $SOCK have a matching line?
status_has() {
	"$CTL" status -s "$SOCK" 2>/dev/null | grep -Eq -- "$1"
}

# Lines of LOG since mark_log LOG was last called.
mark_log() {
	LOGSTART=$(wc -l < "$1")
}

log_since() {
	tail -n "+$((LOGSTART + 1))" "$1"
}

# dns_start DIR RECORDS-FILE [TTL]: dnsmasq on $DNS_ADDR:53 ($DNS_PID),
# authoritative for what RECORDS-FILE holds (dnsmasq config lines:
# host-record=, srv-host=, naptr-record=, local=/ZONE/), every answer with
# TTL seconds (default 2; dnsmasq's local-ttl, which NAPTR and SRV take
# too). Its log (each query) is DIR/dnsmasq.log.
dns_start() {
	_dir=$1 _records=$2 _ttl=${3:-2}
	ip addr add "$DNS_ADDR/32" dev lo 2>/dev/null
	cat > "$_dir/dnsmasq.conf" <<DNSCONF
listen-address=$DNS_ADDR
bind-interfaces
port=53
no-resolv
no-hosts
no-negcache
log-facility=-
log-queries
user=root
pid-file=
local-ttl=$_ttl
conf-file=$_records
DNSCONF
	dnsmasq -k -C "$_dir/dnsmasq.conf" >> "$_dir/dnsmasq.log" 2>&1 &
	DNS_PID=$!
	_i=0
	while [ $_i -lt 30 ]; do
		grep -q "started, version" "$_dir/dnsmasq.log" && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

dns_stop() {
	kill "$DNS_PID" 2>/dev/null
	wait "$DNS_PID" 2>/dev/null
}

# uas_start NAME IP PORT [sipp args]: a SIPp callee answering every INVITE
# (SIPp's built-in uas) and every OPTIONS probe (-aa) until killed
# ($UAS_PID); its messages in $T/NAME.msg.
uas_start() {
	_name=$1 _ip=$2 _port=$3
	shift 3
	(cd "$T" && exec sipp -sn uas -i "$_ip" -p "$_port" -nostdin -aa \
		-trace_msg -message_file "$T/$_name.msg" "$@" \
		> "$T/$_name.out" 2>&1) &
	UAS_PID=$!
	wait_for 5 udp_bound "$_ip" "$_port"
}

# uac_call NAME FROM-IP TO-URI-USER DST [sipp args]: one call by SIPp's
# built-in uac from FROM-IP to DST (srtprelayd's address:port), dialling
# TO-URI-USER; 0 when it completed.
uac_call() {
	_name=$1 _ip=$2 _user=$3 _dst=$4
	shift 4
	(cd "$T" && timeout 30 sipp "$_dst" -sn uac -s "$_user" -i "$_ip" \
		-m 1 -nostdin -timeout 25 -trace_msg \
		-message_file "$T/$_name.msg" "$@" > "$T/$_name.out" 2>&1)
}

# phone DIR USER MODE PORT TONE [answer]: a baresip configuration in DIR
# (PEERS.md: 127.0.0.1, an ausine TONE in Hz, what it hears recorded by
# sndfile in DIR/rec).
# MODE srtp-mand or srtp registers over TLS, plain over UDP, with
# srtprelayd at $PHONE_SBC (default 127.0.0.1).
phone() {
	baresip_config "$1" "$4" "$2" "$5"
	case $3 in
	plain) acc="<sip:$2@${PHONE_SBC:-127.0.0.1}>;regint=600" ;;
	*) acc="<sip:$2@${PHONE_SBC:-127.0.0.1};transport=tls>;regint=600;mediaenc=$3" ;;
	esac
	echo "$acc;${6:+answermode=auto;}audio_codecs=PCMU" > "$1/accounts"
}

# sipp_peer NAME SCENARIO USER IP PORT SECONDS [TARGET]: SIPp running
# test/trunk/sipp/SCENARIO once in the background (a caller of TARGET when
# given, USER its request-URI user as [field0]), killed after SECONDS; its
# pid in PID_NAME, its messages in $T/NAME.msg (test/sip/sipp_log.sh's rx
# reads them).
sipp_peer() {
	printf 'SEQUENTIAL\n%s;\n' "$3" > "$T/$1.csv"
	(cd "$T" && exec timeout "$6" sipp $7 -sf "$TRUNKDIR/sipp/$2" \
		-inf "$T/$1.csv" -i "$4" -p "$5" -m 1 -nostdin -trace_msg \
		-message_file "$T/$1.msg" > "$T/$1.out" 2>&1) &
	eval "PID_$1=\$!"
}

# msg_times NAME REGEX [received|sent]: when SIPp NAME received (or sent)
# each message whose first line matches, in seconds since the epoch.
msg_times() {
	python3 "$TRUNKDIR/msgtimes.py" "$T/$1.msg" "$2" ${3:-}
}

# msg_gap NAME REGEX1 REGEX2: seconds from the first message NAME received
# matching REGEX1 to the first matching REGEX2 (empty when either is missing).
msg_gap() {
	_a=$(msg_times "$1" "$2")
	_b=$(msg_times "$1" "$3")
	_a=${_a%%[!0-9.]*} _b=${_b%%[!0-9.]*}
	[ -n "$_a" ] && [ -n "$_b" ] &&
		awk -v a="$_a" -v b="$_b" 'BEGIN { printf "%.1f\n", b - a }'
}

# within X LO HI: is the number X in [LO, HI]?
within() {
	[ -n "$1" ] && awk -v x="$1" -v lo="$2" -v hi="$3" \
		'BEGIN { exit !(x >= lo && x <= hi) }'
}
