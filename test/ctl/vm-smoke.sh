#!/bin/sh
# srtprelayctl against the real srtprelay.ko, inside the test VM: the agreed
# command-line contract end to end. Exit 1 with the plain "not loaded"
# message before insmod; then every subcommand in both address families,
# text and -j output as the VM scripts read it, the kernel's refusals
# (EEXIST, EADDRINUSE, EADDRNOTAVAIL, ENOENT, EBUSY, EPERM, EINVAL) as exit 1
# with its extended-ACK text and attribute, "stream set FLAG" keeping the
# other flags, a 400-stream multi-part dump, and monitor printing real
# events from traffic sent by srtp_peer. Run by test/ctl/run-vm.sh as the
# guest's /ktest/tests.sh.
passed=0
failed=0
kver=$(cat /etc/kver)
ok() { passed=$((passed + 1)); echo "ok   $*"; }
bad() { failed=$((failed + 1)); echo "FAIL $*"; }
# expect STATUS DESCRIPTION -- COMMAND...: output in /tmp/out and /tmp/err
expect() {
	want=$1
	what=$2
	shift 3
	"$@" >/tmp/out 2>/tmp/err
	got=$?
	if [ "$got" -eq "$want" ]; then
		ok "$what (exit $got)"
	else
		bad "$what: exit $got, want $want"
		sed 's/^/     /' /tmp/out /tmp/err
	fi
}
has() {
	if grep -q -- "$2" "$1"; then ok "  $1 has '$2'"; else
		bad "  $1 lacks '$2'"; sed 's/^/     /' "$1"; fi
}
hasnot() {
	if grep -q -- "$2" "$1"; then bad "  $1 has '$2'"; sed 's/^/     /' "$1"; else
		ok "  $1 lacks '$2'"; fi
}

K1=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODkwMTIz
K2=WVNfX19vdXJfc2VjcmV0X2tleV9hbmRfc2FsdF9f

expect 1 "show before insmod: module not loaded" -- srtprelayctl show
has /tmp/err "kernel module is not loaded"
insmod /lib/modules/$kver/srtprelay.ko || { echo "insmod failed"; exit 1; }
ip addr add 10.0.1.1/24 dev lo
ip addr add fd00:1::1/64 dev lo 2>/dev/null

expect 0 "show empty" -- srtprelayctl show
expect 0 "realm add v4" -- srtprelayctl realm add 1 10.0.1.1 30000-30999 nfqueue 5
expect 0 "realm add v6" -- srtprelayctl realm add 2 [fd00:1::1] 40000-40999
expect 1 "realm add same id: EEXIST" -- srtprelayctl realm add 1 10.0.1.2 20000-20010
cat /tmp/err
expect 1 "realm add overlap: EADDRINUSE" -- srtprelayctl realm add 3 10.0.1.1 30500-31500
cat /tmp/err
expect 0 "realm list" -- srtprelayctl realm list
has /tmp/out "realm 1: 10.0.1.1 ports 30000-30999 nfqueue 5"
has /tmp/out "realm 2: fd00:1::1 ports 40000-40999"
expect 0 "realm list -j" -- srtprelayctl -j realm list
cat /tmp/out
has /tmp/out '"id":1,"addr":"10.0.1.1","port_min":30000,"port_max":30999,"nfqueue":5'

