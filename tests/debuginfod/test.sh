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
# arm-smmu-v3 as a module (issue 15: "and the arm_smmu_v3 module's debug file"):
# Debian builds it in (CONFIG_ARM_SMMU_V3=y), so no real dump has it as one.
#   module-build-ids  on each real dump, the build-ids the tool reads from the
#              modules the guest loaded (nvme, virtio_blk, e1000e: struct
#              module.notes_attrs, tests/unit/sd_modbid) equal readelf -n of
#              the same .ko files in the kernel package; arm_smmu_v3 is not
#              among them;
#   synth/...  gen_kernel.py's 6.12-module-btf dump (arm_smmu_v3 a loaded
#              module with its build-id note, its DWARF in arm_smmu_v3.ko)
#              and a debuginfod serving its vmlinux and .ko: with only the URL,
#              both fetched (module from debuginfod, the .ko in the cache) and
#              the same smmus as with both files local; a local .ko with
#              another build-id is refused and the right one fetched; and the
#              failures, each with its note and the module-BTF fall-back (the
#              smmus of the run without DEBUGINFOD_URLS): the server lacks the
#              .ko, its download is truncated, or it is another module.
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
helper=$(dirname "$bin")/build/unit/sd_modbid	# ./smmu-strtab-dump: build/unit
[ -x "$helper" ] || helper=$(dirname "$bin")/unit/sd_modbid	# BUILD/smmu-strtab-dump

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

# badserver.py MODE FILE [BUILDID]; sets $port, or returns 1.
start_bad() { # MODE FILE [BUILDID [NAME]]
	local name=${4:-$1}
	local pf=$W/bad-$name.port i
	/usr/bin/python3 "$HERE/badserver.py" "$1" "$2" "$pf" "$W/bad-$name.log" ${3:+"$3"} 2>"$W/bad-$name.err" &
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

buildid() { readelf -n "$1" 2>/dev/null | sed -n 's/^ *Build ID: *//p' | head -n 1; }

# The build-ids sd_modbid reads from DUMP's loaded modules against readelf -n
# of the same .ko files in the kernel package of release REL.
module_build_ids() { # K DUMP DBG REL
	local k=$1 dump=$2 dbg=$3 rel=$4 deb m ko want got bad=""
	deb=$(ls "$REAL"/debs/linux-image-"$rel"-unsigned_*.deb 2>/dev/null | head -n 1)
	[ -n "$deb" ] || { echo "ok $T/$k/module-build-ids # skip no linux-image-$rel deb in $REAL/debs"; return; }
	[ -x "$helper" ] || { echo "not ok $T/$k/module-build-ids - $helper missing (make)"; return; }
	mkdir -p "$W/ko-$k"
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$W/ko-$k" --wildcards '*/nvme.ko*' '*/virtio_blk.ko*' '*/e1000e.ko*'
	"$helper" "$dump" "$dbg" nvme virtio_blk e1000e arm_smmu_v3 >"$W/$k-modbid.out" 2>"$W/$k-modbid.err"
	for m in nvme virtio_blk e1000e; do
		ko=$(find "$W/ko-$k" -name "$m.ko*" | head -n 1)
		case $ko in
		*.xz) xz -dc "$ko" >"$W/ko-$k/$m.elf" ;;
		*) cp "$ko" "$W/ko-$k/$m.elf" 2>/dev/null ;;
		esac
		want=$(buildid "$W/ko-$k/$m.elf")
		got=$(sed -n "s/^$m //p" "$W/$k-modbid.out")
		[ -n "$want" ] && [ "$got" = "$want" ] || bad+=" $m: read '$got', readelf '$want';"
	done
	grep -q "^arm_smmu_v3 - no module arm_smmu_v3 among" "$W/$k-modbid.out" ||
		bad+=" arm_smmu_v3 (built in) not reported absent;"
	if [ -z "$bad" ]; then
		echo "ok $T/$k/module-build-ids"
	else
		echo "not ok $T/$k/module-build-ids -$bad $(head -c 300 "$W/$k-modbid.err")"
	fi
}

osrelease() { /usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["dump"]["osrelease"] or "")' "$1"; }

