#!/usr/bin/python3
"""Build the seed corpora of the fuzz harnesses (README, Tests).

    mkcorpus.py OUTDIR

writes OUTDIR/<harness>/<seed> for every harness in tests/fuzz, from:
  - the synthetic dumps of tests/vmcores/synth/gen.py (generated here into
    OUTDIR/synth): whole small dumps for fuzz_dump; register header +
    first memory segment for fuzz_decoders and fuzz_decode_smmu (as its
    non-zero extents, and whole when it is small); their register files
    for fuzz_regfile;
  - the real dumps in /var/cache/smmu-strtab-dump/real when present (their
    first 64 KiB: ELF program headers and notes, kdump/flattened/QEMU
    headers and bitmaps; their register files);
  - small kallsyms tables and BTF blobs built here, laid out the way
    scripts/kallsyms.c and the BTF format (Documentation/bpf/btf.rst) say;
  - a few hand-written --sid lists and numbers.
Nothing here is committed: the corpora are rebuilt on every run.
"""

import glob
import os
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
REAL = os.environ.get("SD_REAL_DIR", "/var/cache/smmu-strtab-dump/real")
DUMP_MAX = 160 << 10        # whole synthetic dumps up to this size
HEAD = 64 << 10             # bytes kept of the real dumps
IMAGE_MAX = 4 << 20         # memory image of the decoder seeds
FLAT_MAX = 64 << 10         # ... also written whole up to this size (fuzz.sh's -max_len)
EXTENT_ALIGN = 64           # extents: runs of non-zero 64-byte blocks

# fz_mem.h flags
HAVE_IDR0, HAVE_IDR1, HAVE_IDR5, WRAP, MAPPINGS, HAVE_EVTQ, HAVE_CMDQ, SPARSE = \
    (1 << i for i in range(8))


def put(outdir, harness, name, data):
    d = os.path.join(outdir, harness)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def read_regs(path):
    """The first snapshot of a register file: {NAME: value}."""
    regs = {}
    for line in open(path, encoding="utf-8", errors="replace"):
        line = line.split("#", 1)[0].strip()
        if "=" not in line:
            if regs and line:
                break           # the next SMMU
            continue
        k, v = (x.strip() for x in line.split("=", 1))
        try:
            regs[k.upper()] = int(v, 0)
        except ValueError:
            pass
    return regs


def first_load(path):
    """(paddr, bytes) of the first PT_LOAD of a little-endian ELF64 file."""
    with open(path, "rb") as f:
        eh = f.read(64)
        if eh[:4] != b"\x7fELF" or eh[4] != 2:
            return None
        phoff, = struct.unpack_from("<Q", eh, 0x20)
        phentsize, phnum = struct.unpack_from("<HH", eh, 0x36)
        for i in range(phnum):
            f.seek(phoff + i * phentsize)
            p_type, _, off, _, paddr, filesz = struct.unpack("<IIQQQQ", f.read(40))
            if p_type == 1 and filesz:
                f.seek(off)
                return paddr, f.read(min(filesz, IMAGE_MAX))
    return None


def smmu_header(regs, flags, mem_base):
    for r, bit in (("IDR0", HAVE_IDR0), ("IDR1", HAVE_IDR1), ("IDR5", HAVE_IDR5)):
        if r in regs:
            flags |= bit
    if all(r in regs for r in ("EVTQ_BASE", "EVTQ_PROD", "EVTQ_CONS")):
        flags |= HAVE_EVTQ
    if all(r in regs for r in ("CMDQ_BASE", "CMDQ_PROD", "CMDQ_CONS")):
        flags |= HAVE_CMDQ
    g = lambda k: regs.get(k, 0)
    h = struct.pack("<IIII QQ QII QII Q", g("IDR0"), g("IDR1"), g("IDR5"), flags,
                    g("STRTAB_BASE"), g("STRTAB_BASE_CFG"),
                    g("EVTQ_BASE"), g("EVTQ_PROD"), g("EVTQ_CONS"),
                    g("CMDQ_BASE"), g("CMDQ_PROD"), g("CMDQ_CONS"), mem_base)
    assert len(h) == 72     # FZ_SMMU_HDR
    return h


def extents(img):
    """fz_mem.h's FZ_SPARSE image: span, then (offset, length, bytes) for
    every run of non-zero EXTENT_ALIGN-byte blocks."""
    out = [struct.pack("<Q", len(img))]
    a = EXTENT_ALIGN
    nz = [any(img[i:i + a]) for i in range(0, len(img), a)]
    i = 0
    while i < len(nz):
        if not nz[i]:
            i += 1
            continue
        j = i
        while j < len(nz) and nz[j]:
            j += 1
        chunk = img[i * a:j * a]
        out.append(struct.pack("<QI", i * a, len(chunk)) + chunk)
        i = j
    return b"".join(out)


