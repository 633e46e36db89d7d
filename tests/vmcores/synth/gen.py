#!/usr/bin/python3
"""Synthetic arm64 vmcore generator for smmu-strtab-dump tests.

    gen.py OUTDIR            write every scenario into OUTDIR (plus index.json)
    gen.py --check OUTDIR    re-read every dump written in OUTDIR through
                             python3-libkdumpfile (flattened ones after
                             `makedumpfile -R`) and compare each page with the
                             memory image; prints ok / not ok lines
    gen.py --sample VMCORE   write the README quick-start sample VMCORE and
                             sample.regs beside it
    gen.py --list            list scenario names
    gen.py --bounds OUTDIR   write the pathological-table cases (bounds.py)

Written independently of the decoder in src/: every bit position below comes
from Arm IHI 0070 (SMMUv3) and the VMSAv8-64 translation table format, cross-
checked against shared/reference/smmuv3-layout.md.  The expectation files are
computed from what this generator *intended* to write (the mappings it asked
its page-table builder to create, the STE/CD field values it chose), not by
decoding the bytes again, so an encoding bug here shows up as a test failure
instead of cancelling out.

Only the Python standard library and Debian's python3-lzo, python3-snappy and
python3-zstandard are used (the last three only for kdump compression).
"""

import json
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

# --------------------------------------------------------------------------
# Kernel / dump constants (a Debian 6.1-like arm64 kernel, 4 KB pages, 48-bit VA)

PAGE = 4096
PHYS_OFFSET = 0x40000000
PAGE_OFFSET = 0xffff000000000000          # linear map base for VA_BITS=48 (>= 5.4)
KIMAGE_VADDR = 0xffff800008000000
KERNEL_PA = 0x40200000
KIMAGE_VOFFSET = (KIMAGE_VADDR - KERNEL_PA) & (2**64 - 1)
SWAPPER_PG_DIR = KIMAGE_VADDR + 0x1a3d000
OSRELEASE = "6.1.0-synth-arm64"
M64 = 2**64 - 1


def vmcoreinfo_text(page_size=PAGE):
    lines = [
        "OSRELEASE=%s" % OSRELEASE,
        "BUILD-ID=5be1e3f0a4a2d1c0b0e0f0a0c1d2e3f405060708",
        "PAGESIZE=%d" % page_size,
        "SYMBOL(init_uts_ns)=%x" % (KIMAGE_VADDR + 0x1c91000),
        "OFFSET(uts_namespace.name)=4",
        "SYMBOL(swapper_pg_dir)=%x" % SWAPPER_PG_DIR,
        "SYMBOL(_stext)=%x" % (KIMAGE_VADDR + 0x10000),
        "NUMBER(VA_BITS)=48",
        "NUMBER(kimage_voffset)=0x%x" % KIMAGE_VOFFSET,
        "NUMBER(PHYS_OFFSET)=0x%x" % PHYS_OFFSET,
        "NUMBER(TCR_EL1_T1SZ)=16",
        "KERNELOFFSET=0",
        "CRASHTIME=1700000000",
    ]
    return ("\n".join(lines) + "\n").encode()


# --------------------------------------------------------------------------
# SMMU ID registers

def idr0(st_lvl=1, stall_model=0, ttendian=0, cd2l=1, vmid16=1, asid16=1,
         ats=1, hyp=1, httu=2, cohacc=1, ttf=2, s1p=1, s2p=1):
    return ((st_lvl << 27) | (stall_model << 24) | (ttendian << 21) |
            (cd2l << 19) | (vmid16 << 18) | (asid16 << 12) | (ats << 10) |
            (hyp << 9) | (httu << 6) | (cohacc << 4) | (ttf << 2) |
            (s1p << 1) | s2p)


def idr1(ssidsize=16, sidsize=16):
    return (0x13 << 21) | (0x13 << 16) | (ssidsize << 6) | sidsize


def idr5(oas=5, g4=1, g16=1, g64=1, vax=0):
    return (vax << 10) | (g64 << 6) | (g16 << 5) | (g4 << 4) | oas


PS_BITS = {0: 32, 1: 36, 2: 40, 3: 42, 4: 44, 5: 48, 6: 52}


def H(v):
    return None if v is None else "0x%x" % v


# --------------------------------------------------------------------------
# Field tables: (json name, dword, hi, lo, is_address)

STE_FIELDS = [
    ("config", 0, 3, 1, False), ("s1fmt", 0, 5, 4, False),
    ("s1_context_ptr", 0, 51, 6, True), ("s1cdmax", 0, 63, 59, False),
    ("s1dss", 1, 1, 0, False), ("s1cir", 1, 3, 2, False),
    ("s1cor", 1, 5, 4, False), ("s1csh", 1, 7, 6, False),
    ("s1stalld", 1, 27, 27, False), ("eats", 1, 29, 28, False),
    ("strw", 1, 31, 30, False), ("shcfg", 1, 45, 44, False),
    ("mev", 1, 19, 19, False), ("s2fwb", 1, 25, 25, False),
    ("s2vmid", 2, 15, 0, False), ("s2t0sz", 2, 37, 32, False),
    ("s2sl0", 2, 39, 38, False), ("s2ir0", 2, 41, 40, False),
    ("s2or0", 2, 43, 42, False), ("s2sh0", 2, 45, 44, False),
    ("s2tg", 2, 47, 46, False), ("s2ps", 2, 50, 48, False),
    ("s2aa64", 2, 51, 51, False), ("s2endi", 2, 52, 52, False),
    ("s2affd", 2, 53, 53, False), ("s2ptw", 2, 54, 54, False),
    ("s2s", 2, 57, 57, False), ("s2r", 2, 58, 58, False),
    ("s2ttb", 3, 51, 4, True),
]

CD_FIELDS = [
    ("t0sz", 0, 5, 0, False), ("tg0", 0, 7, 6, False),
    ("irgn0", 0, 9, 8, False), ("orgn0", 0, 11, 10, False),
    ("sh0", 0, 13, 12, False), ("epd0", 0, 14, 14, False),
    ("endi", 0, 15, 15, False), ("t1sz", 0, 21, 16, False),
    ("tg1", 0, 23, 22, False), ("epd1", 0, 30, 30, False),
    ("v", 0, 31, 31, False), ("ips", 0, 34, 32, False),
    ("tbi0", 0, 38, 38, False), ("aa64", 0, 41, 41, False),
    ("hd", 0, 42, 42, False), ("ha", 0, 43, 43, False),
    ("s", 0, 44, 44, False), ("r", 0, 45, 45, False),
    ("a", 0, 46, 46, False), ("aset", 0, 47, 47, False),
    ("asid", 0, 63, 48, False), ("ttb0", 1, 51, 4, True),
    ("ttb1", 2, 51, 4, True), ("mair", 3, 63, 0, True),
]

CONFIG_NAME = {0: "abort", 4: "bypass", 5: "s1-trans", 6: "s2-trans",
               7: "nested", 1: "reserved", 2: "reserved", 3: "reserved"}


def encode(table, vals, words=None):
    """Encode field values into 8 little-endian dwords (address fields are
    given as the address itself and must already be aligned)."""
    w = list(words or [0] * 8)
    known = {f[0] for f in table}
    for k in vals:
        if k not in known and k != "valid":
            raise KeyError(k)
    for name, dw, hi, lo, addr in table:
        v = vals.get(name, 0)
        mask = ((1 << (hi - lo + 1)) - 1) << lo
        if addr:
            if v & ~mask:
                raise ValueError("%s=%#x not representable" % (name, v))
            w[dw] |= v
        else:
            if v >> (hi - lo + 1):
                raise ValueError("%s=%#x too wide" % (name, v))
            w[dw] |= v << lo
    return w


def decode_json(table, words):
    """JSON object of the fields, from the intended values (used for the
    expectation): address fields masked in place, others raw."""
    out = {}
    for name, dw, hi, lo, addr in table:
        mask = ((1 << (hi - lo + 1)) - 1) << lo
        v = words[dw] & mask
        out[name] = H(v) if addr else v >> lo
    return out


# --------------------------------------------------------------------------
# Physical memory image

