#!/bin/bash
# Command-line behaviour: options, exit status, output modes, robustness of
# the JSON against odd strings.  Uses the committed sample vmcore, whose
# expected content the synthetic generator's own test checks field by field;
# here only what the options do with it is asserted.
# Prints "ok NAME" / "not ok NAME - reason".
cd "$(dirname "$0")/../.."
tool=${SMMU_STRTAB_DUMP:-./smmu-strtab-dump}
core=tests/vmcores/sample.vmcore
regs=tests/vmcores/sample.regs
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
PY=/usr/bin/python3

t() { # NAME EXPECTED_STATUS CMD...
	local name=$1 want=$2 rc
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"; rc=$?
	if [ "$rc" -eq "$want" ]; then echo "ok cli/$name"; else
		echo "not ok cli/$name - exit $rc, expected $want: $(head -c 200 "$tmp/err")"; fi
}
check() { # NAME PYTHON-EXPR over j (JSON of $tmp/out) or o (text)
	if $PY - "$tmp/out" "$2" <<'PYEOF'
import json, sys
o = open(sys.argv[1], encoding="utf-8", errors="replace").read()
try:
    j = json.loads(o)
except Exception:
    j = None
sys.exit(0 if eval(sys.argv[2]) else 1)
PYEOF
	then echo "ok cli/$1"; else echo "not ok cli/$1 - $2 is false"; fi
}

t usage-no-args 2 "$tool"
t usage-bad-option 2 "$tool" --no-such-option "$core"
t usage-half-registers 2 "$tool" --strtab-base=0x40800000 "$core"
t usage-bad-number 2 "$tool" --strtab-base=0x4g --strtab-base-cfg=0 "$core"
t usage-cfg-too-wide 2 "$tool" --strtab-base=0 --strtab-base-cfg=0x100000000 "$core"
t usage-bad-sid 2 "$tool" --regs="$regs" -s 0x10-0x1 "$core"
t usage-bad-column 2 "$tool" --regs="$regs" -o SID,NOPE "$core"
t usage-bad-timeout 2 "$tool" --regs="$regs" --timeout=0 "$core"
t missing-dump 2 "$tool" --regs="$regs" /nonexistent/vmcore
printf 'smmu x\nIDR0 = 1\nBOGUS = 2\n' >"$tmp/r1"
t regs-unknown-register 2 "$tool" --regs="$tmp/r1" "$core"
grep -q "$tmp/r1:3" "$tmp/err" && echo "ok cli/regs-error-names-line" || echo "not ok cli/regs-error-names-line - $(cat "$tmp/err")"
printf 'STRTAB_BASE = zz\n' >"$tmp/r2"
t regs-bad-value 2 "$tool" --regs="$tmp/r2" "$core"
t regs-file-missing 2 "$tool" --regs="$tmp/none" "$core"

# Register files are untrusted input (issue 12).  Only a regular file, opened
# without blocking: /dev/zero used to loop forever, a FIFO with no writer to
# block in open(2).  (timeout's 124 fails the test.)
t regs-dev-zero 2 timeout 20 "$tool" --regs=/dev/zero "$core"
mkfifo "$tmp/fifo"
t regs-fifo 2 timeout 20 "$tool" --regs="$tmp/fifo" "$core"
grep -q "not a regular file" "$tmp/err" && echo "ok cli/regs-fifo-says-why" ||
	echo "not ok cli/regs-fifo-says-why - $(head -c 200 "$tmp/err")"
# Each message names the object once (the dump's were "X: X: ...", the
# vmlinux's "debuginfo X not used: X: ..."); a FIFO as the vmlinux used to
# block in open(2).
once() { # NAME PATH: PATH appears exactly once in $tmp/err
	local n
	n=$(grep -o -F -- "$2" "$tmp/err" | wc -l)
	[ "$n" -eq 1 ] && echo "ok cli/$1" || echo "not ok cli/$1 - $2 named $n times: $(head -c 300 "$tmp/err")"
}
mkdir "$tmp/dir"
t dump-missing-message 2 "$tool" --no-kernel --regs="$regs" "$tmp/none.vmcore"
once dump-missing-named-once "$tmp/none.vmcore"
t dump-dir-message 2 "$tool" --no-kernel --regs="$regs" "$tmp/dir"
once dump-dir-named-once "$tmp/dir"
t dump-fifo-message 2 timeout 20 "$tool" --no-kernel --regs="$regs" "$tmp/fifo"
once dump-fifo-named-once "$tmp/fifo"
head -c 100 "$core" >"$tmp/trunc.vmcore"
t dump-truncated-message 2 "$tool" --no-kernel --regs="$regs" "$tmp/trunc.vmcore"
once dump-truncated-named-once "$tmp/trunc.vmcore"
t regs-missing-message 2 "$tool" --no-kernel --regs="$tmp/none.regs" "$core"
once regs-missing-named-once "$tmp/none.regs"
t vmlinux-fifo 2 timeout 20 "$tool" "$core" "$tmp/fifo"
grep -q "debuginfo not used: $tmp/fifo: not a regular file" "$tmp/err" &&
	echo "ok cli/vmlinux-fifo-says-why" || echo "not ok cli/vmlinux-fifo-says-why - $(head -c 300 "$tmp/err")"
