#!/bin/bash
# tests/vmcores/real/textref_check.sh [SD_TEXTREF] -- the ADRP-based finders of
# src/kernel/textref.c on the real dumps (run from the repo root).
#
# For each kernel in ${SD_REAL_CACHE:-/var/cache/smmu-strtab-dump/real} (the ELF
# dump, and the zstd kdump or else the zlib one) and each real kdump vmcore
# (kdump-KERNEL/MODE/vmcore), runs the helper (tests/unit/sd_textref.c) and
# compares what it finds with the truth the dump or its generator holds:
#   * with CONFIG_KALLSYMS_ALL (6.12): the kallsyms address of the same name;
#   * else with Debian's dbg vmlinux when ${SD_DBG_CACHE:-/var/cache/smmu-strtab-dump/dbg}
#     has it (nm address + VMCOREINFO KERNELOFFSET);
#   * else iommu_device_list by the SMMUs the tool's RAM scan finds
#     (SMMU_STRTAB_DUMP_DISCOVERY=scan: the scan even where text references work; the
#     PA of each arm_smmu_device on the list found equals the scan's
#     "strtab_cfg signature at PA"), and crashk_res on the kdump vmcores by
#     the "Crash kernel" line of /proc/iomem the crashed guest printed
#     (console.log "SD-KDUMP iomem").
# and that the three lookups together read at most 64 pages of the dump
# (the time they take is make bench's).
# Prints ok / not ok lines.
set -u
CACHE=${SD_REAL_CACHE:-/var/cache/smmu-strtab-dump/real}
DBG=${SD_DBG_CACHE:-/var/cache/smmu-strtab-dump/dbg}
bin=${SMMU_STRTAB_DUMP:-./smmu-strtab-dump}
case $bin in ./smmu-strtab-dump|smmu-strtab-dump) def=build/unit/sd_textref ;; *) def=$(dirname "$bin")/unit/sd_textref ;; esac
helper=${1:-$def}
# a handful of text pages per finder; a RAM scan reads hundreds of thousands
MAX_PAGES=64

if [ ! -x "$helper" ]; then
    echo "not ok textref - $helper missing (make check builds it)"
    exit 0
fi
ran=0

field() { # OUT KEY N: the Nth word after "KEY"
    awk -v k="$2" -v n="$3" '$1 == k { print $(n + 1); exit }' <<<"$1"
}
found_of() { # OUT NAME: address found, or -
    awk -v k="$2" '$1 == "found" && $2 == k { print $3; exit }' <<<"$1"
}
kallsyms_of() {
    awk -v k="$2" '$1 == "kallsyms" && $2 == k { print $3; exit }' <<<"$1"
}
hexeq() { [ "$1" != - ] && [ "$2" != - ] && [ $(( $1 )) -eq $(( $2 )) ]; }

# the dbg vmlinux's link address of NAME plus KERNELOFFSET, or -
dbg_addr() { # OSRELEASE NAME KERNELOFFSET
    local v=$DBG/usr/lib/debug/boot/vmlinux-$1 a
    [ -f "$v" ] && [ "$3" != - ] || { echo -; return; }
    a=$(nm "$v" 2>/dev/null | awk -v k="$2" '$3 == k { print $1; exit }')
    [ -n "$a" ] || { echo -; return; }
    printf '0x%x\n' $(( 0x$a + $3 ))
}

# the truth of one global: kallsyms, else dbg; "-" when neither has it
truth_by_name() { # OUT NAME OSRELEASE
    local k
    k=$(kallsyms_of "$1" "$2")
    if [ "$k" != - ]; then echo "$k kallsyms"; return; fi
    k=$(dbg_addr "$3" "$2" "$(field "$1" kerneloffset 1)")
    if [ "$k" != - ]; then echo "$k dbg-vmlinux"; return; fi
    echo "- -"
}

check_name() { # LABEL OUT NAME OSRELEASE: ok when found == truth; - when no truth
    local f t how
    f=$(found_of "$2" "$3")
    read -r t how <<<"$(truth_by_name "$2" "$3" "$4")"
    if [ "$t" = - ]; then echo -; return; fi
    if hexeq "$f" "$t"; then
        echo "ok $1 $3 $f = $how"
    else
        echo "not ok $1 $3 - found $f, $how says $t ($(grep "^found $3" <<<"$2"))"
    fi
}

# iommu_device_list without a name to compare: the tool's RAM scan
check_list_by_scan() { # LABEL OUT DUMP
    local want got
    want=$(SMMU_STRTAB_DUMP_DISCOVERY=scan "$bin" -J "$3" 2>/dev/null |
           grep -o 'strtab_cfg signature at PA 0x[0-9a-f]*' |
           awk '{ print $NF }' | sort -u)
    got=$(awk '$1 == "smmu_pa" { print $2 }' <<<"$2" | sort -u)
    if [ -z "$want" ]; then
        echo "not ok $1 iommu_device_list - the tool's RAM scan found no SMMU"
    elif [ "$want" = "$got" ]; then
        echo "ok $1 iommu_device_list leads to the SMMU(s) the RAM scan finds ($(echo $got))"
    else
        echo "not ok $1 iommu_device_list - its SMMU(s) at PA [$(echo $got)], RAM scan [$(echo $want)]"
    fi
}

