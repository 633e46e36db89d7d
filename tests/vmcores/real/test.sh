#!/bin/bash
# tests/vmcores/real/test.sh -- smmu-strtab-dump on real arm64 dumps (run from the repo root).
# For every kernel and dump format in ${SD_REAL_CACHE:-/var/cache/smmu-strtab-dump/real}, runs
#   ${SMMU_STRTAB_DUMP:-./smmu-strtab-dump} --regs=NAME.regs -J -a -m DUMP
# and checks it against the ground truth (check.py).  Prints ok / not ok lines; exits 0 unless
# it cannot run at all.  Make the dumps with `make real-dumps` (tests/vmcores/real/generate).
# Then the real-kdump checks (kdump-test.sh).
HERE=$(cd "$(dirname "$0")" && pwd)
[ -x /usr/bin/python3 ] || { echo "not ok real - /usr/bin/python3 missing"; exit 1; }
/usr/bin/python3 "$HERE/check.py"
# the real kdumps (kdump-generate): capture-kernel run vs offline analysis
exec "$HERE/kdump-test.sh"
