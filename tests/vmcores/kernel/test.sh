#!/bin/bash
# The kernel layer on the real dumps (issue 4): with no register options,
# smmu-strtab-dump must find the SMMU in the crashed kernel's memory, derive
# STRTAB_BASE/STRTAB_BASE_CFG equal to what QEMU's monitor read (<name>.regs)
# and name the devices the guest's sysfs showed (pci.json; StreamID =
# bus << 8 | devfn).  Once through BTF + kallsyms from the dump alone, and
# once through DWARF when Debian's dbg vmlinux has been extracted under
# /var/cache/smmu-strtab-dump/dbg.  Run from the repository root.
# Then the older layouts (5.10, 5.15, 6.6, 6.12, and 5.15 with arm-smmu-v3 as a
# module): synthetic dumps plus DWARF compiled from C files declaring each
# version's structures (gen_kernel.py, layouts/; needs aarch64-linux-gnu-gcc),
# each checked for the SMMU, its derived registers, the named devices and
# the crash-kernel overlap check (exit status 1).
# And 6.12-module-btf: a 6.12 kernel with arm-smmu-v3 as a module,
# KALLSYMS_ALL and DEBUG_INFO_BTF(_MODULES), run with no vmlinux and no debug
# file, because that is what a distribution kernel's dump usually comes
# with: the tool must find its symbols in kallsyms (located through
# VMCOREINFO, kernel/vmcore_info.c; tables as scripts/kallsyms.c writes
# them), the generic types in the vmlinux BTF (__start_BTF..__stop_BTF) and
# the arm-smmu-v3 types in the module's split BTF on btf_modules
# (kernel/bpf/btf.c), and give the same answers with source "btf".  Its
# negative twin, vmcore-nomodbtf (arm_smmu_v3 unlinked from btf_modules),
# must not report the SMMU and must say why (btf_modules), and
# vmcore-modloop (btf_modules looping on itself) must be reported as a loop,
# not walked for ever.  Needs pahole
# (dwarves) to build the BTF; without it that layout is skipped.
# Then the broken copies (vmcore-nomaster, vmcore-badrelease; see below).
# Prints ok/not ok lines; one "ok ... # skip" line when no dump exists.
set -u
BIN=${SMMU_STRTAB_DUMP:-./smmu-strtab-dump}
REAL=${SMMU_REAL_DUMPS:-/var/cache/smmu-strtab-dump/real}
DBG=${SMMU_DBG_DIR:-/var/cache/smmu-strtab-dump/dbg/usr/lib/debug/boot}
PY=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

