#!/bin/sh
# Builds the test VM's initramfs: busybox, the Debian kernel modules the tests
# need (with their dependencies, in load order), srtprelay.ko, the test
# programs with every shared library they link, the test scripts and an /init
# that runs them and powers off.
#
#   build-initramfs.sh [OUTPUT.cpio.gz]
#
# Environment: KVER (guest kernel, default: scripts/kver.sh), BUILD (default
# build), KMOD (default srtprelay.ko), EXTRA_PROGRAMS (more binaries to copy).
# A missing srtprelay.ko or srtprelayctl is not an error here: the tests that
# need them report themselves as failed inside the guest, so the boot, the
# crypto modules and the endpoint program can be proven before the module
# exists.
set -eu

KVER=${KVER:-$(sh "$(dirname "$0")/../../scripts/kver.sh")} || exit 2
BUILD=${BUILD:-build}
KMOD=${KMOD:-srtprelay.ko}
OUT=${1:-$BUILD/kernel/initramfs.cpio.gz}
HERE=$(cd "$(dirname "$0")" && pwd)
MODDIR=/lib/modules/$KVER

# Modules the tests load before srtprelay.ko. The kernel crypto API gives
# ctr(aes-aesni) and hmac(sha1-avx2) only with the SIMD drivers loaded;
# gcm and ghash-generic make the synchronous gcm(aes) the AEAD suites need
# (busybox has no modprobe for the kernel to load them on demand); veth
# builds the namespaces' links. IPv6 and netfilter are built in (=y) in
# Debian's 6.1 config.
BASE_MODULES="aesni-intel sha1-ssse3 ctr gcm ghash-generic veth"

die() { echo "build-initramfs: $*" >&2; exit 1; }

[ -d "$MODDIR" ] || die "no modules for $KVER in $MODDIR"
command -v busybox >/dev/null || die "busybox not found (apt install busybox-static)"
busybox_path=$(command -v busybox)
if ldd "$busybox_path" >/dev/null 2>&1; then
	die "$busybox_path is dynamically linked; install busybox-static"
fi

# A staging folder of its own, so that two builds at once (make check in
# parallel with make kboot) cannot mix their trees.
mkdir -p "$BUILD/kernel"
STAGE=$(mktemp -d "$BUILD/kernel/initramfs.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT
chmod 755 "$STAGE"	# it becomes /, which the unprivileged checks traverse
cd "$STAGE"
mkdir -p bin sbin usr/bin usr/sbin lib lib64 etc proc sys dev tmp run root \
	var/run "lib/modules/$KVER" ktest
chmod 1777 tmp
cd - >/dev/null

# Busybox with one symlink per applet, in bin/.
cp "$busybox_path" "$STAGE/bin/busybox"
for applet in $(busybox --list); do
	[ "$applet" = busybox ] && continue
	ln -sf busybox "$STAGE/bin/$applet"
done

# copy_binary FILE [DEST]: FILE and every shared library ldd lists for it,
# at the same absolute paths, so the dynamic loader finds them unchanged.
copy_binary() {
	src=$1
	dest=${2:-$src}
	mkdir -p "$STAGE$(dirname "$dest")"
	rm -f "$STAGE$dest"	# may be a busybox applet link
	cp -L "$src" "$STAGE$dest"
	ldd "$src" 2>/dev/null | awk '
		/=> \// { print $3 }
		/^[[:space:]]*\// { print $1 }' | while read -r lib; do
		[ -e "$STAGE$lib" ] && continue
		mkdir -p "$STAGE$(dirname "$lib")"
		cp -L "$lib" "$STAGE$lib"
	done
}

# iproute2's ip beside busybox's, which has no "netns" and no "-n". Debian's
# busybox ash runs its own applets before searching PATH, so the tests call
# these by full path.
for tool in /usr/sbin/ip /usr/sbin/nft; do
	[ -x "$tool" ] && copy_binary "$tool" "/usr/lib/ktest/$(basename "$tool")"
done
# util-linux setpriv, beside busybox's (which cannot change user), for the
# checks that a user without CAP_NET_ADMIN is refused.
copy_binary /usr/bin/setpriv /usr/lib/ktest/setpriv

# Modules: resolve with the host's modprobe against the guest's modules.dep;
# --show-depends prints "insmod PATH" lines in load order. Compressed modules
# are decompressed so busybox insmod can load them.
: >"$STAGE/etc/modules.order"
add_module_file() {
	path=$1
	name=$(basename "$path")
	case "$name" in
	*.ko.xz) name=${name%.xz}; xz -dc "$path" >"$STAGE/lib/modules/$KVER/$name" ;;
	*.ko.zst) name=${name%.zst}; zstd -qdc "$path" >"$STAGE/lib/modules/$KVER/$name" ;;
	*.ko.gz) name=${name%.gz}; gzip -dc "$path" >"$STAGE/lib/modules/$KVER/$name" ;;
	*) cp "$path" "$STAGE/lib/modules/$KVER/$name" ;;
	esac
	grep -qx "$name" "$STAGE/etc/modules.order" || echo "$name" >>"$STAGE/etc/modules.order"
}
add_module() {
	modprobe -S "$KVER" --show-depends "$1" | while read -r verb path _; do
		[ "$verb" = insmod ] && add_module_file "$path"
	done
}
for module in $BASE_MODULES; do
	add_module "$module"