check_common() { # LABEL OUT
    # The lookups' cost, asserted as work (pages read from the dump), not
    # as time: a wall-clock limit fails on a loaded machine and passes a
    # RAM scan on a fast one.  Their time is make bench's (README,
    # Performance); printed here as a comment only.
    local n
    n=$(field "$2" textref_misses 1)
    echo "# $1 lookups took $(field "$2" textref_ms 1) ms"
    if [ -n "$n" ] && [ "$n" -le $MAX_PAGES ]; then
        echo "ok $1 lookups read $n pages of the dump (limit $MAX_PAGES)"
    else
        echo "not ok $1 lookups read ${n:-?} pages of the dump (limit $MAX_PAGES)"
    fi
    # arm_smmu_driver is referenced only by its __init register call,
    # whose text is freed after boot: not found is expected, a wrong
    # answer is not
    local f t
    f=$(found_of "$2" arm_smmu_driver)
    t=$(kallsyms_of "$2" arm_smmu_driver)
    if [ "$f" = - ]; then
        echo "ok $1 arm_smmu_driver # skip not reachable from live text"
    elif [ "$t" = - ] || hexeq "$f" "$t"; then
        echo "ok $1 arm_smmu_driver $f (kallsyms ${t})"
    else
        echo "not ok $1 arm_smmu_driver - found $f, kallsyms says $t"
    fi
}

for kdir in "$CACHE"/linux-*/; do
    k=$(basename "$kdir")
    [ -f "$kdir/meta.json" ] || continue
    rel=$(sed -n 's/.*"osrelease": *"\([^"]*\)".*/\1/p' "$kdir/meta.json")
    kd=$(ls "$kdir"/*.zstd.kdump 2>/dev/null | head -1)
    [ -n "$kd" ] || kd=$(ls "$kdir"/*.kdump-zlib 2>/dev/null | head -1)
    for d in "$kdir/$k.elf" $kd; do
        [ -f "$d" ] || continue
        label="textref $k $(basename "$d" | sed "s/^$k\.//")"
        out=$("$helper" "$d" 2>&1) || { echo "not ok $label - helper failed: $(tail -1 <<<"$out")"; continue; }
        ran=1
        for g in iommu_device_list crashk_res; do
            if [ "$(found_of "$out" $g)" = - ]; then
                echo "not ok $label $g - $(grep "^found $g" <<<"$out")"
                continue
            fi
            r=$(check_name "$label" "$out" $g "$rel")
            [ "$r" = - ] || echo "$r"
            # without the name in kallsyms, also the RAM scan's answer
            if [ $g = iommu_device_list ] && [ "$(kallsyms_of "$out" $g)" = - ]; then
                check_list_by_scan "$label" "$out" "$d"
            elif [ "$r" = - ]; then
                echo "ok $label crashk_res # skip no kallsyms or dbg vmlinux to compare (the kdump vmcores check the range)"
            fi
        done
        check_common "$label" "$out"
    done
done

# real kdumps: the crashed kernel had a crashkernel= reservation
for vm in "$CACHE"/kdump-*/*/vmcore; do
    [ -f "$vm" ] || continue
    dir=$(dirname "$vm")
    label="textref $(basename "$(dirname "$dir")")/$(basename "$dir")"
    want=$(sed -n 's/^SD-KDUMP iomem *\([0-9a-f]*\)-\([0-9a-f]*\) : Crash kernel.*/0x\1 0x\2/p' "$dir/console.log" | head -1)
    out=$("$helper" "$vm" 2>&1) || { echo "not ok $label - helper failed: $(tail -1 <<<"$out")"; continue; }
    ran=1
    rel=$(sed -n 's/.*"osrelease": *"\([^"]*\)".*/\1/p' "$(dirname "$dir")/meta.json" 2>/dev/null)
    for g in iommu_device_list crashk_res; do
        r=$(check_name "$label" "$out" $g "$rel")
        [ "$r" = - ] || echo "$r"
    done
    got=$(awk '$1 == "crashk_res_range" { print $2, $3 }' <<<"$out")
    if [ -z "$want" ]; then
        echo "ok $label crashk_res # skip no SD-KDUMP iomem line in console.log"
    elif [ -n "$got" ] && hexeq "${got% *}" "${want% *}" && hexeq "${got#* }" "${want#* }"; then
        echo "ok $label crashk_res range $got = /proc/iomem of the crashed guest"
    else
        echo "not ok $label crashk_res - range [${got:-none}], /proc/iomem [$want] ($(grep '^found crashk_res' <<<"$out"))"
    fi
    check_common "$label" "$out"
done
[ $ran = 1 ] || echo "ok textref # skip no real dumps in $CACHE"
exit 0