found=0
for dir in "$REAL"/linux-*; do
	[ -d "$dir" ] || continue
	name=$(basename "$dir")
	regs="$dir/$name.regs"
	pci="$dir/pci.json"
	[ -r "$regs" ] && [ -r "$pci" ] || continue
	# The plain ELF and the QEMU kdump (other formats are the dump layer's
	# business; these two cover an uncompressed and a reassembled file).
	for dump in "$dir/$name.elf" "$dir/$name.kdump-zlib"; do
		[ -r "$dump" ] || continue
		found=1
		osrel=$(strings -n 8 "$dump" 2>/dev/null | head -c 4000000 | sed -n 's/^OSRELEASE=//p' | head -n 1)
		variants="btf"
		if [ -n "$osrel" ] && [ -r "$DBG/vmlinux-$osrel" ]; then
			variants="btf dwarf"
		else
			echo "ok kernel $name $(basename "$dump") dwarf # skip no $DBG/vmlinux-$osrel (tests/vmcores/real/fetch-dbg.sh)"
		fi
		for v in $variants; do
			label="kernel $name $(basename "$dump") $v"
			out="$tmp/out.json"
			if [ "$v" = dwarf ]; then
				"$BIN" -J -a "$dump" "$DBG/vmlinux-$osrel" >"$out" 2>"$tmp/err"
			else
				SMMU_STRTAB_DUMP_DEBUGINFO_DIR=/nonexistent "$BIN" -J -a "$dump" >"$out" 2>"$tmp/err"
			fi
			rc=$?
			if [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
				echo "not ok $label runs - exit $rc: $(head -c 300 "$tmp/err" | tr '\n' ' ')"
				continue
			fi
			echo "ok $label runs"
			"$PY" - "$out" "$regs" "$pci" "$v" "$label" <<'PYEOF'
import json, sys
out, regs, pci, want_src, label = sys.argv[1:6]

def res(cond, what, why=""):
    print(("ok %s %s" % (label, what)) if cond else ("not ok %s %s - %s" % (label, what, why)))

try:
    j = json.load(open(out))
except Exception as e:
    res(False, "json", "output is not JSON: %s" % e)
    sys.exit(0)
truth = {}
for line in open(regs):
    line = line.split("#")[0].strip()
    if "=" in line:
        k, v = [x.strip() for x in line.split("=", 1)]
        truth[k.upper()] = int(v, 0)
smmus = j.get("smmus") or []
res(len(smmus) >= 1, "smmu found", "no SMMU in the output")
if not smmus:
    sys.exit(0)
s = None
for c in smmus:
    if c.get("strtab_base") and int(c["strtab_base"], 16) == truth.get("STRTAB_BASE"):
        s = c
if s is None:
    s = smmus[0]
got_b = int(s.get("strtab_base") or "0x0", 16)
got_c = int(s.get("strtab_base_cfg") or "0x0", 16)
res(got_b == truth.get("STRTAB_BASE"), "STRTAB_BASE",
    "derived 0x%x, QEMU says 0x%x" % (got_b, truth.get("STRTAB_BASE", -1)))
res(got_c == truth.get("STRTAB_BASE_CFG"), "STRTAB_BASE_CFG",
    "derived 0x%x, QEMU says 0x%x" % (got_c, truth.get("STRTAB_BASE_CFG", -1)))
res(s.get("source") == want_src, "source", "source %r, want %r" % (s.get("source"), want_src))
res(str(s.get("name", "")).startswith("smmu3.0x") and
    int(s["name"][6:], 16) == truth.get("BASE", -1), "name",
    "name %r, MMIO base 0x%x" % (s.get("name"), truth.get("BASE", -1)))
streams = {st["sid"]: st for st in s.get("streams", [])}
bad = []
n = 0
for d in json.load(open(pci))["devices"]:
    if d.get("iommu_group") is None:
        continue          # never probed by the IOMMU core: no master
    n += 1
    st = streams.get(d["sid"])
    dev = st.get("device") if st else None
    if not dev:
        bad.append("%s (sid 0x%x): no device" % (d["bdf"], d["sid"]))
        continue
    want_drv = d.get("driver") or None
    got_drv = dev.get("driver") or None
    if dev.get("name") != d["bdf"]:
        bad.append("sid 0x%x: name %r, sysfs %r" % (d["sid"], dev.get("name"), d["bdf"]))
    if got_drv != want_drv:
        bad.append("%s: driver %r, sysfs %r" % (d["bdf"], got_drv, want_drv))
    if dev.get("iommu_group") != d["iommu_group"]:
        bad.append("%s: group %r, sysfs %r" % (d["bdf"], dev.get("iommu_group"), d["iommu_group"]))
    t = d.get("iommu_group_type")
    if t and (dev.get("domain_type") or "").lower() != t.lower():
        bad.append("%s: domain %r, sysfs %r" % (d["bdf"], dev.get("domain_type"), t))
res(n > 0 and not bad, "devices", "; ".join(bad) if bad else "pci.json lists no device with an iommu group")
ck = s.get("crashkernel")
res(ck is None or not ck.get("overlaps"), "no crash-kernel overlap",
    "overlaps reported on a clean dump: %r" % (ck,))
res(isinstance(s.get("features"), list) and "2_LVL_STRTAB" in s["features"] and
    isinstance(s.get("options"), list), "features/options named",
    "features %r options %r" % (s.get("features"), s.get("options")))
PYEOF
		done
	done
done
if [ $found -eq 0 ]; then
	echo "ok kernel real dumps # skip no dumps under $REAL"
fi

# --- older layouts: synthetic dumps + DWARF compiled from C ----------------
HERE=$(cd "$(dirname "$0")" && pwd)
if ! command -v aarch64-linux-gnu-gcc >/dev/null; then
	if [ "$(id -u)" = 0 ]; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc-aarch64-linux-gnu >/dev/null 2>&1 || true
	fi
fi
if ! command -v aarch64-linux-gnu-gcc >/dev/null; then
	echo "ok kernel layouts # skip aarch64-linux-gnu-gcc missing (apt-get install gcc-aarch64-linux-gnu)"
	exit 0
fi
# 6.12-module-btf needs pahole to build its BTF (as the kernel build does)
if ! command -v pahole >/dev/null; then
	if [ "$(id -u)" = 0 ]; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dwarves >/dev/null 2>&1 || true
	fi
fi
layouts=()
if ! command -v pahole >/dev/null; then
	echo "ok kernel layout 6.12-module-btf # skip pahole missing (apt-get install dwarves)"
	layouts=(5.10 5.15 6.6 6.12 5.15-module)
fi
if ! "$PY" "$HERE/gen_kernel.py" "$tmp/layouts" "${layouts[@]}" >"$tmp/gen.log" 2>&1; then
	echo "not ok kernel layouts generate - $(tail -n 5 "$tmp/gen.log" | tr '\n' ' ')"
	exit 0
fi
for dir in "$tmp"/layouts/*/; do
	layout=$(basename "$dir")
	label="kernel layout $layout"
	case $layout in
	*-module-btf)
		# the dump alone: kallsyms, vmlinux BTF, module BTF
		src=btf
		SMMU_STRTAB_DUMP_DEBUGINFO_DIR=/nonexistent "$BIN" -J -a -m "$dir/vmcore" \
			>"$tmp/out.json" 2>"$tmp/err" ;;
	*-module)
		src=dwarf
		SMMU_STRTAB_DUMP_DEBUGINFO_DIR="$dir/debug" "$BIN" -J -a -m "$dir/vmcore" "$dir/vmlinux" \
			>"$tmp/out.json" 2>"$tmp/err" ;;
	*)
		src=dwarf
		"$BIN" -J -a -m "$dir/vmcore" "$dir/vmlinux" >"$tmp/out.json" 2>"$tmp/err" ;;
	esac
	rc=$?
	if [ $rc -ne 1 ]; then
		echo "not ok $label exit status 1 - exit $rc: $(head -c 300 "$tmp/err" | tr '\n' ' ')"
		continue
	fi
	echo "ok $label exit status 1"
	"$PY" - "$tmp/out.json" "$dir/expect.json" "$label" "$src" <<'PYEOF'
import json, sys
out, exp, label, want_src = sys.argv[1:5]

def res(cond, what, why=""):
    print(("ok %s %s" % (label, what)) if cond else ("not ok %s %s - %s" % (label, what, why)))

try:
    j = json.load(open(out))
except Exception as e:
    res(False, "json", "output is not JSON: %s" % e)
    sys.exit(0)
x = json.load(open(exp))
smmus = j.get("smmus") or []
res(len(smmus) == 1, "one SMMUv3 (the arm-smmu entry skipped)", "%d SMMUs" % len(smmus))
if not smmus:
    sys.exit(0)
s = smmus[0]
res(s.get("name") == x["name"], "name", "%r, want %r" % (s.get("name"), x["name"]))
res(s.get("source") == want_src, "source " + want_src, "source %r" % s.get("source"))
if want_src == "btf":
    kern = j.get("kernel") or {}
    res(kern.get("symbols") == "kallsyms", "kernel.symbols kallsyms", "%r" % kern.get("symbols"))
    res(kern.get("types") == "btf", "kernel.types btf", "%r" % kern.get("types"))
    notes = kern.get("notes")
    res(isinstance(notes, list) and all(isinstance(n, str) for n in notes),
        "kernel.notes is an array of strings (since schema_version 2)", "notes %r" % (notes,))
    res(any("module's BTF" in n for n in notes or []), "kernel.notes: module's BTF used",
        "notes %r" % (notes,))
res(s.get("strtab_base") == x["strtab_base"] and s.get("strtab_base_cfg") == x["strtab_base_cfg"],
    "STRTAB_BASE/CFG", "%s/%s, want %s/%s" % (s.get("strtab_base"), s.get("strtab_base_cfg"),
                                               x["strtab_base"], x["strtab_base_cfg"]))
res(s.get("features") == ["2_LVL_STRTAB", "2_LVL_CDTAB", "TT_LE", "MSI", "COHERENCY",
                          "TRANS_S1", "TRANS_S2"] and s.get("options") == ["MSIPOLL"],
    "features/options", "%r %r" % (s.get("features"), s.get("options")))
bad = []
streams = {st["sid"]: st for st in s.get("streams", [])}
for sid, want in x["devices"].items():
    st = streams.get(int(sid))
    got = (st or {}).get("device") or {}
    for k, v in want.items():
        if got.get(k) != v:
            bad.append("sid %s %s: %r, want %r" % (sid, k, got.get(k), v))
named = sorted(sid for sid, st in streams.items() if st.get("device"))
if named != sorted(int(k) for k in x["devices"]):
    bad.append("named SIDs %r" % named)
res(not bad, "devices", "; ".join(bad))
bad = []
for sid, want in x.get("user_space", {}).items():
    v = (streams.get(int(sid)) or {}).get("verdict") or {}
    if v.get("user_space") is not True or want not in (v.get("reason") or ""):
        bad.append("sid %s: user_space %r, reason %r" % (sid, v.get("user_space"), v.get("reason")))
for sid, st in streams.items():
    if str(sid) not in x.get("user_space", {}) and (st.get("verdict") or {}).get("user_space"):
        bad.append("sid 0x%x: user_space without vfio-pci or an unmanaged domain" % sid)
res(x.get("user_space") and not bad, "verdict: DMA owned by user space", "; ".join(bad))
ck = s.get("crashkernel") or {}
res(ck.get("reservations") == x["reservations"], "crashkernel.reservations",
    "%r, want %r" % (ck.get("reservations"), x["reservations"]))
got = sorted((o["sid"], o["iova"], o["pa"], o["size"], o["iova_inside"], o["pa_inside"])
             for o in ck.get("overlaps") or [])
want = sorted((o["sid"], o["iova"], o["pa"], o["size"], o["iova_inside"], o["pa_inside"])
              for o in x["overlaps"])
res(got == want and len(want) == 2, "crashkernel.overlaps", "%r, want %r" % (got, want))
ad = s.get("adoption") or {}
got = sorted((p["table"], int(p["address"], 16), p["problem"]) for p in ad.get("placement") or [])
want = sorted((p["table"], int(p["address"], 16), p["problem"]) for p in x["adoption"]["placement"])
res(got == want, "adoption.placement", "%r, want %r" % (got, want))
res(ad.get("crash_kernel_writers") == x["adoption"]["crash_kernel_writers"],
    "adoption.crash_kernel_writers", "%r" % ad.get("crash_kernel_writers"))
# No register was captured: SMMUEN from the driver (registered), coherence
# from ARM_SMMU_FEAT_COHERENCY; GERROR is never in memory.
chk = {c["name"]: c["result"] for c in ad.get("checks") or []}
res(chk.get("smmuen") == "pass" and chk.get("coherent") == "pass" and
    chk.get("no_sfm_err") == "unknown" and ad.get("verdict") == "unknown",
    "adoption.verdict", "%r %r" % (ad.get("verdict"), chk))
PYEOF
done

# The capture kernel (issue 14 item 3), through $SMMU_STRTAB_DUMP_LIVE_ROOT
# (gen_kernel.py capture_kernel(): a device tree, a sparse dev/mem with the
# registers as the crashed kernel left them, sysfs, dev/kmsg).
# live/: --capture-regs reads the registers; the table is still the crashed
# kernel's; every StreamID whose installed STE the layout's structures tell
# is compared, none overwritten.  vmcore-rewritten: StreamID 0x8 now points
# at a CD table inside crashk_res: named (where the structures tell 0x8's
# CD table), exit 1.  live-driver/: arm-smmu-v3 bound, its reset in
# dev/kmsg: --capture-regs refuses (exit 3), the run without it says the
# table was replaced; live-driver-nolog/: bound, no reset logged: unknown.
for dir in "$tmp"/layouts/*/; do
	layout=$(basename "$dir")
	[ -d "$dir/live" ] || continue
	label="kernel layout $layout capture"
	args=("$dir/vmlinux"); env=()
	case $layout in
	*-module-btf) args=(); env=(SMMU_STRTAB_DUMP_DEBUGINFO_DIR=/nonexistent) ;;
	*-module) env=(SMMU_STRTAB_DUMP_DEBUGINFO_DIR="$dir/debug") ;;
	esac
	run() { # ROOT OUT [OPTION...] DUMP
		local root=$1 out=$2; shift 2
		env "${env[@]}" SMMU_STRTAB_DUMP_LIVE_ROOT="$root" "$BIN" "$@" "${args[@]}" >"$out" 2>>"$tmp/cap.err"
		echo $?
	}
	: >"$tmp/cap.err"
	rc_live=$(run "$dir/live" "$tmp/live.json" --capture-regs="$tmp/live.regs" -J -a "$dir/vmcore")
	rc_rw=$(run "$dir/live" "$tmp/rw.json" --capture-regs="$tmp/live.regs" -J -a "$dir/vmcore-rewritten")
	run "$dir/live" "$tmp/rw.txt" --capture-regs="$tmp/live.regs" "$dir/vmcore-rewritten" >/dev/null
	rc_drv=$(run "$dir/live-driver" "$tmp/drv-cap.json" --capture-regs="$tmp/drv.regs" -J "$dir/vmcore")
	run "$dir/live-driver" "$tmp/drv.json" -J "$dir/vmcore" >/dev/null
	run "$dir/live-driver" "$tmp/drv.txt" "$dir/vmcore" >/dev/null
	run "$dir/live-driver-nolog" "$tmp/nolog.json" -J "$dir/vmcore" >/dev/null
	"$BIN" -J "$dir/vmcore" "${args[@]}" >"$tmp/off.json" 2>/dev/null
	"$PY" - "$dir/expect.json" "$label" "$tmp" "$rc_live" "$rc_rw" "$rc_drv" <<'PYEOF'
