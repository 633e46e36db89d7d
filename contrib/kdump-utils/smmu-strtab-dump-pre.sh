#!/bin/bash
# smmu-strtab-dump-pre.sh -- RHEL/Fedora kdump (kdump-utils) hook, capture kernel.
#
# /etc/kdump.conf:
#   extra_bins /usr/bin/smmu-strtab-dump /usr/lib/smmu-strtab-dump/smmu-strtab-dump-pre.sh
#   kdump_pre /usr/lib/smmu-strtab-dump/smmu-strtab-dump-pre.sh
#   kdump_post /usr/lib/smmu-strtab-dump/smmu-strtab-dump-pre.sh     (optional, see below)
# then `kdumpctl rebuild` (or restart kdump) so the kdump initramfs has them.
#
# As kdump_pre (no argument) it writes, before the dump is saved, into
# <target><path>/smmu-strtab-dump-<YYYY-mm-dd-HH:MM:SS>/ (path from kdump.conf,
# default /var/crash; target mounted at /kdumproot or /sysroot):
#   smmu-strtab-dump.regs  live SMMU registers (--regs format)
#   smmu-strtab-dump.json  the report (-J -a -m)
#   smmu-strtab-dump.log   messages and exit status
# As kdump_post (kdump passes the dump's exit status as $1) it moves those
# files into the directory the dump was just saved in (<host-ip>-<date>/,
# beside vmcore).  It always exits 0: a non-zero kdump_pre would reboot
# without a dump.  Dump targets with no local directory (ssh, raw) get no
# files.
# Environment (optional): SMMU_STRTAB_DUMP (binary), SMMU_STRTAB_DUMP_TIMEOUT
# (seconds, default 60), SMMU_STRTAB_DUMP_DIR (write here instead).
VMCORE=${SMMU_STRTAB_DUMP_VMCORE:-/proc/vmcore}
CONF=/etc/kdump.conf
path=$(awk '$1 == "path" { print $2 }' "$CONF" 2>/dev/null | tail -n 1)
path=${path:-/var/crash}
base=
for r in /kdumproot /sysroot ""; do
    if [ -d "$r$path" ]; then base=$r$path; break; fi
done
[ -n "${SMMU_STRTAB_DUMP_DIR:-}" ] && base=$(dirname "$SMMU_STRTAB_DUMP_DIR")
[ -n "$base" ] || exit 0

if [ $# -ge 1 ]; then
    # kdump_post: move the newest pending set beside the newest vmcore
    pending=$(ls -1dt "$base"/smmu-strtab-dump-* 2>/dev/null | head -n 1)
    dumpdir=$(ls -1dt "$base"/*/vmcore* 2>/dev/null | head -n 1)
    [ -n "$pending" ] && [ -n "$dumpdir" ] || exit 0
    dumpdir=$(dirname "$dumpdir")
    mv "$pending"/smmu-strtab-dump.* "$dumpdir"/ 2>/dev/null && rmdir "$pending" 2>/dev/null
    sync
    exit 0
fi

[ -e "$VMCORE" ] || exit 0
BIN=${SMMU_STRTAB_DUMP:-}
if [ -z "$BIN" ]; then
    for b in /usr/bin/smmu-strtab-dump /usr/sbin/smmu-strtab-dump /usr/local/bin/smmu-strtab-dump \
             /bin/smmu-strtab-dump /sbin/smmu-strtab-dump; do
        [ -x "$b" ] && { BIN=$b; break; }
    done
fi
[ -n "$BIN" ] || exit 0
T=${SMMU_STRTAB_DUMP_TIMEOUT:-60}
DIR=${SMMU_STRTAB_DUMP_DIR:-$base/smmu-strtab-dump-$(date +%Y-%m-%d-%T)}
mkdir -p "$DIR" 2>/dev/null || exit 0
KILL=()
command -v timeout >/dev/null 2>&1 && KILL=(timeout -s KILL $((T + 30)))
{
    echo "smmu-strtab-dump-pre: $(date) $BIN on $VMCORE"
    "${KILL[@]}" "$BIN" --capture-regs="$DIR/smmu-strtab-dump.regs" -J -a -m --timeout="$T" "$VMCORE" \
        > "$DIR/smmu-strtab-dump.json"
    rc=$?
    if [ "$rc" = 3 ]; then
        # no live registers (the SMMU driver owns the SMMU, or /dev/mem refused)
        rm -f "$DIR/smmu-strtab-dump.regs"
        echo "smmu-strtab-dump-pre: live registers not available; report without them"
        "${KILL[@]}" "$BIN" -J -a -m --timeout="$T" "$VMCORE" > "$DIR/smmu-strtab-dump.json"
        rc=$?
    fi
    echo "smmu-strtab-dump-pre: exit status $rc"
} >> "$DIR/smmu-strtab-dump.log" 2>&1
sync
exit 0
