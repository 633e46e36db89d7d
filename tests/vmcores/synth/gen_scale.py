#!/usr/bin/python3
"""Large synthetic dumps for the scale benchmark (make bench, tests/bench).

    gen_scale.py OUTDIR [CASE...]     write the cases (default: all) into
                                      OUTDIR: CASE.elf (or CASE/vmcore and
                                      CASE/vmlinux for the kernel cases),
                                      CASE.regs and CASE.expect.json.  A case
                                      whose files were written by this very
                                      generator (CASE.stamp) is not rewritten.
    gen_scale.py --list               the cases and what each measures
    gen_scale.py --verify OUTDIR CASE TOOL_JSON
                                      compare the tool's -J -a -m output on
                                      CASE mapping by mapping with what this
                                      generator wrote; ok / not ok lines

Written, like gen.py (whose field tables and encoders it uses), from the
architecture and independently of the decoder in src/: the VMSAv8-64
descriptor formats and the STE/CD layouts of shared/reference/
smmuv3-layout.md (sections 2-6).  The expectation is what the generator
*intended* (N devices x M pages, each page at its own PA), counted as it
writes the tables, never by reading them back.

Every mapped page is a single 4 KB stage-1 leaf at its own PA: the PA of
global page number g is DATA_PA + ((g * SCATTER) mod 2^28) * 4 KB, a
permutation (SCATTER is odd) that never puts two IOVA-consecutive pages at
consecutive PAs, so nothing coalesces and a tool must keep (or stream) every
one.  Page tables are written a whole 4 KB table at a time (array of
descriptors -> bytes), so 10^7 mappings take seconds.  ELF files are sparse:
PT_LOADs only where pages exist, or one per RAM bank for the bank cases with
the holes left as file holes (a 1 TiB bank costs no disk).
"""

import array
import hashlib
import json
import os
import struct
import sys
import types

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, HERE)
import gen  # noqa: E402  (field tables, encoders, vmcoreinfo, constants)

PAGE = gen.PAGE
GIB = 1 << 30
DATA_PA = 1 << 40              # the mapped pages (not in the dump: DMA targets)
SCATTER_BITS = 28              # 2^28 pages = 1 TiB of target PAs
SCATTER = 0x9e3779b1           # odd: g -> g * SCATTER mod 2^28 is a bijection
IOVA_BASE = 0x1_0000_0000      # each device maps M pages from here, IOVA-contiguous
IAS = 48                       # 4 KB granule, 48-bit IAS: 4 levels, start level 0
LEVEL_BITS = 9                 # 4 KB granule: 512 descriptors per table
ENTRIES = 1 << LEVEL_BITS
# VMSAv8-64 stage-1 descriptors (smmuv3-layout.md section 6)
DESC_TABLE = 0b11              # table descriptor, levels 0-2
DESC_PAGE = 0b11               # page descriptor, level 3
ATTR_INDX_1 = 1 << 2           # AttrIndx[4:2] = 1
AP_UNPRIV = 1 << 6             # AP[6]
SH_INNER = 3 << 8              # SH[9:8] = inner shareable
PTE_AF = gen.PTE_AF            # AF[10]
PTE_NG = 1 << 11               # nG[11]
PAGE_ATTRS = ATTR_INDX_1 | AP_UNPRIV | SH_INNER | PTE_AF | PTE_NG | gen.PTE_XN | gen.PTE_PXN
STE_DWORDS = 8                 # 64-byte STE
STE_SIZE = 64
CD_SIZE = 64
RA = 1 << 62                   # STRTAB_BASE.RA
FMT_2LVL = 1 << 16             # STRTAB_BASE_CFG.FMT = 1
SPLIT_SHIFT = 6                # STRTAB_BASE_CFG.SPLIT[10:6]


def page_pa(g):
    """Target PA of global mapped page g (module docstring)."""
    return DATA_PA + (((g * SCATTER) & ((1 << SCATTER_BITS) - 1)) << 12)


# --------------------------------------------------------------------------
# Sparse physical image: whole pages, bump-allocated