def synthetic(outdir):
    sd = os.path.join(outdir, "synth")
    subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "tests/vmcores/synth/gen.py"), sd],
                   check=True, stdout=subprocess.DEVNULL)
    for path in sorted(glob.glob(os.path.join(sd, "*"))):
        base = os.path.basename(path)
        if base.endswith((".json", ".regs")) or os.path.getsize(path) > DUMP_MAX:
            continue
        put(outdir, "fuzz_dump", "synth-" + base, open(path, "rb").read())
    for regs_path in sorted(glob.glob(os.path.join(sd, "*.regs"))):
        name = os.path.basename(regs_path)[:-5]
        put(outdir, "fuzz_regfile", "synth-" + name, open(regs_path, "rb").read())
        elf = next((p for p in (os.path.join(sd, name + ".elf"), os.path.join(sd, name + ".vmcore"))
                    if os.path.exists(p)), None)
        seg = elf and first_load(elf)
        if not seg:
            continue
        regs = read_regs(regs_path)
        paddr, img = seg
        for harness in ("fuzz_decoders", "fuzz_decode_smmu"):
            for suffix, flags in (("", 0), ("-maps", MAPPINGS)):
                put(outdir, harness, name + suffix + "-ext",
                    smmu_header(regs, flags | SPARSE, paddr) + extents(img))
                if len(img) <= FLAT_MAX:
                    put(outdir, harness, name + suffix, smmu_header(regs, flags, paddr) + img)


def real(outdir):
    if not os.path.isdir(REAL):
        return 0
    n = 0
    for path in sorted(glob.glob(os.path.join(REAL, "*", "*"))):
        base = os.path.basename(path)
        tag = os.path.basename(os.path.dirname(path)) + "-" + base
        if base.endswith(".regs"):
            put(outdir, "fuzz_regfile", "real-" + tag, open(path, "rb").read())
        elif base.endswith((".elf", ".flat")) or ".kdump" in base:
            with open(path, "rb") as f:
                put(outdir, "fuzz_dump", "real-" + tag, f.read(HEAD))
            n += 1
    return n


# --- kallsyms (scripts/kallsyms.c layout; tests/unit/test_kallsyms.c) ---

VBASE = 0xffff800010000000
MULTI = [b"arm_smmu_", b"iommu_", b"_device", b"__", b"BTF"]
SYMS = [("_stext", "T"), ("arm_smmu_device_probe", "t"), ("iommu_device_list", "d"),
        ("__start_BTF", "R"), ("__stop_BTF", "R"), ("btf_modules", "d"), ("_end", "B")]


def ksym_encode(s):
    out = bytearray()
    while s:
        best = max((t for t in MULTI if s.startswith(t)), key=len, default=None)
        if best:
            out.append(0x80 + MULTI.index(best))
            s = s[len(best):]
        else:
            out.append(s[0])
            s = s[1:]
    return bytes(out)


def kallsyms(outdir):
    text = VBASE + 0x80000
    addrs = [text + 0x100 * i for i in range(len(SYMS))]
    tokens, index = bytearray(), []
    for i in range(256):
        index.append(len(tokens))
        if 1 <= i < 128:
            tokens.append(i)
        elif 0x80 <= i < 0x80 + len(MULTI):
            tokens += MULTI[i - 0x80]
        tokens.append(0)
    names = bytearray()
    for name, t in SYMS:
        e = ksym_encode((t + name).encode())
        names += bytes([len(e)]) + e
    for enc, flags, tables in (
            (1, 4, struct.pack("<%dQ" % len(addrs), *addrs)),                # absolute
            (2, 3, struct.pack("<%di" % len(addrs), *(a - text for a in addrs)))):  # relative
        img = bytearray()

        def place(data):
            while len(img) % 8:
                img.append(0)
            off = len(img)
            img.extend(data)
            return off
        num = place(struct.pack("<I", len(SYMS)))
        nm = place(names)
        tt = place(tokens)
        ti = place(struct.pack("<256H", *index))
        tab = place(tables)
        rb = place(struct.pack("<Q", text)) if flags & 2 else 0
        offsets, addresses = (tab, 0) if flags & 1 else (0, tab)
        hdr = struct.pack("<BBBB7IQ", flags, 0, 0, 0, nm, tt, ti, num, offsets, rb, addresses,
                          addrs[0])
        put(outdir, "fuzz_kallsyms", "enc%d" % enc, hdr + bytes(img))
        put(outdir, "fuzz_kallsyms", "enc%d-forced" % enc,
            struct.pack("<BBB", flags, enc, 1) + hdr[3:] + bytes(img))