# arm-smmu-v3 as a module, on the synthetic 6.12-module-btf dump (see the top)
synth_module() {
	local S d kobid base local_
	command -v aarch64-linux-gnu-gcc >/dev/null && command -v pahole >/dev/null ||
		{ echo "ok $T/synth # skip aarch64-linux-gnu-gcc or pahole missing"; return; }
	/usr/bin/python3 tests/vmcores/kernel/gen_kernel.py "$W/synth" 6.12-module-btf >"$W/synth-gen.log" 2>&1 ||
		{ echo "not ok $T/synth - gen_kernel.py failed: $(tail -n 3 "$W/synth-gen.log")"; return; }
	S=$W/synth/6.12-module-btf d=$S/vmcore
	kobid=$(buildid "$S/arm_smmu_v3.ko")
	[ -n "$kobid" ] || { echo "not ok $T/synth - $S/arm_smmu_v3.ko has no build-id"; return; }
	start_debuginfod synth "$S" '.*/(vmlinux|arm_smmu_v3\.ko)$' ||
		{ echo "not ok $T/synth - debuginfod did not start: $(tail -n 3 "$W/synth.log")"; return; }
	local SYN=http://127.0.0.1:$port
	start_debuginfod synth-vmlinux "$S" '.*/vmlinux$' ||
		{ echo "not ok $T/synth - debuginfod did not start: $(tail -n 3 "$W/synth-vmlinux.log")"; return; }
	local VML=http://127.0.0.1:$port
	base=$W/synth-base.json local_=$W/synth-local.json

	run synth-base "" "$d"
	check synth-base synth/baseline btf null "types from the module's BTF"
	# both debug files local, by the dump's kernel release
	mkdir -p "$W/synth-dbg"
	ln -s "$S/vmlinux" "$W/synth-dbg/vmlinux-$(osrelease "$base")"
	ln -s "$S/arm_smmu_v3.ko" "$W/synth-dbg/arm_smmu_v3.ko"
	SMMU_STRTAB_DUMP_DEBUGINFO_DIR=$W/synth-dbg run synth-local "" "$d"
	check synth-local synth/local-dbg dwarf local/local "build-id matches the module in the dump"

	# only the URL: vmlinux, then the module by the build-id read from the dump
	run synth-fetch "$SYN" "$d"
	check synth-fetch synth/fetch dwarf debuginfod/debuginfod \
		"arm_smmu_v3 module debuginfo fetched from debuginfod" "$local_"
	if grep -q "GET /buildid/$kobid/debuginfo 200" "$W/synth.log" &&
	   cmp -s "$W/cache-synth-fetch/$kobid/debuginfo" "$S/arm_smmu_v3.ko"; then
		echo "ok $T/synth/module-served-and-cached"
	else
		echo "not ok $T/synth/module-served-and-cached - no GET of $kobid in the server's log, or no whole copy in the cache"
	fi
	run synth-cached "http://127.0.0.1:$dead" "$d" "$W/cache-synth-fetch"
	check synth-cached synth/cached dwarf debuginfod/debuginfod "module debuginfo fetched from debuginfod" "$local_"
	# a local .ko of another module under the right name: refused, then fetched
	mkdir -p "$W/synth-wrongko"
	cp "$S/virtio_blk.ko" "$W/synth-wrongko/arm_smmu_v3.ko"
	SMMU_STRTAB_DUMP_DEBUGINFO_DIR=$W/synth-wrongko run synth-wrongko "$SYN" "$d"
	check synth-wrongko synth/local-mismatch-fetched dwarf debuginfod/debuginfod \
		"module debug file not used: [^ ]*/arm_smmu_v3.ko: build-id .*does not match" "$local_"

	# failures: the module's types from its BTF, as without debuginfod
	run synth-nomod "$VML" "$d"
	check synth-nomod synth/server-lacks-module btf null \
		"arm_smmu_v3 module debuginfo \(build-id $kobid\) not fetched from debuginfod" "$base"
	check synth-nomod synth/server-lacks-module-note btf null "types from the dump's BTF instead"
	if start_bad truncated "$S/arm_smmu_v3.ko" "$kobid" mod-truncated; then
		run synth-truncated "$VML http://127.0.0.1:$port" "$d"
		check synth-truncated synth/module-truncated btf null \
			"not the dump's arm_smmu_v3 module debuginfo" "$base"
	else
		echo "not ok $T/synth/module-truncated - badserver.py did not start"
	fi
	if start_bad whole "$S/virtio_blk.ko" "$kobid" mod-other; then
		run synth-other "$VML http://127.0.0.1:$port" "$d"
		check synth-other synth/module-other-elf btf null "does not match" "$base"
	else
		echo "not ok $T/synth/module-other-elf - badserver.py did not start"
	fi
}

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
	bid=$(buildid "$dbg")
	base=$W/$k-base.json
	module_build_ids "$k" "$dump" "$dbg" "$rel"
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
synth_module
exit 0
