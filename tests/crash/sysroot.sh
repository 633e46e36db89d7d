#!/bin/bash
# tests/crash/sysroot.sh -- Debian's arm64 crash, with its library closure and
# that of the smmu extension, unpacked into a sysroot that qemu-aarch64-static
# -L runs it from (nothing is installed for arm64).  Prints the sysroot; its
# .crash-version says which crash it holds ("8.0.6-1 (trixie)").
#
#   ${SD_CRASH_CACHE:-/var/cache/smmu-strtab-dump/crash-arm64}/debs     the .debs
#   ${SD_CRASH_CACHE:-/var/cache/smmu-strtab-dump/crash-arm64}/sysroot  unpacked
#   (crash-arm64-SUITE for another suite, with its package list in apt/)
#
# Which crash (SD_CRASH_SUITE): trixie's 8.0.6 by default.  sid's 9.0.2
# (gdb 16.3) opens the same dumps and reads Linux 6.12's vmlinux without
# 8.0.6's warning about its .relr.dyn section, but its gdb resolves
# `struct arm_smmu_device` to SMMUv2's even after `list arm-smmu-v3.c:1`
# made SMMUv3's source file current (src/crash/host.c's contexts), so the
# extension finds no SMMU on Debian's kernels: not yet usable.
# No crash release walks the 5-level page tables of a 4K-page 52-bit-VA
# (LPA2) kernel, Debian's 6.12 (tests/crash/test.sh says how that dump is
# opened).  The package list is a private one (Dir::State::Lists, used only
# by `apt-get download`; the host is never upgraded): trixie's is the one
# tests/vmcores/real/fetch.sh keeps (REAL_CACHE/apt-trixie).  The extension
# links libkdumpfile, libbpf, libdw, libelf, libsmartcols and libjansson
# (through libsdtool.a), built against the cross sysroot's -dev packages
# (tests/vmcores/real/cross-build.sh): their runtime packages are in the
# sysroot too, from the same suite as crash when it still has the soname
# the extension links (Debian names the package after it), else from
# trixie (sid has moved to libkdumpfile.so.12; the extension links .so.10).
# A complete sysroot (.done holding the same package set) touches neither
# apt nor the network.  Cold: 19 packages (9 MB), ~25 s (sid: 23, 16 MB,
# and its list, ~25 MB).
# Package lists are words on purpose; package file names are plain.
# shellcheck disable=SC2046,SC2086,SC2012
set -euo pipefail
REAL=${SD_REAL_CACHE:-/var/cache/smmu-strtab-dump/real}
SUITE=${SD_CRASH_SUITE:-trixie}
if [ "$SUITE" = trixie ]; then
    CACHE=${SD_CRASH_CACHE:-/var/cache/smmu-strtab-dump/crash-arm64} LISTS=$REAL/apt-trixie
else
    CACHE=${SD_CRASH_CACHE:-/var/cache/smmu-strtab-dump/crash-arm64-$SUITE} LISTS=$CACHE/apt
fi
DEBS=$CACHE/debs SYSROOT=$CACHE/sysroot
log() { echo "crash-sysroot: $*" >&2; }

# crash's own closure (not binutils: crash runs no objdump for this) and the
# extension's libraries, by their runtime package names.
ROOTS="crash"
EXT_LIBS="libkdumpfile10 libbpf1 libdw1t64 libelf1t64 libsmartcols1 libjansson4"
KEY=$(echo "$SUITE $ROOTS $EXT_LIBS" | sha256sum | cut -c1-16)
if [ -f "$SYSROOT/.done" ] && [ "$(cat "$SYSROOT/.done")" = "$KEY" ]; then
    echo "$SYSROOT"; exit 0
fi
[ "$(id -u)" = 0 ] || { log "needs root the first time (apt-get download, dpkg --add-architecture)"; exit 2; }
command -v qemu-aarch64-static >/dev/null ||
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq qemu-user-static >/dev/null
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    dpkg --add-architecture arm64
fi

