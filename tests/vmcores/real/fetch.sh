#!/bin/bash
# fetch.sh CACHE -- resolve and download the arm64 .debs the generator needs.
# Writes CACHE/debs/*.deb and CACHE/debs/resolved.txt ("ROLE PACKAGE VERSION FILE").
# Host side: adds the arm64 architecture (downloads only) and keeps a private
# trixie package list used only with `apt-get download`; the host is never upgraded.
set -euo pipefail
CACHE=$1
DEBS=$CACHE/debs
TX=$CACHE/apt-trixie
mkdir -p "$DEBS" "$TX/lists/partial"

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    dpkg --add-architecture arm64
    apt-get update -qq
fi
# Host lists without arm64 entries (architecture added but never updated)?
if ! apt-cache show busybox-static:arm64 >/dev/null 2>&1; then apt-get update -qq; fi

cat > "$TX/sources.list" <<'SRC'
deb [arch=arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main
deb [arch=arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian-security trixie-security main
SRC
TXO=(-o "Dir::Etc::sourcelist=$TX/sources.list" -o Dir::Etc::sourceparts=- -o "Dir::State::Lists=$TX/lists"
     -o "Dir::Cache=$TX/cache" -o APT::Get::List-Cleanup=0 -o APT::Sandbox::User=root)
mkdir -p "$TX/cache/archives/partial"
# refresh the trixie list at most once a day
if [ -z "$(find "$TX/lists" -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -1)" ]; then
    apt-get "${TXO[@]}" update -qq || echo "fetch: trixie list update failed, using what is there" >&2
fi

# newest package whose name matches REGEX and that has a candidate; prints "NAME VERSION"
newest() { # SUITE REGEX
    local suite=$1 re=$2 o=() n v best=
    [ "$suite" = trixie ] && o=("${TXO[@]}")
    for n in $(apt-cache "${o[@]}" pkgnames | grep -E "$re" | sort -V -r); do
        v=$(apt-cache "${o[@]}" policy "$n:arm64" 2>/dev/null | awk '/Candidate:/{print $2}')
        if [ -n "$v" ] && [ "$v" != "(none)" ]; then echo "$n $v"; return 0; fi
    done
    echo "fetch: no package matches $re in $suite" >&2; return 1
}
dl() { # SUITE ROLE NAME VERSION
    local suite=$1 role=$2 n=$3 v=$4 o=() f
    [ "$suite" = trixie ] && o=("${TXO[@]}")
    f=$(ls "$DEBS/${n}_${v//:/%3a}_arm64.deb" "$DEBS/${n}_${v//:/%3a}_all.deb" 2>/dev/null | head -1 || true)
    if [ -z "$f" ]; then
        (cd "$DEBS" && apt-get "${o[@]}" -o APT::Sandbox::User=root download -qq "$n:arm64=$v" >/dev/null)
        f=$(ls "$DEBS/${n}_${v//:/%3a}_"*.deb | head -1)
    fi
    echo "$role $n $v $(basename "$f")" >> "$DEBS/resolved.txt.new"
}
ver() { local suite=$1 n=$2 o=(); [ "$suite" = trixie ] && o=("${TXO[@]}")
        apt-cache "${o[@]}" policy "$n:arm64" | awk '/Candidate:/{print $2}'; }

rm -f "$DEBS/resolved.txt.new"
read -r n v < <(newest bookworm '^linux-image-6\.1\.0-[0-9]+-arm64-unsigned$');             dl bookworm kernel-6.1 "$n" "$v"
read -r n v < <(newest trixie '^linux-image-6\.12\.[0-9]+\+deb13(\.[0-9]+)?-arm64-unsigned$');  dl trixie kernel-6.12 "$n" "$v"
read -r n v < <(newest trixie '^linux-image-6\.12\.[0-9]+\+deb13(\.[0-9]+)?-arm64-16k-unsigned$'); dl trixie kernel-6.12-16k "$n" "$v"
dl bookworm busybox busybox-static "$(ver bookworm busybox-static)"
# makedumpfile (arm64, run under qemu-aarch64-static) with its library closure as a trixie
# sysroot: trixie's 1.7.6 has lzo and zstd (bookworm's 1.7.2 has neither zstd nor 52-bit VA;
# no Debian build has snappy; no makedumpfile up to 1.7.8 knows 4K/16K pages with 52-bit VA)
for p in makedumpfile libc6 libgcc-s1 libdw1t64 libelf1t64 liblzo2-2 zlib1g libbz2-1.0 liblzma5 libzstd1; do
    dl trixie mdf-trixie "$p" "$(ver trixie $p)"; done
mv "$DEBS/resolved.txt.new" "$DEBS/resolved.txt"