class Mem:
    def __init__(self, base=0x40800000):
        self.pages = {}          # pfn -> bytearray(PAGE)
        self.cursor = base

    def touch(self, pa, size):
        for pfn in range(pa // PAGE, (pa + size + PAGE - 1) // PAGE):
            self.pages.setdefault(pfn, bytearray(PAGE))

    def alloc(self, size, align=None):
        align = align or max(64, 1 << (max(size, 1) - 1).bit_length())
        pa = (self.cursor + align - 1) & ~(align - 1)
        self.cursor = pa + size
        self.touch(pa, size)
        return pa

    def seek(self, pa):
        self.cursor = pa

    def w64(self, pa, v):
        assert pa % 8 == 0
        struct.pack_into("<Q", self.pages[pa // PAGE], pa % PAGE, v & M64)

    def r64(self, pa):
        pg = self.pages.get(pa // PAGE)
        return None if pg is None else struct.unpack_from("<Q", pg, pa % PAGE)[0]

    def wwords(self, pa, words):
        for i, v in enumerate(words):
            self.w64(pa + 8 * i, v)


class PASpace:
    """Tables addressed by PA."""
    def __init__(self, mem):
        self.mem = mem

    def alloc(self, size, align=None):
        pa = self.mem.alloc(size, align)
        return pa, pa

    def ref(self, pa):
        return pa


class IPASpace:
    """Tables of a nested stream: they live at PA pa_base.. but every pointer
    to them is the IPA ipa_base + (pa - pa_base)."""
    def __init__(self, mem, pa_base, ipa_base, size):
        self.mem, self.pa_base, self.ipa_base, self.size = mem, pa_base, ipa_base, size
        self.cur = pa_base

    def alloc(self, size, align=None):
        align = align or max(64, 1 << (max(size, 1) - 1).bit_length())
        pa = (self.cur + align - 1) & ~(align - 1)
        self.cur = pa + size
        assert self.cur <= self.pa_base + self.size
        self.mem.touch(pa, size)
        return pa, self.ref(pa)

    def ref(self, pa):
        return self.ipa_base + (pa - self.pa_base)


# --------------------------------------------------------------------------
# VMSAv8-64 page tables

GRAN_SHIFT = {4096: 12, 16384: 14, 65536: 16}
TG_ENC = {4096: 0, 65536: 1, 16384: 2}       # CD.TG0 and STE.S2TG

PTE_AF = 1 << 10
PTE_CONT = 1 << 52
PTE_XN = 1 << 54          # UXN / XN
PTE_PXN = 1 << 53


class Leaf:
    __slots__ = ("va", "pa", "size", "r", "w", "x")

    def __init__(self, va, pa, size, r, w, x):
        self.va, self.pa, self.size, self.r, self.w, self.x = va, pa, size, r, w, x


class PageTable:
    """Builds a stage-1 or stage-2 table.  `space` decides where tables live
    and what address is written into descriptors (PA, or IPA for nested)."""

    def __init__(self, mem, space, stage, gran, ias, sl0=None, oa52=False,
                 root_offset=0):
        self.mem, self.space, self.stage, self.gran = mem, space, stage, gran
        self.shift = GRAN_SHIFT[gran]
        self.bits = self.shift - 3
        self.ias = ias
        self.oa52 = oa52
        if stage == 1:
            levels = -(-(ias - self.shift) // self.bits)
            self.start = 4 - levels
        else:
            self.start = (2 - sl0) if gran == 4096 else (3 - sl0)
        self.root_n = 1 << (ias - self.lshift(self.start))
        size = self.root_n * 8
        self.nconcat = max(1, size // gran)
        assert self.nconcat <= 16, "too many concatenated tables"
        if root_offset:
            assert size + root_offset <= gran
            pa, ref = space.alloc(gran, gran)
            self.root_pa, self.root_ref = pa + root_offset, ref + root_offset
        else:
            asz = max(size, gran)
            self.root_pa, self.root_ref = space.alloc(asz, asz)
        self.tab = {}
        self.leaves = []
        self.skipped = []        # (va, size) ranges hidden by deliberate faults

    def lshift(self, level):
        return self.shift + (3 - level) * self.bits

    def idx(self, level, va):
        n = self.root_n if level == self.start else (1 << self.bits)
        return (va >> self.lshift(level)) & (n - 1)

    def oa(self, pa):
        if self.oa52:
            assert self.gran == 65536 and pa < (1 << 52) and pa % 65536 == 0
            return (pa & 0x0000ffffffff0000) | (((pa >> 48) & 0xf) << 12)
        assert pa < (1 << 48) and pa % (1 << self.shift) == 0, hex(pa)
        return pa

    def table_for(self, level, va, create=True):
        if level == self.start:
            return self.root_pa
        key = (level, va >> self.lshift(level - 1))
        if key not in self.tab:
            if not create:
                return None
            parent = self.table_for(level - 1, va)
            pa, ref = self.space.alloc(self.gran, self.gran)
            slot = parent + 8 * self.idx(level - 1, va)
            assert self.mem.r64(slot) == 0, "slot already used"
            self.mem.w64(slot, self.oa(ref) | 3)
            self.tab[key] = pa
        return self.tab[key]

    def attrs(self, r, w, x, xn_bits):
        if self.stage == 1:
            a = PTE_AF | (3 << 8) | (1 << 11) | (1 << 6) | (1 << 2)   # AF SH nG AP[1] AttrIndx 1
            if not w:
                a |= 1 << 7
            if not x:
                a |= xn_bits
            return a
        a = PTE_AF | (3 << 8) | (0xf << 2)
        if r:
            a |= 1 << 6
        if w:
            a |= 1 << 7
        if not x:
            a |= PTE_XN
        return a

    def map(self, va, pa, level, r=True, w=True, x=True, contig=False,
            xn_bits=PTE_XN | PTE_PXN):
        size = 1 << self.lshift(level)
        assert va % size == 0 and pa % size == 0 and va + size <= (1 << self.ias)
        if level < 3:
            assert level >= 1 and not (self.gran != 4096 and level < 2), "no such block"
        t = self.table_for(level, va)
        slot = t + 8 * self.idx(level, va)
        assert self.mem.r64(slot) == 0, "slot already used %#x" % va
        d = self.oa(pa) | (3 if level == 3 else 1) | self.attrs(r, w, x, xn_bits)
        if contig:
            d |= PTE_CONT
        self.mem.w64(slot, d)
        if self.stage == 1:
            r = True
            if xn_bits == PTE_PXN:       # only PXN: exec as far as bit 54 tells
                x = True
        self.leaves.append(Leaf(va, pa, size, r, w, x))

    def map_range(self, va, pa, npages, level=3, contig_runs=False, **kw):
        """npages leaves of `level` size; with contig_runs, set the contiguous
        hint on every naturally aligned full run."""
        size = 1 << self.lshift(level)
        run = {12: 16, 14: 128, 16: 32}[self.shift] if level == 3 else \
            {12: 16, 14: 32, 16: 32}[self.shift]
        for i in range(npages):
            v, p = va + i * size, pa + i * size
            c = False
            if contig_runs:
                base = v - (v % (run * size))
                pbase = p - (p % (run * size))
                c = (base >= va and base + run * size <= va + npages * size and
                     v - base == p - pbase)
            self.map(v, p, level, contig=c, **kw)

    def poke(self, level, va, desc, create=True):
        """Write a raw descriptor at the slot for va in the level table."""
        t = self.table_for(level, va, create)
        self.mem.w64(t + 8 * self.idx(level, va), desc)

    def link(self, level, va, target_ref):
        """Table descriptor at `level` for va pointing at target_ref."""
        self.poke(level, va, self.oa(target_ref) | 3)


# --------------------------------------------------------------------------
# Mapping arithmetic

def compose(s1_leaves, s2_leaves):
    """IOVA -> IPA (stage 1) then IPA -> PA (stage 2): the pieces where both
    translate, permissions ANDed."""
    s2 = sorted(s2_leaves, key=lambda l: l.va)
    out = []
    for l in s1_leaves:
        lo, hi = l.pa, l.pa + l.size
        for m in s2:
            a, b = max(lo, m.va), min(hi, m.va + m.size)
            if a < b:
                out.append(Leaf(l.va + (a - lo), m.pa + (a - m.va), b - a,
                                l.r and m.r, l.w and m.w, l.x and m.x))
    return out


def coalesce(ssid, leaves):
    out = []
    for l in sorted(leaves, key=lambda l: l.va):
        if out:
            o = out[-1]
            if (o["_va"] + o["size"] == l.va and o["_pa"] + o["size"] == l.pa and
                    (o["read"], o["write"], o["exec"]) == (l.r, l.w, l.x)):
                o["size"] += l.size
                continue
            assert o["_va"] + o["size"] <= l.va, "overlapping leaves"
        out.append({"ssid": ssid, "_va": l.va, "_pa": l.pa, "size": l.size,
                    "read": l.r, "write": l.w, "exec": l.x})
    res = []
    for o in out:
        res.append({"ssid": o["ssid"], "iova": H(o["_va"]), "pa": H(o["_pa"]),
                    "size": o["size"], "read": o["read"], "write": o["write"],
                    "exec": o["exec"]})
    return res


# --------------------------------------------------------------------------
# Context descriptor tables

def cd_defaults(pt, asid, **over):
    """Linux-like CD for page table pt (stage 1)."""
    f = dict(t0sz=64 - pt.ias, tg0=TG_ENC[pt.gran], irgn0=1, orgn0=1, sh0=3,
             epd0=0, endi=0, t1sz=0, tg1=0, epd1=1, v=1, ips=5, tbi0=0,
             aa64=1, hd=0, ha=0, s=0, r=1, a=1, aset=1, asid=asid,
             ttb0=pt.root_ref, ttb1=0, mair=0x0000000000ff4404)
    f.update(over)
    return f


class CDTable:
    def __init__(self, mem, space, fmt, cdmax, extra=0):
        self.mem, self.space, self.fmt, self.cdmax = mem, space, fmt, cdmax
        self.cds = {}              # ssid -> (fields, pt or None)
        self.linear = cdmax == 0 or fmt == 0
        if self.linear:
            n = 1 << cdmax
            size = 64 * (n + extra)
            align = max(64, 1 << (64 * n - 1).bit_length())
            self.pa, self.ref = space.alloc(size, align)
        else:
            self.n_leaf = 64 if fmt == 1 else 1024
            self.n_l1 = max(1, (1 << cdmax) // self.n_leaf)
            self.pa, self.ref = space.alloc(self.n_l1 * 8, max(64, self.n_l1 * 8))
            self.leaf = {}

    def leaf_pa(self, l1):
        if l1 not in self.leaf:
            lsz = 64 * self.n_leaf
            pa, ref = self.space.alloc(lsz, lsz)
            self.mem.w64(self.pa + 8 * l1, ref | 1)
            self.leaf[l1] = pa
        return self.leaf[l1]

    def cd_addr(self, ssid):
        if self.linear:
            return self.pa + 64 * ssid
        return self.leaf_pa(ssid // self.n_leaf) + 64 * (ssid % self.n_leaf)

    def set(self, ssid, fields, pt=None, raw_only=False):
        words = encode(CD_FIELDS, fields)
        words[4] = 0          # AMAIR etc. left zero
        self.mem.wwords(self.cd_addr(ssid), words)
        if not raw_only and fields.get("v"):
            assert ssid < (1 << self.cdmax)
            self.cds[ssid] = (words, pt)
        return words

    def invalid_leaf(self, l1, junk_pa):
        """L1 CD descriptor with V=0 but a plausible pointer."""
        self.mem.w64(self.pa + 8 * l1, junk_pa & ~1)

    def contexts_json(self):
        out = []
        for ssid in sorted(self.cds):
            words, _ = self.cds[ssid]
            c = {"ssid": ssid}
            c.update(decode_json(CD_FIELDS, words))
            c["raw"] = [H(w) for w in words]
            out.append(c)
        return out

    def leaves(self):
        """(ssid, [Leaf]) for every CD whose TTB0 walk is enabled."""
        res = []
        for ssid in sorted(self.cds):
            words, pt = self.cds[ssid]
            f = {n: (words[dw] >> lo) & ((1 << (hi - lo + 1)) - 1)
                 for n, dw, hi, lo, a in CD_FIELDS if not a}
            if pt is not None and not f["epd0"]:
                res.append((ssid, list(pt.leaves)))
            else:
                res.append((ssid, []))
        return res


# --------------------------------------------------------------------------
# Scenario: one SMMU, its stream table, expectations

# Which "sid" a problem of the stream table itself carries (an L1 descriptor
# with a bad SPAN, an L2 stream table not in the dump): the first SID that
# L1 descriptor covers.  doc/interfaces.md does not say; set this to False to
# expect null instead (the message then names the SID range).
L1_PROBLEM_SID_IS_FIRST = True


# Whether a valid bypass STE by itself makes the exit status 1 (a "dangerous
# DMA finding").  doc/interfaces.md and the man page list only problems and
# rejected STEs for exit 1 today, so: False.
BYPASS_IS_FINDING = True


def l1sid(first_sid):
    return first_sid if L1_PROBLEM_SID_IS_FIRST else None


def P(kind, sid, ssid="_omit", level=None, address=None, msg=""):
    p = {"kind": kind, "sid": sid}
    if ssid != "_omit":
        p["ssid"] = ssid
    if level is not None:
        p["level"] = level
    if address is not None:
        p["address"] = H(address)
    p["message"] = msg
    return p


class Scenario:
    def __init__(self, name, desc, fmt="linear", log2size=6, split=None,
                 idr=None, smmu_name=None, ra=True, mem_base=0x40800000):
        self.name, self.desc = name, desc
        self.mem = Mem(mem_base)
        self.space = PASpace(self.mem)
        self.fmt, self.log2size, self.split, self.ra = fmt, log2size, split, ra
        self.regs = dict(IDR0=idr0(), IDR1=idr1(), IDR5=idr5(), CR0=0xd)
        if idr:
            self.regs.update(idr)
        self.smmu_name = smmu_name
        self.streams = {}           # sid -> stream json (expected)
        self.problems = []
        self.loose = set()          # sids whose contexts/mappings are not compared
        self.variants = []          # extra dump formats to write
        self.l1 = {}                # l1 idx -> (l2 pa, span)
        self.evtq = None            # EventRing, or None: no EVTQ_* registers
        self.cmdq = None            # CommandRing, or None: no CMDQ_* registers
        self.verdicts = {}          # sid -> expected verdict (class, faults)
        self.unknown = None         # expected unknown_requesters, or None: not compared
        self.extra_regs = {}        # more registers for the .regs file (GERROR, ...)
        self.adoption = None        # expected kdump adoption (compare.py), or None
        self.exit = None            # expected exit status when not the default
        if fmt == "linear":
            size = 64 << log2size
            self.strtab = self.mem.alloc(size, size)
        else:
            n = 1 << (log2size - split)
            self.strtab = self.mem.alloc(n * 8, max(64, n * 8))

    # ---- stream table -------------------------------------------------
    def add_l2(self, l1idx, span=None, fill_abort=True, entries=None, pa=None):
        """Allocate an L2 stream table for L1 index l1idx.  span defaults to
        SPLIT+1 (Linux); `entries` STEs are allocated (default 2^(span-1))."""
        span = self.split + 1 if span is None else span
        if entries is None:
            entries = 1 << (span - 1) if span else 0
        if pa is None:
            size = 64 * entries
            pa = self.mem.alloc(size, size)
        self.mem.w64(self.strtab + 8 * l1idx, pa | span)
        self.l1[l1idx] = (pa, span, entries)
        if fill_abort:
            for i in range(entries):
                self.mem.wwords(pa + 64 * i, [1, 0, 0, 0, 0, 0, 0, 0])
        return pa

    def visible(self, sid):
        """Is this SID decoded (per the SPAN rules)?"""
        if self.fmt == "linear":
            return sid < (1 << self.log2size)
        l1idx, l2idx = sid >> self.split, sid & ((1 << self.split) - 1)
        if l1idx not in self.l1:
            return False
        pa, span, _ = self.l1[l1idx]
        if span == 0 or span >= 12:
            return False
        n = 1 << min(span - 1, self.split)
        return l2idx < n

    def ste_addr(self, sid):
        if self.fmt == "linear":
            return self.strtab + 64 * sid
        l1idx = sid >> self.split
        if l1idx not in self.l1:
            self.add_l2(l1idx)
        return self.l1[l1idx][0] + 64 * (sid & ((1 << self.split) - 1))

    def ste(self, sid, fields, contexts=None, mappings=None, check=True):
        """Write STE; record expectation if visible and valid."""
        words = encode(STE_FIELDS, fields)
        valid = fields.get("valid", 1)
        words[0] |= valid
        self.mem.wwords(self.ste_addr(sid), words)
        if valid and (not check or self.visible(sid)):
            s = {"sid": sid, "valid": True,
                 "config": CONFIG_NAME[fields.get("config", 0)],
                 "ste": decode_json(STE_FIELDS, words),
                 "raw": [H(w) for w in words],
                 "contexts": contexts or [],
                 "mappings": mappings or []}
            s["mapped_bytes"] = sum(m["size"] for m in s["mappings"])
            self.streams[sid] = s
        else:
            self.streams.pop(sid, None)
        return words

    def abort_fill_expect(self):
        """Expectation for the Linux-style abort STEs in every L2 table."""
        for l1idx, (pa, span, entries) in self.l1.items():
            for i in range(entries):
                sid = (l1idx << self.split) | i
                if sid in self.streams or not self.visible(sid):
                    continue
                w = [self.mem.r64(pa + 64 * i + 8 * k) for k in range(8)]
                if w[0] == 1 and not any(w[1:]):
                    self.streams[sid] = {
                        "sid": sid, "valid": True, "config": "abort",
                        "ste": decode_json(STE_FIELDS, w),
                        "raw": [H(x) for x in w], "contexts": [],
                        "mappings": [], "mapped_bytes": 0}

    # ---- translating STEs ---------------------------------------------
    def s1(self, sid, cdt, config=5, **f):
        fields = dict(config=config, s1fmt=cdt.fmt, s1_context_ptr=cdt.ref,
                      s1cdmax=cdt.cdmax, s1dss=0, s1cir=1, s1cor=1, s1csh=3,
                      s1stalld=0, eats=0, strw=0)
        fields.update(f)
        maps = []
        for ssid, leaves in cdt.leaves():
            maps += coalesce(ssid, leaves)
        return self.ste(sid, fields, cdt.contexts_json(), maps)

    def s2fields(self, pt, vmid, **f):
        fields = dict(config=6, s2vmid=vmid, s2t0sz=64 - pt.ias,
                      s2sl0=(2 - pt.start) if pt.gran == 4096 else (3 - pt.start),
                      s2ir0=1, s2or0=1, s2sh0=3, s2tg=TG_ENC[pt.gran], s2ps=5,
                      s2aa64=1, s2endi=0, s2affd=0, s2ptw=0, s2s=0, s2r=1,
                      s2ttb=pt.root_ref)
        fields.update(f)
        return fields

    def s2(self, sid, pt, vmid=1, **f):
        return self.ste(sid, self.s2fields(pt, vmid, **f), [],
                        coalesce(None, pt.leaves))

    def nested(self, sid, cdt, s2pt, vmid=2, **f):
        fields = self.s2fields(s2pt, vmid)
        fields.update(config=7, s1fmt=cdt.fmt, s1_context_ptr=cdt.ref,
                      s1cdmax=cdt.cdmax, s1cir=1, s1cor=1, s1csh=3)
        fields.update(f)
        maps = []
        for ssid, leaves in cdt.leaves():
            maps += coalesce(ssid, compose(leaves, s2pt.leaves))
        return self.ste(sid, fields, cdt.contexts_json(), maps)

    # ---- registers / expectation --------------------------------------
    def strtab_regs(self):
        base = self.strtab | ((1 << 62) if self.ra else 0)
        if self.fmt == "linear":
            cfg = self.log2size
        else:
            cfg = (1 << 16) | (self.split << 6) | self.log2size
        return base, cfg

    def regs_text(self):
        base, cfg = self.strtab_regs()
        lines = ["# synthetic scenario %s: %s" % (self.name, self.desc)]
        if self.smmu_name:
            lines.append("smmu %s" % self.smmu_name)
        lines.append("base = 0x9050000")
        for k in ("IDR0", "IDR1", "IDR5", "CR0"):
            lines.append("%s = 0x%08x" % (k, self.regs[k]))
        lines.append("STRTAB_BASE = 0x%016x" % base)
        lines.append("STRTAB_BASE_CFG = 0x%x" % cfg)
        for k, v in self.queue_regs().items():
            lines.append("%s = 0x%x" % (k, v))
        for k, v in self.extra_regs.items():
            lines.append("%s = 0x%x" % (k, v))
        return "\n".join(lines) + "\n"

    def queue_regs(self):
        r = {}
        for q in (self.cmdq, self.evtq):
            if q is not None:
                r.update(q.regs())
        return r

    def smmu_json(self):
        base, cfg = self.strtab_regs()
        st = {"address": H(self.strtab), "format": self.fmt,
              "log2size": self.log2size,
              "split": self.split if self.fmt != "linear" else None,
              "ra": self.ra,
              "l1_entries": (1 << (self.log2size - self.split)) if self.fmt != "linear" else None,
              "max_sids": 1 << self.log2size}
        streams = [self.streams[s] for s in sorted(self.streams)]
        counts = {"valid": len(streams)}
        for k in ("abort", "bypass", "s1-trans", "s2-trans", "nested", "reserved"):
            counts[k] = sum(1 for s in streams if s["config"] == k)
        probs = []
        for p in self.problems:
            q = {"kind": p["kind"], "sid": p["sid"]}
            for k in ("ssid", "level", "address"):
                if k in p:
                    q[k] = p[k]
            q["message"] = p["message"]
            if p.get("_queue"):
                q["_queue"] = True      # about a queue: walk.py does not look
            probs.append(q)
        regs = {k: H(self.regs[k]) for k in ("IDR0", "IDR1", "IDR5", "CR0")}
        regs.update({k: H(v) for k, v in self.queue_regs().items()})
        for s in streams:
            if s["sid"] in self.verdicts:
                s["verdict"] = self.verdicts[s["sid"]]
        sm = {"name": self.smmu_name or "smmu0", "source": "options",
              "strtab_base": H(base), "strtab_base_cfg": H(cfg),
              "strtab": st, "registers": regs,
              "counts": counts, "streams": streams, "problems": probs}
        # queues: null without their registers (every older scenario checks
        # that); a ring the test does not look into has no key at all
        for key, q in (("events", self.evtq), ("commands", self.cmdq)):
            if q is None:
                sm[key] = None
            elif q.compare:
                sm[key] = q.expect()
        if self.unknown is not None:
            sm["unknown_requesters"] = self.unknown
        if self.adoption is not None:
            sm["adoption"] = self.adoption
        return sm

    def expect(self, path, fmt="elf", compression=None, dump_level=None,
               problems_extra=(), drop=()):
        sm = self.smmu_json()
        if drop or problems_extra:
            sm = json.loads(json.dumps(sm))
            sm["problems"] += list(problems_extra)
        exitc = 1 if sm["problems"] else 0
        if BYPASS_IS_FINDING and any(x["config"] == "bypass" for x in sm["streams"]):
            exitc = 1
        if self.exit is not None:
            exitc = self.exit
        return {"schema_version": 4,
                "dump": {"path": path, "format": fmt, "compression": compression,
                         "page_size": PAGE, "dump_level": dump_level,
                         "osrelease": OSRELEASE},
                "smmus": [sm],
                "_test": {"exit": [exitc], "loose_sids": sorted(self.loose),
                          "description": self.desc}}


# --------------------------------------------------------------------------
# Dump writers

def note(name, ntype, desc):
    n = name.encode() + b"\0"
    pad = lambda b: b + b"\0" * (-len(b) % 4)
    return struct.pack("<III", len(n), len(desc), ntype) + pad(n) + pad(desc)


def notes_blob(vmci):
    # NT_PRSTATUS for one CPU (aarch64: 392 bytes), all zero but pr_pid.
    prstatus = bytearray(392)
    struct.pack_into("<I", prstatus, 32, 1)
    return note("CORE", 1, bytes(prstatus)) + note("VMCOREINFO", 0, vmci)


def load_runs(mem, gap=256 * 1024):
    """PT_LOAD ranges (pa, size): runs of touched pages, merged across holes
    smaller than `gap` (the filler pages are zero)."""
    pfns = sorted(mem.pages)
    runs = []
    for pfn in pfns:
        if runs and pfn * PAGE - (runs[-1][0] + runs[-1][1]) < gap:
            runs[-1][1] = (pfn + 1) * PAGE - runs[-1][0]
        else:
            runs.append([pfn * PAGE, PAGE])
    return [tuple(r) for r in runs]


def page_bytes(mem, pfn):
    pg = mem.pages.get(pfn)
    return bytes(pg) if pg is not None else bytes(PAGE)


def write_elf(path, mem, vmci, truncate_at=None):
    runs = load_runs(mem)
    notes = notes_blob(vmci)
    phnum = 1 + len(runs)
    off = 64 + 56 * phnum
    note_off = off
    off += len(notes)
    off = (off + PAGE - 1) & ~(PAGE - 1)
    phdrs = [struct.pack("<IIQQQQQQ", 4, 0, note_off, 0, 0, len(notes), 0, 4)]
    data = []
    for pa, size in runs:
        phdrs.append(struct.pack("<IIQQQQQQ", 1, 7, off,
                                 PAGE_OFFSET + pa - PHYS_OFFSET, pa, size, size, PAGE))
        data.append((off, pa, size))
        off += size
    ident = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)
    eh = ident + struct.pack("<HHIQQQIHHHHHH", 4, 183, 1, 0, 64, 0, 0, 64, 56,
                             phnum, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(eh + b"".join(phdrs) + notes)
        for o, pa, size in data:
            f.seek(o)
            f.write(b"".join(page_bytes(mem, pfn)
                             for pfn in range(pa // PAGE, (pa + size) // PAGE)))
        if truncate_at is not None:
            f.truncate(truncate_at)
    return runs


COMP_FLAG = {"zlib": 0x1, "lzo": 0x2, "snappy": 0x4, "zstd": 0x20, None: 0}


def compress(kind, data):
    if kind == "zlib":
        return zlib.compress(data)
    if kind == "lzo":
        import lzo
        return lzo.compress(data, 1, False)
    if kind == "snappy":
        import snappy
        return snappy.compress(data)
    if kind == "zstd":
        import zstandard
        return zstandard.ZstdCompressor(level=3).compress(data)
    raise ValueError(kind)


def kdump_bytes(mem, vmci, comp=None, dump_level=0):
    """makedumpfile's kdump-compressed format (disk_dump_header v6)."""
    bs = PAGE
    runs = load_runs(mem)
    ram = [pfn for pa, size in runs for pfn in range(pa // PAGE, (pa + size) // PAGE)]
    max_pfn = max(ram) + 1
    bm_len = (((max_pfn + 7) // 8) + bs - 1) // bs * bs
    bm1, bm2 = bytearray(bm_len), bytearray(bm_len)
    dumped = []
    for pfn in ram:
        bm1[pfn // 8] |= 1 << (pfn % 8)
        data = page_bytes(mem, pfn)
        if (dump_level & 1) and not any(data):
            continue
        bm2[pfn // 8] |= 1 << (pfn % 8)
        dumped.append(pfn)
    notes = notes_blob(vmci)
    sub = 104
    vmci_off = bs + sub
    note_off = vmci_off + len(vmci)
    sub_blocks = (sub + len(vmci) + len(notes) + bs - 1) // bs
    bitmap_blocks = 2 * bm_len // bs
    bm_off = (1 + sub_blocks) * bs
    pd_off = bm_off + 2 * bm_len
    data_off = pd_off + 24 * len(dumped)
    pds, blobs = [], []
    off = data_off
    for pfn in dumped:
        raw = page_bytes(mem, pfn)
        flags, blob = 0, raw
        if comp:
            c = compress(comp, raw)
            if len(c) < len(raw):
                flags, blob = COMP_FLAG[comp], c
        pds.append(struct.pack("<QIIQ", off, len(blob), flags, 0))
        blobs.append(blob)
        off += len(blob)

    def uts(s):
        b = s.encode()
        return b + b"\0" * (65 - len(b))
    utsname = (uts("Linux") + uts("synth") + uts(OSRELEASE) +
               uts("#1 SMP Debian 6.1.0-synth (2023-11-14)") + uts("aarch64") +
               uts("(none)"))
    hdr = (b"KDUMP   " + struct.pack("<i", 6) + utsname + b"\0" * 6 +
           struct.pack("<qq", 1700000000, 0) +
           struct.pack("<IiiIIIIIIi", COMP_FLAG[comp], bs, sub_blocks,
                       bitmap_blocks, max_pfn, 0, 0, 0, 0, 1))
    assert len(hdr) == 464
    subh = struct.pack("<QiiQQQQQQQQQQQ", PHYS_OFFSET, dump_level, 0, 0, max_pfn,
                       vmci_off, len(vmci), note_off, len(notes), 0, 0,
                       0, max_pfn, max_pfn)
    assert len(subh) == sub
    out = bytearray(data_off)
    out[0:len(hdr)] = hdr
    out[bs:bs + sub] = subh
    out[vmci_off:vmci_off + len(vmci)] = vmci
    out[note_off:note_off + len(notes)] = notes
    out[bm_off:bm_off + bm_len] = bm1
    out[bm_off + bm_len:bm_off + 2 * bm_len] = bm2
    out[pd_off:data_off] = b"".join(pds)
    out += b"".join(blobs)
    excluded = [pfn for pfn in ram if pfn not in set(dumped)]
    return bytes(out), excluded


def flatten(data, chunk=48 * 1024, seed=7):
    """makedumpfile's flattened format: 4 KB makedumpfile_header, then
    (offset, size) big-endian data headers each followed by data, in any
    order, then the end marker."""
    hdr = b"makedumpfile".ljust(16, b"\0") + struct.pack(">qq", 1, 1)
    hdr = hdr.ljust(4096, b"\0")
    pieces = [(o, data[o:o + chunk]) for o in range(0, len(data), chunk)]
    rnd = random.Random(seed)
    # makedumpfile writes the header last-but-updated; shuffle the rest a bit
    head, rest = pieces[:1], pieces[1:]
    rnd.shuffle(rest)
    out = [hdr]
    for o, d in rest + head:
        out.append(struct.pack(">qq", o, len(d)) + d)
    out.append(struct.pack(">qq", -1, -1))
    return b"".join(out)


# --------------------------------------------------------------------------
# Scenarios

def sc_linear_basic():
    s = Scenario("linear-basic", "linear stream table: abort, bypass, s1-trans, "
                 "s2-trans and invalid STEs (V=0 with junk fields)", log2size=5)
    m = s.mem
    pt = PageTable(m, s.space, 1, 4096, 48)
    pt.map(0x0, 0x80000000, 3)
    pt.map(0x1000, 0x80001000, 3, w=False)
    pt.map(0x200000, 0x90000000, 2)
    cdt = CDTable(m, s.space, 0, 0)
    cdt.set(0, cd_defaults(pt, 1), pt)
    s2 = PageTable(m, s.space, 2, 4096, 40, sl0=1)
    s2.map(0x8000_0000, 0xa000_0000, 2, r=True, w=True, x=False)
    s2.map(0x1000, 0xb000_1000, 3, r=True, w=False)
    s.ste(0, dict(config=0))
    s.ste(1, dict(config=4, shcfg=1))
    s.s1(2, cdt)
    s.s2(3, s2, vmid=7)
    # invalid STEs with plausible contents: must not be listed
    s.ste(4, dict(valid=0, config=5, s1_context_ptr=cdt.ref))
    s.ste(5, dict(valid=0, config=4, shcfg=1))
    s.ste(31, dict(valid=0, config=6, s2ttb=s2.root_ref, s2t0sz=24, s2sl0=1, s2aa64=1))
    return s


def sc_ste_configs():
    s = Scenario("ste-configs", "every STE CONFIG (0,4,5,6,7 and reserved 1-3); "
                 "distinctive values in every STE field", log2size=4)
    m = s.mem
    s.ste(0, dict(config=0))
    s.ste(1, dict(config=1))
    s.ste(2, dict(config=2, s1fmt=1))
    s.ste(3, dict(config=3, s2vmid=3))
    for sid in (1, 2, 3):
        s.problems.append(P("reserved", sid, None, msg="reserved STE.Config"))
    s.ste(4, dict(config=4))
    # bypass STE with every field distinctive (all ignored by a bypass STE)
    s.ste(5, dict(config=4, s1fmt=2, s1_context_ptr=0x0000_a5a5_a5a5_a5c0,
                  s1cdmax=0x15, s1dss=2, s1cir=1, s1cor=2, s1csh=3, s1stalld=1,
                  eats=1, strw=2, shcfg=1, mev=1, s2fwb=1, s2vmid=0xbeef,
                  s2t0sz=0x19, s2sl0=1, s2ir0=2, s2or0=3, s2sh0=2, s2tg=1,
                  s2ps=4, s2aa64=1, s2endi=1, s2affd=1, s2ptw=1, s2s=1, s2r=1,
                  s2ttb=0x000f_edcb_a987_6540))
    # s1-trans, 16K granule, distinctive S1 fields
    pt = PageTable(m, s.space, 1, 16384, 47)
    pt.map(0x4000_0000, 0x1_2340_0000 & ~0x3fff, 3, x=False)
    cdt = CDTable(m, s.space, 1, 7)
    cdt.set(0x45, cd_defaults(pt, 0x1234), pt)
    s.s1(6, cdt, s1dss=2, s1cir=2, s1cor=3, s1csh=2, s1stalld=1, eats=1,
         strw=2, shcfg=1, mev=1)
    # s2-trans, 64K granule, distinctive S2 fields
    s2 = PageTable(m, s.space, 2, 65536, 42, sl0=1)
    s2.map(0x2_0000_0000, 0x7_0000_0000, 2, w=False, x=False)
    s2.map(0x1_0000, 0x1234_0000, 3, r=False, w=True)
    s.s2(7, s2, vmid=0xabcd, s2ir0=2, s2or0=3, s2sh0=2, s2ps=5, s2affd=1,
         s2ptw=1, s2r=1, s2fwb=1, mev=1, eats=1, shcfg=1, strw=2)
    # nested, 16K stage 2, distinctive everything that can be legal
    win_pa = 0x44000000
    s2n = PageTable(m, s.space, 2, 16384, 36, sl0=1)
    ipa = IPASpace(m, win_pa, 0x8_0000_0000, 0x200000)
    s2n.map(0x8_0000_0000, win_pa, 2)                          # 32 MB block covering the window
    s1n = PageTable(m, ipa, 1, 4096, 39)
    s1n.map(0x10_0000, 0x2_0000_0000, 3)
    s1n.map(0x20_0000, 0x2_0020_0000, 2, w=False)
    s2n.map(0x2_0000_0000, 0x5_0000_0000, 2, x=False)
    cdn = CDTable(m, ipa, 0, 1)
    cdn.set(1, cd_defaults(s1n, 0xfeed, ips=4, tbi0=1, hd=1, ha=1, aset=0,
                           t1sz=0x1b, tg1=2, epd1=1, irgn0=2, orgn0=3, sh0=2,
                           ttb1=0x4_5670, mair=0x0404_ff44_00bb_cc04), s1n)
    s.nested(8, cdn, s2n, vmid=0x5a5a, s1dss=1, s1cir=3, s1cor=2, s1csh=1,
             eats=2, s2ir0=3, s2or0=2, s2sh0=1, s2ps=5, s2r=1, s2ptw=1)
    return s


def sc_l2(split, log2size, name):
    s = Scenario(name, "2-level stream table SPLIT %d (Linux SPAN=SPLIT+1, "
                 "L2 tables filled with abort STEs, SPAN=0 holes)" % split,
                 fmt="2-level", log2size=log2size, split=split)
    m = s.mem
    n = 1 << split
    pt = PageTable(m, s.space, 1, 4096, 39)
    pt.map_range(0x100000, 0x82000000, 4)
    cdt = CDTable(m, s.space, 0, 0)
    cdt.set(0, cd_defaults(pt, 3), pt)
    s2 = PageTable(m, s.space, 2, 4096, 32, sl0=0)    # 4 concatenated L2 tables
    s2.map(0x0, 0x9000_0000, 2)
    s2.map(0xc000_0000, 0x9200_0000, 2, w=False)
    l1s = [0, 1, (1 << (log2size - split)) - 1]
    for l1 in l1s:
        s.add_l2(l1)
    s.s1(0, cdt)
    s.ste(1, dict(config=4))
    s.s2(n - 1, s2, vmid=2)                 # last STE of the first L2
    s.s1(n, cdt)                            # shared CD table between SIDs 0 and n
    s.ste(n + 3, dict(config=4))
    last = (1 << log2size) - 1
    s.s2(last, s2, vmid=9)
    s.abort_fill_expect()
    return s


def sc_badspan():
    s = Scenario("l2-badspan", "2-level SPLIT 8: SPAN 4 (8 STEs, beyond ignored), "
                 "oversized SPAN 10 (bad_span, 2^SPLIT decoded), reserved SPAN 12 "
                 "and 31 (bad_span, ignored), SPAN 0 with a pointer",
                 fmt="2-level", log2size=12, split=8)
    m = s.mem
    s.add_l2(0)                        # normal
    s.ste(0x10, dict(config=4))
    # SPAN 4: 8 STEs
    pa = s.add_l2(1, span=4, entries=16)
    s.ste(0x105, dict(config=4))
    s.ste(0x10a, dict(config=4), check=True)      # index 10 >= 8: invisible
    # oversized SPAN 10 > SPLIT+1: 256 decoded, the rest (allocated) not
    pa = s.add_l2(2, span=10, entries=512)
    s.ste(0x2ff, dict(config=4))
    m.wwords(pa + 64 * 300, [0x9, 0, 0, 0, 0, 0, 0, 0])   # bypass beyond 2^SPLIT
    s.problems.append(P("bad_span", l1sid(0x200), None, msg="SPAN 10 > SPLIT+1"))
    # reserved SPAN 12: ignored entirely
    pa = m.alloc(64 * 256, 64 * 256)
    for i in range(256):
        m.wwords(pa + 64 * i, [0x9, 0, 0, 0, 0, 0, 0, 0])
    m.w64(s.strtab + 8 * 3, pa | 12)
    s.problems.append(P("bad_span", l1sid(0x300), None, msg="SPAN 12 reserved"))
    m.w64(s.strtab + 8 * 4, pa | 31)
    s.problems.append(P("bad_span", l1sid(0x400), None, msg="SPAN 31 reserved"))
    # SPAN 0 but a valid-looking pointer: no L2, no problem
    m.w64(s.strtab + 8 * 5, pa)
    s.abort_fill_expect()
    # drop abort fill of L1 1 beyond the 8 visible entries: abort_fill_expect
    # already applies visible()
    return s


def sc_cd_formats():
    s = Scenario("cd-formats", "CD tables: linear (with an out-of-range valid CD "
                 "after it), 2-level 4K leaves (S1FMT 1), 2-level 64K leaves "
                 "(S1FMT 2), S1CDMAX 0 with S1FMT ignored, invalid CDs and L1 "
                 "descriptors, every CD field distinctive, CD table and TTB0 "
                 "shared between streams", log2size=4)
    m = s.mem
    pts = []
    for i in range(6):
        pt = PageTable(m, s.space, 1, 4096, 39)
        pt.map(0x1000 * (i + 1), 0x8800_0000 + 0x10000 * i, 3)
        pts.append(pt)
    # linear, CDMAX 3, one extra slot after the table holding a valid CD
    lin = CDTable(m, s.space, 0, 3, extra=1)
    lin.set(0, cd_defaults(pts[0], 10), pts[0])
    lin.set(3, cd_defaults(pts[1], 11), pts[1])
    lin.set(5, dict(cd_defaults(pts[2], 12), v=0))                 # V=0
    lin.set(7, cd_defaults(pts[2], 13, epd0=1, endi=1, tbi0=1), pts[2])  # no walk
    lin.set(8, cd_defaults(pts[3], 14), None, raw_only=True)       # beyond CDMAX
    s.s1(0, lin, s1dss=2)
    # 2-level, 4 KB leaves (64 CDs), CDMAX 8: 4 L1 descriptors
    two4 = CDTable(m, s.space, 1, 8)
    two4.set(0, cd_defaults(pts[0], 20), pts[0])
    two4.set(63, cd_defaults(pts[1], 21), pts[1])
    two4.set(64, cd_defaults(pts[2], 22), pts[2])
    two4.set(200, cd_defaults(pts[3], 23), pts[3])
    two4.set(201, dict(cd_defaults(pts[3], 24), v=0))
    junk = m.alloc(4096, 4096)
    two4.invalid_leaf(2, junk)                      # L1 desc V=0, junk target
    # the V=0 L1 descriptor's target holds a valid-looking CD: must not appear
    m.wwords(junk, encode(CD_FIELDS, cd_defaults(pts[4], 25)))
    s.s1(1, two4, s1dss=0)
    # 2-level, 64 KB leaves (1024 CDs), CDMAX 12: 4 L1 descriptors
    two64 = CDTable(m, s.space, 2, 12)
    two64.set(0, cd_defaults(pts[4], 30), pts[4])
    two64.set(1023, cd_defaults(pts[5], 31), pts[5])
    two64.set(1024, cd_defaults(pts[0], 32), pts[0])
    two64.set(3000, cd_defaults(pts[1], 33), pts[1])
    s.s1(2, two64)
    # S1CDMAX 0: S1FMT is ignored, single CD
    single = CDTable(m, s.space, 0, 0)
    single.set(0, cd_defaults(pts[5], 40), pts[5])
    single.fmt = 1
    s.s1(3, single)
    # same CD table for SID 4 as SID 0 (shared), no problem
    s.s1(4, lin, s1dss=2)
    # every CD field distinctive, walkable (64 KB granule, 3 levels)
    ptd = PageTable(m, s.space, 1, 65536, 48)
    ptd.map(0x7_0000_0000, 0x5_0000_0000, 2)        # 512 MB block
    cdd = CDTable(m, s.space, 0, 2)
    cdd.set(2, dict(t0sz=16, tg0=1, irgn0=2, orgn0=3, sh0=2, epd0=0, endi=0,
                    t1sz=0x1d, tg1=3, epd1=1, v=1, ips=5, tbi0=1, aa64=1,
                    hd=1, ha=1, s=1, r=1, a=1, aset=1, asid=0xc0de,
                    ttb0=ptd.root_ref, ttb1=0x00ab_cdef_1230,
                    mair=0x8877_6655_4433_2211), ptd)
    s.s1(5, cdd, s1cdmax=2, s1dss=2)
    return s


def sc_s1_4k():
    s = Scenario("s1-4k", "stage 1, 4 KB granule: start levels 0 (T0SZ 16), 0 "
                 "partial (T0SZ 20), 1 (T0SZ 25), 2 (T0SZ 34); 1 GB and 2 MB "
                 "blocks, pages, contiguous run of 16, read-only, XN, PXN-only",
                 log2size=3)
    m = s.mem
    cdt = CDTable(m, s.space, 0, 2)
    a = PageTable(m, s.space, 1, 4096, 48)
    a.map(0x8000_0000_0000 - 0x4000_0000, 0x1_0000_0000, 1)            # 1 GB at top
    a.map(0x4000_0000, 0x2_0000_0000, 1, w=False, x=False)
    a.map(0x20_0000, 0x8020_0000, 2, x=False)
    a.map(0x40_0000, 0x8040_0000, 2)                                  # coalesces with previous? different x
    a.map_range(0x1_0000, 0x8100_0000, 16, contig_runs=True)         # contiguous run
    a.map_range(0x2_0000, 0x8101_0000, 8, w=False)                   # continues PA, differs perms
    a.map(0x3_0000, 0x8200_0000, 3, xn_bits=PTE_PXN)                 # PXN only: exec
    a.map(0x3_1000, 0x8200_1000, 3, xn_bits=PTE_XN)                  # UXN only: no exec
    cdt.set(0, cd_defaults(a, 1), a)
    b = PageTable(m, s.space, 1, 4096, 44)
    b.map(0xf00_0000_0000, 0x3_0000_0000, 1)
    b.map(0x1000, 0x8300_0000, 3)
    cdt.set(1, cd_defaults(b, 2), b)
    c = PageTable(m, s.space, 1, 4096, 39)
    c.map(0x7f_c000_0000, 0xc000_0000, 1, w=False)
    c.map_range(0x7f_bfe0_0000, 0x8400_0000, 512, contig_runs=True)
    cdt.set(2, cd_defaults(c, 3), c)
    d = PageTable(m, s.space, 1, 4096, 30)
    d.map(0x3fe0_0000, 0x8600_0000, 2)
    d.map_range(0x0, 0x8500_0000, 48, contig_runs=True, x=False)
    cdt.set(3, cd_defaults(d, 4), d)
    s.s1(1, cdt, s1dss=2)
    s.ste(0, dict(config=4))
    return s


def sc_s1_16k():
    s = Scenario("s1-16k", "stage 1, 16 KB granule: T0SZ 16 (level 0 with a "
                 "2-entry table at a sub-page TTB0 offset), T0SZ 17 (level 1), "
                 "T0SZ 28 (level 2); 32 MB blocks, contiguous run of 128",
                 log2size=3)
    m = s.mem
    cdt = CDTable(m, s.space, 0, 2)
    a = PageTable(m, s.space, 1, 16384, 48, root_offset=0x40)
    a.map(0x4000, 0x9000_4000, 3)                                   # L0 entry 0
    a.map(0x8000_0000_0000, 0x9400_0000, 2, w=False)                # L0 entry 1, 32 MB block
    a.map(0xffff_fe00_0000, 0x9600_0000, 2)
    cdt.set(0, cd_defaults(a, 1, tg0=2), a)
    b = PageTable(m, s.space, 1, 16384, 47)
    b.map_range(0x10_0000_0000, 0xa000_0000, 128, contig_runs=True)  # 2 MB in 128 pages
    b.map_range(0x10_0020_0000, 0xa020_0000, 130, contig_runs=True, x=False)
    cdt.set(1, cd_defaults(b, 2, tg0=2), b)
    c = PageTable(m, s.space, 1, 16384, 36)
    c.map(0xf_fe00_0000, 0xb000_0000, 2)
    c.map(0x0, 0xb200_0000, 3, w=False)
    cdt.set(2, cd_defaults(c, 3, tg0=2), c)
    s.s1(2, cdt)
    return s


def sc_s1_64k():
    s = Scenario("s1-64k", "stage 1, 64 KB granule: T0SZ 16 (3 levels, start 1), "
                 "T0SZ 22 (2 levels, full 8192-entry L2), T0SZ 25 (2 levels, "
                 "partial); 512 MB blocks, contiguous run of 32", log2size=3)
    m = s.mem
    cdt = CDTable(m, s.space, 0, 2)
    a = PageTable(m, s.space, 1, 65536, 48)
    a.map(0xffff_e000_0000, 0x1_0000_0000, 2)
    a.map_range(0x20_0000, 0x8a00_0000, 32, contig_runs=True)
    a.map_range(0x40_0000, 0x8a20_0000, 40, contig_runs=True, w=False)
    cdt.set(0, cd_defaults(a, 1, tg0=1), a)
    b = PageTable(m, s.space, 1, 65536, 42)
    b.map(0x3ff_e000_0000, 0x2_0000_0000, 2, x=False)
    b.map(0x0, 0x8b00_0000, 3)
    cdt.set(1, cd_defaults(b, 2, tg0=1), b)
    c = PageTable(m, s.space, 1, 65536, 39)
    c.map(0x7f_e000_0000, 0x4000_0000_0000, 2)
    cdt.set(3, cd_defaults(c, 3, tg0=1), c)
    s.s1(3, cdt)
    return s


def sc_s1_64k_52():
    s = Scenario("s1-64k-52bit", "stage 1, 64 KB granule, 52-bit output "
                 "addresses (PA[51:48] in PTE[15:12]), IPS=6, IDR5.OAS=6",
                 log2size=2, idr=dict(IDR5=idr5(oas=6)))
    m = s.mem
    cdt = CDTable(m, s.space, 0, 0)
    a = PageTable(m, s.space, 1, 65536, 48, oa52=True)
    a.map(0x1000_0000, 0xf_1234_5678_0000, 3)
    a.map(0x1001_0000, 0xf_1234_5679_0000, 3)
    a.map(0x2000_0000, 0x8_0000_2000_0000, 2, w=False)
    a.map(0x4000_0000, 0x0_0001_0000_0000, 2)
    cdt.set(0, cd_defaults(a, 5, tg0=1, ips=6), a)
    s.s1(1, cdt)
    return s


def sc_s2():
    s = Scenario("s2-walks", "stage 2 from S2SL0 for each granule, concatenated "
                 "start-level tables (4K: 2 and 4; 16K: 2; 64K: 4), S2AP read/"
                 "write combinations, XN", log2size=4)
    m = s.mem
    sid = 0

    def add(gran, ias, sl0, fill, **kw):
        nonlocal sid
        pt = PageTable(m, s.space, 2, gran, ias, sl0=sl0)
        fill(pt)
        s.s2(sid, pt, vmid=0x100 + sid, **kw)
        sid += 1
        return pt

    def f4_l2(pt):           # 4K SL0 0, start L2, 30-bit IPA
        pt.map(0x3fe0_0000, 0x9000_0000, 2)
        pt.map_range(0x1_0000, 0x9100_0000, 20, contig_runs=True, r=True, w=False)
    add(4096, 30, 0, f4_l2)

    def f4_l2c(pt):          # 32-bit IPA: 4 concatenated L2 tables
        pt.map(0xffe0_0000, 0x9020_0000, 2, r=False, w=True)
        pt.map(0x4000_0000, 0x9040_0000, 2, r=False, w=False)
        pt.map(0x8000_1000, 0x9060_1000, 3, x=False)
    add(4096, 32, 0, f4_l2c)

    def f4_l1c(pt):          # 40-bit IPA, SL0 1: 2 concatenated L1 tables
        pt.map(0x80_0000_0000, 0x1_0000_0000, 1)
        pt.map(0xff_c000_0000, 0x1_4000_0000, 1, w=False)
        pt.map(0x7f_ffc0_0000, 0x9080_0000, 2)
        pt.map_range(0x7f_fffe_0000, 0x90a0_0000, 32, contig_runs=True, x=False)
    add(4096, 40, 1, f4_l1c)

    def f4_l0(pt):           # 48-bit IPA, SL0 2: start level 0
        pt.map(0xffff_c000_0000, 0x2_0000_0000, 1)
        pt.map(0x1000, 0x90c0_1000, 3, r=True, w=False, x=False)
    add(4096, 48, 2, f4_l0)

    def f16_l2(pt):          # 36-bit IPA, SL0 1 (start L2)
        pt.map(0xf_fe00_0000, 0x9200_0000, 2)
        pt.map_range(0x0, 0x9400_0000, 130, contig_runs=True, w=False)
    add(16384, 36, 1, f16_l2)

    def f16_l1c(pt):         # 48-bit IPA, SL0 2 (start L1), 2 concatenated
        pt.map(0xffff_fe00_0000, 0x9600_0000, 2)
        pt.map(0x4000, 0x9800_4000, 3, r=False, w=False)
    add(16384, 48, 2, f16_l1c)

    def f64_l3(pt):          # 29-bit IPA, SL0 0 (start L3)
        pt.map_range(0x1fff_0000 - 0x1f0000, 0x9a00_0000, 32, contig_runs=True)
        pt.map(0x0, 0x9c00_0000, 3, x=False)
    add(65536, 29, 0, f64_l3)

    def f64_l2c(pt):         # 44-bit IPA, SL0 1 (start L2), 4 concatenated
        pt.map(0xfff_e000_0000, 0x3_0000_0000, 2)
        pt.map(0x0, 0x3_2000_0000, 2, w=False)
        pt.map(0x8000_0000_0000 >> 4, 0x9e00_0000, 3)
    add(65536, 44, 1, f64_l2c)
    return s


def sc_nested():
    s = Scenario("nested", "CONFIG 7: CD pointer, L1 CD descriptors, TTB0 and "
                 "every stage-1 table address are IPAs; IOVA->PA with ANDed "
                 "permissions; stage-1 leaves split by stage-2 leaves", log2size=3)
    m = s.mem
    win_pa, win_ipa = 0x45000000, 0x80_0000_0000
    s2 = PageTable(m, s.space, 2, 4096, 40, sl0=1)
    ipa = IPASpace(m, win_pa, win_ipa, 0x100000)
    m.seek(0x45200000)
    # the window holding CDs and S1 tables, mapped page by page
    for off in range(0, 0x100000, 0x1000):
        s2.map(win_ipa + off, win_pa + off, 3, w=(off % 0x3000 != 0))
    cdt = CDTable(m, ipa, 1, 7)           # 2-level CD table, 4 KB leaves
    s1a = PageTable(m, ipa, 1, 4096, 39)
    s1a.map(0x4000_0000, 0x10_0020_0000, 2)          # 2 MB block over 4K S2 pages
    s1a.map(0x1000, 0x10_0000_0000, 3, w=False)
    s1a.map(0x2000, 0x10_0000_1000, 3, x=False)
    s1a.map(0x8000_0000, 0x10_4000_0000, 2)          # over a S2 2 MB block
    cdt.set(0, cd_defaults(s1a, 0x51), s1a)
    s1b = PageTable(m, ipa, 1, 16384, 36)
    s1b.map(0x4000, 0x10_0000_2000 - 0x2000 + 0x4000, 3)
    cdt.set(70, cd_defaults(s1b, 0x52, tg0=2), s1b)
    # stage 2 for the data
    s2.map(0x10_0000_0000, 0xc000_0000, 3)
    s2.map(0x10_0000_1000, 0xc000_5000, 3, x=False)
    s2.map(0x10_0000_4000, 0xc001_0000, 3, w=False)
    s2.map(0x10_0000_5000, 0xc001_1000, 3)
    s2.map(0x10_0000_6000, 0xc001_2000, 3)
    s2.map(0x10_0000_7000, 0xc001_3000, 3)
    for i in range(512):
        s2.map(0x10_0020_0000 + i * 0x1000,
               0xd000_0000 + ((i // 64) * 0x100000) + (i % 64) * 0x1000, 3,
               w=(i % 128 != 5), x=(i < 256))
    s2.map(0x10_4000_0000, 0xe000_0000, 2, w=False)
    s.nested(1, cdt, s2, vmid=0x21)
    s.ste(0, dict(config=4))
    return s


def sc_big():
    s = Scenario("big-mapping", "one device with >10,000 4 KB pages in runs of "
                 "varying length, PA breaks and mixed permissions, contiguous "
                 "hints on aligned runs: exercises coalescing", log2size=2)
    m = s.mem
    rnd = random.Random(1234)
    pt = PageTable(m, s.space, 1, 4096, 39)
    va, pa, total = 0x1000_0000, 0x1_0000_0000, 0
    while total < 10500:
        n = rnd.choice([1, 1, 2, 3, 7, 16, 16, 32, 100, 300])
        perm = rnd.choice([(True, True), (True, True), (False, True), (True, False)])
        va_gap = rnd.choice([0, 0, 0, 1, 5])
        pa_jump = rnd.choice([0, 0, 1, 77])
        va += va_gap * 0x1000
        pa += pa_jump * 0x1000
        # align 16-page runs so the contiguous hint can be set
        contig = n == 16 and rnd.random() < 0.7
        if contig:
            va = (va + 0xffff) & ~0xffff
            pa = (pa + 0xffff) & ~0xffff
        pt.map_range(va, pa, n, contig_runs=contig, w=perm[0], x=perm[1])
        va += n * 0x1000
        pa += n * 0x1000
        total += n
    cdt = CDTable(m, s.space, 0, 0)
    cdt.set(0, cd_defaults(pt, 9), pt)
    s.s1(3, cdt)
    s.npages = total
    return s


def sc_bad_tables():
    s = Scenario("bad-tables", "page table pointing to itself and to an "
                 "ancestor (loop), table shared by two SIDs (fine), table "
                 "outside the dump (nodata: TTB0, CD table, L2 stream table, "
                 "stage-2 table), reserved level-3 descriptor",
                 fmt="2-level", log2size=12, split=8)
    m = s.mem
    hole = 0x7e000000          # never allocated, not in any PT_LOAD
    # self loop: L1 entry pointing at its own L1 table
    a = PageTable(m, s.space, 1, 4096, 39)
    a.map(0x1000, 0x8000_1000, 3)
    a.map(0x8000_0000, 0x8800_0000, 2)
    a.link(1, 0x40_0000_0000, a.root_ref)
    cd = CDTable(m, s.space, 0, 0)
    cd.set(0, cd_defaults(a, 1), a)
    s.s1(1, cd)
    s.problems.append(P("loop", 1, 0, msg="L1 table points to itself"))
    # ancestor loop: an L3 table... points back to the L1 (root)
    b = PageTable(m, s.space, 1, 4096, 39)
    b.map(0x1000, 0x8000_2000, 3)
    b.map(0x2000, 0x8000_3000, 3)
    b.link(2, 0x20_0000, b.root_ref)             # L2 entry -> root (ancestor)
    b.map(0x4000_0000, 0xc000_0000, 1, w=False)
    cd2 = CDTable(m, s.space, 0, 0)
    cd2.set(0, cd_defaults(b, 2), b)
    s.s1(2, cd2)
    s.problems.append(P("loop", 2, 0, msg="L2 entry points to the L1 table"))
    # shared page table: same TTB0 in two CDs of two STEs
    c = PageTable(m, s.space, 1, 4096, 39)
    c.map_range(0x10_0000, 0x8b00_0000, 3)
    cd3 = CDTable(m, s.space, 0, 0)
    cd3.set(0, cd_defaults(c, 3), c)
    cd4 = CDTable(m, s.space, 0, 0)
    cd4.set(0, cd_defaults(c, 4), c)
    s.s1(3, cd3)
    s.s1(4, cd4)
    # shared CD table: two STEs with the same CD pointer
    s.s1(5, cd3)
    # TTB0 outside the dump
    d = PageTable(m, s.space, 1, 4096, 39)
    cd5 = CDTable(m, s.space, 0, 1)
    cd5.set(0, cd_defaults(d, 5, ttb0=hole), None)
    e = PageTable(m, s.space, 1, 4096, 39)
    e.map(0x5000, 0x8c00_5000, 3)
    cd5.set(1, cd_defaults(e, 6), e)
    s.s1(6, cd5)
    s.problems.append(P("nodata", 6, 0, level=1, address=hole,
                        msg="stage-1 level-1 table not in dump"))
    # CD table outside the dump
    s.ste(7, dict(config=5, s1_context_ptr=hole + 0x1000, s1cdmax=0, s1cir=1,
                  s1cor=1, s1csh=3), [], [])
    s.problems.append(P("nodata", 7, address=hole + 0x1000, msg="CD table not in dump"))
    # reserved level-3 descriptor 0b01
    f = PageTable(m, s.space, 1, 4096, 39)
    f.map(0x1000, 0x8d00_1000, 3)
    f.poke(3, 0x2000, 0x8d00_2000 | PTE_AF | 1)
    f.map(0x3000, 0x8d00_3000, 3)
    cd6 = CDTable(m, s.space, 0, 0)
    cd6.set(0, cd_defaults(f, 7), f)
    s.s1(8, cd6)
    s.problems.append(P("reserved", 8, 0, level=3, msg="level-3 descriptor 0b01"))
    # stage-2 level-2 table outside the dump (L1 descriptor points to the hole)
    g = PageTable(m, s.space, 2, 4096, 40, sl0=1)
    g.map(0x4000_0000, 0x9000_0000, 2)
    g.poke(1, 0x80_0000_0000, (hole + 0x2000) | 3)
    s.s2(9, g, vmid=9)
    s.problems.append(P("nodata", 9, None, level=2, address=hole + 0x2000,
                        msg="stage-2 level-2 table not in dump"))
    # L2 stream table outside the dump (SIDs 0x200-0x2ff)
    m.w64(s.strtab + 8 * 2, (hole + 0x4000) | 9)
    s.problems.append(P("nodata", l1sid(0x200), None, address=hole + 0x4000,
                        msg="L2 stream table not in dump"))
    s.abort_fill_expect()
    return s


def sc_bad_ste():
    s = Scenario("bad-ste", "STEs an SMMU answers with C_BAD_STE: S1FMT 3, "
                 "S1CDMAX > IDR1.SSIDSIZE, S2TG granule not in IDR5, "
                 "S2T0SZ/S2SL0 start level needing > 16 concatenated tables, "
                 "S2AA64 = 0, S2TTB above the S2PS output size",
                 log2size=4, idr=dict(IDR1=idr1(ssidsize=8),
                                      IDR5=idr5(g16=0)))
    m = s.mem
    pt = PageTable(m, s.space, 1, 4096, 39)
    pt.map(0x1000, 0x8000_1000, 3)
    cdt = CDTable(m, s.space, 0, 2)
    cdt.set(0, cd_defaults(pt, 1), pt)
    s2 = PageTable(m, s.space, 2, 4096, 40, sl0=1)
    s2.map(0x1000, 0x8000_1000, 3)
    # a good one for reference
    s.s1(0, cdt)
    s.s2(1, s2)
    bad = []
    # IHI 0070 5.2 S1Fmt: 0b11 is reserved and "behaves as 0b00" (a linear
    # CD table): reported as reserved, not rejected (the SMMU has CD2L).
    s.s1(2, cdt, s1fmt=3)
    s.problems.append(P("reserved", 2, None, msg="S1FMT 3 reserved"))
    s.loose.add(2)
    big = CDTable(m, s.space, 0, 10)
    big.set(0, cd_defaults(pt, 2), pt)
    s.s1(3, big); bad.append(3)
    s.s2(4, s2, s2tg=2); bad.append(4)                       # 16K not supported
    s.s2(5, s2, s2t0sz=16, s2sl0=0); bad.append(5)          # 48-bit IPA from L2
    s.s2(6, s2, s2aa64=0); bad.append(6)
    s.s2(7, s2, s2ps=2, s2ttb=0x100_0000_0000 | (s2.root_ref & 0xffffffff)); bad.append(7)
    for sid in bad:
        s.problems.append(P("bad_ste", sid, None, msg="C_BAD_STE"))
        s.loose.add(sid)
    return s


def sc_zero_filtered():
    s = Scenario("zero-filtered", "all-zero table pages: an empty level-3 table "
                 "and an all-zero L2 stream table; present in the ELF, excluded "
                 "by dump_level 1 in the kdump variant (nodata, possibly "
                 "filtered)", fmt="2-level", log2size=10, split=8)
    m = s.mem
    s.add_l2(0)
    pt = PageTable(m, s.space, 1, 4096, 39)
    pt.map(0x1000, 0x8000_1000, 3)
    pt.map(0x4000_0000, 0x8800_0000, 2)
    l3 = pt.table_for(3, 0x20_0000)                # empty L3 table
    cdt = CDTable(m, s.space, 0, 0)
    cdt.set(0, cd_defaults(pt, 1), pt)
    s.s1(0x10, cdt)
    l2z = s.add_l2(2, fill_abort=False)            # 16 KB of zeros
    s.abort_fill_expect()
    s.zero_tables = [P("nodata", 0x10, 0, level=3, address=l3,
                       msg="all-zero page excluded by dump level 1"),
                     P("nodata", l1sid(0x200), None, address=l2z,
                       msg="all-zero page excluded by dump level 1")]
    return s


# --------------------------------------------------------------------------
# Queues (IHI 0070 §6.3.25-6.3.33 registers, §7.3 event records, §4 commands)
#
# *Q_BASE: ADDR[51:5] | LOG2SIZE[4:0].  *Q_PROD / *Q_CONS: the index in bits
# [LOG2SIZE-1:0] and the wrap flag in bit LOG2SIZE; bits above are RES0 (up
# to bit 19; OVFLG/OVACKFLG/ERR live at 31 and 30:24).  The entries between
# CONS and PROD are the ones the consumer has not yet taken.

def q_window(log2, prod, cons):
    """Ring slots between CONS and PROD, in queue order (bits above the wrap
    bit ignored)."""
    n = 1 << log2
    pi, pw = prod & (n - 1), (prod >> log2) & 1
    ci, cw = cons & (n - 1), (cons >> log2) & 1
    count = (pi - ci) % n if pw == cw else n - ci + pi
    return [(ci + k) % n for k in range(count)]


# Event record, 32 bytes = 4 dwords, little-endian (IHI 0070 §7.3):
#   DW0 [7:0] event ID, [11] SSV, [31:12] SubstreamID, [63:32] StreamID
#   DW1 [15:0] STAG, [31] Stall, [33] PnU, [34] InD, [35] RnW, [39] S2,
#       [41:40] CLASS, [44] TTRnW (F_PERMISSION)
#   DW2 InputAddr[63:0] (E_PAGE_REQUEST, F_BAD_ATS_TREQ: [63:12])
#   DW3 IPA[51:12] (translation faults, F_TLB_CONFLICT; valid when S2 == 1)
#       or FetchAddr[51:3] (F_STE_FETCH, F_CD_FETCH, F_VMS_FETCH, F_WALK_EABT)
EVT = {0x01: "F_UUT", 0x02: "C_BAD_STREAMID", 0x03: "F_STE_FETCH",
       0x04: "C_BAD_STE", 0x05: "F_BAD_ATS_TREQ", 0x06: "F_STREAM_DISABLED",
       0x07: "F_TRANSL_FORBIDDEN", 0x08: "C_BAD_SUBSTREAMID", 0x09: "F_CD_FETCH",
       0x0a: "C_BAD_CD", 0x0b: "F_WALK_EABT", 0x10: "F_TRANSLATION",
       0x11: "F_ADDR_SIZE", 0x12: "F_ACCESS", 0x13: "F_PERMISSION",
       0x20: "F_TLB_CONFLICT", 0x21: "F_CFG_CONFLICT", 0x24: "E_PAGE_REQUEST",
       0x25: "F_VMS_FETCH"}
EVT_ADDR = {0x01, 0x05, 0x07, 0x0b, 0x10, 0x11, 0x12, 0x13, 0x20, 0x24}
EVT_RNW = {0x01, 0x07, 0x0b, 0x10, 0x11, 0x12, 0x13, 0x20}
EVT_IPA = {0x10, 0x11, 0x12, 0x13, 0x20}            # IPA field, valid if S2
EVT_FETCH = {0x03, 0x09, 0x0b, 0x25}                # §7.3: "report a fetch address"
EVT_NO_SSID = {0x06, 0x07}                          # no SSV/SubstreamID field
EVT_SSID_ALWAYS = {0x08}                            # §7.3.9: no SSV qualifier

ONEOF = "$oneof"


class Event:
    def __init__(self, eid, sid, ssid=None, addr=None, read=None, s2=False,
                 ipa=None, fetch=None, stag=0, pnu=0, ind=0, cls=0,
                 junk_dw3=0):
        self.eid, self.sid, self.ssid, self.addr, self.read = eid, sid, ssid, addr, read
        self.s2, self.ipa, self.fetch = s2, ipa, fetch
        w0 = eid | (sid << 32)
        if ssid is not None:
            assert ssid < (1 << 20)
            w0 |= ssid << 12
            if eid not in EVT_SSID_ALWAYS:
                w0 |= 1 << 11
        w1 = stag | (pnu << 33) | (ind << 34) | (cls << 40)
        if read:
            w1 |= 1 << 35
        if s2:
            w1 |= 1 << 39
        w2 = addr or 0
        if eid in (0x05, 0x24):
            assert w2 % 4096 == 0
        w3 = junk_dw3
        if ipa is not None:
            assert ipa % 4096 == 0 and ipa < (1 << 52)
            w3 = ipa
        if fetch is not None:
            assert fetch % 8 == 0 and fetch < (1 << 52)
            w3 = fetch
        self.words = [w0, w1, w2, w3]

    def expect(self, index, stale):
        e = self.eid
        ssid = self.ssid if (self.ssid is not None and e not in EVT_NO_SSID) else None
        return {
            "type": EVT[e], "id": e, "index": index, "sid": self.sid,
            "ssid": ssid,
            # a record type without InputAddr: its DW2 is RES0 (written 0)
            "address": H(self.addr) if e in EVT_ADDR else {ONEOF: [None, "0x0"]},
            # F_BAD_ATS_TREQ's R/W is not an RnW bit the man page promises
            "read": bool(self.read) if e in EVT_RNW else
                    {ONEOF: [None, bool(self.read)]},
            "ipa": H(self.ipa) if (e in EVT_IPA and self.s2) else None,
            "fetch_address": H(self.fetch) if e in EVT_FETCH else None,
            "stale": stale, "raw": [H(w) for w in self.words]}


class Ring:
    entry = None             # bytes per entry

    def __init__(self, mem, log2, prod, cons, compare=True, reg_log2=None):
        self.mem, self.log2, self.prod, self.cons = mem, log2, prod, cons
        self.reg_log2 = log2 if reg_log2 is None else reg_log2
        size = self.entry << log2
        self.base = mem.alloc(size, max(32, size))
        self.slots = {}
        self.compare = compare

    def put(self, idx, obj):
        assert 0 <= idx < (1 << self.log2) and idx not in self.slots
        self.slots[idx] = obj
        self.mem.wwords(self.base + self.entry * idx, obj.words)

    def live(self):
        return q_window(self.log2, self.prod, self.cons)


class EventRing(Ring):
    entry = 32

    def regs(self):
        return {"EVTQ_BASE": self.base | self.reg_log2, "EVTQ_PROD": self.prod,
                "EVTQ_CONS": self.cons}

    def order(self):
        """Every slot, oldest first: from the PROD index (the next to be
        overwritten, so the oldest) round to PROD - 1."""
        n = 1 << self.log2
        pi = self.prod & (n - 1)
        return [(pi + k) % n for k in range(n)]

    def expect(self):
        live = set(self.live())
        return [self.slots[i].expect(i, i not in live)
                for i in self.order() if i in self.slots]

    def recent(self, sid):
        live = set(self.live())
        return sum(1 for i, e in self.slots.items() if i in live and e.sid == sid)

    def faults(self, sid):
        """(pending, consumed): the records of sid between CONS and PROD,
        and the older ones still in the ring (every record written)."""
        live = set(self.live())
        mine = [i for i, e in self.slots.items() if e.sid == sid]
        pend = sum(1 for i in mine if i in live)
        return pend, len(mine) - pend


# Commands, 16 bytes = 2 dwords (IHI 0070 §4; Linux CMDQ_* macros):
#   DW0 [7:0] opcode; CFGI_*: SSec[10], SSID[31:12] (CFGI_CD), SID[63:32];
#       TLBI_*: NUM[16:12], SCALE[24:20], VMID[47:32], ASID[63:48];
#       ATC_INV: Global[9], SSV[11], SSID[31:12], SID[63:32];
#       PRI_RESP: SSV[11], SSID[31:12], SID[63:32];
#       RESUME: Action[13:12], SID[63:32];
#       SYNC: CS[13:12], MSH[23:22], MSIAttr[27:24], MSIData[63:32]
#   DW1 CFGI_STE/CFGI_CD: Leaf[0]; CFGI_STE_RANGE: Range[4:0];
#       TLBI_*_VA/IPA: Leaf[0], TTL[9:8], TG[11:10], Address[63:12] ([51:12] IPA);
#       ATC_INV: Size[5:0], Address[63:12]; PRI_RESP: PRGIndex[8:0], Resp[13:12];
#       RESUME: STAG[15:0]; SYNC: MSIAddress[51:2]
CMD_NAME = {0x01: "CMD_PREFETCH_CONFIG", 0x02: "CMD_PREFETCH_ADDR",
            0x03: "CMD_CFGI_STE", 0x04: "CMD_CFGI_STE_RANGE", 0x05: "CMD_CFGI_CD",
            0x06: "CMD_CFGI_CD_ALL", 0x10: "CMD_TLBI_NH_ALL",
            0x11: "CMD_TLBI_NH_ASID", 0x12: "CMD_TLBI_NH_VA",
            0x13: "CMD_TLBI_NH_VAA", 0x20: "CMD_TLBI_EL2_ALL",
            0x21: "CMD_TLBI_EL2_ASID", 0x22: "CMD_TLBI_EL2_VA",
            0x28: "CMD_TLBI_S12_VMALL", 0x2a: "CMD_TLBI_S2_IPA",
            0x30: "CMD_TLBI_NSNH_ALL", 0x40: "CMD_ATC_INV", 0x41: "CMD_PRI_RESP",
            0x44: "CMD_RESUME", 0x45: "CMD_STALL_TERM", 0x46: "CMD_SYNC"}


class Command:
    def __init__(self, op, w0=0, w1=0, hexes=(), name=None, named=None):
        self.op = op
        self.words = [op | w0, w1]
        self.hexes = list(hexes)         # values the operands text must show
        self.named = named or {}         # field values a `name=V` in it must match
        self.name = name or CMD_NAME[op]

    def expect(self, index):
        return {"opcode": self.op, "name": self.name, "index": index,
                "operands": {"$contains_hex": self.hexes, "$named": self.named},
                "raw": [H(w) for w in self.words]}


def cmd_cfgi_ste(sid, leaf=1):
    return Command(0x03, sid << 32, leaf, [sid], named=dict(sid=sid, leaf=leaf))


def cmd_cfgi_ste_range(sid, rng):
    # §4.3.2: CMD_CFGI_ALL is CMD_CFGI_STE_RANGE with Range == 31
    name = {ONEOF: ["CMD_CFGI_ALL", "CMD_CFGI_STE_RANGE"]} if rng == 31 else None
    return Command(0x04, sid << 32, rng, [] if rng == 31 else [sid], name,
                   named=dict(sid=sid) if rng != 31 else {})


def cmd_cfgi_cd(sid, ssid, leaf=1):
    return Command(0x05, (ssid << 12) | (sid << 32), leaf, [sid, ssid],
                   named=dict(sid=sid, ssid=ssid, leaf=leaf))


def cmd_cfgi_cd_all(sid):
    return Command(0x06, sid << 32, 0, [sid], named=dict(sid=sid))


def cmd_tlbi_nh_asid(asid, vmid=0):
    return Command(0x11, (vmid << 32) | (asid << 48), 0, [asid],
                   named=dict(asid=asid, vmid=vmid))


def cmd_tlbi_nh_va(asid, va, vmid=0, leaf=1, tg=1, ttl=3):
    assert va % 4096 == 0
    return Command(0x12, (vmid << 32) | (asid << 48),
                   va | (tg << 10) | (ttl << 8) | leaf, [asid, va],
                   named=dict(asid=asid, vmid=vmid, leaf=leaf, tg=tg, ttl=ttl,
                              addr=va, num=0, scale=0))


def cmd_tlbi_s2_ipa(vmid, ipa, leaf=0):
    assert ipa % 4096 == 0 and ipa < (1 << 52)
    return Command(0x2a, vmid << 32, ipa | leaf, [ipa],
                   named=dict(vmid=vmid, leaf=leaf, addr=ipa))


def cmd_tlbi_nsnh_all():
    return Command(0x30)


def cmd_atc_inv(sid, ssid, addr, size, glob=0):
    assert addr % 4096 == 0
    return Command(0x40, (glob << 9) | (1 << 11) | (ssid << 12) | (sid << 32),
                   addr | size, [sid, addr],
                   named=dict(sid=sid, ssid=ssid, ssv=1, addr=addr,
                              **{"global": glob}))


def cmd_pri_resp(sid, ssid, prgi, resp):
    return Command(0x41, (1 << 11) | (ssid << 12) | (sid << 32),
                   prgi | (resp << 12), [sid],
                   named=dict(sid=sid, ssid=ssid, ssv=1, resp=resp))


def cmd_resume(sid, stag, action=1):
    return Command(0x44, (action << 12) | (sid << 32), stag, [sid, stag],
                   named=dict(sid=sid, stag=stag, action=action))


def cmd_sync(cs=0, msi_data=0, msi_addr=0):
    return Command(0x46, (cs << 12) | (msi_data << 32), msi_addr,
                   named=dict(cs=cs, msidata=msi_data, msiaddr=msi_addr))


class CommandRing(Ring):
    entry = 16

    def regs(self):
        return {"CMDQ_BASE": self.base | self.reg_log2, "CMDQ_PROD": self.prod,
                "CMDQ_CONS": self.cons}

    def expect(self):
        return [self.slots[i].expect(i) for i in self.live() if i in self.slots]


def verdict(cls, faults=(0, 0)):
    v = {"class": cls, "faults": {"pending": faults[0], "consumed": faults[1]}}
    if cls == "translating":
        v["reason"] = {"$contains_any": ["MiB", "KiB"]}
    return v


def sc_events_all():
    s = Scenario("events-all", "event queue (32 slots, PROD wrapped past CONS) "
                 "holding one record of every IHI 0070 event type, 8 already "
                 "consumed (stale) and 14 live, distinctive fields", log2size=4)
    m = s.mem
    pt = PageTable(m, s.space, 1, 4096, 48)
    pt.map(0x10_0000, 0x8000_0000, 3)
    cdt = CDTable(m, s.space, 0, 0)
    cdt.set(0, cd_defaults(pt, 5), pt)
    s.ste(0, dict(config=0))
    s.s1(1, cdt)
    # PROD = wrap 1, index 6; CONS = wrap 0, index 24: live 24..31, 0..5.
    # RES0 bits [19:6] set in both, and OVFLG/OVACKFLG (bit 31): no effect
    q = s.evtq = EventRing(m, 5, (1 << 31) | (1 << 12) | (1 << 5) | 6,
                           (1 << 31) | (1 << 19) | 24)
    K = 0xffff_8000_0000_0000
    recs = [
        # stale (slots 16..23, oldest first)
        Event(0x01, 0xfedc_ba98, ssid=0x1, addr=K | 0x1234_5678, read=True,
              pnu=1, ind=1),
        Event(0x02, 0x8000_0001, ssid=0x2),
        Event(0x03, 0x0000_0203, ssid=None, fetch=0x4_0a1b_2c48),
        Event(0x04, 0x0000_0404),
        Event(0x05, 0x0000_0505, ssid=0xf_0005, addr=0x7fff_1234_5000, read=True),
        Event(0x06, 0x0000_0606),
        Event(0x07, 0x0000_0707, addr=0xdead_beef_0f07, read=False),
        Event(0x08, 0x0000_0808, ssid=0x5_a5a5),
        # live (slots 24..31, then 0..5)
        Event(0x09, 0x0000_0909, ssid=0x9_0909, fetch=0x4_5566_7788),
        Event(0x0a, 0x0000_0a0a, ssid=0x0_0a0a),
        Event(0x0b, 0x0000_0b0b, ssid=0x0_0b0b, addr=0x1_0000_0b00, read=True,
              s2=True, cls=1, fetch=0x8_0000_0b08),
        Event(0x10, 0x0000_1010, ssid=0x1_1010, addr=K | 0xabc_d010, read=True,
              s2=False, stag=0x1010, cls=2, junk_dw3=0x5_5555_5000),
        Event(0x11, 0x0000_1111, addr=0x11_1111_1000, read=False, s2=True,
              ipa=0xf_1111_1000, cls=2),
        Event(0x12, 0x0000_1212, ssid=0x2, addr=0x12_1212_1200, read=True,
              s2=True, ipa=0x12_0000_3000, cls=1),
        Event(0x13, 0x0000_1313, ssid=0xf_ffff, addr=K | 0x1313_1313, read=False,
              s2=False),
        Event(0x20, 0x0000_2020, addr=0x2020_2020, read=True, s2=True,
              ipa=0x2_2020_2000),
        Event(0x21, 0x0000_2121, ssid=0x2121),
        Event(0x24, 0x0000_2424, ssid=0x2424, addr=0x24_2424_4000),
        Event(0x25, 0x0000_2525, ssid=0x2525, fetch=0x4_2525_2528),
        # live, again: more faults from SID 1 (the s1-trans stream)
        Event(0x10, 0x1, ssid=0, addr=0x20_0000, read=False),
        Event(0x13, 0x1, ssid=0, addr=0x10_0000, read=False, stag=7),
        Event(0x10, 0x1, addr=0x30_0000, read=True),
    ]
    slots = list(range(16, 32)) + list(range(0, 6))
    assert len(recs) == len(slots) and len({r.eid for r in recs}) == len(EVT)
    for i, r in zip(slots, recs):
        q.put(i, r)
    assert sorted(q.live()) == sorted(list(range(24, 32)) + list(range(6)))
    s.verdicts[0] = verdict("blocked")
    s.verdicts[1] = verdict("translating", q.faults(1))
    assert q.faults(1) == (3, 0)
    return s


def sc_events_badsize():
    # PROD/CONS values cannot be inconsistent by themselves: any index/wrap
    # pair is a valid queue state, and bits [19:QS+1] are RES0 with "no
    # other effect" (IHI 0070 SMMU_EVENTQ_PROD/CONS), so events-all sets
    # some and expects them ignored.  What is impossible is the geometry:
    # EVTQ_BASE.LOG2SIZE must be <= IDR1.EVENTQS <= 19.
    s = Scenario("events-badsize", "event queue with EVTQ_BASE.LOG2SIZE 20, "
                 "beyond IDR1.EVENTQS (19) and the architectural maximum: "
                 "a size problem", log2size=3)
    s.ste(0, dict(config=0))
    q = s.evtq = EventRing(s.mem, 3, 3, 2, compare=False, reg_log2=20)
    q.put(2, Event(0x10, 0, addr=0x1000, read=True))
    s.problems.append(dict(P("size", None, msg="EVTQ LOG2SIZE 20 > 19"),
                           _queue=True))
    return s


def sc_cmdq_pending():
    s = Scenario("cmdq-pending", "command queue (16 slots, PROD wrapped): 13 "
                 "pending commands across the wrap, 3 consumed ones outside "
                 "the window", log2size=3)
    s.ste(0, dict(config=0))
    # CONS = wrap 0, index 10; PROD = wrap 1, index 7: pending 10..15, 0..6
    q = s.cmdq = CommandRing(s.mem, 4, (1 << 4) | 7, 10)
    pend = [cmd_cfgi_ste(0x1234),
            cmd_cfgi_ste_range(0, 31),                  # CMD_CFGI_ALL
            cmd_cfgi_cd(0x2345, 0x5),
            cmd_tlbi_nh_asid(0xbeef),
            cmd_tlbi_nh_va(0xcafe, 0xffff_8000_1234_5000),
            cmd_tlbi_s2_ipa(0x77, 0x8_4567_8000),
            cmd_tlbi_nsnh_all(),
            cmd_atc_inv(0x3456, 0x9, 0xdead_b000, 3),
            cmd_pri_resp(0x4567, 0x12, 0x1a5, 1),
            cmd_resume(0x5678, 0xabcd),
            cmd_cfgi_ste_range(0x100, 5),
            cmd_cfgi_cd_all(0x6789),
            cmd_sync(cs=1)]
    for i, c in zip(list(range(10, 16)) + list(range(0, 7)), pend):
        q.put(i, c)
    # consumed already (slots 7..9): must not be listed
    q.put(7, cmd_cfgi_ste(0x9999))
    q.put(8, cmd_tlbi_nh_asid(0x7777))
    q.put(9, cmd_sync(cs=2))
    assert len(q.live()) == 13
    return s


def sc_verdicts():
    s = Scenario("verdicts", "verdict classes: bypass STE, translating STE with "
                 "writable mappings and live faults, translating STEs without "
                 "mappings (idle), abort STE, S1DSS=bypass with S1CDMAX>0",
                 log2size=4)
    m = s.mem
    pt = PageTable(m, s.space, 1, 4096, 48)
    pt.map_range(0x10_0000, 0x8100_0000, 4)             # 16 KiB writable
    pt.map(0x20_0000, 0x8200_0000, 2)                   # 2 MiB writable
    cdt = CDTable(m, s.space, 0, 0)
    cdt.set(0, cd_defaults(pt, 2), pt)
    empty = PageTable(m, s.space, 1, 4096, 48)          # root only, no entries
    cde = CDTable(m, s.space, 0, 0)
    cde.set(0, cd_defaults(empty, 3), empty)
    cdoff = CDTable(m, s.space, 0, 0)                   # TTB0 walks disabled
    cdoff.set(0, cd_defaults(pt, 7, epd0=1), pt)
    cdss = CDTable(m, s.space, 0, 2)                    # 4 SSIDs, S1DSS bypass
    cdss.set(1, cd_defaults(pt, 6), pt)
    s2 = PageTable(m, s.space, 2, 4096, 40, sl0=1)
    s2.map_range(0x8000_0000, 0x8300_0000, 2)           # 8 KiB
    s.ste(1, dict(config=4))
    s.s1(2, cdt)
    s.s1(3, cde)
    s.ste(4, dict(config=0))
    s.s1(5, cdss, s1dss=1)
    s.s2(6, s2, vmid=3)
    s.s1(7, cdoff)
    # event ring, 8 slots: CONS = 2, PROD = 6 (same lap): live 2..5
    q = s.evtq = EventRing(m, 3, 6, 2)
    q.put(0, Event(0x10, 2, ssid=0, addr=0x40_0000, read=False))     # stale
    q.put(1, Event(0x10, 3, ssid=0, addr=0x40_0000, read=True))      # stale
    q.put(2, Event(0x10, 2, ssid=0, addr=0x50_0000, read=False))
    q.put(3, Event(0x13, 2, ssid=0, addr=0x10_0000, read=False))
    q.put(4, Event(0x01, 1, addr=0x1000, read=True))
    q.put(5, Event(0x12, 2, addr=0x60_0000, read=True))
    q.put(7, Event(0x13, 2, ssid=0, addr=0x10_1000, read=False))     # stale, last lap
    assert q.faults(2) == (3, 2) and q.faults(3) == (0, 1) and q.faults(1) == (1, 0)
    # SID 3 has no mapping, but a consumed record: it tried DMA
    for sid, cls in ((1, "bypass"), (2, "translating"), (3, "attempted"),
                     (4, "blocked"), (5, "bypass"), (6, "translating"),
                     (7, "idle")):
        s.verdicts[sid] = verdict(cls, q.faults(sid))
    return s


def sc_fault_evidence():
    # IHI 0070 3.5.1: records between CONS and PROD wait for software; the
    # ones before CONS were consumed, but nothing clears the slots, so they
    # stay readable until PROD laps them.  Both are what the SMMU saw.
    s = Scenario("fault-evidence", "event records as evidence: stage-1 streams "
                 "with no mappings and consumed (0x30) or pending (0x31) "
                 "F_TRANSLATION records, one with none (0x33), an abort STE "
                 "(0x32), and C_BAD_STREAMID for StreamID 0x300 beyond the "
                 "table (no STE)", log2size=6)
    m = s.mem
    empty = PageTable(m, s.space, 1, 4096, 48)          # root only, no entries
    for sid, asid in ((0x30, 5), (0x31, 6), (0x33, 7)):
        cdt = CDTable(m, s.space, 0, 0)
        cdt.set(0, cd_defaults(empty, asid), empty)
        s.s1(sid, cdt)
    s.ste(0x32, dict(config=0))
    # 16 slots; CONS = 6, PROD = 8 (same lap): live 6, 7
    q = s.evtq = EventRing(m, 4, 8, 6)
    q.put(0, Event(0x10, 0x30, addr=0x1000, read=True))             # consumed
    q.put(1, Event(0x10, 0x30, addr=0x3000, read=True))             # consumed
    q.put(2, Event(0x02, 0x300))                                    # consumed
    q.put(6, Event(0x10, 0x31, ssid=0, addr=0x8000, read=False))    # pending
    q.put(7, Event(0x10, 0x31, ssid=0, addr=0x9000, read=False))    # pending
    assert q.faults(0x30) == (0, 2) and q.faults(0x31) == (2, 0)
    s.verdicts[0x30] = verdict("attempted", q.faults(0x30))
    s.verdicts[0x30]["reason"] = {"$contains_any": [
        "2 translation faults at IOVA 0x1000-0x3000, consumed"]}
    s.verdicts[0x31] = verdict("attempted", q.faults(0x31))
    s.verdicts[0x31]["reason"] = {"$contains_any": [
        "2 translation faults at IOVA 0x8000-0x9000, pending"]}
    s.verdicts[0x32] = verdict("blocked")
    s.verdicts[0x33] = verdict("idle")
    # StreamID = PCI Requester ID: 0x300 is bus 3, device 0, function 0
    s.unknown = [{"sid": 0x300, "faults": {"pending": 0, "consumed": 1},
                  "pci_if_identity_map": {"bus": 3, "device": 0, "function": 0}}]
    return s


# --------------------------------------------------------------------------
# The kdump adoption check (arm-smmu-v3 kdump series, v4-v7): one scenario
# per refused check, one that breaks several, tables misplaced, aliased
# ASIDs.  Every scenario starts from one the series accepts: a coherent SMMU
# (IDR0.COHACC), SMMUEN 1 (CR0), no global error (GERROR == GERRORN), a
# Linux-shaped 2-level table (SPLIT 8, SPAN 9) or an aligned linear one.

ADOPT_CHECKS = ["smmuen", "coherent", "no_sfm_err", "strtab_fmt", "strtab_fmt_supported",
                "strtab_split", "strtab_log2size", "strtab_l1_entries", "strtab_base_align",
                "l1_descriptors", "ste_config", "s1_context_ptr", "s1_cdmax", "s1_fmt",
                "cd_table_align", "cd_asid", "s2_vmid"]


def adopt_scenario(name, desc, fmt="2-level", log2size=16, split=8, **kw):
    s = Scenario(name, desc, fmt=fmt, log2size=log2size,
                 split=split if fmt != "linear" else None, **kw)
    s.extra_regs = dict(GERROR=0, GERRORN=0)
    return s


def adopt_expect(s, fails=(), placement=(), dups=(), exit_=None):
    """Every check passes but those in `fails` (in the series' order, the
    first refuses)."""
    checks = {c: ("fail" if c in fails else "pass") for c in ADOPT_CHECKS}
    first = next((c for c in ADOPT_CHECKS if c in fails), None)
    s.adoption = {"verdict": "refused" if fails else "accepted", "first_failure": first,
                  "checks": checks, "placement": list(placement),
                  "duplicates": [list(d) for d in dups], "crash_kernel_writers": 0}
    if exit_ is not None:
        s.exit = exit_
    elif fails or placement or dups:
        s.exit = 1


def adopt_streams(s, asid=1, vmid=1, cdmax=0, ssids=1):
    """A stage-1 stream (SID 0x10) and a stage-2 one (SID 0x11)."""
    m = s.mem
    pt = PageTable(m, s.space, 1, 4096, 48)
    pt.map(0x1000, 0x8000_1000, 3)
    cdt = CDTable(m, s.space, 0, cdmax)
    for ssid in range(ssids):
        cdt.set(ssid, cd_defaults(pt, asid), pt)
    s.s1(0x10, cdt)
    s2 = PageTable(m, s.space, 2, 4096, 40, sl0=1)
    s2.map(0x8000_0000, 0x8100_0000, 2)
    s.s2(0x11, s2, vmid=vmid)
    if s.fmt != "linear":
        s.abort_fill_expect()
    return cdt


def sc_adopt_ok():
    s = adopt_scenario("adopt-ok", "kdump adoption: every check passes")
    adopt_streams(s)
    adopt_expect(s)
    return s


def sc_adopt_l1_span():
    s = adopt_scenario("adopt-l1-span", "kdump adoption refused: an L1 descriptor with SPAN 3, "
                       "not SPLIT+1")
    s.add_l2(1, span=3)
    adopt_streams(s)
    adopt_expect(s, ["l1_descriptors"])
    return s


def sc_adopt_split6():
    s = adopt_scenario("adopt-split6", "kdump adoption refused: 2-level SPLIT 6", split=6)
    adopt_streams(s)
    adopt_expect(s, ["strtab_split"])
    return s


def sc_adopt_misaligned():
    s = adopt_scenario("adopt-misaligned", "kdump adoption refused: linear stream table base "
                       "not aligned to its 4 KB size", fmt="linear", log2size=6)
    # a fresh table 64 bytes into an aligned 8 KB block (STRTAB_BASE.ADDR
    # holds [51:6], so the register can say so)
    s.strtab = s.mem.alloc(8192, 8192) + 64
    adopt_streams(s)
    adopt_expect(s, ["strtab_base_align"])
    return s


def sc_adopt_reserved_config():
    s = adopt_scenario("adopt-config", "kdump adoption refused: an STE with the reserved Config 1")
    adopt_streams(s)
    s.ste(0x12, dict(config=1))
    s.loose.add(0x12)
    adopt_expect(s, ["ste_config"])
    return s


def sc_adopt_cdmax():
    s = adopt_scenario("adopt-cdmax", "kdump adoption refused: S1CDMax 5 above SSIDSIZE 4",
                       idr=dict(IDR1=idr1(ssidsize=4)))
    adopt_streams(s, cdmax=5, ssids=2)
    s.loose.add(0x10)
    adopt_expect(s, ["s1_cdmax"])
    return s


def sc_adopt_asid0():
    s = adopt_scenario("adopt-asid0", "kdump adoption refused: a valid CD with ASID 0")
    adopt_streams(s, asid=0)
    adopt_expect(s, ["cd_asid"])
    return s


def sc_adopt_vmid0():
    s = adopt_scenario("adopt-vmid0", "kdump adoption refused: a stage-2 STE with VMID 0")
    adopt_streams(s, vmid=0)
    adopt_expect(s, ["s2_vmid"])
    return s


def sc_adopt_several():
    s = adopt_scenario("adopt-several", "kdump adoption refused for SPLIT 6 first; ASID 0 and "
                       "VMID 0 fail too", split=6)
    adopt_streams(s, asid=0, vmid=0)
    adopt_expect(s, ["strtab_split", "cd_asid", "s2_vmid"])
    return s


def sc_adopt_hole():
    s = adopt_scenario("adopt-hole", "kdump adoption placement: a stage-2 table in a memory "
                       "hole (between PT_LOADs, not in the dump)")
    adopt_streams(s)
    # SID 0x13's stage-2 root is 1 GB above every table: no PT_LOAD has it
    hole = 0x8000_0000
    s.ste(0x13, dict(config=6, s2vmid=3, s2t0sz=24, s2sl0=1, s2ir0=1, s2or0=1, s2sh0=3,
                     s2tg=0, s2ps=5, s2aa64=1, s2r=1, s2ttb=hole))
    s.loose.add(0x13)
    s.problems.append(P("nodata", 0x13, ssid=None, address=hole))
    adopt_expect(s, placement=[{"table": "stage-2 page table", "problem": "not System RAM",
                                "address": H(hole)},
                               {"table": "stage-2 page table", "problem": "not in the dump",
                                "address": H(hole)}])
    return s


def sc_adopt_dup_asid():
    s = adopt_scenario("adopt-dup-asid", "kdump adoption: ASID 7 on two CD tables with "
                       "different TTB0s (a stale-TLB alias)")
    m = s.mem
    for sid, pa in ((0x10, 0x8000_0000), (0x20, 0x9000_0000)):
        pt = PageTable(m, s.space, 1, 4096, 48)
        pt.map(0x1000, pa, 3)
        cdt = CDTable(m, s.space, 0, 0)
        cdt.set(0, cd_defaults(pt, 7), pt)
        s.s1(sid, cdt)
    s.abort_fill_expect()
    adopt_expect(s, dups=[("asid", 7)])
    return s


ADOPT_SCENARIOS = [sc_adopt_ok, sc_adopt_l1_span, sc_adopt_split6, sc_adopt_misaligned,
                   sc_adopt_reserved_config, sc_adopt_cdmax, sc_adopt_asid0, sc_adopt_vmid0,
                   sc_adopt_several, sc_adopt_hole, sc_adopt_dup_asid]

SCENARIOS = [sc_linear_basic, sc_ste_configs,
             lambda: sc_l2(6, 10, "l2-split6"), lambda: sc_l2(8, 16, "l2-split8"),
             lambda: sc_l2(10, 12, "l2-split10"), sc_badspan, sc_cd_formats,
             sc_s1_4k, sc_s1_16k, sc_s1_64k, sc_s1_64k_52, sc_s2, sc_nested,
             sc_big, sc_bad_tables, sc_bad_ste, sc_zero_filtered,
             sc_events_all, sc_events_badsize, sc_cmdq_pending, sc_verdicts,
             sc_fault_evidence] + ADOPT_SCENARIOS

# which scenarios also get kdump variants
KDUMP_VARIANTS = {
    "s1-4k": [("kdump-zlib", "zlib"), ("kdump-lzo", "lzo"),
              ("kdump-snappy", "snappy"), ("kdump-zstd", "zstd"),
              ("kdump-none", None), ("flat-zlib", "zlib")],
    "nested": [("kdump-zstd", "zstd")],
    "big-mapping": [("kdump-lzo", "lzo")],
    "l2-split8": [("kdump-snappy", "snappy"), ("flat-zstd", "zstd")],
}


def build_all():
    return [f() for f in SCENARIOS]


def write_scenario(s, outdir, index):
    vmci = vmcoreinfo_text()
    base = os.path.join(outdir, s.name)
    with open(base + ".regs", "w") as f:
        f.write(s.regs_text())
    write_elf(base + ".elf", s.mem, vmci)
    exp = s.expect(base + ".elf")
    with open(base + ".expect.json", "w") as f:
        json.dump(exp, f, indent=1, sort_keys=False)
        f.write("\n")
    index.append({"name": s.name, "dump": s.name + ".elf", "regs": s.name + ".regs",
                  "expect": s.name + ".expect.json", "same_as": None,
                  "format": "elf"})
    for vname, comp in KDUMP_VARIANTS.get(s.name, []):
        data, _ = kdump_bytes(s.mem, vmci, comp)
        flat = vname.startswith("flat")
        dname = "%s.%s" % (s.name, vname)
        with open(os.path.join(outdir, dname), "wb") as f:
            f.write(flatten(data) if flat else data)
        e = s.expect(os.path.join(outdir, dname), "flattened" if flat else "kdump",
                     comp or "none", 0)
        with open(os.path.join(outdir, dname + ".expect.json"), "w") as f:
            json.dump(e, f, indent=1)
            f.write("\n")
        index.append({"name": "%s-%s" % (s.name, vname), "dump": dname,
                      "regs": s.name + ".regs", "expect": dname + ".expect.json",
                      "same_as": s.name, "format": "flattened" if flat else "kdump",
                      "reassembled_sha": None})
    if s.name == "zero-filtered":
        data, excluded = kdump_bytes(s.mem, vmci, "zlib", dump_level=1)
        dname = s.name + ".kdump-dl1"
        with open(os.path.join(outdir, dname), "wb") as f:
            f.write(data)
        # every excluded page must be one we expect to be reported
        zp = {int(p["address"], 16) // PAGE for p in s.zero_tables}
        assert zp <= set(excluded)
        e = s.expect(os.path.join(outdir, dname), "kdump", "zlib", 1,
                     problems_extra=s.zero_tables)
        # the excluded L2 stream table hides its (nonexistent) STEs: nothing
        # to remove; the empty L3 table hides no mapping either
        with open(os.path.join(outdir, dname + ".expect.json"), "w") as f:
            json.dump(e, f, indent=1)
            f.write("\n")
        index.append({"name": s.name + "-kdump-dl1", "dump": dname,
                      "regs": s.name + ".regs", "expect": dname + ".expect.json",
                      "same_as": None, "format": "kdump"})
    return base


def write_broken(scens, outdir, index):
    vmci = vmcoreinfo_text()
    byname = {s.name: s for s in scens}
    # truncated ELF: the last PT_LOAD (holding tables) extends past EOF
    s = byname["s1-4k"]
    tmp = os.path.join(outdir, "truncated.elf")
    runs = write_elf(tmp, s.mem, vmci)
    size = os.path.getsize(tmp)
    write_elf(tmp, s.mem, vmci, truncate_at=size - runs[-1][1] // 2 - 100)
    shutil.copy(os.path.join(outdir, "s1-4k.regs"), os.path.join(outdir, "truncated.regs"))
    broken = [("truncated", "truncated.elf", "ELF whose last PT_LOAD extends past EOF")]
    data, _ = kdump_bytes(s.mem, vmci, "zlib")
    hdr_bs = struct.unpack_from("<i", data, 428)[0]
    # corrupt headers.  libkdumpfile 0.5.1 itself crashes (SIGSEGV in
    # kdump_open) on the first four, so a tool must check the header against
    # the file size before handing the file to it.
    for cname, off, fmt, val, desc in [
            ("corrupt-bitmap", 436, "<I", 0x7ffffff0, "bitmap_blocks far beyond EOF"),
            ("corrupt-blocksize", 428, "<i", 0, "block_size 0"),
            ("corrupt-subhdr", 432, "<i", 0x7fffffff, "sub_hdr_size far beyond EOF"),
            ("corrupt-notesize", hdr_bs + 56, "<Q", 0x7fff_ffff_0000, "size_note far beyond EOF"),
            ("corrupt-vmcoreinfo", hdr_bs + 32, "<Q", 0x7fff_ffff_0000,
             "offset_vmcoreinfo beyond EOF (VMCOREINFO still in the notes)")]:
        d = bytearray(data)
        struct.pack_into(fmt, d, off, val)
        with open(os.path.join(outdir, cname + ".kdump"), "wb") as f:
            f.write(d)
        if cname != "corrupt-vmcoreinfo":
            broken.append((cname, cname + ".kdump", "kdump header: " + desc))
    # offset_vmcoreinfo is bad but the notes still carry VMCOREINFO: readable
    e = s.expect(os.path.join(outdir, "corrupt-vmcoreinfo.kdump"), "kdump", "zlib", 0)
    with open(os.path.join(outdir, "corrupt-vmcoreinfo.expect.json"), "w") as f:
        json.dump(e, f, indent=1)
        f.write("\n")
    index.append({"name": "corrupt-vmcoreinfo", "dump": "corrupt-vmcoreinfo.kdump",
                  "regs": "s1-4k.regs", "expect": "corrupt-vmcoreinfo.expect.json",
                  "same_as": "s1-4k", "format": "kdump"})
    # corrupt page data: every compressed page replaced with garbage
    d = bytearray(data)
    sub_blocks = struct.unpack_from("<i", d, 432)[0]
    bmb = struct.unpack_from("<I", d, 436)[0]
    pd_off = (1 + sub_blocks + bmb) * hdr_bs
    i = 0
    while pd_off + 24 * i + 24 <= len(d):
        off, sz, fl, _ = struct.unpack_from("<QIIQ", d, pd_off + 24 * i)
        if off < pd_off or off + sz > len(d) or i > 100000:
            break
        if fl:
            d[off:off + sz] = bytes((j * 37 + 11) & 0xff for j in range(sz))
        i += 1
    with open(os.path.join(outdir, "corrupt-data.kdump"), "wb") as f:
        f.write(d)
    broken.append(("corrupt-data", "corrupt-data.kdump",
                   "kdump whose compressed pages do not decompress"))
    # truncated kdump: cut inside the page descriptors
    with open(os.path.join(outdir, "corrupt-trunc.kdump"), "wb") as f:
        f.write(data[:pd_off + 24 * 3 + 5])
    broken.append(("corrupt-trunc", "corrupt-trunc.kdump",
                   "kdump cut inside the page descriptor table"))
    for name, dump, desc in broken:
        e = {"_test": {"exit": [1, 2], "broken": True, "description": desc}}
        with open(os.path.join(outdir, name + ".expect.json"), "w") as f:
            json.dump(e, f, indent=1)
            f.write("\n")
        index.append({"name": name, "dump": dump, "regs": "s1-4k.regs",
                      "expect": name + ".expect.json", "same_as": None,
                      "format": "broken"})


def generate(outdir):
    os.makedirs(outdir, exist_ok=True)
    scens = build_all()
    index = []
    for s in scens:
        write_scenario(s, outdir, index)
    write_broken(scens, outdir, index)
    # the README sample, with its expectation
    sm = sample(os.path.join(outdir, "sample.vmcore"))
    with open(os.path.join(outdir, "sample.expect.json"), "w") as f:
        json.dump(sm.expect(os.path.join(outdir, "sample.vmcore")), f, indent=1)
        f.write("\n")
    index.append({"name": "sample", "dump": "sample.vmcore", "regs": "sample.regs",
                  "expect": "sample.expect.json", "same_as": None, "format": "elf"})
    with open(os.path.join(outdir, "index.json"), "w") as f:
        json.dump(index, f, indent=1)
        f.write("\n")
    return scens, index


# --------------------------------------------------------------------------
# Pathological tables (issue 12): small dumps whose tables describe huge or
# self-referencing structures.  Each case says what the architecture bounds
# (IHI 0070 5.1, 5.2, 5.3, 6.3.2, 6.3.24) and what a decoder must do; bounds.py
# runs the tool on each with a time and memory limit.  No expectation of the
# full output: only the bound, the problem the spec calls for, and counts.

def bounds_regs(name, desc, base, cfg, idr1_val=None, ssidsize=None, extra=None):
    """Register file: IDR0/IDR5 always, IDR1 only when idr1_val is given
    (without it SIDSIZE and SSIDSIZE are unknown); extra: more registers."""
    lines = ["# pathological case %s: %s" % (name, desc),
             "smmu smmu3.0x0000000009050000", "base = 0x9050000",
             "IDR0 = 0x%08x" % idr0(), "IDR5 = 0x%08x" % idr5()]
    if idr1_val is not None:
        lines.append("IDR1 = 0x%08x" % idr1_val)
    lines += ["CR0 = 0xd", "STRTAB_BASE = 0x%016x" % base,
              "STRTAB_BASE_CFG = 0x%x" % cfg]
    lines += ["%s = 0x%x" % kv for kv in sorted((extra or {}).items())]
    return "\n".join(lines) + "\n"


def bounds_empty_pt(mem):
    """A stage-1 4 KB-granule root table with no valid entry (39-bit input:
    T0SZ 25, start level 1)."""
    return mem.alloc(PAGE, PAGE)


def bounds_cd(root, asid):
    return encode(CD_FIELDS, dict(t0sz=25, tg0=0, irgn0=1, orgn0=1, sh0=3,
                                  epd1=1, v=1, ips=5, aa64=1, r=1, a=1,
                                  aset=1, asid=asid, ttb0=root,
                                  mair=0x0000000000ff4404))


def bounds_s1_ste(ctxptr, s1fmt, s1cdmax):
    return encode(STE_FIELDS, dict(config=5, s1fmt=s1fmt, s1_context_ptr=ctxptr,
                                   s1cdmax=s1cdmax, s1cir=1, s1cor=1,
                                   s1csh=3))


def bounds_cdmax31():
    """One STE, linear CD table, S1CDMax 31: 2^31 CDs (128 GiB) if believed.
    SSIDSIZE is at most 20 (IHI 0070 6.3.2), and an S1CDMax above
    SSIDSIZE makes the STE ILLEGAL (5.2)."""
    m = Mem()
    st = m.alloc(64, 64)
    root = bounds_empty_pt(m)
    cdt = m.alloc(PAGE, PAGE)
    m.wwords(cdt, bounds_cd(root, 1))
    w = bounds_s1_ste(cdt, 0, 31)
    w[0] |= 1
    m.wwords(st, w)
    return m, st | (1 << 62), 0         # linear, LOG2SIZE 0


def bounds_shared_cds():
    """512 STEs (linear, LOG2SIZE 9), every one with a 2-level CD table
    (S1Fmt 1: 4 KB leaves of 64 CDs, S1CDMax 16: 1024 L1 descriptors) whose
    L1 descriptors all point at the same leaf of 64 valid CDs, which all
    use the same empty page table: 2^16 valid CDs per stream, 2^25 in all,
    from 56 KB of tables."""
    m = Mem()
    st = m.alloc(64 << 9, 64 << 9)
    l1 = m.alloc(8 * 1024, 8 * 1024)
    leaf = m.alloc(PAGE, PAGE)
    root = bounds_empty_pt(m)
    for i in range(64):
        m.wwords(leaf + 64 * i, bounds_cd(root, 1 + i))
    for i in range(1024):
        m.w64(l1 + 8 * i, leaf | 1)     # L1CD.V = bit 0 (IHI 0070 5.3.1)
    for sid in range(512):
        w = bounds_s1_ste(l1, 1, 16)
        w[0] |= 1
        m.wwords(st + 64 * sid, w)
    return m, st | (1 << 62), 9


def bounds_shared_bad_cds():
    """4,096 STEs (linear, LOG2SIZE 12), every one with the same linear CD
    table of S1CDMax 20 (2^20 CDs, 64 MiB; SSIDSIZE 20 allows it, IHI 0070
    5.2) whose first page holds one valid CD and whose other 16,383 pages
    are not in the dump: each stream hides the same SSIDs 64 to 2^20 - 1.
    Reading the table again for every stream is 2^26 failed page reads
    (24 s); read once and its problem given to every stream, 0.1 s."""
    m = Mem()
    st = m.alloc(64 << 12, 64 << 12)
    root = bounds_empty_pt(m)
    cdt = m.alloc(PAGE, 64 << 20)       # only the first page is in the dump
    m.wwords(cdt, bounds_cd(root, 1))
    for sid in range(1 << 12):
        w = bounds_s1_ste(cdt, 0, 20)
        w[0] |= 1
        m.wwords(st + 64 * sid, w)
    return m, st | (1 << 62), 12


def bounds_l1_self():
    """2-level stream table, LOG2SIZE 32 and SPLIT 6 with SIDSIZE unknown:
    2^26 L1 descriptors (512 MiB) of which the dump holds the first 512
    (4 KB), each pointing back at the L1 table itself as its L2 table.
    Read as an L2 table, the L1 table's STE k is descriptors 8k..8k+7: its
    V bit is bit 0 of descriptor 8k, i.e. of its Span (IHI 0070 5.1.2:
    L2Ptr [51:6], Span [4:0]).  Descriptors 0 and 8 have Span 7 (SPLIT+1:
    64 STEs), the others Span 6 (32 STEs): STEs 0 and 1 of every L2 table
    are valid (with a reserved CONFIG), 1024 in all, the rest invalid."""
    m = Mem()
    n = 512
    l1 = m.alloc(8 * n, 8 * n)
    for i in range(n):
        m.w64(l1 + 8 * i, l1 | (7 if i in (0, 8) else 6))
    cfg = (1 << 16) | (6 << 6) | 32     # FMT 2-level, SPLIT 6, LOG2SIZE 32
    return m, l1 | (1 << 62), cfg


EVTQ_FULL_LOG2 = 19          # IDR1.EVTQS maximum (IHI 0070 6.3.2)
EVTQ_FULL_SIDS = 1024
EVTQ_FULL_PROD = (1 << EVTQ_FULL_LOG2) | 0x2345    # wrap flag set, index 0x2345
EVTQ_FULL_LIVE = 1000


def bounds_evtq_full():
    """An event ring at its architectural size, 2^19 slots (16 MiB), every
    one holding an F_TRANSLATION record (IHI 0070 7.3.13): slot k from
    StreamID k % 1024 at IOVA k * 4 KB; PROD at index 0x2345 (wrapped),
    CONS 1000 behind it.  The stream table has no valid STE, so every
    StreamID is an unknown requester whose counts and IOVA range the
    report must give from all 512 of its records, while keeping only the
    newest records whole.  Returns (mem, base, cfg, registers, checks)."""
    m = Mem()
    st = m.alloc(64, 64)                # one STE, invalid
    size = 1 << EVTQ_FULL_LOG2
    ring = m.alloc(32 * size, 32 * size)
    for k in range(size):
        pa = ring + 32 * k
        # DW0: ID [7:0], StreamID [63:32]; DW1: RnW [35]; DW2: InputAddr
        struct.pack_into("<QQQQ", m.pages[pa // PAGE], pa % PAGE,
                         0x10 | (k % EVTQ_FULL_SIDS) << 32, 1 << 35, k << 12, 0)
    pidx = EVTQ_FULL_PROD & (size - 1)
    cons = EVTQ_FULL_PROD - EVTQ_FULL_LIVE
    live = {(pidx - 1 - i) % size for i in range(EVTQ_FULL_LIVE)}
    sids = {}
    for k in range(size):
        e = sids.setdefault(k % EVTQ_FULL_SIDS, [0, 0, k << 12, k << 12])
        e[0 if k in live else 1] += 1
        e[2], e[3] = min(e[2], k << 12), max(e[3], k << 12)
    regs = {"EVTQ_BASE": ring | EVTQ_FULL_LOG2, "EVTQ_PROD": EVTQ_FULL_PROD,
            "EVTQ_CONS": cons}
    checks = dict(events=dict(total=size, newest_index=(pidx - 1) % size,
                              ring_size=size,
                              sids={str(s): v for s, v in sids.items()}))
    return m, st | (1 << 62), 0, regs, checks


CMDQ_FULL_LOG2 = 19          # IDR1.CMDQS maximum (IHI 0070 6.3.2)
CMDQ_FULL_CONS = 0x1234


def bounds_cmdq_full():
    """A command ring at its architectural size, 2^19 slots (8 MiB), all
    pending: PROD is CONS with the wrap flag flipped (IHI 0070 3.5: full).
    Slot k holds CMD_CFGI_STE (opcode 0x03, IHI 0070 4.3.1) for StreamID
    k.  The report must count them all and keep only the oldest whole."""
    m = Mem()
    st = m.alloc(64, 64)
    size = 1 << CMDQ_FULL_LOG2
    ring = m.alloc(16 * size, 16 * size)
    for k in range(size):
        pa = ring + 16 * k
        # DW0: opcode [7:0], StreamID [63:32]; DW1: Leaf [0]
        struct.pack_into("<QQ", m.pages[pa // PAGE], pa % PAGE, 0x03 | k << 32, 1)
    cons = CMDQ_FULL_CONS
    regs = {"CMDQ_BASE": ring | CMDQ_FULL_LOG2, "CMDQ_CONS": cons,
            "CMDQ_PROD": cons ^ (1 << CMDQ_FULL_LOG2)}
    return m, st | (1 << 62), 0, regs, dict(commands=dict(total=size, oldest_index=cons,
                                                            ring_size=size))


BOUNDS_CASES = [
    # name, builder, IDR1 known, description, tool arguments, limits, checks
    dict(name="bound-cdmax31", build=bounds_cdmax31, idr1=None,
         desc="one STE with S1CDMax 31, SSIDSIZE unknown",
         args=["-J", "-a", "-m"], seconds=20, mib=256,
         checks=dict(problem_sid=0, problem_kind="size", max_contexts=1 << 20)),
    dict(name="bound-cdmax31-idr1", build=bounds_cdmax31,
         idr1=idr1(ssidsize=16), desc="one STE with S1CDMax 31 above SSIDSIZE 16",
         args=["-J", "-a", "-m"], seconds=20, mib=256,
         checks=dict(problem_sid=0, problem_kind="bad_ste", max_contexts=0)),
    dict(name="bound-shared-cds", build=bounds_shared_cds, idr1=idr1(ssidsize=16),
         desc="512 STEs whose 2-level CD tables all point at the same 64 CDs",
         args=["-J", "-a"], seconds=20, mib=512, timeout=False,
         checks=dict(valid=512, max_contexts=1 << 16)),
    dict(name="bound-shared-cds-m", build=bounds_shared_cds, idr1=idr1(ssidsize=16),
         desc="the same, with their (empty) page tables walked",
         args=["-J", "-a", "-m"], seconds=30, mib=512, timeout=False,
         checks=dict(valid=512, max_contexts=1 << 16, mappings=0)),
    dict(name="bound-shared-bad-cds", build=bounds_shared_bad_cds,
         idr1=idr1(ssidsize=20),
         desc="4096 STEs sharing a linear CD table of 2^20 CDs, all but 64 missing",
         args=["-J", "-a"], seconds=10, mib=128,
         checks=dict(valid=1 << 12, problem_kind="nodata", problem_sid=0,
                     max_contexts=1)),
    dict(name="bound-evtq-full", build=bounds_evtq_full, idr1=idr1(),
         desc="an event ring of 2^19 records from 1024 StreamIDs",
         args=["-J", "-a"], seconds=30, mib=64,
         checks=dict(problem_kind="size")),
    dict(name="bound-cmdq-full", build=bounds_cmdq_full, idr1=idr1(),
         desc="a command ring of 2^19 pending commands",
         args=["-J", "-a"], seconds=30, mib=64,
         checks=dict(problem_kind="size")),
    dict(name="bound-l1-self", build=bounds_l1_self, idr1=None,
         desc="2-level stream table, LOG2SIZE 32, L1 descriptors pointing back at the L1 table",
         args=["-J"], seconds=30, mib=512,
         checks=dict(problem_address="strtab", valid=2 * 512)),
]


def write_bounds(outdir):
    os.makedirs(outdir, exist_ok=True)
    out = []
    for c in BOUNDS_CASES:
        m, base, cfg, *more = c["build"]()
        regs, more_checks = more if more else ({}, {})
        base_pa = base & ~(1 << 62)
        with open(os.path.join(outdir, c["name"] + ".regs"), "w") as f:
            f.write(bounds_regs(c["name"], c["desc"], base, cfg, c["idr1"], extra=regs))
        write_elf(os.path.join(outdir, c["name"] + ".elf"), m, vmcoreinfo_text())
        checks = dict(c["checks"], **more_checks)
        if checks.get("problem_address") == "strtab":
            checks["problem_address"] = H(base_pa)
        out.append(dict(name=c["name"], dump=c["name"] + ".elf",
                        regs=c["name"] + ".regs", desc=c["desc"], args=c["args"],
                        seconds=c["seconds"], mib=c["mib"],
                        timeout=c.get("timeout", True), checks=checks))
    with open(os.path.join(outdir, "bounds.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    return out


# --------------------------------------------------------------------------
# Sample for the README

def sample(path):
    s = Scenario("sample", "quick-start sample: 2-level stream table (SPLIT 8, "
                 "Linux layout) with a few translating devices",
                 fmt="2-level", log2size=16, split=8,
                 smmu_name="smmu3.0x0000000009050000")
    m = s.mem
    s.add_l2(0)
    s.add_l2(1)
    pt = PageTable(m, s.space, 1, 4096, 48)
    pt.map_range(0xfffe_0000, 0x4300_0000, 16, contig_runs=True)
    pt.map(0xffff_f000, 0x0809_0000, 3, x=False)
    pt.map_range(0xfffc_0000, 0x4310_0000, 8, w=False, x=False)
    cdt = CDTable(m, s.space, 0, 0)
    cdt.set(0, cd_defaults(pt, 1), pt)
    s.s1(0x08, cdt)
    s.s1(0x10, cdt)
    pt2 = PageTable(m, s.space, 1, 4096, 48)
    pt2.map_range(0xfff0_0000, 0x4400_0000, 40, x=False)
    pt2.map(0xffff_f000, 0x0809_0000, 3, x=False)
    cdt2 = CDTable(m, s.space, 0, 0)
    cdt2.set(0, cd_defaults(pt2, 2), pt2)
    s.s1(0x100, cdt2)
    s2 = PageTable(m, s.space, 2, 4096, 40, sl0=1)
    s2.map(0x4000_0000, 0x4800_0000, 2)
    s.s2(0x18, s2, vmid=1)
    s.ste(0x20, dict(config=4, shcfg=1))
    s.abort_fill_expect()
    write_elf(path, s.mem, vmcoreinfo_text())
    with open(os.path.join(os.path.dirname(os.path.abspath(path)), "sample.regs"), "w") as f:
        f.write(s.regs_text())
    return s


# --------------------------------------------------------------------------
# Self check through libkdumpfile

def kdump_read_pages(path, pfns):
    import kdumpfile
    k = kdumpfile.kdumpfile(path)
    k.attr["addrxlat.ostype"] = "linux"
    out = {}
    for pfn in pfns:
        try:
            out[pfn] = bytes(k.read(kdumpfile.KDUMP_KPHYSADDR, pfn * PAGE, PAGE))
        except Exception as ex:    # NODATA and friends
            out[pfn] = ex
    return out, k


def check(outdir):
    scens = {s.name: s for s in build_all()}
    with open(os.path.join(outdir, "index.json")) as f:
        index = json.load(f)
    fails = 0
    tmpd = tempfile.mkdtemp(prefix="synth-check-")
    scens["sample"] = sample(os.path.join(tmpd, "sample.vmcore"))
    try:
        for ent in index:
            if ent["format"] == "broken":
                continue
            base = ent["regs"][:-5]
            s = scens[base]
            path = os.path.join(outdir, ent["dump"])
            name = "synth/%s: libkdumpfile reads back every page" % ent["name"]
            if ent["format"] == "flattened":
                re = os.path.join(tmpd, "re")
                if os.path.exists(re):
                    os.unlink(re)
                with open(path, "rb") as fin:
                    r = subprocess.run(["makedumpfile", "-R", re], stdin=fin,
                                       stdout=subprocess.DEVNULL,
                                       stderr=subprocess.PIPE)
                if r.returncode != 0:
                    print("not ok %s - makedumpfile -R failed: %s" %
                          (name, r.stderr.decode(errors="replace").strip()[:200]))
                    fails += 1
                    continue
                with open(re, "rb") as f1:
                    ident = f1.read() == kdump_bytes(s.mem, vmcoreinfo_text(),
                                                     ent["dump"].split("-")[-1])[0]
                print("%s synth/%s: makedumpfile -R reassembles the kdump file byte for byte" %
                      ("ok" if ident else "not ok", ent["name"]))
                fails += not ident
                path = re
            dl1 = ent["dump"].endswith("dl1")
            excluded = set()
            if dl1:
                excluded = {pfn for pfn in s.mem.pages if not any(s.mem.pages[pfn])}
            pfns = sorted(s.mem.pages)
            try:
                got, k = kdump_read_pages(path, pfns)
            except Exception as ex:
                print("not ok %s - open failed: %s" % (name, ex))
                fails += 1
                continue
            bad = []
            for pfn in pfns:
                g = got[pfn]
                if pfn in excluded:
                    if not isinstance(g, Exception):
                        bad.append("pfn %#x readable though excluded" % pfn)
                elif isinstance(g, Exception):
                    bad.append("pfn %#x: %s" % (pfn, g))
                elif g != bytes(s.mem.pages[pfn]):
                    bad.append("pfn %#x differs" % pfn)
            # a hole must not be readable
            try:
                k.read(__import__("kdumpfile").KDUMP_KPHYSADDR, 0x7e000000, 8)
                bad.append("hole 0x7e000000 readable")
            except Exception:
                pass
            vi = k.attr.get("linux.vmcoreinfo.lines.OSRELEASE") if hasattr(k.attr, "get") else None
            try:
                vi = k.attr["linux.vmcoreinfo.lines.OSRELEASE"]
            except Exception:
                vi = None
            if vi != OSRELEASE:
                bad.append("VMCOREINFO OSRELEASE not found (%r)" % (vi,))
            if bad:
                fails += 1
                print("not ok %s - %s" % (name, "; ".join(bad[:4])))
            else:
                print("ok %s" % name)
    finally:
        shutil.rmtree(tmpd, ignore_errors=True)
    return fails


def main(argv):
    if len(argv) >= 2 and argv[1] == "--list":
        for s in build_all():
            print("%-16s %s" % (s.name, s.desc))
        return 0
    if len(argv) == 3 and argv[1] == "--sample":
        sample(argv[2])
        return 0
    if len(argv) == 3 and argv[1] == "--bounds":
        write_bounds(argv[2])
        return 0
    if len(argv) == 3 and argv[1] == "--check":
        check(argv[2])
        return 0
    if len(argv) != 2 or argv[1].startswith("-"):
        sys.stderr.write(__doc__)
        return 2
    generate(argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
