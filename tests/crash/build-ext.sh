#!/bin/bash
# tests/crash/build-ext.sh OUTDIR CRASH_SYSROOT -- smmu.so for arm64 crash.
#
# The Makefile's own `crash-extension` target, run with Debian's
# aarch64-linux-gnu-gcc against the arm64 -dev packages of the sysroot that
# tests/vmcores/real/cross-build.sh keeps (made by it when missing), and
# against the defs.h of the arm64 crash that will load it (CRASH_SYSROOT,
# tests/crash/sysroot.sh).  The objects go to OUTDIR/pic; prints the .so.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
OUT=$1 CRASH_SYSROOT=$2
CACHE=${SD_CROSS_CACHE:-/var/cache/smmu-strtab-dump/arm64}
SYSROOT=$CACHE/sysroot
ML=aarch64-linux-gnu
if [ ! -f "$SYSROOT/.done" ]; then
    "$TOP/tests/vmcores/real/cross-build.sh" "$OUT/cli" >/dev/null
fi
export PKG_CONFIG_SYSROOT_DIR=$SYSROOT
export PKG_CONFIG_LIBDIR=$SYSROOT/usr/lib/$ML/pkgconfig:$SYSROOT/usr/share/pkgconfig
make -s -C "$TOP" -j2 CC=$ML-gcc AR=$ML-ar P="$OUT/pic" \
    CRASH_INCLUDE="$CRASH_SYSROOT/usr/include/crash" \
    LDFLAGS="-L$SYSROOT/usr/lib/$ML -L$SYSROOT/lib/$ML -Wl,-rpath-link=$SYSROOT/usr/lib/$ML:$SYSROOT/lib/$ML" \
    crash-extension >&2
echo "$OUT/pic/smmu.so"
