#!/bin/bash
# The crash extension (README, Crash extension), for real: Debian's arm64
# crash (trixie's 8.0.6, tests/crash/sysroot.sh, which says why not sid's
# 9.0.2) run under qemu-aarch64-static
# opens the real 6.1 and 6.12 dumps with Debian's dbg vmlinux, loads smmu.so
# built by the cross compiler against that crash's defs.h
# (tests/crash/build-ext.sh), and `smmu -J -a -m` must print the CLI's JSON
# on the same dump with the same vmlinux, but for the two fields that name
# crash as the source: dump.format ("elf (crash)" against "elf") and
# kernel.debuginfo (crash's vmlinux, "from": "crash").
# The text report (-a) must be the CLI's too, but for the dump line.
# `help smmu` must describe every option; a bad option must say so.
#
# Debian's 6.12 (4K pages, VA_BITS=52 with LPA2: 5 levels of page tables)
# is opened with --no_panic: no crash release (8.0.6, 9.0.2, nor crash's
# master) walks a 5-level arm64 table, so crash reads no vmalloc address there
# (vmapped task and IRQ stacks, modules), and its search for the panic task,
# which reads every active task's stack while it starts, ends the session
# ("invalid kernel virtual address: ffff8000800f8000  type: \"64-bit
# KVADDR\"").  --no_panic skips that search; what smmu reads (physical
# memory, the linear map, the kernel image) crash translates without the
# page tables.  When crash still fails before a command runs on such a
# dump, it is skipped with crash's message.
#
# Only with the normal build (crash loads its own build of the libraries;
# ASan cannot be preloaded into an emulated crash).  Cached: the sysroot
# (tests/crash/sysroot.sh) and a copy of each dbg vmlinux with a .gdb_index
# (SD_CRASH_INDEX, made once by the host's gdb: crash's gdb under qemu-user
# needs minutes to index 300 MB of DWARF itself, every run).  Cold, on 2
# cores: the sysroot ~25 s, the indexes ~40 s each, the cross build ~1 min;
# each crash run 3-5 min (15 on busy cores).
set -u
cd "$(dirname "$0")/../.."
TOP=$PWD
bin=${SMMU_STRTAB_DUMP:-./smmu-strtab-dump}
REAL=${SD_REAL_CACHE:-/var/cache/smmu-strtab-dump/real}
DBG=${SD_DBG_CACHE:-/var/cache/smmu-strtab-dump/dbg}/usr/lib/debug/boot
INDEX=${SD_CRASH_INDEX:-/var/cache/smmu-strtab-dump/crash-arm64/vmlinux}
TIMEOUT=${SD_CRASH_TIMEOUT:-1500}

case $bin in
*build-san*) echo "ok crash-extension # skip only with the normal build (crash loads its own copy of the libraries)"; exit 0 ;;
esac
for t in aarch64-linux-gnu-gcc qemu-aarch64-static; do
	if ! command -v $t >/dev/null; then
		echo "ok crash-extension # skip $t missing (tests/vmcores/real/cross-build.sh and the real-dump generator install it)"
		exit 0
	fi
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The native build of the extension, against the host crash's defs.h.
if [ -f /usr/include/crash/defs.h ]; then
	if make -s -j2 crash-extension >"$work/native.log" 2>&1 && [ -f build-pic/smmu.so ] &&
	   nm -D build-pic/smmu.so | grep -q ' U register_extension$'; then
		echo "ok crash-extension native build (make crash-extension)"
	else
		echo "not ok crash-extension native build - $(tail -3 "$work/native.log" | tr '\n' ' ')"
	fi
else
	echo "ok crash-extension native build # skip no /usr/include/crash/defs.h (Debian: apt-get install crash)"
fi

if ! sysroot=$(tests/crash/sysroot.sh 2>"$work/sysroot.log"); then
	echo "not ok crash-extension sysroot - $(tail -3 "$work/sysroot.log" | tr '\n' ' ')"
	exit 0