class Image:
    def __init__(self, base):
        self.pages = {}            # pfn -> bytes or bytearray (PAGE long)
        self.cursor = base

    def alloc(self, size, align):
        pa = (self.cursor + align - 1) & ~(align - 1)
        self.cursor = pa + size
        return pa

    def alloc_pages(self, n):
        return self.alloc(n * PAGE, PAGE)

    def put(self, pa, data):
        """Write bytes at pa (any length, any alignment)."""
        off = 0
        while off < len(data):
            pfn, o = divmod(pa + off, PAGE)
            n = min(PAGE - o, len(data) - off)
            if o == 0 and n == PAGE:
                self.pages[pfn] = bytes(data[off:off + n])
            else:
                pg = self.pages.get(pfn)
                if not isinstance(pg, bytearray):
                    pg = bytearray(pg or PAGE)
                    self.pages[pfn] = pg
                pg[o:o + n] = data[off:off + n]
            off += n

    def put_words(self, pa, words):
        self.put(pa, array.array("Q", words).tobytes())


assert array.array("Q").itemsize == 8 and sys.byteorder == "little"


def table_page(entries):
    """One 4 KB translation table from {index: descriptor}."""
    a = array.array("Q", bytes(PAGE))
    for i, d in entries.items():
        a[i] = d
    return a.tobytes()


def lidx(level, va):
    return (va >> (12 + (3 - level) * LEVEL_BITS)) & (ENTRIES - 1)


