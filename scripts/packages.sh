#!/bin/sh
# Builds the Debian packages (srtprelay-dkms, srtprelayd, srtprelay-tools)
# with dpkg-buildpackage -us -uc -b from a clean export of the tracked
# files, then runs lintian on them. Prints each .deb with its size and
# lintian's tags; exits non-zero on a build failure or a lintian error.
#
#   scripts/packages.sh [OUT]    (default OUT: build/deb; needs the
#                                 Build-Depends of debian/control)
set -eu
cd "$(dirname "$0")/.."
OUT=${1:-build/deb}
VERSION=$(sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' debian/changelog)
SRC=$OUT/srtprelay-$VERSION

rm -rf "$OUT"
mkdir -p "$SRC"
# Tracked files as they are in the work tree, without build outputs.
git ls-files -z | xargs -0 tar -cf - | tar -xf - -C "$SRC"
echo "packages: dpkg-buildpackage -us -uc -b in $SRC"
(cd "$SRC" && dpkg-buildpackage -us -uc -b) >"$OUT/build.log" 2>&1 || {
	tail -n 40 "$OUT/build.log"
	echo "packages: dpkg-buildpackage failed (see $OUT/build.log)"
	exit 1
}
for deb in "$OUT"/*.deb; do
	printf 'packages: %s %s bytes\n' "${deb##*/}" "$(stat -c %s "$deb")"
done
# lintian runs as root here; it would rather not, and says so.
lintian --allow-root --display-info "$OUT"/*.changes >"$OUT/lintian.log" 2>&1
status=$?
sed 's/^/lintian: /' "$OUT/lintian.log"
errors=$(grep -c '^E: ' "$OUT/lintian.log" || true)
warnings=$(grep -c '^W: ' "$OUT/lintian.log" || true)
echo "packages: lintian: $errors error(s), $warnings warning(s) (exit $status)"
[ "$errors" -eq 0 ]