# A private arm64 package list for SUITE in DIR (made and updated on first
# use); sets the array named by $3 to the apt options that use it.
private_list() { # SUITE DIR ARRAY
    local suite=$1 dir=$2 sec=
    local -n opts=$3
    opts=(-o "Dir::Etc::sourcelist=$dir/sources.list" -o Dir::Etc::sourceparts=- -o "Dir::State::Lists=$dir/lists"
          -o "Dir::Cache=$dir/cache" -o APT::Get::List-Cleanup=0 -o APT::Sandbox::User=root)
    if [ ! -f "$dir/sources.list" ]; then
        mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
        [ "$suite" = sid ] ||
            sec="deb [arch=arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian-security $suite-security main"
        printf '%s\n' "deb [arch=arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $suite main" \
            ${sec:+"$sec"} > "$dir/sources.list"
    fi
    if ! apt-cache "${opts[@]}" show crash:arm64 >/dev/null 2>&1; then
        log "updating the private $suite list"
        apt-get "${opts[@]}" update -qq
    fi
}

# The candidate version of each package in one apt-cache call: "NAME VERSION".
candidates() { # APT-OPTIONS... -- PACKAGES...
    local opts=()
    while [ "$1" != -- ]; do opts+=("$1"); shift; done; shift
    apt-cache "${opts[@]}" policy $(for p in "$@"; do echo "$p:arm64"; done) |
        awk '/^[^ ].*:$/{sub(/:arm64:$/, ""); sub(/:$/, ""); n=$0} /Candidate:/{print n, $2}' |
        awk '$2 != "(none)"'
}

# Downloads into DEBS the candidates not there yet ("NAME VERSION" lines).
download() { # APT-OPTIONS... -- < candidates
    local want=() p v
    while read -r p v; do
        ls "$DEBS/${p}_${v//:/%3a}_"*.deb >/dev/null 2>&1 || want+=("$p:arm64=$v")
    done
    [ ${#want[@]} -eq 0 ] || (cd "$DEBS" && apt-get "${@:1:$#-1}" download -qq "${want[@]}" >/dev/null)
}

private_list "$SUITE" "$LISTS" SO
mkdir -p "$DEBS"
# The extension's libraries SUITE no longer ships under that name come
# from trixie, their dependencies from SUITE.
have=$(candidates "${SO[@]}" -- $EXT_LIBS | cut -d' ' -f1)
roots=$ROOTS old=
for p in $EXT_LIBS; do
    if grep -qx "$p" <<<"$have"; then roots="$roots $p"; else old="$old $p"; fi
done
if [ -n "$old" ]; then
    private_list trixie "$REAL/apt-trixie" TO
    roots="$roots $(apt-cache "${TO[@]}" depends --no-recommends --no-suggests --no-conflicts --no-breaks \
                        --no-replaces --no-enhances $(for p in $old; do echo "$p:arm64"; done) |
                    awk '$1 == "Depends:" {sub(/:arm64$/, "", $2); print $2}' | sort -u | tr '\n' ' ')"
    candidates "${TO[@]}" -- $old | download "${TO[@]}" --
fi
pkgs=$(apt-cache "${SO[@]}" depends --recurse --no-recommends --no-suggests --no-conflicts \
           --no-breaks --no-replaces --no-enhances $(for p in $roots; do echo "$p:arm64"; done) 2>/dev/null |
       grep -v '^ ' | grep ':arm64$' | sed 's/:arm64$//' |
       grep -vE '^(binutils|libbinutils|libctf|libgprofng|libsframe)' | sort -u)
log "$(echo "$pkgs" | wc -w) arm64 packages from $SUITE${old:+, $old from trixie}"
if ! candidates "${SO[@]}" -- $pkgs | download "${SO[@]}" --; then
    # sid moves on: a stale list names versions the mirror no longer has
    log "download failed: updating the private $SUITE list once"
    apt-get "${SO[@]}" update -qq
    candidates "${SO[@]}" -- $pkgs | download "${SO[@]}" --
fi
rm -rf "$SYSROOT"; mkdir -p "$SYSROOT"
# the newest .deb of each package (an older one stays from before an update)
for p in $pkgs $old; do
    f=$(ls -v "$DEBS/${p}_"*_arm64.deb | tail -1)
    dpkg-deb -x "$f" "$SYSROOT"
done
# usrmerge: the dynamic loader is looked for at /lib/ld-linux-aarch64.so.1
[ -e "$SYSROOT/lib" ] || ln -s usr/lib "$SYSROOT/lib"
f=$(ls -v "$DEBS"/crash_*_arm64.deb | tail -1)
echo "$(dpkg-deb -f "$f" Version) ($SUITE)" > "$SYSROOT/.crash-version"
echo "$KEY" > "$SYSROOT/.done"
log "sysroot ready: crash $(cat "$SYSROOT/.crash-version"), $(du -sh "$SYSROOT" | cut -f1)"
echo "$SYSROOT"