once vmlinux-fifo-named-once "$tmp/fifo"
t vmlinux-dir 2 "$tool" "$core" "$tmp/dir"
once vmlinux-dir-named-once "$tmp/dir"
# Bounded size: a valid file padded with comments past 1 MiB is refused.
{ cat "$regs"; for i in $(seq 16); do printf '#%.0s' $(seq 70000); echo; done; } >"$tmp/big"
t regs-too-large 2 "$tool" --no-kernel --regs="$tmp/big" "$core"
grep -q "at most 1048576 bytes" "$tmp/err" && echo "ok cli/regs-too-large-says-why" ||
	echo "not ok cli/regs-too-large-says-why - $(head -c 200 "$tmp/err")"
# A comment longer than 512 bytes stays a comment: its tail used to be read
# as the next line, here an unknown register.
{ printf '# %0600d BOGUS = 1\n' 0; cat "$regs"; } >"$tmp/longc"
t regs-long-comment 1 "$tool" --no-kernel --regs="$tmp/longc" "$core"
# ... and a line beyond the bound is refused with the reason.
{ cat "$regs"; printf '# %070000d\n' 0; } >"$tmp/longl"
t regs-line-too-long 2 "$tool" --no-kernel --regs="$tmp/longl" "$core"
grep -q ":10: line of 70003 bytes" "$tmp/err" && echo "ok cli/regs-line-too-long-says-why" ||
	echo "not ok cli/regs-line-too-long-says-why - $(head -c 200 "$tmp/err")"
# A NUL byte used to end the line silently (the rest ignored).
{ cat "$regs"; printf 'CR2 = 0\0BOGUS = 1\n'; } >"$tmp/nul"
t regs-nul-byte 2 "$tool" --no-kernel --regs="$tmp/nul" "$core"
# Quoted file content is escaped: no terminal escape reaches stderr.
printf 'smmu x\n\033]0;pwned\007\033[2J = 1\n' >"$tmp/esc"
t regs-escape-key 2 "$tool" --no-kernel --regs="$tmp/esc" "$core"
check regs-escape-key-quoted 'not any(ord(ch) < 32 and ch != "\n" for ch in open(sys.argv[1].replace("out", "err")).read()) and "\\x1b]0;pwned\\x07\\x1b[2J" in open(sys.argv[1].replace("out", "err")).read()'
printf 'STRTAB_BASE = 0x\033[2J\n' >"$tmp/escv"
t regs-escape-value 2 "$tool" --no-kernel --regs="$tmp/escv" "$core"
check regs-escape-value-quoted '"\x1b" not in open(sys.argv[1].replace("out", "err")).read() and "0x\\x1b[2J" in open(sys.argv[1].replace("out", "err")).read()'

# The sample has a bypass device: exit status 1, and it is first in the answer.
t sample-findings 1 "$tool" --no-kernel --regs="$regs" "$core"
check answer-first 'o.index("DMA at the crash") < o.index("registers from")'
check bypass-ranked-first '"bypass" in o.split("DMA at the crash")[1].splitlines()[1]'
check fits-80-columns 'max(len(l) for l in o.splitlines()) <= 80'

