#!/bin/bash
# Runs the libFuzzer harnesses of build-fuzz/ (make fuzz-build).
#
#   fuzz.sh run SECONDS [HARNESS...]   fuzz each harness for SECONDS, one
#                                      at a time, corpus kept in
#                                      build-fuzz/corpus/HARNESS
#   fuzz.sh replay HARNESS DIR...      run HARNESS once over the inputs in DIR
#   fuzz.sh smoke HARNESS SECONDS DIR  a short fixed-seed run from the seeds
#                                      in DIR, the new inputs thrown away
#
# FUZZ_RUNS, when set, also ends each run after that many inputs.
# An input that crashes, leaks, runs longer than FUZZ_TIMEOUT seconds
# (default 10) or needs more than FUZZ_RSS_MB (default 2048) MB is a
# finding: libFuzzer writes it to build-fuzz/findings/HARNESS-*, and the
# command fails.  Seeds come from tests/fuzz/mkcorpus.py; dictionaries from
# tests/fuzz/HARNESS.dict.
set -u
cd "$(dirname "$0")/../.."
F=build-fuzz
here=tests/fuzz
: "${FUZZ_TIMEOUT:=10}" "${FUZZ_RSS_MB:=2048}"
# libkdumpfile's own leaks (tests/lsan.supp) are not the harnesses' to report.
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# ASAN_OPTIONS, unless the caller sets them:
# - quarantine_size_mb=64 (ASan's default is 256): freed memory cycling
#   through a 256 MB quarantine comes back as cold pages, and the page
#   faults (with their TLB shootdowns on this kind of VM) cost fuzz_regfile
#   70% of its time; 64 MB doubles its inputs per CPU second.  A use after
#   free is still caught unless 64 MB is freed in between: more than one
#   input of these parsers frees, bar the largest rings of the decoders.
# - fast_unwind_on_malloc=0 for fuzz_dump, the one harness that reaches
#   libkdumpfile: its leaks (tests/lsan.supp) are allocated inside
#   libaddrxlat, built without frame pointers, so only the slow unwinder
#   reaches the suppressed frame (tests/run sets the same).
asan_options() { # HARNESS
	if [ -n "${ASAN_OPTIONS:-}" ]; then
		echo "$ASAN_OPTIONS"
	elif [ "$1" = fuzz_dump ]; then
		echo quarantine_size_mb=64:fast_unwind_on_malloc=0
	else
		echo quarantine_size_mb=64
	fi
}

harnesses() { for f in "$here"/fuzz_*.c; do basename "$f" .c; done; }

# libFuzzer flags of one harness.
flags() { # HARNESS
	local h=$1
	mkdir -p "$F/findings"
	printf '%s\n' -timeout="$FUZZ_TIMEOUT" -rss_limit_mb="$FUZZ_RSS_MB" \
		-malloc_limit_mb="$FUZZ_RSS_MB" -artifact_prefix="$F/findings/$h-" \
		-print_final_stats=1 -reload=0
	case $h in
	# Under ASan's 128 KiB primary-allocator size: libFuzzer copies every
	# input, and a larger copy is an mmap and a munmap per run.  The seeds
	# fit as extents (fz_mem.h's FZ_SPARSE; mkcorpus.py).
	fuzz_decoders|fuzz_decode_smmu) echo -max_len=122880 ;;
	fuzz_dump) echo -max_len=196608 ;;
	esac
	[ -f "$here/$h.dict" ] && echo -dict="$here/$h.dict"
}

case ${1:-} in
run)
	secs=${2:?seconds}
	shift 2
	[ $# -gt 0 ] || set -- $(harnesses)
	seeds=$(mktemp -d) && trap 'rm -rf "$seeds"' EXIT
	/usr/bin/python3 "$here/mkcorpus.py" "$seeds" || exit 1
	rc=0
	for h in "$@"; do
		mkdir -p "$F/corpus/$h"
		echo "== $h: $secs s"
		# One process (no -jobs/-fork): the machine is shared.
		ASAN_OPTIONS=$(asan_options "$h") "$F/$h" $(flags "$h") \
			-max_total_time="$secs" -runs="${FUZZ_RUNS:--1}" \
			"$F/corpus/$h" "$seeds/$h" 2>&1 |
			grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)|^stat::|==[0-9]+==ERROR|ERROR: libFuzzer|SUMMARY|Test unit written|^Done' || true
		[ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
	done
	exit $rc ;;
replay)
	h=${2:?harness}
	shift 2
	ASAN_OPTIONS=$(asan_options "$h") exec "$F/$h" $(flags "$h") -runs=0 "$@" ;;
smoke)
	h=${2:?harness} secs=${3:?seconds} dir=${4:?seeds}
	scratch=$(mktemp -d) && trap 'rm -rf "$scratch"' EXIT
	ASAN_OPTIONS=$(asan_options "$h") exec "$F/$h" $(flags "$h") -seed=1 -max_total_time="$secs" "$scratch" "$dir" ;;
*)
	sed -n '2,/^set/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
	exit 2 ;;
esac