# --- BTF (Documentation/bpf/btf.rst) ---

KIND_INT, KIND_PTR, KIND_STRUCT, KIND_UNION, KIND_FWD = 1, 2, 4, 5, 7


class Btf:
    def __init__(self, str_base=0):
        self.types = bytearray()
        self.strs = bytearray(b"\0")
        self.str_base = str_base

    def s(self, name):
        if not name:
            return 0
        off = self.str_base + len(self.strs)
        self.strs += name.encode() + b"\0"
        return off

    def t(self, name, kind, vlen, size_or_type, extra=b"", kflag=0):
        self.types += struct.pack("<III", self.s(name), kind << 24 | vlen | kflag << 31,
                                  size_or_type) + extra

    def struct(self, name, size, members, kind=KIND_STRUCT, kflag=0):
        extra = b"".join(struct.pack("<III", self.s(n), t, off) for n, t, off in members)
        self.t(name, kind, len(members), size, extra, kflag)

    def raw(self):
        return struct.pack("<HBBIIIII", 0xeB9F, 1, 0, 24, 0, len(self.types),
                           len(self.types), len(self.strs)) + bytes(self.types) + bytes(self.strs)


def btf(outdir):
    b = Btf()
    b.t("int", KIND_INT, 0, 4, struct.pack("<I", 1 << 24 | 32))                    # 1
    b.t("long long unsigned int", KIND_INT, 0, 8, struct.pack("<I", 64))         # 2
    b.t("list_head", KIND_FWD, 0, 0)                                             # 3
    b.t(None, KIND_PTR, 0, 3)                                                    # 4
    b.struct("list_head", 16, [("next", 4, 0), ("prev", 4, 64)])                 # 5
    b.struct("device", 24, [("kobj_name", 2, 0), ("node", 5, 64)])               # 6
    b.struct("btf", 16, [("data", 4, 0), ("data_size", 1, 64)])                  # 7
    base = b.raw()
    s = Btf(len(b.strs))
    s.t(None, KIND_PTR, 0, 6)                                                    # 8
    s.struct("arm_smmu_strtab_l2", 8, [("l1_dma", 2, 0)])                        # 9
    s.struct(None, 8, [("l2", 9, 0)], KIND_UNION)                                # 10
    s.struct("arm_smmu_strtab_cfg", 8, [(None, 10, 0)])                          # 11
    s.struct("arm_smmu_device", 64, [("dev", 8, 0), ("sid_bits", 1, 96), ("strtab_cfg", 11, 128),
                                     ("flag", 1, 3 << 24 | 320), ("iommu", 5, 384)], kflag=1)  # 12
    split = s.raw()
    put(outdir, "fuzz_btf", "vmlinux", struct.pack("<I", len(base)) + base)
    put(outdir, "fuzz_btf", "split", struct.pack("<I", len(base)) + base + split)


def parse(outdir):
    for i, s in enumerate(["0x10", "0x10-0x1f", "1,2,3-7", " 42 ", "0x0-0xffffffff",
                           "5,1,3-4,2", "18446744073709551615", "010", "0x8,0x8-0x9"]):
        put(outdir, "fuzz_parse", "seed%d" % i, s.encode())


def regfile_extra(outdir):
    sample = os.path.join(ROOT, "tests/vmcores/sample.regs")
    if os.path.exists(sample):
        put(outdir, "fuzz_regfile", "sample", open(sample, "rb").read())
    put(outdir, "fuzz_regfile", "two-smmus",
        b"smmu a\nbase = 0x9050000\nSTRTAB_BASE = 0x40800000\nSTRTAB_BASE_CFG = 6 # linear\n"
        b"\nsmmu b\nIDR0=0x80c169b\nIDR1 = 0x2730410\n")


def main(argv):
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    out = argv[1]
    os.makedirs(out, exist_ok=True)
    synthetic(out)
    nreal = real(out)
    kallsyms(out)
    btf(out)
    parse(out)
    regfile_extra(out)
    print("# seeds: %s; %d real dump heads" % (", ".join(
        "%s %d" % (h, len(os.listdir(os.path.join(out, h))))
        for h in sorted(os.listdir(out)) if h.startswith("fuzz_")), nreal))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
