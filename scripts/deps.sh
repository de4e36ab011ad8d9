#!/bin/sh
# Installs every package srtprelay needs to build and test, with apt.
# Idempotent: when everything is present it only says so.
set -eu

packages="build-essential pkg-config clang llvm lld sparse libssl-dev libsrtp2-dev
libmnl-dev libnetfilter-queue-dev libosip2-dev libconfig-dev
linux-headers-amd64 linux-image-amd64 qemu-system-x86 busybox-static cpio kmod
iproute2 iptables iputils-ping nftables openssl python3
baresip-core sip-tester stunnel4 sox rtpengine-daemon gnuplot-nox
rtpengine-kernel-dkms rtpengine-iptables"

missing=""
for package in $packages; do
	if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $package"
	fi
done

if [ -z "$missing" ]; then
	echo "deps: all $(echo $packages | wc -w) packages present"
	exit 0
fi

echo "deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update
# shellcheck disable=SC2086
apt-get install -y --no-install-recommends $missing