import json, os, sys
exp, label, tmp, rc_live, rc_rw, rc_drv = sys.argv[1:7]
x = json.load(open(exp))["live"]

def res(cond, what, why=""):
    print(("ok %s %s" % (label, what)) if cond else ("not ok %s %s - %s" % (label, what, why)))

def load(name):
    try:
        return json.load(open(os.path.join(tmp, name)))
    except Exception:
        return None

def live(j):
    return ((j or {}).get("smmus") or [{}])[0].get("live")

err = open(os.path.join(tmp, "cap.err"), errors="replace").read()[:300]
j = load("live.json")
s = ((j or {}).get("smmus") or [{}])[0]
lv = live(j) or {}
res(rc_live in ("0", "1") and s.get("source") == "live", "live registers read",
    "exit %s, source %r: %s" % (rc_live, s.get("source"), err))
res(lv.get("strtab") == "crashed-kernel", "live table is the crashed kernel's", "live %r" % lv)
res(lv.get("checked") == x["checked"] and lv.get("overwritten") == [] and lv.get("overwritten_total") == 0,
    "%d StreamIDs checked, none overwritten" % x["checked"], "live %r" % lv)
lv = live(load("rw.json")) or {}
want = [x["rewritten"]] if x["rewritten"]["sid"] in x["checked_sids"] else []
got = [{k: o.get(k) for k in ("sid", "field", "expected", "found", "in_crash_kernel")}
       for o in lv.get("overwritten") or []]