expect 0 "stream add v4 SRTP->RTP" -- srtprelayctl stream add 10.0.1.1:30000 out-src 10.0.1.1:30002 out-dst 10.0.2.2:5000 remote 10.0.3.3:4000 latch cookie 7 in-suite AES_CM_128_HMAC_SHA1_80 in-key $K1 in-mki 1:1 in-window 256 out-suite NONE
expect 1 "stream add same LOCAL: EEXIST" -- srtprelayctl stream add 10.0.1.1:30000 out-src 10.0.1.1:30002 out-dst 10.0.2.2:5000 in-suite NONE out-suite NONE
cat /tmp/err
expect 1 "stream add outside realms: EADDRNOTAVAIL" -- srtprelayctl stream add 10.0.9.9:30000 out-src 10.0.1.1:30002 out-dst 10.0.2.2:5000 in-suite NONE out-suite NONE
cat /tmp/err
expect 1 "stream add port+1 outside realm" -- srtprelayctl stream add 10.0.1.1:30999 out-src 10.0.1.1:30002 out-dst 10.0.2.2:5000 in-suite NONE out-suite NONE
cat /tmp/err
expect 0 "stream add v6 RTP->SRTP_32 mki 4" -- srtprelayctl stream add [fd00:1::1]:40000 out-src [fd00:1::1]:40002 out-dst [fd00:2::2]:6000 out-rtcp-dst [fd00:2::2]:6009 rtcp-mux-in cookie 8 in-suite NONE out-suite AES_CM_128_HMAC_SHA1_32 out-key $K2 out-mki 4294967295:4 out-roc 5 out-seq 100 out-param UNENCRYPTED_SRTCP
expect 0 "stream get v4" -- srtprelayctl stream get 10.0.1.1:30000
cat /tmp/out
has /tmp/out "stream 10.0.1.1:30000"
has /tmp/out "remote: 10.0.3.3:4000"
has /tmp/out "send: 10.0.1.1:30002 -> 10.0.2.2:5000, rtcp -> 10.0.2.2:5001"
has /tmp/out "flags: latch"
has /tmp/out "in crypto: AES_CM_128_HMAC_SHA1_80, mki 1 byte, replay window 256"
has /tmp/out "out crypto: NONE"
has /tmp/out "last packet: never"
hasnot /tmp/out "$K1"
expect 0 "stream get v6 -j" -- srtprelayctl -j stream get [fd00:1::1]:40000
cat /tmp/out
has /tmp/out '"out_rtcp_dst":"\[fd00:2::2\]:6009"'
has /tmp/out '"suite":"AES_CM_128_HMAC_SHA1_32","mki_len":4'
has /tmp/out '"flags":\["unencrypted_srtcp"\]'
has /tmp/out '"rx_packets":0'
expect 1 "stream get missing: ENOENT" -- srtprelayctl stream get 10.0.1.1:30010
cat /tmp/err
has /tmp/err "No such file or directory"
expect 0 "stream set hold keeps latch" -- srtprelayctl stream set 10.0.1.1:30000 hold
srtprelayctl stream get 10.0.1.1:30000 >/tmp/out
has /tmp/out "flags: latch hold"
expect 0 "stream set no-hold" -- srtprelayctl stream set 10.0.1.1:30000 no-hold
srtprelayctl stream get 10.0.1.1:30000 >/tmp/out
has /tmp/out "flags: latch$"
expect 0 "stream set rekey in" -- srtprelayctl stream set 10.0.1.1:30000 in-suite AES_CM_128_HMAC_SHA1_32 in-key $K2
srtprelayctl stream get 10.0.1.1:30000 >/tmp/out
has /tmp/out "in crypto: AES_CM_128_HMAC_SHA1_32, no mki"
expect 0 "stream set out-dst + cookie" -- srtprelayctl stream set 10.0.1.1:30000 out-dst 10.0.2.3:5002 cookie 9
srtprelayctl stream get 10.0.1.1:30000 >/tmp/out
has /tmp/out "send: 10.0.1.1:30002 -> 10.0.2.3:5002"
has /tmp/out "cookie: 9"
expect 1 "stream set lock-on-sdp while latch (kernel)" -- srtprelayctl stream set 10.0.1.1:30000 lock-on-sdp
cat /tmp/err
expect 1 "stream set missing: ENOENT" -- srtprelayctl stream set 10.0.1.1:30020 cookie 1
cat /tmp/err
expect 1 "stream set family mismatch out-dst v6 vs out-src v4" -- srtprelayctl stream set 10.0.1.1:30000 out-dst [fd00:2::2]:5000
cat /tmp/err
expect 0 "show" -- srtprelayctl show
cat /tmp/out
expect 0 "show -j" -- srtprelayctl -j show
cat /tmp/out
expect 0 "stats" -- srtprelayctl stats
has /tmp/out "streams: 2"
has /tmp/out "realms: 2"
has /tmp/out "auth_failed: 0"
expect 0 "stats -j" -- srtprelayctl -j stats
cat /tmp/out

# monitor: subscribes and runs until killed
srtprelayctl monitor >/tmp/mon 2>/tmp/monerr &
mpid=$!
sleep 1
if kill -0 $mpid 2>/dev/null; then ok "monitor running after 1 s"; else bad "monitor exited"; cat /tmp/monerr; fi
kill $mpid; wait $mpid 2>/dev/null