t json 1 "$tool" --no-kernel --regs="$regs" -J "$core"
check json-schema 'j["schema_version"] == 4 and len(j["smmus"]) == 1'
check json-all-valid-stes 'len(j["smmus"][0]["streams"]) == j["smmus"][0]["counts"]["valid"]'
check json-no-mappings-without-m 'all("mappings" not in s for s in j["smmus"][0]["streams"])'
t json-mappings 1 "$tool" --no-kernel --regs="$regs" -J -m "$core"
check json-mapped-bytes 'all(s["mapped_bytes"] == sum(m["size"] for m in s["mappings"]) for s in j["smmus"][0]["streams"])'
check json-hex-strings 'all(m["iova"].startswith("0x") and m["iova"] == m["iova"].lower() for s in j["smmus"][0]["streams"] for m in s["mappings"])'

# The bypass device (0x20) is not selected: nothing needs attention.
t sid-filter 0 "$tool" --no-kernel --regs="$regs" -J -s 0x8,0x100-0x1ff "$core"
check sid-filter-selects 'sorted({s["sid"] for s in j["smmus"][0]["streams"]}) and all(s["sid"] == 8 or 0x100 <= s["sid"] <= 0x1ff for s in j["smmus"][0]["streams"])'
check sid-filter-counts-whole-table 'j["smmus"][0]["counts"]["valid"] > len(j["smmus"][0]["streams"])'
# The --sid list: unsorted and overlapping ranges select the same; an empty
# item (used to be skipped), a bound past 32 bits or 64 bits is refused.
cp "$tmp/out" "$tmp/sid-ref"
t sid-unsorted-overlapping 0 "$tool" --no-kernel --regs="$regs" -J -s 0x150-0x160,0x100-0x1ff,0x8,0x8 "$core"
cmp -s "$tmp/out" "$tmp/sid-ref" && echo "ok cli/sid-merged-same-selection" ||
	echo "not ok cli/sid-merged-same-selection - output differs"
t sid-empty-item 2 "$tool" --no-kernel --regs="$regs" -s 0x8,,0x100 "$core"
t sid-trailing-comma 2 "$tool" --no-kernel --regs="$regs" -s 0x8, "$core"
t sid-beyond-32-bits 2 "$tool" --no-kernel --regs="$regs" -s 0x0-0x100000000 "$core"
t sid-beyond-64-bits 2 "$tool" --no-kernel --regs="$regs" -s 18446744073709551616 "$core"
t sid-negative 2 "$tool" --no-kernel --regs="$regs" -s -1 "$core"

t raw-columns 1 "$tool" --no-kernel --regs="$regs" -r -n -o SID,CONFIG "$core"
check raw-two-fields 'any(l.split() == ["0x20", "bypass"] for l in o.splitlines())'
check noheadings 'not any(l.split()[:2] == ["SID", "CONFIG"] for l in o.splitlines() if l.split())'
t all-lists-abort 1 "$tool" --no-kernel --regs="$regs" -a -r -n -o SID,CONFIG "$core"
check all-has-abort-rows 'sum(1 for l in o.splitlines() if l.endswith(" abort")) > 100'
# --help lists every exit status of the man page's EXIT STATUS.
t help 0 "$tool" --help
for st in 0 1 2 3 4; do
	grep -Eq "^ +$st  [a-z-]" "$tmp/out" && echo "ok cli/help-exit-status-$st" ||
		echo "not ok cli/help-exit-status-$st - not in --help"
done
t list-columns 0 "$tool" --list-columns
check list-columns-lists-sid 'o.split()[0] == "SID"'
t verbose-raw 0 "$tool" --no-kernel --regs="$regs" -vv -s 0x8 "$core"
check vv-shows-raw-dwords '"  raw " in o and "CD ssid 0" in o'

# Names that are not UTF-8 (read from a crashed kernel, or given) stay valid JSON.
printf 'smmu a\xffb\nSTRTAB_BASE = 0x4000000040800000\nSTRTAB_BASE_CFG = 0x10210\n' >"$tmp/r3"
t json-odd-name 1 "$tool" --no-kernel --regs="$tmp/r3" -J "$core"
check json-odd-name-escaped 'j["smmus"][0]["name"] == "a\\xffb"'

# GERROR bit 1 is reserved (IHI 0070 6.3.15): set alone, no global error is
# active (it once printed an empty "Global errors" line and 0x2 in JSON).
{ cat "$regs"; printf 'GERROR = 0x2\nGERRORN = 0x0\n'; } >"$tmp/r4"
t gerror-reserved-bit 1 "$tool" --no-kernel --regs="$tmp/r4" "$core"
check gerror-reserved-bit-text '"Global errors (GERROR ^ GERRORN): none" in o'
t gerror-reserved-bit-json 1 "$tool" --no-kernel --regs="$tmp/r4" -J "$core"
check gerror-reserved-bit-json-none 'j["smmus"][0]["gerror_active"] == "0x0"'
{ cat "$regs"; printf 'GERROR = 0x103\nGERRORN = 0x0\n'; } >"$tmp/r5"
t gerror-active 1 "$tool" --no-kernel --regs="$tmp/r5" "$core"
check gerror-active-named '"Global errors (GERROR ^ GERRORN):  CMDQ_ERR SFM_ERR" in o'

