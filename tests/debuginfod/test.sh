#!/bin/bash
# tests/debuginfod/test.sh -- the vmlinux DWARF by build-id from a real debuginfod server
# (run from anywhere; tests/run runs it once per build tree, with $SMMU_STRTAB_DUMP).
#
# Starts Debian's debuginfod on a free port (it binds every address; 0.188 has
# no listen-address option: the tool is pointed at 127.0.0.1), scanning (-F)
# the dbg vmlinux files of tests/vmcores/real/fetch-dbg.sh, and runs the tool on
# the real dumps with only DEBUGINFOD_URLS and an empty DEBUGINFOD_CACHE_PATH:
#   fetch      types "dwarf", debuginfo.from "debuginfod", the server served it,
#              the same smmus as with the local dbg file, no progress off a tty;
#   cached     again with the server's URL dead: served from the cache;
# and the failures, each with its note, the BTF fall-back, and the exit status
# and smmus of the run without DEBUGINFOD_URLS:
#   no-debuginfod   --no-debuginfod: no request reaches the server;
#   down            a closed port;
#   wrong-build-id  a debuginfod that has only another kernel;
#   short           a download cut short of its Content-Length (badserver.py);
#   truncated       a complete download of a truncated ELF;
#   other-elf       a whole ELF with another build-id.
# Skips (ok ... # skip) without debuginfod, python3, the dumps or the dbg files.
set -u
cd "$(dirname "$0")/../.."
HERE=$PWD/tests/debuginfod
bin=${SMMU_STRTAB_DUMP:-./smmu-strtab-dump}
REAL=${SD_REAL_CACHE:-/var/cache/smmu-strtab-dump/real}
BOOT=${SD_DBG_CACHE:-/var/cache/smmu-strtab-dump/dbg}/usr/lib/debug/boot
T=debuginfod

skip() { echo "ok $T # skip $*"; exit 0; }
command -v debuginfod >/dev/null || skip "debuginfod missing (apt-get install debuginfod)"
command -v curl >/dev/null || skip "curl missing (to read the server's /metrics)"
[ -x /usr/bin/python3 ] || skip "/usr/bin/python3 missing"
[ -x "$bin" ] || { echo "not ok $T - $bin missing (make?)"; exit 0; }
bin=$(realpath "$bin")

# $SD_DEBUGINFOD_KEEP: a directory to keep the outputs and logs in (debugging)
if [ -n "${SD_DEBUGINFOD_KEEP:-}" ]; then
	W=$SD_DEBUGINFOD_KEEP; rm -rf "$W"; mkdir -p "$W" || exit 1
else
	W=$(mktemp -d /tmp/sd-debuginfod.XXXXXX)
fi
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	[ -n "${SD_DEBUGINFOD_KEEP:-}" ] || rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# No other source of DWARF than the server, and libdebuginfod quiet and bounded.
unset SMMU_STRTAB_DUMP_DEBUGINFO_DIR DEBUGINFOD_PROGRESS DEBUGINFOD_VERBOSE DEBUGINFOD_URLS
export DEBUGINFOD_TIMEOUT=20 DEBUGINFOD_RETRY_LIMIT=1