res(got == want and lv.get("checked") == x["checked"], "rewritten STE reported" if want else
    "rewritten STE of a StreamID the structures do not tell: not reported", "got %r, want %r" % (got, want))
if want:
    res(rc_rw == "1", "rewritten: exit status 1", "exit %s" % rc_rw)
    txt = open(os.path.join(tmp, "rw.txt"), errors="replace").read()
    flat = " ".join(txt.split())
    res("live STEs: %d StreamIDs" % x["checked"] in flat and "1 overwritten since the crash" in flat and
        "StreamID 0x8 S1ContextPtr %s" % x["rewritten"]["found"] in flat and
        "written by the capture kernel" in flat, "rewritten: text names StreamID 0x8",
        "text %r" % [l for l in txt.splitlines() if "live" in l])
res(rc_drv == "3", "driver bound: --capture-regs refused (exit 3)", "exit %s" % rc_drv)
j = load("drv.json")
lv = live(j) or {}
own = lv.get("owner") or {}
res(lv.get("strtab") == "replaced" and own.get("driver") == "arm-smmu-v3" and own.get("reset_logged") is True
    and "SMMU currently enabled! Resetting" in (own.get("evidence") or ""),
    "driver bound, reset logged: table replaced", "live %r" % lv)
res(((j or {}).get("smmus") or [{}])[0].get("source") != "live", "driver bound: no live registers claimed",
    "source %r" % ((j or {}).get("smmus") or [{}])[0].get("source"))
