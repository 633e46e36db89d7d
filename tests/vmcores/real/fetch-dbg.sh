#!/bin/bash
# fetch-dbg.sh [REAL_CACHE [DBG_CACHE]] -- Debian's DWARF vmlinux for every real-dump kernel.
#
# For each "kernel-*" line of REAL_CACHE/debs/resolved.txt (written by fetch.sh when
# tests/vmcores/real/generate made the dumps), downloads the matching
# linux-image-REL-arm64[-16k]-dbg package of the same version, extracts ONLY
# ./usr/lib/debug/boot/vmlinux-REL into DBG_CACHE/usr/lib/debug/boot/ and deletes the
# .deb (0.8-1 GB each; one at a time, so the peak is one .deb).  A vmlinux whose
# .vmlinux-REL.key names the same package version is kept: a complete cache touches
# neither apt nor the network.  Uses the host lists for bookworm and fetch.sh's private
# trixie list (REAL_CACHE/apt-trixie) for trixie, with `apt-get download` only.
# A package the archive no longer has is a warning, not an error: the DWARF tests of
# that dump are then skipped (SD_REAL_REFETCH=1 tests/vmcores/real/generate moves the
# dumps to the current kernels).  Cold: ~25 s per kernel (download ~5-15 s, extraction
# ~8 s: the vmlinux is near the start of data.tar and tar stops after it).
set -euo pipefail
REAL=${1:-${SD_REAL_CACHE:-/var/cache/smmu-strtab-dump/real}}
DBG=${2:-${SD_DBG_CACHE:-/var/cache/smmu-strtab-dump/dbg}}
R=$REAL/debs/resolved.txt
log() { echo "fetch-dbg: $*" >&2; }
if [ ! -f "$R" ]; then
    log "no $R (tests/vmcores/real/generate makes it): nothing to fetch"
    exit 0
fi
BOOT=$DBG/usr/lib/debug/boot
TMP=$DBG/.tmp
mkdir -p "$BOOT"
rm -rf "$TMP" "$DBG"/*.deb    # leftovers of an interrupted run
T0=$(date +%s)

TX=$REAL/apt-trixie
TXO=(-o "Dir::Etc::sourcelist=$TX/sources.list" -o Dir::Etc::sourceparts=- -o "Dir::State::Lists=$TX/lists"
     -o "Dir::Cache=$TX/cache" -o APT::Get::List-Cleanup=0 -o APT::Sandbox::User=root)

ok=0 missing=0
while read -r role pkg ver _; do
    case $role in kernel-*) ;; *) continue ;; esac
    rel=${pkg#linux-image-}; rel=${rel%-unsigned}
    dbg=linux-image-$rel-dbg
    out=$BOOT/vmlinux-$rel key=$BOOT/.vmlinux-$rel.key
    if [ -f "$out" ] && [ "$(cat "$key" 2>/dev/null)" = "$dbg $ver" ]; then ok=$((ok + 1)); continue; fi
    o=()
    [ "$role" = kernel-6.1 ] || o=("${TXO[@]}")
    t=$(date +%s)
    rm -rf "$TMP"; mkdir -p "$TMP"
    if ! (cd "$TMP" && apt-get "${o[@]}" -o APT::Sandbox::User=root download -qq "$dbg:arm64=$ver" >/dev/null); then
        log "$dbg $ver: not downloadable; the DWARF tests of $rel will be skipped"
        missing=$((missing + 1)); rm -rf "$TMP"; continue
    fi
    deb=$(ls "$TMP"/*.deb)
    # tar stops at the first (only) occurrence; dpkg-deb then dies of SIGPIPE.
    dpkg-deb --fsys-tarfile "$deb" 2>/dev/null |
        tar -x -C "$TMP" --occurrence=1 "./usr/lib/debug/boot/vmlinux-$rel" || true
    rm -f "$deb"
    if [ ! -s "$TMP/usr/lib/debug/boot/vmlinux-$rel" ] ||
       [ "$(head -c 4 "$TMP/usr/lib/debug/boot/vmlinux-$rel" | od -An -tx1 | tr -d ' ')" != 7f454c46 ]; then
        log "$dbg $ver: no ./usr/lib/debug/boot/vmlinux-$rel in the package"
        missing=$((missing + 1)); rm -rf "$TMP"; continue
    fi
    mv -f "$TMP/usr/lib/debug/boot/vmlinux-$rel" "$out"
    echo "$dbg $ver" > "$key"
    rm -rf "$TMP"
    ok=$((ok + 1))
    log "$rel: $(($(date +%s) - t)) s"
done < "$R"
log "$ok vmlinux ready in $BOOT, $missing missing ($(($(date +%s) - T0)) s)"
exit 0