free_port() {
	/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# debuginfod -F over DIR (files matching REGEX only); sets $port, or returns 1.
# Ready when it answers /metrics and its traversal and scans are done.
start_debuginfod() { # NAME DIR REGEX
	local name=$1 dir=$2 regex=$3 try i m
	for try in 1 2 3; do
		port=$(free_port)
		debuginfod -F -p "$port" -d "$W/$name.sqlite" -I "$regex" --disable-source-scan \
			-t 0 -g 0 -c 1 "$dir" >"$W/$name.log" 2>&1 &
		pids+=($!)
		for i in $(seq 1 150); do
			kill -0 "${pids[-1]}" 2>/dev/null || break
			m=$(curl -s --max-time 2 "http://127.0.0.1:$port/metrics") || { sleep 0.2; continue; }
			if grep -q '^thread_work_total{role="traverse"} [1-9]' <<<"$m" &&
			   grep -q '^thread_busy{role="traverse"} 0' <<<"$m" &&
			   grep -q '^thread_work_pending{role="scan"} 0' <<<"$m" &&
			   grep -q '^thread_busy{role="scan"} 0' <<<"$m"; then
				return 0
			fi
			sleep 0.2
		done
		kill "${pids[-1]}" 2>/dev/null
	done
	return 1
}

# badserver.py MODE FILE; sets $port, or returns 1.
start_bad() { # MODE FILE
	local pf=$W/bad-$1.port i
	/usr/bin/python3 "$HERE/badserver.py" "$1" "$2" "$pf" "$W/bad-$1.log" 2>"$W/bad-$1.err" &
	pids+=($!)
	for i in $(seq 1 100); do
		[ -s "$pf" ] && { port=$(cat "$pf"); return 0; }
		kill -0 "${pids[-1]}" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# the tool, -J, with DEBUGINFOD_URLS=URL and a new empty cache NAME (unless
# CACHE is given): $W/NAME.json, .err, .rc
run() { # NAME URL DUMP [CACHE] [OPTION]
	local name=$1 url=$2 dump=$3 cache=${4:-$W/cache-$1}
	shift 4 2>/dev/null || shift $#
	mkdir -p "$cache"
	DEBUGINFOD_URLS=$url DEBUGINFOD_CACHE_PATH=$cache timeout 300 "$bin" -J -a "$@" "$dump" \
		>"$W/$name.json" 2>"$W/$name.err" </dev/null
	echo $? >"$W/$name.rc"
}

# ok/not ok NAME from check.py, plus the exit status against the baseline's
check() { # NAME LABEL TYPES FROM NOTE [BASE]
	local name=$1 label=$2 why
	shift 2
	if why=$(/usr/bin/python3 "$HERE/check.py" "$W/$name.json" "$@" 2>&1); then
		if [ $# -ge 4 ] && [ "$(cat "$W/$name.rc")" != "$(cat "${4%.json}.rc")" ]; then
			echo "not ok $T/$label - exit status $(cat "$W/$name.rc"), $(cat "${4%.json}.rc") without debuginfod"
		else
			echo "ok $T/$label"
		fi
	else
		echo "not ok $T/$label - $why (stderr: $(head -c 300 "$W/$name.err"))"
	fi
}

osrelease() { /usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["dump"]["osrelease"] or "")' "$1"; }

start_debuginfod full "$BOOT" '.*/vmlinux-[^/]*$' || { echo "not ok $T/server - debuginfod did not start: $(tail -n 3 "$W/full.log")"; exit 0; }
FULL=http://127.0.0.1:$port
dead=$(free_port)	# nothing listens there
kernels=0
for k in linux-6.1 linux-6.12; do
	dump=$REAL/$k/$k.elf
	[ -f "$dump" ] || { echo "ok $T/$k # skip $dump missing (make real-dumps)"; continue; }
	run "$k-base" "" "$dump"
	rel=$(osrelease "$W/$k-base.json")
	dbg=$BOOT/vmlinux-$rel
	[ -n "$rel" ] && [ -f "$dbg" ] || { echo "ok $T/$k # skip no dbg vmlinux $dbg (tests/vmcores/real/fetch-dbg.sh)"; continue; }
	for p in "/usr/lib/debug/boot/vmlinux-$rel" "/usr/lib/debug/lib/modules/$rel/vmlinux" \
		 "/boot/vmlinux-$rel" "/lib/modules/$rel/build/vmlinux"; do
		[ -e "$p" ] && { echo "ok $T/$k # skip a local debug file $p exists"; continue 2; }
	done
	kernels=$((kernels + 1))
	bid=$(readelf -n "$dbg" 2>/dev/null | sed -n 's/^ *Build ID: *//p' | head -n 1)
	base=$W/$k-base.json
	check "$k-base" "$k/baseline" btf null ""

	# the DWARF through debuginfod: the same smmus as with the local file
	SMMU_STRTAB_DUMP_DEBUGINFO_DIR=$BOOT run "$k-local" "" "$dump"
	check "$k-local" "$k/local-dbg" dwarf local ""
	run "$k-fetch" "$FULL" "$dump"
	check "$k-fetch" "$k/fetch" dwarf debuginfod "fetched from debuginfod" "$W/$k-local.json"
	if grep -q "GET /buildid/$bid/debuginfo 200" "$W/full.log" &&
	   [ "$(stat -c %s "$W/cache-$k-fetch/$bid/debuginfo" 2>/dev/null)" = "$(stat -c %s "$dbg")" ]; then
		echo "ok $T/$k/served-and-cached"
	else
		echo "not ok $T/$k/served-and-cached - no GET of $bid in the server's log, or no whole copy in the cache"
	fi
	if grep -q Downloading "$W/$k-fetch.err"; then
		echo "not ok $T/$k/no-progress-off-tty - progress on a standard error that is no terminal"
	else
		echo "ok $T/$k/no-progress-off-tty"
	fi
	run "$k-cached" "http://127.0.0.1:$dead" "$dump" "$W/cache-$k-fetch"
	check "$k-cached" "$k/cached" dwarf debuginfod "fetched from debuginfod"

	[ "$k" = linux-6.12 ] || continue
	# failures: one kernel is enough (the code path does not depend on it);
	# 6.12, whose BTF run is quick (6.1's scans RAM: ~25 s with ASan)
	n=$(grep -c "GET /buildid/" "$W/full.log")
	run "$k-off" "$FULL" "$dump" "" --no-debuginfod
	check "$k-off" "$k/no-debuginfod" btf null "--no-debuginfod" "$base"
	if [ "$(grep -c "GET /buildid/" "$W/full.log")" = "$n" ]; then
		echo "ok $T/$k/no-debuginfod-no-request"
	else
		echo "not ok $T/$k/no-debuginfod-no-request - the server got a request"
	fi
	run "$k-down" "http://127.0.0.1:$dead" "$dump"
	check "$k-down" "$k/down" btf null "not fetched from debuginfod: .*(refused|connect)" "$base"
	# a debuginfod with only another kernel's file
	other=$(ls "$BOOT"/vmlinux-* | grep -v -- "/vmlinux-$rel\$" | head -n 1)
	if [ -n "$other" ] && start_debuginfod other "$BOOT" "/$(basename "$other" | sed 's/[.+]/\\&/g')\$"; then
		run "$k-wrong" "http://127.0.0.1:$port" "$dump"
		check "$k-wrong" "$k/wrong-build-id" btf null "not fetched from debuginfod: no server of DEBUGINFOD_URLS delivered it" "$base"
	else
		echo "not ok $T/$k/wrong-build-id - no other dbg vmlinux, or its debuginfod did not start"
	fi
	for mode in short truncated; do
		if start_bad "$mode" "$dbg"; then
			run "$k-$mode" "http://127.0.0.1:$port" "$dump"
			if [ $mode = short ]; then note="not fetched from debuginfod"; else note="not the dump's vmlinux debuginfo"; fi
			check "$k-$mode" "$k/$mode" btf null "$note" "$base"
		else
			echo "not ok $T/$k/$mode - badserver.py did not start: $(cat "$W/bad-$mode.err")"
		fi
	done
	if start_bad whole "$bin"; then
		run "$k-other-elf" "http://127.0.0.1:$port" "$dump"
		check "$k-other-elf" "$k/other-elf" btf null "does not match the dump's BUILD-ID" "$base"
	else
		echo "not ok $T/$k/other-elf - badserver.py did not start: $(cat "$W/bad-whole.err")"
	fi
done
[ $kernels -gt 0 ] || echo "ok $T # skip no real dump with its dbg vmlinux"
exit 0