flat = " ".join(open(os.path.join(tmp, "drv.txt"), errors="replace").read().split())
res("live: the capture kernel's driver 'arm-smmu-v3' owns the SMMU" in flat and "capture kernel's, not this dump's" in flat,
    "driver bound: text says the live table is the capture kernel's", "text %r" % flat[:400])
lv = live(load("nolog.json")) or {}
res(lv.get("strtab") == "unknown" and (lv.get("owner") or {}).get("reset_logged") is False,
    "driver bound, no reset logged: unknown", "live %r" % lv)
res(live(load("off.json")) is None, "offline: no live block", "live %r" % live(load("off.json")))
PYEOF
done

# Broken copies of the layouts' dumps (gen_kernel.py broken_variants()).
# vmcore-nomaster: StreamID 0x8's arm_smmu_master is not in the dump.  It
# must not become a device (before, a failed read left an empty name and
# an uninitialised ats_enabled), and a note must name the master.
# vmcore-badrelease: OSRELEASE "x/../../outside"; with
# $SMMU_STRTAB_DUMP_DEBUGINFO_DIR=D and D/vmlinux-x a directory, the path
# D/vmlinux-x/../../outside holds a matching vmlinux: it must not be used
# (issue 12), and a given vmlinux still must be.
for dir in "$tmp"/layouts/*/; do
	layout=$(basename "$dir")
	[ -f "$dir/vmcore-nomaster" ] || continue
	env=()
	case $layout in *-module) env=(SMMU_STRTAB_DUMP_DEBUGINFO_DIR="$dir/debug") ;; esac
	env "${env[@]}" "$BIN" -J -a "$dir/vmcore-nomaster" "$dir/vmlinux" >"$tmp/nm.json" 2>"$tmp/nm.err"
	rc=$?
	rm -rf "$tmp/br"
	mkdir -p "$tmp/br/dbg/vmlinux-x"
	cp "$dir/vmlinux" "$tmp/br/outside"
	SMMU_STRTAB_DUMP_DEBUGINFO_DIR="$tmp/br/dbg" "$BIN" -J -a "$dir/vmcore-badrelease" \
		>"$tmp/br.json" 2>"$tmp/br.err"
	brc=$?
	"$BIN" -J -a "$dir/vmcore-badrelease" "$dir/vmlinux" >"$tmp/brv.json" 2>"$tmp/brv.err"
	"$PY" - "$dir/expect.json" "kernel layout $layout" "$rc" "$tmp/nm.json" "$tmp/nm.err" \
		"$brc" "$tmp/br.json" "$tmp/br.err" "$tmp/brv.json" <<'PYEOF'
import json, sys
exp, label, rc, nm, nm_err, brc, br, br_err, brv = sys.argv[1:10]
x = json.load(open(exp))
bad = x["broken"]

def res(cond, what, why=""):
    print(("ok %s %s" % (label, what)) if cond else ("not ok %s %s - %s" % (label, what, why)))

def load(path):
    try:
        return json.load(open(path))
    except Exception:
        return None

j = load(nm)
res(j is not None and int(rc) in (0, 1), "nomaster runs",
    "exit %s: %s" % (rc, open(nm_err, errors="replace").read()[:300]))
if j:
    streams = {st["sid"]: st for s in j.get("smmus") or [] for st in s.get("streams", [])}
    sid = bad["nomaster"]["sid"]
    dev = (streams.get(sid) or {}).get("device")
    res(sid in streams and dev is None, "nomaster: no device made up for StreamID 0x%x" % sid,
        "device %r" % (dev,))
    notes = (j.get("kernel") or {}).get("notes") or []
    res(any(bad["nomaster"]["master"] in n for n in notes),
        "nomaster: a note names the unreadable master %s" % bad["nomaster"]["master"],
        "notes %r" % (notes,))
    other = (streams.get(0x100) or {}).get("device") or {}
    res(other.get("name") == x["devices"]["256"]["name"], "nomaster: the other devices named",
        "0x100: %r" % (other,))
if "module" not in label:
    j = load(br)
    said = open(br_err, errors="replace").read() + "\n".join(
        ((j or {}).get("kernel") or {}).get("notes") or [])
    types = ((j or {}).get("kernel") or {}).get("types")
    res(types != "dwarf" and not (j or {}).get("smmus"),
        "badrelease: no vmlinux found through the release %r" % bad["badrelease"],
        "exit %s, types %r: the path left the debuginfo directory" % (brc, types))
    res("not a kernel release" in said and bad["badrelease"] in said,
        "badrelease: says the release is refused", "said %r" % said[:300])
    j = load(brv)
    res(j is not None and ((j.get("kernel") or {}).get("types")) == "dwarf" and
        len(j.get("smmus") or []) == 1, "badrelease: a given vmlinux is still used",
        "%r" % ((j or {}).get("kernel"),))
PYEOF
done

# No type information at all (5.15-module without its debug files): the
# one-line message is cut at its size with a pointer to -v, and -v prints
# every note of the failed search on its own line.
dir="$tmp/layouts/5.15-module"
if [ -f "$dir/vmcore" ]; then
	label="kernel layout 5.15-module no types"
	SMMU_STRTAB_DUMP_DEBUGINFO_DIR=/nonexistent "$BIN" "$dir/vmcore" >/dev/null 2>"$tmp/err1"
	rc=$?
	SMMU_STRTAB_DUMP_DEBUGINFO_DIR=/nonexistent "$BIN" -v "$dir/vmcore" >/dev/null 2>"$tmp/errv"
	last=$(grep -v ': kernel: ' "$tmp/errv" | tail -1)
	if [ $rc -eq 2 ] && grep -q "no kernel type information" "$tmp/err1" &&
	   { ! grep -q ' \.\.\. ' "$tmp/err1" || grep -q '(-v lists every note)' "$tmp/err1"; }; then
		echo "ok $label: exit 2, the message names the missing types"
	else
		echo "not ok $label: exit $rc, $(head -c 300 "$tmp/err1")"
	fi
	if grep -q ': kernel: no kallsyms in VMCOREINFO' "$tmp/errv" &&
	   grep -q ': kernel: no vmlinux BTF' "$tmp/errv" && [ -n "$last" ]; then
		echo "ok $label: -v prints each note ($(grep -c ': kernel: ' "$tmp/errv") lines)"
	else
		echo "not ok $label: -v notes missing: $(head -c 300 "$tmp/errv")"
	fi
fi

# 6.12-module-btf without arm_smmu_v3 on btf_modules: no types for the SMMU
dir="$tmp/layouts/6.12-module-btf"
if [ -d "$dir" ]; then
	label="kernel layout 6.12-module-btf nomodbtf"
	SMMU_STRTAB_DUMP_DEBUGINFO_DIR=/nonexistent "$BIN" -J -a -m "$dir/vmcore-nomodbtf" \
		>"$tmp/out.json" 2>"$tmp/err"
	rc=$?
	"$PY" - "$tmp/out.json" "$tmp/err" "$rc" "$label" <<'PYEOF'
import json, sys
out, err, rc, label = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]

def res(cond, what, why=""):
    print(("ok %s %s" % (label, what)) if cond else ("not ok %s %s - %s" % (label, what, why)))

msg = open(err, errors="replace").read()
j = None
if rc in (0, 1):
    try:
        j = json.load(open(out))
    except Exception as e:
        res(False, "json", "exit %d but output is not JSON: %s" % (rc, e))
        sys.exit(0)
smmus = (j or {}).get("smmus") or []
if j is None:
    res(1 < rc < 128 and msg.strip() != "", "SMMU not reported",
        "exit %d, stderr %r" % (rc, msg[:300]))
else:
    res(not smmus, "SMMU not reported", "exit %d, %d SMMU(s), devices %r" % (
        rc, len(smmus), [st.get("device") for s in smmus for st in s.get("streams", [])
                         if st.get("device")]))
notes = "\n".join(((j or {}).get("kernel") or {}).get("notes") or [])
said = msg + notes
res("btf_modules" in said and "types from the module's BTF" not in said,
    "says the module BTF is not on btf_modules",
    "stderr %r, kernel.notes %r" % (msg[:300], notes[:300]))
PYEOF
	# btf_modules looping on itself: the walk is bounded and says so
	label="kernel layout 6.12-module-btf modloop"
	SMMU_STRTAB_DUMP_DEBUGINFO_DIR=/nonexistent timeout 120 "$BIN" -J -a -m "$dir/vmcore-modloop" \
		>"$tmp/out.json" 2>"$tmp/err"
	rc=$?
	if [ $rc -eq 124 ]; then
		echo "not ok $label terminates - still running after 120 s"
	elif grep -q "btf_modules at 0x[0-9a-f]* has a loop: entry 0x[0-9a-f]* comes back" "$tmp/err" "$tmp/out.json"; then
		echo "ok $label the loop is reported (exit $rc)"
	else
		echo "not ok $label the loop is reported - exit $rc: $(head -c 300 "$tmp/err" | tr '\n' ' ')"
	fi
fi
# 6.12-highbank (issue 11): RAM in two banks 512 GiB apart, the SMMU's struct
# and tables in the high bank.  With iommu_device_list stripped from the
# vmlinux (as a kernel without data symbols) and no kallsyms (no text to
# reach it through), the SMMU must be found by the RAM scan, which must
# walk both banks the dump holds (the scan before stopped 1 GiB past the
# low bank).  With the symbol, discovery says "symbol".
label="kernel highbank"
hb="$tmp/hb/6.12-highbank"
OBJCOPY=${AARCH64_OBJCOPY:-aarch64-linux-gnu-objcopy}
if ! "$PY" "$HERE/gen_kernel.py" "$tmp/hb" 6.12-highbank >"$tmp/hb.log" 2>&1 ||
   ! "$OBJCOPY" --strip-symbol=iommu_device_list "$hb/vmlinux" "$hb/vmlinux-nolist" 2>>"$tmp/hb.log"; then
	echo "not ok $label generate - $(tail -n 5 "$tmp/hb.log" | tr '\n' ' ')"
else
	"$BIN" -J "$hb/vmcore" "$hb/vmlinux" >"$tmp/hb-sym.json" 2>"$tmp/hb-sym.err"
	"$BIN" -J "$hb/vmcore" "$hb/vmlinux-nolist" >"$tmp/hb-scan.json" 2>"$tmp/hb-scan.err"
	"$PY" - "$hb/expect.json" "$label" "$tmp/hb-sym.json" "$tmp/hb-scan.json" "$tmp/hb-scan.err" <<'PYEOF'
import json, sys
exp, label, sym, scan, scan_err = sys.argv[1:6]
x = json.load(open(exp))
high = int(x["banks"][1][0], 16)

def res(cond, what, why=""):
    print(("ok %s %s" % (label, what)) if cond else ("not ok %s %s - %s" % (label, what, why)))

def smmus(path):
    try:
        return json.load(open(path))
    except Exception:
        return {}

for path, how in ((sym, "symbol"), (scan, "ram-scan")):
    j = smmus(path)
    s = (j.get("smmus") or [{}])[0]
    res(s.get("discovery") == how, "%s: SMMU found, discovery %s" % (how, how),
        "discovery %r (%s)" % (s.get("discovery"),
                               open(scan_err, errors="replace").read()[:300] if path == scan else ""))
    res(s.get("strtab_base") == x["strtab_base"] and int(x["strtab_base"], 16) & ((1 << 52) - 64) >= high,
        "%s: STRTAB_BASE in the high bank" % how,
        "%r, want %s" % (s.get("strtab_base"), x["strtab_base"]))
j = smmus(scan)
notes = (j.get("kernel") or {}).get("notes") or []
res(any("RAM scan of 128 MiB in 2 run(s)" in n for n in notes), "ram-scan: both banks walked, and only them",
    "notes %r" % notes)
PYEOF
fi
exit 0
