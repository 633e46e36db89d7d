#!/bin/bash
# tests/vmcores/real/kdump-test.sh -- the real kdumps made by kdump-generate (run from the repo root).
# Runs ${SMMU_STRTAB_DUMP:-./smmu-strtab-dump} offline on the vmcores the capture kernel saved and
# compares with what the cross-built tool reported in the capture kernel (kdump_check.py).
# Prints ok / not ok lines; exits 0 unless it cannot run at all.
HERE=$(cd "$(dirname "$0")" && pwd)
[ -x /usr/bin/python3 ] || { echo "not ok kdump - /usr/bin/python3 missing"; exit 1; }
exec /usr/bin/python3 "$HERE/kdump_check.py"