done

# srtprelay.ko goes last, after whatever it depends on. It is loaded by the
# test script, not by /init, so that loading it is itself a checked step.
if [ -f "$KMOD" ]; then
	for dep in $(modinfo -F depends "$KMOD" | tr ',' ' '); do
		add_module "$dep"
	done
	cp "$KMOD" "$STAGE/lib/modules/$KVER/srtprelay.ko"
	echo "build-initramfs: srtprelay.ko from $KMOD ($(modinfo -F vermagic "$KMOD"))"
	case "$(modinfo -F vermagic "$KMOD")" in
	"$KVER "*) ;;
	*) echo "build-initramfs: warning: $KMOD was not built for $KVER" >&2 ;;
	esac
else
	echo "build-initramfs: no $KMOD yet; module tests will fail in the guest" >&2
fi

# Test programs: ours, the controller, srtprelayd and SIPp (the
# concurrent-calls check), anything listed in EXTRA_PROGRAMS.
for program in "$BUILD/kernel/srtp_peer" "$BUILD/kernel/srtp_calls" "$BUILD/kernel/nl_hold" "$BUILD/kernel/nl_raw" \
	"$BUILD/srtprelayctl" "$BUILD/srtprelayd" /usr/bin/sipp ${EXTRA_PROGRAMS:-}; do
	if [ -x "$program" ]; then
		copy_binary "$program" "/usr/bin/$(basename "$program")"
	else
		echo "build-initramfs: no $program yet" >&2
	fi
done

# Debian builds libsrtp2 on NSS, which dlopens its soft token and freebl at
# srtp_init(): ldd cannot see them, and without them srtp_init() fails with
# cipher_fail.
for lib in libsoftokn3.so libfreeblpriv3.so libfreebl3.so; do
	path=/lib/$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)/$lib
	[ -e "$path" ] && copy_binary "$path"
done
mkdir -p "$STAGE/var/tmp"

cp "$HERE/tests.sh" "$HERE/keystream.sh" "$HERE/pass_through.sh" "$HERE/family.sh" "$HERE/reload.sh" "$STAGE/ktest/"
cp "$HERE/../lib.sh" "$STAGE/ktest/lib.sh"
[ -f "$HERE/peer-selftest.sh" ] && cp "$HERE/peer-selftest.sh" "$STAGE/ktest/"
# srtprelayd's configuration and the SIPp scenarios of the concurrent-calls
# check (SIPp and srtprelayd are copied above with the test programs).
cp "$HERE/srtprelayd-vm.conf" "$STAGE/ktest/"
cp "$HERE/../sip/uac_hold.xml" "$HERE/../sip/uas_answer.xml" "$STAGE/ktest/"
cp "$HERE/../crash/uac_crash_bye.xml" "$HERE/../crash/uas_crash_wait.xml" "$STAGE/ktest/"
cp "$HERE/init" "$STAGE/init"
chmod 755 "$STAGE/init" "$STAGE"/ktest/*.sh

# A user without CAP_NET_ADMIN for the permission checks.
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n' \
	>"$STAGE/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$STAGE/etc/group"
echo "$KVER" >"$STAGE/etc/kver"

mkdir -p "$(dirname "$OUT")"
(cd "$STAGE" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --quiet --owner=0:0) | gzip -1 >"$OUT.tmp.$$"
mv "$OUT.tmp.$$" "$OUT"
echo "build-initramfs: $OUT ($(du -k "$OUT" | cut -f1) KiB, $(wc -l <"$STAGE/etc/modules.order") modules)"
