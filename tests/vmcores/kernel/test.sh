#!/bin/bash
# The kernel layer on the real dumps (issue 4): with no register options,
# smmu-strtab-dump must find the SMMU in the crashed kernel's memory, derive
# STRTAB_BASE/STRTAB_BASE_CFG equal to what QEMU's monitor read (<name>.regs)
# and name the devices the guest's sysfs showed (pci.json; StreamID =
# bus << 8 | devfn).  Once through BTF + kallsyms from the dump alone, and
# once through DWARF when Debian's dbg vmlinux has been extracted under
# /var/cache/smmu-strtab-dump/dbg.  Run from the repository root.
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
		[ -n "$osrel" ] && [ -r "$DBG/vmlinux-$osrel" ] && variants="btf dwarf"
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
PYEOF
		done
	done
done
if [ $found -eq 0 ]; then
	echo "ok kernel real dumps # skip no dumps under $REAL"
fi
exit 0