# Names from the input reach a terminal with control characters escaped.
printf 'smmu a\033]0;x\007b\nSTRTAB_BASE = 0x4000000040800000\nSTRTAB_BASE_CFG = 0x10210\n' >"$tmp/r6"
t text-escaped-name 1 "$tool" --no-kernel --regs="$tmp/r6" "$core"
check text-no-control-bytes '"\x1b" not in o and "\x07" not in o and "a\\x1b]0;x\\x07b: registers" in o'

# An output that cannot be written is no report: exit 4 and one message
# saying why, with the system's reason (the text report and --list-columns
# used to exit 2, the text report without a word, then without the reason
# of its first, buffered, write).
for mode in text:-a json:-J columns:--list-columns; do
	name=cli/write-fail-${mode%%:*}
	"$tool" --no-kernel --regs="$regs" ${mode#*:} "$core" >/dev/full 2>"$tmp/err"; rc=$?
	if [ $rc -ne 4 ]; then
		echo "not ok $name - exit $rc, expected 4: $(head -c 200 "$tmp/err")"
	elif [ "$(wc -l <"$tmp/err")" -ne 1 ] || ! grep -q "cannot write the output: No space left on device" "$tmp/err"; then
		echo "not ok $name - not one message: $(head -c 300 "$tmp/err")"
	else
		echo "ok $name"
	fi
done
# Out of memory is said (exit 4), never a report with parts missing (the
# JSON report lost members jansson could not allocate and exited 0 or 1;
# the text report was cut short silently, or said "I/O error", exit 2).
case $tool in
*-san/*) echo "ok cli/out-of-memory # skip: AddressSanitizer needs its address space" ;;
*)	$PY tests/cli/oom.py cli/out-of-memory-json "$tool" --no-kernel --regs="$regs" -J -a -m "$core"
	$PY tests/cli/oom.py cli/out-of-memory-text "$tool" --no-kernel --regs="$regs" -a -m "$core" ;;
esac

# The input is opened read-only: a read-only copy works.
cp "$core" "$tmp/ro.vmcore"; chmod 0444 "$tmp/ro.vmcore"
t read-only-input 1 "$tool" --no-kernel --regs="$regs" "$tmp/ro.vmcore"
# --timeout: Debian 6.1's SMMU, found by a RAM scan of about 5 s (forced:
# the tool reaches it through text references in 0.14 s); one second stops
# it, the report still comes, with a timeout problem, exit 1.
real61=${SD_REAL_CACHE:-/var/cache/smmu-strtab-dump/real}/linux-6.1/linux-6.1.elf
if [ -f "$real61" ]; then
	t timeout-exit 1 env SMMU_STRTAB_DUMP_DISCOVERY=scan "$tool" --timeout=1 -J "$real61"
	# (under the sanitizers the scan may not reach the SMMU within the second:
	# then there is no report, only the message)
	check timeout-problem 'j is None and "timeout" in open(sys.argv[1].replace("out", "err")).read() or any(p["kind"] == "timeout" for s in j["smmus"] for p in s["problems"])'
	# Stopped at the second: the CPU time it used, not its wall time, which a
	# loaded machine stretches.  The whole scan takes 5 s of CPU (more under
	# the sanitizers); one second of it and the report take well under 3.
	cpu=$( { TIMEFORMAT='%3U %3S'; time env SMMU_STRTAB_DUMP_DISCOVERY=scan "$tool" \
		--timeout=1 -J "$real61" >/dev/null 2>&1; } 2>&1 | tail -n 1)
	if awk -v c="$cpu" 'BEGIN { split(c, a, " "); exit !(a[1] + a[2] <= 3) }'; then
		echo "ok cli/timeout-prompt ($cpu s user, system)"
	else
		echo "not ok cli/timeout-prompt - $cpu s of CPU (user, system)"
	fi
else
	echo "ok cli/timeout # skip: no real 6.1 dump (make real-dumps)"
fi
exit 0
