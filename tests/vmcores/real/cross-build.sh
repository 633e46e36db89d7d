#!/bin/bash
# tests/vmcores/real/cross-build.sh [OUTDIR] -- smmu-strtab-dump for arm64 (run from anywhere).
#
# Cross-compiles the tool with Debian's gcc-aarch64-linux-gnu against the
# arm64 -dev packages of bookworm, downloaded with `apt-get download` and
# unpacked with `dpkg-deb -x` into a sysroot (nothing is installed for arm64).
# The same sysroot carries the runtime closure the guest needs: the tool's
# shared libraries, and kexec-tools (for the real kdump test) with its own.
#
#   ${SD_CROSS_CACHE:-/var/cache/smmu-strtab-dump/arm64}/debs      the .debs
#   ${SD_CROSS_CACHE:-/var/cache/smmu-strtab-dump/arm64}/sysroot   unpacked
#   OUTDIR (default build-arm64/)/smmu-strtab-dump                  the binary
#
# The libraries come from pkg-config with PKG_CONFIG_SYSROOT_DIR, from the
# Makefile's PKGS line, so the cross build follows the native one.  Needs
# root the first time (apt-get install gcc-aarch64-linux-gnu; dpkg
# --add-architecture arm64, downloads only).  Prints the binary's path.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../../.." && pwd)
OUT=${1:-$TOP/build-arm64}
CACHE=${SD_CROSS_CACHE:-/var/cache/smmu-strtab-dump/arm64}
DEBS=$CACHE/debs SYSROOT=$CACHE/sysroot
CC=${CROSS_CC:-aarch64-linux-gnu-gcc}
log() { echo "cross-build: $*" >&2; }

if ! command -v "$CC" >/dev/null; then
    [ "$(id -u)" = 0 ] || { log "$CC missing: apt-get install gcc-aarch64-linux-gnu"; exit 2; }
    log "installing gcc-aarch64-linux-gnu"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc-aarch64-linux-gnu >/dev/null
fi

# The packages: the -dev packages of the Makefile's libraries, the compression
# libraries libkdumpfile is built with, and kexec-tools for the guest.
ROOTS="libkdumpfile-dev libsmartcols-dev libjansson-dev libbpf-dev libdw-dev libelf-dev
       zlib1g-dev liblzo2-dev libsnappy-dev libzstd-dev libbz2-dev liblzma-dev kexec-tools"
KEY=$(echo "$ROOTS" | sha256sum | cut -c1-16)
if [ ! -f "$SYSROOT/.done" ] || [ "$(cat "$SYSROOT/.done")" != "$KEY" ]; then
    if ! dpkg --print-foreign-architectures | grep -qx arm64; then
        dpkg --add-architecture arm64
        apt-get update -qq
    fi
    apt-cache show libkdumpfile-dev:arm64 >/dev/null 2>&1 || apt-get update -qq
    mkdir -p "$DEBS"
    # the closure of the roots, arm64 libraries only (no dpkg, debconf, ...)
    # shellcheck disable=SC2086
    pkgs=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
               --no-replaces --no-enhances $(for p in $ROOTS; do echo "$p:arm64"; done) 2>/dev/null |
           grep -v '^ ' | grep ':arm64$' | sed 's/:arm64$//' |
           grep -E '^(lib|zlib1g|kexec-tools)' |
           grep -vE '^(libc6-dev|libc-dev-bin|libcrypt-dev|libnsl-dev|libtirpc-dev|libdebian-installer|libnewt|libslang|libtextwrap|libselinux|libpcre2|libext2fs|libreadline|libtinfo|libgssapi|libkrb5|libk5crypto|libcom-err|libkeyutils)' |
           sort -u)
    log "downloading $(echo "$pkgs" | wc -w) arm64 packages"
    for p in $pkgs; do
        v=$(apt-cache policy "$p:arm64" | awk '/Candidate:/{print $2}')
        [ -n "$v" ] && [ "$v" != "(none)" ] || continue
        ls "$DEBS/${p}_${v//:/%3a}_"*.deb >/dev/null 2>&1 ||
            (cd "$DEBS" && apt-get -o APT::Sandbox::User=root download -qq "$p:arm64=$v" >/dev/null)
    done
    rm -rf "$SYSROOT"; mkdir -p "$SYSROOT"
    for f in "$DEBS"/*.deb; do dpkg-deb -x "$f" "$SYSROOT"; done
    # absolute .so symlinks (libfoo.so -> /lib/aarch64-linux-gnu/libfoo.so.1) into the sysroot
    find "$SYSROOT" -type l -name '*.so' | while read -r l; do
        t=$(readlink "$l")
        case $t in /*) ln -sf "$SYSROOT$t" "$l" ;; esac
    done
    echo "$KEY" > "$SYSROOT/.done"
fi

ML=aarch64-linux-gnu
export PKG_CONFIG_SYSROOT_DIR=$SYSROOT
export PKG_CONFIG_LIBDIR=$SYSROOT/usr/lib/$ML/pkgconfig:$SYSROOT/usr/share/pkgconfig
PKGS=$(sed -n 's/^PKGS *:= *//p' "$TOP/Makefile")
VERSION=$(sed -n 's/^VERSION *:= *//p' "$TOP/Makefile")
# shellcheck disable=SC2086
CFLAGS_PKG=$(pkg-config --cflags $PKGS)
# shellcheck disable=SC2086
LIBS_PKG=$(pkg-config --libs $PKGS)
LIBDIRS="-L$SYSROOT/usr/lib/$ML -L$SYSROOT/lib/$ML -Wl,-rpath-link=$SYSROOT/usr/lib/$ML:$SYSROOT/lib/$ML"
mkdir -p "$OUT/obj"
objs=()
# Every layer's sources, each seeing the public headers and its own folder
# (the Makefile's layer_cflags; the smmu layer needs nothing more).
# src/crash is the crash extension (make crash-extension), not the CLI.
while IFS= read -r f; do
    rel=${f#"$TOP"/src/}
    o=$OUT/obj/${rel//\//_}
    o=${o%.c}.o
    objs+=("$o")
    # shellcheck disable=SC2086
    $CC -std=gnu11 -Wall -Wextra -Werror -Wno-format-truncation -I"$TOP/include/smmu" -I"$TOP/include/sd" \
        -I"$(dirname "$f")" $CFLAGS_PKG -DSD_VERSION="\"$VERSION\"" -O2 -g -c -o "$o" "$f"
done < <(find "$TOP/src" -name '*.c' -not -path "$TOP/src/crash/*" | sort)
# shellcheck disable=SC2086
$CC -O2 -g -o "$OUT/smmu-strtab-dump" "${objs[@]}" $LIBDIRS $LIBS_PKG
log "built $OUT/smmu-strtab-dump ($(readelf -h "$OUT/smmu-strtab-dump" | sed -n "s/^ *Machine: *//p"))"
echo "$OUT/smmu-strtab-dump"
