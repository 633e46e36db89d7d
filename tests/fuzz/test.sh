#!/bin/bash
# The fuzz harnesses as a test (README, Tests): each harness of
# build-fuzz/ (make fuzz-build) runs once over its seed corpus, rebuilt
# here by mkcorpus.py from the synthetic (and, when present, real) dumps,
# then FUZZ_SMOKE seconds (default 3) from a fixed seed.  tests/run runs
# this once per build tree; the fuzzers have their own tree, so they run in
# the pass of the normal build only.
# Inputs saved in tests/fuzz/findings/HARNESS-WHAT (HARNESS without its
# fuzz_ prefix) are replayed too: each is a defect found by fuzzing, and
# stays not ok until the code it names is fixed.
# Prints "ok NAME" / "not ok NAME - reason" / "ok NAME # skip reason".
cd "$(dirname "$0")/../.." || exit 1
here=tests/fuzz
smoke=${FUZZ_SMOKE:-3}
names=$(for f in "$here"/fuzz_*.c; do basename "$f" .c; done)

if [ "${SMMU_STRTAB_DUMP:-./smmu-strtab-dump}" != ./smmu-strtab-dump ]; then
	for h in $names; do echo "ok fuzz/$h # skip run in the pass of the normal build"; done
	exit 0
fi
tmp=$(mktemp -d) && trap 'rm -rf "$tmp"' EXIT
if ! /usr/bin/python3 "$here/mkcorpus.py" "$tmp/seeds" >"$tmp/log" 2>&1; then
	echo "not ok fuzz/corpus - mkcorpus.py failed: $(tail -n 3 "$tmp/log")"
	exit 0
fi
echo "ok fuzz/corpus $(grep '^# seeds' "$tmp/log" | cut -c3-)"

result() { # NAME LOG STATUS
	if [ "$3" -eq 0 ]; then
		echo "ok $1"
	else
		echo "not ok $1 - exit $3: $(grep -E 'ERROR|SUMMARY|Test unit written' "$2" | head -n 3 | tr '\n' ' ')"
	fi
}

for h in $names; do
	if [ ! -x "build-fuzz/$h" ]; then
		echo "ok fuzz/$h # skip build-fuzz/$h not built (make fuzz-build)"
		continue
	fi
	"$here/fuzz.sh" replay "$h" "$tmp/seeds/$h" >"$tmp/$h.log" 2>&1
	result "fuzz/$h-corpus" "$tmp/$h.log" $?
	"$here/fuzz.sh" smoke "$h" "$smoke" "$tmp/seeds/$h" >"$tmp/$h.log" 2>&1
	result "fuzz/$h-smoke" "$tmp/$h.log" $?
done

for f in "$here"/findings/*; do
	[ -f "$f" ] || continue
	n=$(basename "$f") h=fuzz_${n%%-*}
	if [ ! -x "build-fuzz/$h" ]; then
		echo "ok fuzz/findings/$n # skip build-fuzz/$h not built (make fuzz-build)"
		continue
	fi
	"$here/fuzz.sh" replay "$h" "$f" >"$tmp/finding.log" 2>&1
	result "fuzz/findings/$n" "$tmp/finding.log" $?
done
