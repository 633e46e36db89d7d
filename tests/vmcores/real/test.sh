#!/bin/bash
# tests/vmcores/real/test.sh -- smmu-strtab-dump on real arm64 dumps (run from the repo root).
# For every kernel and dump format in ${SD_REAL_CACHE:-/var/cache/smmu-strtab-dump/real}, runs
#   ${SMMU_STRTAB_DUMP:-./smmu-strtab-dump} --regs=NAME.regs -J -a -m DUMP
# and checks it against the ground truth (check.py); the same for the VFIO variant
# (vfio-generate) when it is there, with its own checks (README.txt).  Prints ok / not ok lines; exits 0 unless
# it cannot run at all.  Make the dumps with `make real-dumps` (tests/vmcores/real/generate).
# Then the btf_modules walk on the modules the guests loaded (modbtf_check.py, with the
# sd_modbtf helper of the same build tree), the ADRP-based finders (textref_check.sh, with
# sd_textref), the way the tool reaches the SMMUs (discovery_check.py: found_by, pages
# read, crashkernel on 6.1), and the real-kdump checks (kdump-test.sh).
HERE=$(cd "$(dirname "$0")" && pwd)
[ -x /usr/bin/python3 ] || { echo "not ok real - /usr/bin/python3 missing"; exit 1; }
/usr/bin/python3 "$HERE/check.py"
bin=${SMMU_STRTAB_DUMP:-./smmu-strtab-dump}
case $bin in ./smmu-strtab-dump|smmu-strtab-dump) helper=build/unit/sd_modbtf ;; *) helper=$(dirname "$bin")/unit/sd_modbtf ;; esac
if [ -x "$helper" ]; then
    /usr/bin/python3 "$HERE/modbtf_check.py" "$helper"
else
    echo "not ok modbtf - $helper missing (make check builds it)"
fi
# the ADRP-based finders (src/kernel/textref.c) against kallsyms, the dbg vmlinux, the RAM scan
bash "$HERE/textref_check.sh"
# how the SMMUs are reached: text references without data symbols, no RAM scan
/usr/bin/python3 "$HERE/discovery_check.py" "$bin"
# the real kdumps (kdump-generate): capture-kernel run vs offline analysis
exec "$HERE/kdump-test.sh"