# unprivileged: read ok, write EPERM
expect 0 "show as nobody" -- su -s /bin/sh -c "srtprelayctl show" nobody
expect 1 "stream flush as nobody: EPERM" -- su -s /bin/sh -c "srtprelayctl stream flush" nobody
cat /tmp/err

expect 1 "realm del busy: EBUSY" -- srtprelayctl realm del 1
cat /tmp/err
expect 0 "stream flush cookie 9" -- srtprelayctl stream flush cookie 9
srtprelayctl stream list >/tmp/out
hasnot /tmp/out "stream 10.0.1.1:30000"
has /tmp/out "stream \[fd00:1::1\]:40000"
expect 0 "stream del v6" -- srtprelayctl stream del [fd00:1::1]:40000
expect 1 "stream del again: ENOENT" -- srtprelayctl stream del [fd00:1::1]:40000
cat /tmp/err

# multi-part dump: 400 streams do not fit in one message
i=0
while [ $i -lt 400 ]; do
	srtprelayctl stream add 10.0.1.1:$((30000 + 2 * i)) out-src 10.0.1.1:1 out-dst 10.0.2.2:$((5000 + i)) cookie 77 in-suite AES_CM_128_HMAC_SHA1_80 in-key $K1 out-suite AES_CM_128_HMAC_SHA1_80 out-key $K2 || break
	i=$((i + 1))
done
[ $i -eq 400 ] && ok "400 streams added" || bad "only $i streams added"
n=$(srtprelayctl stream list | grep -c '^stream ')
[ "$n" -eq 400 ] && ok "stream list shows all 400 (multi-part dump)" || bad "stream list shows $n of 400"
n=$(srtprelayctl -j show | grep -o '"local"' | wc -l)
[ "$n" -eq 400 ] && ok "show -j lists all 400" || bad "show -j lists $n"
expect 0 "stream flush" -- srtprelayctl stream flush
n=$(srtprelayctl stream list | grep -c '^stream ')
[ "$n" -eq 0 ] && ok "flush left no stream" || bad "$n streams left"
expect 0 "realm del 1" -- srtprelayctl realm del 1
expect 0 "realm del 2" -- srtprelayctl realm del 2
expect 1 "realm del again: ENOENT" -- srtprelayctl realm del 2
cat /tmp/err
# events: a latching plain stream fed by srtp_peer over lo
expect 0 "realm add 5" -- srtprelayctl realm add 5 10.0.1.1 50000-50999
srtprelayctl monitor >/tmp/mon 2>&1 &
m1=$!
srtprelayctl -j monitor >/tmp/monj 2>&1 &
m2=$!
sleep 0.5
expect 0 "stream add latch plain" -- srtprelayctl stream add 10.0.1.1:50000 out-src 10.0.1.1:50002 out-dst 10.0.1.1:6000 latch cookie 42 in-suite NONE out-suite NONE
srtp_peer send --src 10.0.1.1:7000 --dst 10.0.1.1:50000 --suite NONE rtp:0x1234:1:10
sleep 1
kill $m1 $m2
wait $m1 $m2 2>/dev/null
cat /tmp/mon /tmp/monj
has /tmp/mon "remote_latched local 10.0.1.1:50000 cookie 42 remote 10.0.1.1:7000"
has /tmp/mon "ssrc_changed local 10.0.1.1:50000 cookie 42 ssrc 0x00001234"
has /tmp/monj '"event":"remote_latched","local":"10.0.1.1:50000","cookie":42,"remote":"10.0.1.1:7000"'
expect 0 "stream get after traffic" -- srtprelayctl stream get 10.0.1.1:50000
cat /tmp/out
has /tmp/out "latched: 10.0.1.1:7000"
has /tmp/out "rx: 10 packets"
has /tmp/out "last packet: [0-9]*\.[0-9]* s ago"
expect 0 "stats after traffic" -- srtprelayctl stats
has /tmp/out "rx_packets: 10"
expect 0 "stream del latch plain" -- srtprelayctl stream del 10.0.1.1:50000
expect 0 "realm del 5" -- srtprelayctl realm del 5
rmmod srtprelay && ok "rmmod" || bad "rmmod"
echo "ctl-smoke: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
