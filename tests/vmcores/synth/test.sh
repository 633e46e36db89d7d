#!/bin/sh
# Synthetic-vmcore tests for smmu-strtab-dump.
#
# Generates every scenario of gen.py into a temporary directory (or into
# $SD_SYNTH_DIR when set, which is kept), checks that libkdumpfile reads each
# dump back byte for byte, then runs
#     ${SMMU_STRTAB_DUMP:-./smmu-strtab-dump} --regs=NAME.regs -J -m DUMP
# from the repository root on each one and compares its JSON and exit status
# with NAME.expect.json through compare.py (rules in its docstring).
# Prints `ok NAME` / `not ok NAME - reason` lines; exits 0 unless it could
# not run at all.
here=$(cd "$(dirname "$0")" && pwd) || exit 1
root=$(cd "$here/../../.." && pwd) || exit 1
cd "$root" || exit 1
py=/usr/bin/python3
tool=${SMMU_STRTAB_DUMP:-./smmu-strtab-dump}

if [ -n "$SD_SYNTH_DIR" ]; then
	out=$SD_SYNTH_DIR
	mkdir -p "$out" || exit 1
else
	out=$(mktemp -d "${TMPDIR:-/tmp}/synth.XXXXXX") || exit 1
	trap 'rm -rf "$out"' EXIT INT TERM
fi

if ! "$py" "$here/gen.py" "$out"; then
	echo "not ok synth: gen.py failed"
	exit 1
fi
echo "ok synth: gen.py wrote the scenarios"

# the committed quick-start sample must be what gen.py --sample writes
if [ -f "$root/tests/vmcores/sample.vmcore" ]; then
	mkdir -p "$out/sample-check"
	"$py" "$here/gen.py" --sample "$out/sample-check/sample.vmcore"
	if cmp -s "$out/sample-check/sample.vmcore" "$root/tests/vmcores/sample.vmcore" &&
	   cmp -s "$out/sample-check/sample.regs" "$root/tests/vmcores/sample.regs"; then
		echo "ok synth/sample: committed sample.vmcore and sample.regs are up to date"
	else
		echo "not ok synth/sample: committed sample.vmcore/sample.regs differ from gen.py --sample"
	fi
fi

# the generator's own consistency: dumps read back through libkdumpfile, and
# an independent walker over the ELF images agrees with the expectations
if "$py" -c 'import kdumpfile' 2>/dev/null; then
	"$py" "$here/gen.py" --check "$out"
else
	echo "not ok synth: python3-libkdumpfile missing, dumps not checked"
fi
"$py" "$here/walk.py" "$out"

case $tool in
/*) ;;
*/*) ;;
*) tool=$(command -v "$tool" || echo "$tool") ;;
esac
if [ ! -x "$tool" ]; then
	echo "not ok synth: tool - $tool not found or not executable (run make first)"
	exit 0
fi

"$py" -c 'import json, sys
for e in json.load(open(sys.argv[1])):
    print(e["name"], e["dump"], e["regs"], e["expect"], e["same_as"] or "-")' \
	"$out/index.json" >"$out/list.txt" || exit 1

while read -r name dump regs expect same; do
	timeout 300 "$tool" --regs="$out/$regs" -J -m "$out/$dump" \
		>"$out/$name.out.json" 2>"$out/$name.err" </dev/null
	rc=$?
	set -- --name "$name" --expect "$out/$expect" --actual "$out/$name.out.json" \
		--stderr "$out/$name.err" --rc "$rc"
	if [ "$same" != - ]; then
		set -- "$@" --same-as "$out/$same.out.json"
	fi
	"$py" "$here/compare.py" "$@"
done <"$out/list.txt"

# pathological tables: bounded time and memory, the problems the spec asks
mkdir -p "$out/bounds"
if "$py" "$here/gen.py" --bounds "$out/bounds"; then
	"$py" "$here/bounds.py" "$tool" "$out/bounds"
else
	echo "not ok synth/bounds: gen.py --bounds failed"
fi

# the scale benchmark's generator (gen_scale.py, make bench) stays right: its
# 10^4-mapping dump decodes to exactly the mappings it meant to write
if "$py" "$here/gen_scale.py" "$out/scale" map-1e4; then
	timeout 300 "$tool" --no-kernel --regs="$out/scale/map-1e4.regs" -J -a -m \
		"$out/scale/map-1e4.elf" >"$out/scale/map-1e4.out.json" 2>"$out/scale/map-1e4.err" </dev/null
	rc=$?
	if [ $rc -eq 0 ]; then
		echo "ok synth/scale map-1e4 exit status 0"
	else
		echo "not ok synth/scale map-1e4 exit status 0 - exit $rc: $(head -c 300 "$out/scale/map-1e4.err")"
	fi
	"$py" "$here/gen_scale.py" --verify "$out/scale" map-1e4 "$out/scale/map-1e4.out.json"
else
	echo "not ok synth/scale: gen_scale.py failed"
fi
exit 0
