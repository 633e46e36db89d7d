#!/bin/bash
# tests/crash/sysroot.sh -- Debian's arm64 crash, with its library closure and
# that of the smmu extension, unpacked into a sysroot that qemu-aarch64-static
# -L runs it from (nothing is installed for arm64).  Prints the sysroot.
#
#   ${SD_CRASH_CACHE:-/var/cache/smmu-strtab-dump/crash-arm64}/debs     the .debs
#   ${SD_CRASH_CACHE:-/var/cache/smmu-strtab-dump/crash-arm64}/sysroot  unpacked
#
# Why trixie's crash: bookworm's 8.0.2 predates Linux 6.12's arm64 layout
# (52-bit VA); trixie's 8.0.6 opens both real dumps.  Its package list is
# the private one tests/vmcores/real/fetch.sh keeps (REAL_CACHE/apt-trixie,
# used only with `apt-get download`; the host is never upgraded); made here
# the same way when fetch.sh has not run yet.  The extension links
# libkdumpfile, libbpf, libdw, libelf, libsmartcols and libjansson (through
# libsdtool.a), so their trixie runtime packages are in the sysroot too.
# A complete sysroot (.done holding the same package set) touches neither
# apt nor the network.  Cold: 19 packages (9 MB), 25 s, plus an update of
# the trixie list when fetch.sh has not made it.
set -euo pipefail
REAL=${SD_REAL_CACHE:-/var/cache/smmu-strtab-dump/real}
CACHE=${SD_CRASH_CACHE:-/var/cache/smmu-strtab-dump/crash-arm64}
DEBS=$CACHE/debs SYSROOT=$CACHE/sysroot
log() { echo "crash-sysroot: $*" >&2; }

# crash's own closure (not binutils: crash runs no objdump for this) and the
# extension's libraries.
ROOTS="crash libkdumpfile10 libbpf1 libdw1t64 libelf1t64 libsmartcols1 libjansson4"
KEY=$(echo "$ROOTS" | sha256sum | cut -c1-16)
if [ -f "$SYSROOT/.done" ] && [ "$(cat "$SYSROOT/.done")" = "$KEY" ]; then
    echo "$SYSROOT"; exit 0
fi
[ "$(id -u)" = 0 ] || { log "needs root the first time (apt-get download, dpkg --add-architecture)"; exit 2; }
command -v qemu-aarch64-static >/dev/null ||
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq qemu-user-static >/dev/null

TX=$REAL/apt-trixie
TXO=(-o "Dir::Etc::sourcelist=$TX/sources.list" -o Dir::Etc::sourceparts=- -o "Dir::State::Lists=$TX/lists"
     -o "Dir::Cache=$TX/cache" -o APT::Get::List-Cleanup=0 -o APT::Sandbox::User=root)
if [ ! -f "$TX/sources.list" ]; then
    mkdir -p "$TX/lists/partial" "$TX/cache/archives/partial"
    cat > "$TX/sources.list" <<'SRC'
deb [arch=arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main
deb [arch=arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian-security trixie-security main
SRC
fi
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    dpkg --add-architecture arm64
fi
if ! apt-cache "${TXO[@]}" show crash:arm64 >/dev/null 2>&1; then
    log "updating the private trixie list"
    apt-get "${TXO[@]}" update -qq
fi
# shellcheck disable=SC2086
pkgs=$(apt-cache "${TXO[@]}" depends --recurse --no-recommends --no-suggests --no-conflicts \
           --no-breaks --no-replaces --no-enhances $(for p in $ROOTS; do echo "$p:arm64"; done) 2>/dev/null |
       grep -v '^ ' | grep ':arm64$' | sed 's/:arm64$//' |
       grep -vE '^(binutils|libbinutils|libctf|libgprofng|libsframe)' | sort -u)
mkdir -p "$DEBS"
# the candidates in one apt-cache call, the missing ones in one download
want=()
while read -r p v; do
    [ -n "$v" ] && [ "$v" != "(none)" ] || continue
    ls "$DEBS/${p}_${v//:/%3a}_"*.deb >/dev/null 2>&1 || want+=("$p:arm64=$v")
# shellcheck disable=SC2086
done < <(apt-cache "${TXO[@]}" policy $(for p in $pkgs; do echo "$p:arm64"; done) |
         awk '/^[^ ].*:$/{sub(/:arm64:$/, ""); sub(/:$/, ""); n=$0} /Candidate:/{print n, $2}')
log "downloading ${#want[@]} of $(echo "$pkgs" | wc -w) arm64 packages from trixie"
[ ${#want[@]} -eq 0 ] || (cd "$DEBS" && apt-get "${TXO[@]}" download -qq "${want[@]}" >/dev/null)
rm -rf "$SYSROOT"; mkdir -p "$SYSROOT"
for f in "$DEBS"/*.deb; do dpkg-deb -x "$f" "$SYSROOT"; done
# usrmerge: the dynamic loader is looked for at /lib/ld-linux-aarch64.so.1
[ -e "$SYSROOT/lib" ] || ln -s usr/lib "$SYSROOT/lib"
echo "$KEY" > "$SYSROOT/.done"
log "sysroot ready: $(du -sh "$SYSROOT" | cut -f1)"
echo "$SYSROOT"