def build_device(img, g0, npages):
    """Stage-1 table mapping npages pages from IOVA_BASE, page i at
    page_pa(g0 + i).  Returns (root PA, [(iova, pa, size)] generator args)."""
    assert npages <= ENTRIES * ENTRIES, "one level-2 table per device"
    nl3 = -(-npages // ENTRIES)
    l0, l1, l2 = img.alloc_pages(1), img.alloc_pages(1), img.alloc_pages(1)
    l3 = img.alloc_pages(nl3)
    img.put(l0, table_page({lidx(0, IOVA_BASE): l1 | DESC_TABLE}))
    img.put(l1, table_page({lidx(1, IOVA_BASE): l2 | DESC_TABLE}))
    first = lidx(2, IOVA_BASE)
    img.put(l2, table_page({first + t: (l3 + t * PAGE) | DESC_TABLE for t in range(nl3)}))
    assert lidx(3, IOVA_BASE) == 0 and first + nl3 <= ENTRIES
    mask = (1 << SCATTER_BITS) - 1
    for t in range(nl3):
        n = min(ENTRIES, npages - t * ENTRIES)
        g = g0 + t * ENTRIES
        a = array.array("Q", [(DATA_PA + ((((g + j) * SCATTER) & mask) << 12)) |
                              PAGE_ATTRS | DESC_PAGE for j in range(n)])
        if n < ENTRIES:
            a.extend([0] * (ENTRIES - n))
        img.pages[(l3 + t * PAGE) // PAGE] = a.tobytes()
    return l0


# --------------------------------------------------------------------------
# One SMMU: stream table, devices, expectation

class Smmu:
    def __init__(self, img, name, base, log2size, split=None):
        self.img, self.name, self.base = img, name, base
        self.log2size, self.split = log2size, split
        self.devices = []          # (sid, g0, npages)
        self.aborts = 0
        if split is None:
            size = STE_SIZE << log2size
            self.strtab = img.alloc(size, max(size, 64))
            img.put(self.strtab, bytes(size))
        else:
            n = 1 << (log2size - split)
            self.strtab = img.alloc(8 * n, max(64, 8 * n))
            self.l2 = {}

    def fill_l2(self):
        """Every L1 descriptor valid (SPAN = SPLIT + 1, as Linux writes it)
        and every L2 table full of valid abort STEs (V = 1, CONFIG = 0), as
        Linux's arm_smmu_init_initial_stes() leaves them."""
        n1, n2 = 1 << (self.log2size - self.split), 1 << self.split
        abort = array.array("Q", [1] + [0] * (STE_DWORDS - 1)).tobytes() * n2
        l1 = []
        for i in range(n1):
            pa = self.img.alloc(STE_SIZE * n2, STE_SIZE * n2)
            self.img.put(pa, abort)
            self.l2[i] = pa
            l1.append(pa | (self.split + 1))
        self.img.put_words(self.strtab, l1)
        self.aborts = n1 * n2

    def ste_pa(self, sid):
        if self.split is None:
            return self.strtab + STE_SIZE * sid
        return self.l2[sid >> self.split] + STE_SIZE * (sid & ((1 << self.split) - 1))

    def add_device(self, sid, g0, npages, asid):
        root = build_device(self.img, g0, npages)
        cd = self.img.alloc(CD_SIZE, CD_SIZE)
        pt = types.SimpleNamespace(ias=IAS, gran=PAGE, root_ref=root)
        words = gen.encode(gen.CD_FIELDS, gen.cd_defaults(pt, asid))
        self.img.put_words(cd, words)
        ste = gen.encode(gen.STE_FIELDS, dict(
            config=5, s1fmt=0, s1_context_ptr=cd, s1cdmax=0, s1dss=0,
            s1cir=1, s1cor=1, s1csh=3))
        ste[0] |= 1                                     # V
        self.img.put_words(self.ste_pa(sid), ste)
        if self.split is not None:
            self.aborts -= 1
        self.devices.append((sid, g0, npages))

    def regs(self):
        cfg = self.log2size if self.split is None else \
            FMT_2LVL | (self.split << SPLIT_SHIFT) | self.log2size
        return self.strtab | RA, cfg

    def regs_text(self):
        base, cfg = self.regs()
        return ("smmu %s\nbase = 0x%x\nIDR0 = 0x%08x\nIDR1 = 0x%08x\n"
                "IDR5 = 0x%08x\nCR0 = 0xd\nSTRTAB_BASE = 0x%016x\n"
                "STRTAB_BASE_CFG = 0x%x\n" % (
                    self.name, self.base, gen.idr0(), gen.idr1(sidsize=max(16, self.log2size)),
                    gen.idr5(), base, cfg))

    def expect(self):
        n = sum(p for _, _, p in self.devices)
        return {"name": self.name, "strtab_base": "0x%x" % self.regs()[0],
                "valid": len(self.devices) + self.aborts,
                "s1-trans": len(self.devices), "abort": self.aborts,
                "mappings": n, "mapped_bytes": n * PAGE}

    def mappings(self):
        """(sid, iova, pa, size) of every mapping the tables hold."""
        for sid, g0, npages in self.devices:
            for i in range(npages):
                yield sid, IOVA_BASE + i * PAGE, page_pa(g0 + i), PAGE


# --------------------------------------------------------------------------
# Sparse ELF

def runs_of(pfns):
    runs = []
    for pfn in sorted(pfns):
        if runs and runs[-1][1] == pfn:
            runs[-1][1] = pfn + 1
        else:
            runs.append([pfn, pfn + 1])
    return [(a * PAGE, (b - a) * PAGE) for a, b in runs]


def write_sparse_elf(path, pages, vmci, banks=None):
    """ELF vmcore of `pages` (pfn -> PAGE bytes).  banks: [(pa, size)], one
    PT_LOAD each (RAM as the dump describes it), holes left as file holes;
    default: one PT_LOAD per run of present pages."""
    runs = banks if banks is not None else runs_of(pages)
    notes = gen.notes_blob(vmci)
    off = 64 + 56 * (1 + len(runs))
    note_off = off
    off = (off + len(notes) + PAGE - 1) & ~(PAGE - 1)
    phdrs = [struct.pack("<IIQQQQQQ", 4, 0, note_off, 0, 0, len(notes), 0, 4)]
    where = []
    for pa, size in runs:
        phdrs.append(struct.pack("<IIQQQQQQ", 1, 7, off,
                                     gen.PAGE_OFFSET + pa - gen.PHYS_OFFSET, pa,
                                     size, size, PAGE))
        where.append((pa, size, off))
        off += size
    ident = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)
    eh = ident + struct.pack("<HHIQQQIHHHHHH", 4, 183, 1, 0, 64, 0, 0, 64, 56,
                                 len(phdrs), 0, 0, 0)
    placed = 0
    with open(path, "wb") as f:
        f.write(eh + b"".join(phdrs) + notes)
        for pa, size, foff in where:
            inside = sorted(p for p in pages if pa <= p * PAGE < pa + size)
            for rpa, rsize in runs_of(inside):
                f.seek(foff + rpa - pa)
                f.write(b"".join(bytes(pages[p]) for p in range(rpa // PAGE, (rpa + rsize) // PAGE)))
            placed += len(inside)
        f.truncate(off)
    assert placed == len(pages), "a page outside every bank"


# --------------------------------------------------------------------------
# Cases

TABLES = 0x4080_0000           # where tables start in the low bank
BANK_GAP = 512 * GIB
SMMU_MMIO = 0x905_0000


def mapping_case(ndev, npages, log2size=None, split=None, base=TABLES):
    img = Image(base)
    if log2size is None:
        log2size = max(1, (ndev - 1).bit_length())
    s = Smmu(img, "smmu3.0x%016x" % SMMU_MMIO, SMMU_MMIO, log2size, split)
    if split is not None:
        s.fill_l2()
    return img, [s]


def add_devices(s, ndev, npages, sid_stride=1, g_start=0):
    for d in range(ndev):
        s.add_device(d * sid_stride, g_start + d * npages, npages, asid=1 + d % 65535)
    return g_start + ndev * npages


def c_map(ndev, npages):
    def make():
        img, (s,) = mapping_case(ndev, npages)
        add_devices(s, ndev, npages)
        return img, [s], None
    return make


def c_sid64k():
    img, (s,) = mapping_case(4096, 16, log2size=16, split=8)
    add_devices(s, 4096, 16, sid_stride=16)
    return img, [s], None


def c_smmu8():
    img = Image(TABLES)
    smmus, g = [], 0
    for i in range(8):
        mmio = SMMU_MMIO + i * 0x20000
        s = Smmu(img, "smmu3.0x%016x" % mmio, mmio, 8)
        g = add_devices(s, 64, 256, g_start=g)
        smmus.append(s)
    return img, smmus, None


def c_banks():
    high = gen.PHYS_OFFSET + BANK_GAP
    img, (s,) = mapping_case(64, 1024, base=high + 0x80_0000)
    add_devices(s, 64, 1024)
    # a few kernel-image pages in the low bank, so it is not empty
    img.put(gen.KERNEL_PA, b"\xaa" * PAGE)
    return img, [s], [(gen.PHYS_OFFSET, 2 * GIB), (high, 2 * GIB)]


CASES = [
    # name, description, builder
    ("map-1e4", "16 stage-1 devices x 640 pages, every page at its own PA "
     "(10,240 mappings): the small end of the mapping scale", c_map(16, 640)),
    ("map-1e6", "256 stage-1 devices x 4,096 scattered pages (1,048,576 "
     "mappings): a NIC/GPU server's live DMA mappings", c_map(256, 4096)),
    ("map-1e7", "2,560 stage-1 devices x 4,096 scattered pages (10,485,760 "
     "mappings): memory must stay flat", c_map(2560, 4096)),
    ("sid-64k", "2-level stream table, 2^16 StreamIDs all valid (Linux abort "
     "fill), 4,096 stage-1 devices x 16 pages: per-STE cost", c_sid64k),
    ("smmu-8", "8 SMMUs in one --regs file, 64 devices x 256 pages each: "
     "per-SMMU cost", c_smmu8),
    ("banks-512g", "RAM in two 2 GiB banks 512 GiB apart (sparse ELF), every "
     "table in the high bank; 64 devices x 1,024 pages", c_banks),
]
KERNEL_CASES = [
    ("kernel-small", "gen_kernel.py's 6.12 layout (DWARF vmlinux): SMMU found "
     "through iommu_device_list, 1 GiB-style dump; the twin of ram-1t", None),
    ("ram-1t", "the same kernel on a 1 TiB machine: two 512 GiB banks (sparse "
     "ELF, PT_LOADs cover all RAM), SMMU, its tables and the kernel's objects "
     "in the high bank: discovery cost against RAM size", [
         (gen.PHYS_OFFSET, 512 * GIB), (gen.PHYS_OFFSET + 1024 * GIB, 512 * GIB)]),
]


def stamp():
    h = hashlib.sha256()
    for f in ("gen_scale.py", "gen.py", os.path.join("..", "kernel", "gen_kernel.py")):
        with open(os.path.join(HERE, f), "rb") as fh:
            h.update(fh.read())
    return h.hexdigest()


def write_case(outdir, name, desc, make):
    img, smmus, banks = make()
    base = os.path.join(outdir, name)
    write_sparse_elf(base + ".elf", img.pages, gen.vmcoreinfo_text(), banks)
    with open(base + ".regs", "w") as f:
        f.write("# gen_scale.py %s: %s\n" % (name, desc))
        f.write("".join(s.regs_text() for s in smmus))
    ex = [s.expect() for s in smmus]
    exp = {"name": name, "description": desc, "dump": name + ".elf",
           "regs": name + ".regs", "vmlinux": None,
           "mappings": sum(e["mappings"] for e in ex),
           "mapped_bytes": sum(e["mapped_bytes"] for e in ex),
           "dump_pages": len(img.pages), "smmus": ex}
    return exp


def write_kernel_case(outdir, name, desc, banks):
    sys.path.insert(0, os.path.join(HERE, "..", "kernel"))
    import gen_kernel
    kdir = os.path.join(outdir, name)
    if banks is None:
        gen_kernel.make("6.12", kdir)
    else:
        high = banks[1][0]
        gen_kernel.make("6.12", kdir, mem_base=high + 0x4800_0000,
                        write_elf=lambda path, mem, vmci: write_sparse_elf(
                            path, mem.pages, vmci, banks))
    with open(os.path.join(kdir, "expect.json")) as f:
        k = json.load(f)
    return {"name": name, "description": desc, "dump": name + "/vmcore",
            "regs": None, "vmlinux": name + "/vmlinux", "mappings": None,
            "mapped_bytes": None,
            "smmus": [{"name": k["name"], "strtab_base": k["strtab_base"],
                       "devices": len(k["devices"])}]}


def generate(outdir, names):
    os.makedirs(outdir, exist_ok=True)
    st = stamp()
    for name, desc, what in CASES + KERNEL_CASES:
        if names and name not in names:
            continue
        sp = os.path.join(outdir, name + ".stamp")
        ep = os.path.join(outdir, name + ".expect.json")
        if os.path.exists(sp) and os.path.exists(ep) and open(sp).read() == st:
            continue
        if os.path.exists(sp):
            os.unlink(sp)
        if callable(what):
            exp = write_case(outdir, name, desc, what)
        else:
            exp = write_kernel_case(outdir, name, desc, what)
        with open(ep, "w") as f:
            json.dump(exp, f, indent=1)
            f.write("\n")
        with open(sp, "w") as f:
            f.write(st)
    with open(os.path.join(outdir, "index.json"), "w") as f:
        json.dump({"cases": [n for n, _, _ in CASES + KERNEL_CASES
                             if os.path.exists(os.path.join(outdir, n + ".stamp"))]}, f)
        f.write("\n")


def verify(outdir, name, tool_json):
    """Every mapping of the tool's JSON against the intent, as a set."""
    make = {n: w for n, _, w in CASES}[name]
    _, smmus, _ = make()
    want = set()
    for s in smmus:
        want.update((s.name,) + m for m in s.mappings())
    label = "synth/scale %s" % name
    try:
        with open(tool_json) as f:
            j = json.load(f)
    except (OSError, ValueError) as e:
        print("not ok %s report - not JSON: %s" % (label, e))
        return
    got, dup = set(), 0
    for sm in j["smmus"]:
        for st in sm["streams"]:
            for m in st.get("mappings") or []:
                t = (sm["name"], st["sid"], int(m["iova"], 16), int(m["pa"], 16), m["size"])
                dup += t in got
                got.add(t)

    def res(cond, what, why):
        print(("ok %s %s" % (label, what)) if cond else
              ("not ok %s %s - %s" % (label, what, why)))
    res(len(want) == len(got) and not dup, "mapping count %d" % len(want),
        "tool listed %d (%d duplicates)" % (len(got) + dup, dup))
    res(want == got, "every mapping as generated",
        "%d missing, %d unexpected, e.g. %s" % (
            len(want - got), len(got - want), sorted(want ^ got)[:2]))
    exp = json.load(open(os.path.join(outdir, name + ".expect.json")))
    by = {sm["name"]: sm for sm in j["smmus"]}
    for e in exp["smmus"]:
        c = (by.get(e["name"]) or {}).get("counts") or {}
        res(c.get("s1-trans") == e["s1-trans"] and c.get("valid") == e["valid"],
            "%s STE counts" % e["name"], "tool counts %s, expected valid %d s1-trans %d" % (
                c, e["valid"], e["s1-trans"]))


def main(argv):
    if len(argv) == 2 and argv[1] == "--list":
        for name, desc, _ in CASES + KERNEL_CASES:
            print("%-13s %s" % (name, desc))
        return 0
    if len(argv) == 5 and argv[1] == "--verify":
        verify(argv[2], argv[3], argv[4])
        return 0
    if len(argv) < 2 or argv[1].startswith("-"):
        sys.stderr.write(__doc__)
        return 2
    generate(argv[1], argv[2:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