fi
if ! so=$(tests/crash/build-ext.sh "$work/arm64" "$sysroot" 2>"$work/build.log"); then
	echo "not ok crash-extension arm64 build - $(tail -5 "$work/build.log" | tr '\n' ' ')"
	exit 0
fi
echo "ok crash-extension arm64 build against crash $(cat "$sysroot/.crash-version")"

# A copy of VMLINUX with a .gdb_index (gdb-add-index's way: the host's gdb
# writes the index, the cross objcopy adds it), cached by name and size.
indexed() { # VMLINUX -> prints the copy
	local v=$1 out
	out=$INDEX/$(basename "$v").$(stat -c %s "$v").idx
	if [ ! -s "$out" ]; then
		command -v gdb >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gdb >/dev/null
		mkdir -p "$INDEX" "$work/idx"
		gdb -batch -nx -ex "save gdb-index $work/idx" "$v" >/dev/null 2>&1 &&
			aarch64-linux-gnu-objcopy --add-section .gdb_index="$work/idx/$(basename "$v").gdb-index" \
				--set-section-flags .gdb_index=readonly "$v" "$out.tmp" &&
			mv "$out.tmp" "$out" || { rm -f "$out.tmp"; return 1; }
		rm -rf "$work/idx"
	fi
	echo "$out"
}

# JSON equal but for dump.format and kernel.debuginfo, which must name
# crash and its vmlinux; prints the first difference.  With VMALLOC_START
# and VMALLOC_END (a dump whose vmalloc area crash cannot read), what lives
# there (the kernel image and modules: a modular driver's name, a module's
# iomem resource name) may be missing, each only where the extension's
# notes say crash could not read a kernel VA in that range: a stream's
# device (its verdict then without the device's facts) and the placement
# check's RAM source; everything else (STEs, CDs, mappings) must be equal.
same_json() { # CLI_JSON EXT_JSON CRASH_VMLINUX [VMALLOC_START VMALLOC_END]
	/usr/bin/python3 - "$@" <<'PY'
import re
import json, sys
try:
    a, b = (json.load(open(f)) for f in sys.argv[1:3])
except ValueError as e:
    print(f"not JSON ({e}): {open(sys.argv[2]).read(300)!r}"); sys.exit(1)
fa, fb = a["dump"].pop("format"), b["dump"].pop("format")
if fb != fa + " (crash)":
    print(f"dump.format: CLI {fa!r}, extension {fb!r}"); sys.exit(1)
da, db = a["kernel"].pop("debuginfo", None), b["kernel"].pop("debuginfo", None)
if not da or not db or db != {"path": sys.argv[3], "from": "crash", "module": da["module"]}:
    print(f"kernel.debuginfo: CLI {da!r}, extension {db!r}"); sys.exit(1)
vm = [int(v, 16) for v in sys.argv[4:6]]
notes = b["kernel"].pop("notes"), a["kernel"].pop("notes")
if vm:
    if notes[1]:
        print(f"kernel.notes: the CLI has {notes[1]!r}"); sys.exit(1)
    sids, ram = set(), False
    for n in notes[0]:
        m = re.search(r"kernel VA 0x([0-9a-f]+)\+0x[0-9a-f]+: crash cannot read it$", n)
        if not m or not vm[0] <= int(m.group(1), 16) < vm[1]:
            print(f"kernel.notes: not an unreadable vmalloc address: {n!r}"); sys.exit(1)
        if (s := re.search(r": StreamID (0x[0-9a-f]+): device unknown", n)):
            sids.add(int(s.group(1), 16))
        ram = ram or "iomem_resource child" in n
    for sa, sb in zip(a["smmus"], b["smmus"]):
        for ta, tb in zip(sa.get("streams", []), sb.get("streams", [])):
            if ta.get("sid") in sids and tb.get("device") is None and ta.get("device"):
                ta["device"] = None
                ra, rb = ta["verdict"]["reason"], tb["verdict"]["reason"]
                if ra.startswith(rb + "; "):
                    ta["verdict"]["reason"] = rb
        pa, pb = sa.get("adoption", {}).get("placement_checked"), sb.get("adoption", {}).get("placement_checked")
        if ram and isinstance(pa, dict) and isinstance(pb, dict) and pb.get("ram_from") is None:
            pa["ram_from"] = None
elif notes[0] != notes[1]:
    print(f"kernel.notes: CLI {notes[1]!r}, extension {notes[0]!r}"); sys.exit(1)
def diff(x, y, path):
    if type(x) != type(y):
        return f"{path}: {x!r} vs {y!r}"
    if isinstance(x, dict):
        for k in sorted(set(x) | set(y)):
            if k not in x or k not in y:
                return f"{path}.{k}: only in {'extension' if k in y else 'CLI'}"
            d = diff(x[k], y[k], f"{path}.{k}")
            if d: return d
    elif isinstance(x, list):
        if len(x) != len(y): return f"{path}: {len(x)} vs {len(y)} entries"
        for i, (p, q) in enumerate(zip(x, y)):
            d = diff(p, q, f"{path}[{i}]")
            if d: return d
    elif x != y:
        return f"{path}: CLI {x!r}, extension {y!r}"
    return None
d = diff(a, b, "")
if d: print(d); sys.exit(1)
n = sum(len(s.get("streams", [])) for s in a["smmus"])
m = sum(len(st.get("mappings", [])) for s in a["smmus"] for st in s.get("streams", []))
print(f"{len(a['smmus'])} SMMU(s), {n} streams, {m} mapping ranges"
      + (f"; {len(notes[0])} facts in vmalloc'd memory crash cannot read" if vm else ""))
PY
}

