#!/usr/bin/python3
"""How the tool reaches the SMMUs on the real dumps (issue 11, item 3).

    discovery_check.py BINARY          (run from the repo root)

For each kernel in $SD_REAL_CACHE (default /var/cache/smmu-strtab-dump/real):
its ELF dump and its zstd (else zlib) kdump, and every real kdump vmcore
(kdump-KERNEL/MODE/vmcore), runs `BINARY -J DUMP` with no debuginfo
(SMMU_STRTAB_DUMP_DEBUGINFO_DIR=/nonexistent) and SD_BENCH_PAGES, and checks:
  * a kernel whose kallsyms has no data symbols (Debian 12's 6.1: no
    CONFIG_KALLSYMS_ALL) has each SMMU's "discovery" "text-reference:..."
    (iommu_device_list reached through the code of a text symbol) and no
    RAM scan note; a kernel with them, "symbol";
  * the physical pages read (SD_BENCH_PAGES) are a small part of the RAM
    the dump holds (ELF: the PT_LOADs' file data), which a RAM scan reads
    whole: fewer than 1/20th;
  * on the kdump vmcores, "crashkernel" equals the "Crash kernel" line of
    /proc/iomem the crashed guest printed (console.log "SD-KDUMP iomem"),
    found by name or through a text reference (crash_get_memory_size &c.);
  * with SMMU_STRTAB_DUMP_DISCOVERY=text on a kernel that has the symbol,
    the text reference leads to the same SMMU (same STRTAB_BASE).
Prints ok / not ok lines.
"""
import glob
import json
import os
import re
import struct
import subprocess
import sys
import tempfile

CACHE = os.environ.get("SD_REAL_CACHE", "/var/cache/smmu-strtab-dump/real")
PAGE = 4096


def res(cond, label, why=""):
    print(("ok %s" % label) if cond else ("not ok %s - %s" % (label, why)))
    return cond


def elf_held(path):
    """Bytes of file data in the PT_LOADs of an ELF file, or None."""
    with open(path, "rb") as f:
        h = f.read(64)
        if h[:4] != b"\x7fELF" or h[4] != 2:
            return None
        phoff, = struct.unpack_from("<Q", h, 32)
        phentsize, phnum = struct.unpack_from("<HH", h, 54)
        f.seek(phoff)
        tab = f.read(phentsize * phnum)
    held = 0
    for i in range(phnum):
        typ, = struct.unpack_from("<I", tab, i * phentsize)
        if typ == 1:
            held += struct.unpack_from("<Q", tab, i * phentsize + 32)[0]
    return held


def phys_pages(trace):
    pages = set()
    for line in open(trace):
        f = line.split()
        if f and f[0] != "v":
            pa, n = int(f[0], 16), int(f[1], 16)
            pages.update(range(pa // PAGE, (pa + n - 1) // PAGE + 1))
    return len(pages)


def run(binary, dump, mode=None):
    with tempfile.NamedTemporaryFile(prefix="sd-disc-") as t:
        env = dict(os.environ, SMMU_STRTAB_DUMP_DEBUGINFO_DIR="/nonexistent",
                   SD_BENCH_PAGES=t.name)
        env.pop("SMMU_STRTAB_DUMP_DISCOVERY", None)
        if mode:
            env["SMMU_STRTAB_DUMP_DISCOVERY"] = mode
        p = subprocess.run([binary, "-J", dump], env=env, capture_output=True, text=True)
        try:
            j = json.loads(p.stdout)
        except ValueError:
            j = None
        return p.returncode, j, phys_pages(t.name), p.stderr


def check(binary, label, dump, iomem=None):
    rc, j, pages, err = run(binary, dump)
    if not res(j is not None and j.get("smmus"), label + " SMMU found",
               "exit %d, %s" % (rc, err.strip()[-300:])):
        return
    notes = j["kernel"].get("notes") or []
    nodata = any("no data symbols" in n for n in notes)
    want = "text-reference:" if nodata else "symbol"
    got = [s.get("discovery") or "" for s in j["smmus"]]
    res(all(g.startswith(want) for g in got), label + " discovery " + want,
        "discovery %r" % got)
    scans = [n for n in notes if "RAM scan" in n]
    res(not scans, label + " no RAM scan", "; ".join(scans))
    held = elf_held(dump)
    if held:
        res(pages * 20 < held // PAGE, "%s pages read: %d of %d held" % (label, pages, held // PAGE),
            "a RAM scan reads %d; the tool read %d" % (held // PAGE, pages))
    if iomem:
        ck = j["smmus"][0].get("crashkernel") or {}
        r = [(int(x["start"], 16), int(x["end"], 16)) for x in ck.get("reservations", [])
             if x["name"] == "Crash kernel"]
        res(r[:1] == [iomem], label + " crashkernel = /proc/iomem %#x-%#x" % iomem,
            "reported %r" % (ck.get("reservations"),))
    if not nodata and held:
        # the text reference on a kernel that has the symbol: same SMMU
        _, t, _, err = run(binary, dump, "text")
        tb = [(s.get("discovery") or "", s.get("strtab_base")) for s in (t or {}).get("smmus", [])]
        sym = [s.get("strtab_base") for s in j["smmus"]]
        res(tb and all(d.startswith("text-reference:") for d, _ in tb) and
            [b for _, b in tb] == sym,
            label + " SMMU_STRTAB_DUMP_DISCOVERY=text: same SMMU through a text reference",
            "got %r, by symbol %r (%s)" % (tb, sym, err.strip()[-200:]))

def main():
    binary = sys.argv[1]
    ran = False
    for kdir in sorted(glob.glob(os.path.join(CACHE, "linux-*/"))):
        k = os.path.basename(kdir.rstrip("/"))
        kd = sorted(glob.glob(kdir + "*.zstd.kdump")) or sorted(glob.glob(kdir + "*.kdump-zlib"))
        for d in [kdir + k + ".elf"] + kd[:1]:
            if os.path.exists(d):
                ran = True
                check(binary, "discovery %s %s" % (k, os.path.basename(d)), d)
    for vm in sorted(glob.glob(os.path.join(CACHE, "kdump-*/*/vmcore"))):
        d = os.path.dirname(vm)
        m = None
        try:
            m = re.search(r"^SD-KDUMP iomem *([0-9a-f]+)-([0-9a-f]+) : Crash kernel",
                          open(os.path.join(d, "console.log"), errors="replace").read(), re.M)
        except OSError:
            pass
        ran = True
        check(binary, "discovery %s/%s" % (os.path.basename(os.path.dirname(d)), os.path.basename(d)),
              vm, (int(m.group(1), 16), int(m.group(2), 16)) if m else None)
    if not ran:
        print("ok discovery # skip no real dumps in %s" % CACHE)


main()
