#!/bin/sh
# Installs every package srtprelay needs to build and test, with apt.
# Idempotent: when everything is present it only says so.
set -eu

packages="build-essential pkg-config clang llvm lld libclang-rt-14-dev sparse libssl-dev libsrtp2-dev
libmnl-dev libnetfilter-queue-dev liburing-dev libosip2-dev libconfig-dev libsystemd-dev systemd procps
linux-headers-amd64 linux-image-amd64 qemu-system-x86 busybox-static cpio kmod
iproute2 iptables iputils-ping nftables openssl python3
baresip-core sip-tester stunnel4 sox rtpengine-daemon gnuplot-nox gdb strace
libc-ares-dev dnsmasq-base kamailio kamailio-tls-modules
libmicrohttpd-dev prometheus curl"

# Only make bench's rtpengine kernel rows use these. Their install builds a
# module with DKMS, which must never be what fails make check: installed
# best effort, and the benchmark reports a skipped row without them.
optional="rtpengine-kernel-dkms rtpengine-iptables"

missing_of() {
	for package in "$@"; do
		if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null |
			grep -q "ok installed"; then
			printf ' %s' "$package"
		fi
	done
}

# shellcheck disable=SC2086
missing=$(missing_of $packages)
# shellcheck disable=SC2086
missing_optional=$(missing_of $optional)

if [ -z "$missing$missing_optional" ]; then
	echo "deps: all $(echo $packages $optional | wc -w) packages present"
	exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update
if [ -n "$missing" ]; then
	echo "deps: installing:$missing"
	# shellcheck disable=SC2086
	apt-get install -y --no-install-recommends $missing
fi
if [ -n "$missing_optional" ]; then
	echo "deps: installing (optional):$missing_optional"
	# shellcheck disable=SC2086
	apt-get install -y --no-install-recommends $missing_optional ||
		echo "deps: optional packages not installed:$missing_optional (make bench skips what needs them)"
fi