# The text report without its "dump: ..." line and that line's wrapped
# continuation (indented by 6).
no_dump_line() {
	awk '/^dump: /{skip=1; next} skip && /^      [^ ]/{next} {skip=0; print}'
}

for k in 6.1 6.12; do
	dump=$REAL/linux-$k/linux-$k.elf
	vml=$(ls "$DBG"/vmlinux-"$k"*-arm64 2>/dev/null | grep -v 16k | head -1)
	name="crash-extension linux-$k"
	if [ ! -f "$dump" ] || [ -z "$vml" ]; then
		echo "ok $name # skip no real dump or dbg vmlinux (make real-dumps; tests/vmcores/real/fetch-dbg.sh)"
		continue
	fi
	if ! ivml=$(indexed "$vml"); then
		echo "not ok $name - could not index $vml"
		continue
	fi
	d=$work/$k
	mkdir -p "$d"
	cat >"$d/cmds" <<EOF
extend $so
smmu -J -a -m > $d/ext.json
smmu -a > $d/ext.txt
help smmu > $d/help.txt
smmu --bogus > $d/bogus.txt
exit
EOF
	# A 52-bit-VA kernel: crash cannot read its vmalloc area (the
	# header says why), so no panic-task search through the stacks.
	opts=()
	va52= sids=
	if grep -qa 'NUMBER(VA_BITS)=52' <(head -c 16M "$dump"); then
		va52=1 opts=(--no_panic)
	fi
	t0=$(date +%s)
	(cd "$d" && timeout "$TIMEOUT" qemu-aarch64-static -L "$sysroot" "$sysroot/usr/bin/crash" -s \
		"${opts[@]}" -i "$d/cmds" "$ivml" "$dump" </dev/null >"$d/crash.out" 2>&1)
	rc=$? t=$(( $(date +%s) - t0 ))
	if [ $rc -ne 0 ] || [ ! -s "$d/ext.json" ]; then
		why=$(grep -v 'IRQ stack' "$d/crash.out" | tail -5 | tr '\n' ' ')
		# crash itself (before `extend`) failing on a 52-bit-VA arm64
		# kernel is crash's limit, not ours.
		if ! grep -q 'shared object loaded' "$d/crash.out" && [ -n "$va52" ] &&
		   grep -q 'invalid kernel virtual address' "$d/crash.out"; then
			echo "ok $name # skip crash $(cat "$sysroot/.crash-version") cannot open this 52-bit-VA (LPA2, 5-level) kernel's dump: $why"
		else
			echo "not ok $name - crash exited $rc after ${t}s, no JSON: $why"
		fi
		continue
	fi
	"$bin" -J -a -m "$dump" "$vml" >"$d/cli.json" 2>/dev/null
	vmalloc=()
	if [ -n "$va52" ]; then
		vmalloc=($(grep -aoE 'NUMBER\(VMALLOC_(START|END)\)=0x[0-9a-f]+' <(head -c 16M "$dump") |
			   sort | sed 's/.*=0x//' | tac))
	fi
	if r=$(same_json "$d/cli.json" "$d/ext.json" "$ivml" "${vmalloc[@]}"); then
		echo "ok $name smmu -J -a -m = CLI ($r; crash ${t}s)"
	else
		echo "not ok $name smmu -J -a -m - differs from the CLI: $r"
	fi
	# The dump line names the format (wrapped at 80 columns, so "(crash)"
	# moves the breaks): compared without it, and checked by itself.
	"$bin" -a "$dump" "$vml" 2>/dev/null | no_dump_line >"$d/cli.txt"
	no_dump_line <"$d/ext.txt" >"$d/ext.body"
	if [ -n "$va52" ]; then
		# without the rows (and their wrapped verdicts) of the streams
		# whose device crash could not read, checked in the JSON, and
		# the kernel line's count of those notes
		sids=$(grep -oE 'StreamID 0x[0-9a-f]+: device unknown' "$d/ext.json" | awk '{print $2}' |
		       sed 's/:$//' | sort -u | paste -sd' ')
		for f in cli.txt ext.body; do
			awk -v sids=" $sids " '$1 ~ /^0x[0-9a-f]+$/ {skip = index(sids, " " $1 " ") > 0}
				!/^           / && $1 !~ /^0x[0-9a-f]+$/ {skip = 0}
				!skip' "$d/$f" | sed -E '/^kernel /s/; [0-9]+ notes? \(-v\)$//' >"$d/$f.tmp"
			mv "$d/$f.tmp" "$d/$f"
		done
	fi
	if [ -s "$d/cli.txt" ] && cmp -s "$d/ext.body" "$d/cli.txt" &&
	   grep -q "^dump: $dump (elf (crash)" "$d/ext.txt"; then
		echo "ok $name smmu -a = CLI text ($(wc -l <"$d/cli.txt") lines${va52:+; without the rows of ${sids:-no} stream(s) whose device crash cannot read})"
	else
		echo "not ok $name smmu -a - text differs from the CLI: $(diff "$d/ext.body" "$d/cli.txt" | head -4 | tr '\n' ' ')"
	fi
	if [ "$k" = 6.1 ]; then
		miss=
		for o in '-a, --all' '-m, --mappings' '-s, --sid LIST' '-v, --verbose' '-J, --json' \
			 '-o, --output LIST' '-r, --raw' '-n, --noheadings' '--regs=FILE' \
			 '--strtab-base=VALUE' '--strtab-base-cfg=VALUE' '--no-kernel' '--list-columns'; do
			grep -qF -- "$o" "$d/help.txt" || miss="$miss '$o'"
		done
		if [ -z "$miss" ] && grep -q '^SYNOPSIS' "$d/help.txt"; then
			echo "ok crash-extension help smmu names every option"
		else
			echo "not ok crash-extension help smmu - missing:${miss:- SYNOPSIS}"
		fi
		if grep -q 'smmu: unknown option or missing value: --bogus' "$d/bogus.txt" &&
		   grep -q 'Usage:' "$d/bogus.txt"; then
			echo "ok crash-extension bad option refused with usage"
		else
			echo "not ok crash-extension bad option - $(head -3 "$d/bogus.txt" | tr '\n' ' ')"
		fi
	fi
done
