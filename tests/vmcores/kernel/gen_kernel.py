#!/usr/bin/python3
"""Synthetic crash dumps of older kernel layouts, with their DWARF or BTF.

    gen_kernel.py OUTDIR [LAYOUT...]     (LAYOUT: 5.10 5.15 6.6 6.12
                                          5.15-module 6.12-module-btf;
                                          default all; and 6.12-highbank,
                                          only when named)

For each layout, compiles layouts/linux-LAYOUT.c (that kernel version's
arm-smmu-v3 structures, member order exact, plus reduced generic structures)
with aarch64-linux-gnu-gcc -g -c, links it into OUTDIR/LAYOUT/vmlinux (a
kernel-image-addressed ELF whose .symtab holds iommu_device_list,
crashk_res, crashk_low_res, devices_kset, pci_bus_type and whose GNU
build-id the dump's VMCOREINFO repeats), then writes OUTDIR/LAYOUT/vmcore
(ELF, arm64, 4K pages, VA_BITS 48) holding the crashed kernel's objects at
the offsets the compiler chose (read from the .sd_offsets table the layout
file emits with offsetof, never from a DWARF or BTF reader), and
OUTDIR/LAYOUT/expect.json.  LAYOUT-module: arm-smmu-v3 built as a module; the
vmlinux has only the generic types and OUTDIR/LAYOUT/debug/arm_smmu_v3.ko.xz
has the SMMU's (found through $SMMU_STRTAB_DUMP_DEBUGINFO_DIR).

Where each layout comes from (the layout files' headers give the trees):
  5.10, 5.15, 6.6, 6.12   drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.h of that
                          version -> layouts/linux-VER.c (+ smmu-queues-5.10.h)
  5.15-module             layouts/linux-5.15.c as the module's debug file,
                          layouts/vmlinux-only.c as the vmlinux
  6.12-module-btf         layouts/linux-6.12.c as the module, virtio-blk-6.12.c
                          as an unrelated one, vmlinux-6.12-btf.c (include/
                          linux/module.h, kernel/bpf/btf.c, include/linux/
                          sched.h) as the vmlinux; kallsyms from
                          scripts/kallsyms.c + scripts/mksysmap, VMCOREINFO
                          from kernel/vmcore_info.c, the link from
                          scripts/link-vmlinux.sh, module BTF from
                          scripts/Makefile.modfinal
  generic structures      layouts/common.h (reduced, kernel member order)

6.12-module-btf: what a 6.12 kernel with CONFIG_ARM_SMMU_V3=m,
CONFIG_KALLSYMS_ALL=y, CONFIG_DEBUG_INFO_BTF=y and
CONFIG_DEBUG_INFO_BTF_MODULES=y leaves in memory, so that the tool can work
from the dump alone (no vmlinux, no debug file; a distribution kernel's
usual case).  Built the way the kernel builds it, with pahole (dwarves):
  - vmlinux from layouts/vmlinux-6.12-btf.c (common.h's generic types plus
    task_struct, module, btf, btf_module, the btf_modules and modules lists)
    and a generated filler.c (a few hundred functions and data objects of
    every kallsyms type, and one symbol whose name compresses to more than
    127 tokens), compiled -g -gdwarf-4 and linked as scripts/link-vmlinux.sh
    does: an empty kallsyms object first, `pahole -J` on .tmp_vmlinux1 and
    its .BTF section copied into the image between __start_BTF and
    __stop_BTF, then kallsyms passes until the tables describe the image
    that holds them;
  - the kallsyms tables (kallsyms_num_syms, _names, _markers,
    _token_table, _token_index, _offsets, _relative_base, _seqs_of_names)
    computed as scripts/kallsyms.c --all-symbols of 6.12 computes them from
    `nm -n` filtered like scripts/mksysmap (same token-pair compression,
    ULEB128 name lengths, u32 markers, u32 offsets from
    kallsyms_relative_base), named in VMCOREINFO as kernel/vmcore_info.c
    of 6.12 names them;
  - two modules' split BTF (`pahole -J --btf_base vmlinux`, as
    scripts/Makefile.modfinal): virtio_blk (layouts/virtio-blk-6.12.c) and
    arm_smmu_v3 (layouts/linux-6.12.c), each copied into a kmalloc'd buffer
    behind a struct btf on the static btf_modules list of kernel/bpf/btf.c
    (list_add order: the later-loaded virtio_blk first), their struct
    module on `modules` with btf_data cleared as do_init_module() leaves it.
  The vmlinux BTF has no arm-smmu-v3 type: the tool has to take them from
  the module's BTF.  OUTDIR/6.12-module-btf/vmcore-nomodbtf is the same dump
  with arm_smmu_v3's btf_module unlinked (list_del poison), only virtio_blk
  left on btf_modules: the SMMU's types cannot be found there;
  OUTDIR/6.12-module-btf/vmcore-modloop is that one with virtio_blk's entry
  pointing at itself (a loop that never returns to the head).
  Simplifications: struct module and the BTF copies sit in the linear map
  (a real struct module is in module space, and kvmalloc may vmalloc a large
  copy); VMCOREINFO has no init_uts_ns; no module symbols (kallsyms of
  modules is not in the vmlinux tables anyway).

The kernel's view:
  iommu_device_list -> an SMMUv2-style entry bound to "arm-smmu" (must be
  skipped) and the SMMUv3 "9050000.smmuv3" (iommu device
  smmu3.0x0000000009050000), 2-level stream table, sid_bits 16;
  devices (StreamID = bus << 8 | devfn):
    0x008 0000:00:01.0 nvme    bus master  group 0  DMA domain    S1, 3 mappings
    0x100 0000:01:00.0 vfio-pci no master  group 1  unmanaged     S2, 1 mapping
          (a device handed to user space: VFIO passes the command register
          through, so the kernel's is_busmaster stays 0)
    0x101 9000000.dma  (none)  not PCI     group 2  blocked       abort
  crashk_res [0x50000000, 0x57ffffff]; one mapping of 0x008 has its IOVA in
  it, another its PA (writable); nothing else overlaps.  0x008's CD table
  sits inside crashk_res (the adoption's placement check names it).  Before 5.13 the masters are
  reached through devices_kset and master->sids[]; from 5.13 through the
  smmu->streams rb-tree.

Stream table, STE, CD and page-table bytes come from tests/vmcores/synth/gen.py
(written from the architecture, independently of the decoder).
"""

import json
import os
import random
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(HERE, "..", "synth"))
import gen  # noqa: E402  (the synthetic generator: STEs, CDs, page tables, ELF writer)

LAYOUTS = ["5.10", "5.15", "6.6", "6.12", "5.15-module", "6.12-module-btf"]
CC = os.environ.get("AARCH64_CC", "aarch64-linux-gnu-gcc")
LD = os.environ.get("AARCH64_LD", "aarch64-linux-gnu-ld")
NM = os.environ.get("AARCH64_NM", "aarch64-linux-gnu-nm")
OBJCOPY = os.environ.get("AARCH64_OBJCOPY", "aarch64-linux-gnu-objcopy")
PAHOLE = os.environ.get("PAHOLE", "pahole")
LINK_BASE = gen.KIMAGE_VADDR + 0x10000
CRASHK = (0x50000000, 0x57ffffff)
CRASHK_CD = CRASHK[0] + 0x300000      # a CD table placed inside the reservation
FEATURES = (1 << 0) | (1 << 1) | (1 << 2) | (1 << 7) | (1 << 8) | (1 << 9) | (1 << 10)
OPTIONS = 1 << 2                                    # MSIPOLL
LDS = """SECTIONS {
  . = 0x%x;
  .text : { *(.text*) }
  . = ALIGN(4096);
  .notes : { *(.note.gnu.build-id) }
  . = ALIGN(4096);
  .data : { *(.data*) *(.rodata*) *(.sd_offsets) }
  . = ALIGN(4096);
  .bss : { *(.bss*) *(COMMON) }
}
""" % LINK_BASE


# --------------------------------------------------------------------------
# ELF64 reading: sections, symbols, build-id

def read_elf(path):
    data = open(path, "rb").read()
    assert data[:4] == b"\x7fELF" and data[4] == 2
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3a)
    secs = []
    for i in range(shnum):
        name, typ, flags, addr, off, size, link, info, align, entsize = \
            struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
        secs.append(dict(name=name, type=typ, addr=addr, off=off, size=size,
                         link=link, entsize=entsize))
    strs = secs[shstrndx]
    for s in secs:
        o = strs["off"] + s["name"]
        s["name"] = data[o:data.index(b"\0", o)].decode()
    syms, sizes, where = {}, {}, {}
    bid = None
    for s in secs:
        if s["type"] == 2:      # SHT_SYMTAB
            st = secs[s["link"]]
            for k in range(s["size"] // 24):
                nm, info, other, shndx, val, sz = struct.unpack_from(
                    "<IBBHQQ", data, s["off"] + 24 * k)
                if nm and shndx and shndx < len(secs):
                    o = st["off"] + nm
                    n = data[o:data.index(b"\0", o)].decode()
                    syms[n], sizes[n], where[n] = val, sz, shndx
        if s["type"] == 7:      # SHT_NOTE
            p, end = s["off"], s["off"] + s["size"]
            while p + 12 <= end:
                nsz, dsz, typ = struct.unpack_from("<III", data, p)
                nm = data[p + 12:p + 12 + nsz]
                d = p + 12 + ((nsz + 3) & ~3)
                if typ == 3 and nm.rstrip(b"\0") == b"GNU":
                    bid = data[d:d + dsz].hex()
                p = d + ((dsz + 3) & ~3)
    offs = {}
    sec = secs[where["sd_offsets"]]
    o = sec["off"] + (syms["sd_offsets"] - sec["addr"])
    for i in range(sizes["sd_offsets"] // 104):
        name = data[o + 104 * i:o + 104 * i + 88].split(b"\0")[0].decode()
        offs[name] = struct.unpack_from("<QQ", data, o + 104 * i + 88)
    return syms, bid, offs


def compile_c(name, obj, dwarf4=False, src=None):
    """layouts/NAME (or the file src) -> obj.  dwarf4: -gdwarf-4, as the
    kernel's pahole (1.24) reads it best."""
    subprocess.check_call([CC, "-g"] + (["-gdwarf-4"] if dwarf4 else []) +
                          ["-O0", "-ffreestanding", "-fno-common", "-c",
                           "-I", os.path.join(HERE, "layouts"), "-o", obj,
                           src or os.path.join(HERE, "layouts", name)])


def build_vmlinux(layout, outdir, module=False):
    """vmlinux, and the layout's offsets.  module: arm-smmu-v3 as a module;
    the vmlinux lacks its types, which go to debug/arm_smmu_v3.ko.xz."""
    obj = os.path.join(outdir, "layout.o")
    lds = os.path.join(outdir, "vmlinux.lds")
    vml = os.path.join(outdir, "vmlinux")
    open(lds, "w").write(LDS)
    compile_c("linux-%s.c" % layout, obj)
    _, _, offs = read_elf(obj)
    if module:
        vobj = os.path.join(outdir, "vmlinux.o")
        compile_c("vmlinux-only.c", vobj)
        os.makedirs(os.path.join(outdir, "debug"), exist_ok=True)
        ko = os.path.join(outdir, "debug", "arm_smmu_v3.ko")
        subprocess.check_call(["cp", obj, ko])
        subprocess.check_call(["xz", "-f", ko])
        obj = vobj
    subprocess.check_call([LD, "--build-id=sha1", "-T", lds, "-o", vml, obj])
    syms, bid, _ = read_elf(vml)
    return syms, bid, offs


# --------------------------------------------------------------------------
# 6.12-module-btf: a vmlinux linked as scripts/link-vmlinux.sh links it, with
# kallsyms (scripts/kallsyms.c) and BTF (pahole -J) in its image

SHF_ALLOC = 2
SHT_NOBITS = 8
SHT_NOTE = 7
KSYM_NAME_LEN = 512                     # include/linux/kallsyms.h (6.1+)
BTF_OSRELEASE = "6.12.0-synth-module"
LIST_POISON1 = 0xdead000000000100       # include/linux/poison.h, with arm64's
LIST_POISON2 = 0xdead000000000122       # POISON_POINTER_DELTA 0xdead000000000000
LDS_BTF = """SECTIONS {
  . = 0x%(text)x;
  .head.text : { _text = .; KEEP(*(.head.text)) }
  . = 0x%(stext)x;
  .text : { _stext = .; *(.text*) _etext = .; }
  . = ALIGN(4096);
  .rodata : { *(.rodata*) KEEP(*(.sd_offsets)) }
  . = ALIGN(4096);
  .BTF : { __start_BTF = .; KEEP(*(.BTF)) __stop_BTF = .; }
  . = ALIGN(4096);
  .notes : { *(.note.gnu.build-id) }
  . = ALIGN(4096);
  .data : { _sdata = .; *(.data*) _edata = .; }
  . = ALIGN(4096);
  .bss : { __bss_start = .; *(.bss*) *(COMMON) __bss_stop = .; }
  _end = .;
  /DISCARD/ : { *(.eh_frame) }
}
""" % dict(text=gen.KIMAGE_VADDR, stext=LINK_BASE)


def elf_sections(path):
    """[(name, flags, type, addr, bytes or size)] of an ELF64 file's sections."""
    data = open(path, "rb").read()
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3a)
    raw = [struct.unpack_from("<IIQQQQ", data, shoff + i * shentsize) for i in range(shnum)]
    stro = raw[shstrndx][4]
    out = []
    for name, typ, flags, addr, off, size in raw:
        n = data[stro + name:data.index(b"\0", stro + name)].decode()
        out.append((n, flags, typ, addr, size if typ == SHT_NOBITS else data[off:off + size]))
    return out


# scripts/mksysmap + scripts/sysmap-ignored-syms.sed (6.12): what `nm -n`
# lines never reach scripts/kallsyms.c
SYSMAP_IGNORED_PREFIXES = ("$", ".L", "__efistub_", "__pi_$", "__pi_.L", "__kvm_nvhe_$",
                           "__kvm_nvhe_.L", "__AArch64ADRPThunk_", "__ARMV5PILongThunk_",
                           "__ARMV7PILongThunk_", "__ThumbV7PILongThunk_", "__LA25Thunk_",
                           "__microLA25Thunk_", "__kcfi_typeid_", "__kvm_nvhe___kcfi_typeid_",
                           "__pi___kcfi_typeid_", "__crc_", "__kstrtab_", "__kstrtabns_")


def mksysmap(path):
    """System.map lines (addr, type, name) of an ELF, as scripts/mksysmap."""
    out = []
    for line in subprocess.check_output([NM, "-n", path]).decode().splitlines():
        f = line.split(" ")
        if len(f) != 3 or not f[0]:
            continue                                # undefined: no address
        addr, typ, name = f
        if typ in "aNUw" or name.startswith(SYSMAP_IGNORED_PREFIXES):
            continue
        if name.endswith(("_from_arm", "_from_thumb", "_veneer")):
            continue
        if name in ("L0", "_SDA_BASE_", "_SDA2_BASE_") or ".long_branch." in name \
                or ".plt_branch." in name:
            continue
        out.append((int(addr, 16), typ, name))
    return out


def kallsyms(sysmap):
    """scripts/kallsyms.c --all-symbols of Linux 6.12 on a System.map:
    returns (assembler source of its tables, facts about them).  Same
    steps: read_map, sort_symbols (address, weak last, linker-provided
    last, fewer leading underscores first, then input order),
    record_relative_base (the lowest address), optimize_token_table (each
    char code used by a name stands for itself; every unused code, from
    255 down, becomes the most profitable adjacent token pair, until no
    pair repeats), write_src (ULEB128 length + token indexes per name,
    a u32 marker every 256 names, 256 NUL-terminated tokens and their u16
    offsets, u32 offsets from kallsyms_relative_base, 3-byte big-endian
    positions in name order)."""
    table = []
    for addr, typ, name in sysmap:
        if len(name) >= KSYM_NAME_LEN:
            continue
        if typ in "un" or (typ.upper() == "A" and name not in (
                "__kernel_syscall_via_break", "__kernel_syscall_via_epc",
                "__kernel_sigtramp", "__gp")):
            continue
        table.append(dict(addr=addr, seq=len(table), sym=list((typ + name).encode())))

    def provide(name):
        n = len(name)
        return n >= 8 and name.startswith("__") and (
            name[2:].startswith(("start_", "stop_", "end_")) or
            name.endswith(("_start", "_end")))

    def sort_key(t):
        name = bytes(t["sym"][1:]).decode()
        return (t["addr"], t["sym"][0] in b"wW", provide(name),
                len(name) - len(name.lstrip("_")), t["seq"])
    table.sort(key=sort_key)
    names = [bytes(t["sym"]).decode() for t in table]    # type char + name
    relative_base = table[0]["addr"] if table else 0

    # optimize_token_table
    profit = [0] * 0x10000

    def learn(sym, d):
        for a, b in zip(sym, sym[1:]):
            profit[a + (b << 8)] += d
    for t in table:
        learn(t["sym"], 1)
    best = [None] * 256                     # token: (c,) or (token a, token b)
    for t in table:
        for c in t["sym"]:
            best[c] = (c,)
    for i in range(255, -1, -1):
        if best[i] is not None:
            continue
        top = max(profit)
        if top <= 0:
            break
        pair = profit.index(top)            # the lowest pair of the best profit
        a, b = pair & 0xff, pair >> 8
        best[i] = (a, b)
        for t in table:                     # compress_symbols
            sym = t["sym"]
            if not any(x == a and y == b for x, y in zip(sym, sym[1:])):
                continue
            learn(sym, -1)
            out, j = [], 0
            while j < len(sym):
                if j + 1 < len(sym) and sym[j] == a and sym[j + 1] == b:
                    out.append(i)
                    j += 2
                else:
                    out.append(sym[j])
                    j += 1
            t["sym"] = out
            learn(out, 1)

    def expand(toks):
        r = b""
        for c in toks:
            tok = best[c] or ()
            r += bytes(tok) if len(tok) == 1 and tok[0] == c else expand(tok)
        return r
    tokens = [expand(best[i] or ()) for i in range(256)]
    for t, n in zip(table, names):
        assert expand(t["sym"]) == n.encode(), n

    lines = ['\t.section .rodata, "a"']

    def label(n):
        lines.extend([".globl %s" % n, "\t.balign 8", "%s:" % n])

    def data(directive, vals):
        vals = list(vals)
        for k in range(0, len(vals), 16):
            lines.append("\t%s %s" % (directive, ", ".join("%#x" % v for v in vals[k:k + 16])))

    label("kallsyms_num_syms")
    data(".long", [len(table)])
    label("kallsyms_names")
    markers, off, stream = [], 0, []
    for i, t in enumerate(table):
        if i % 256 == 0:
            markers.append(off)
        n = len(t["sym"])
        assert 0 < n <= 0x3fff
        enc = [n] if n <= 0x7f else [(n & 0x7f) | 0x80, (n >> 7) & 0x7f]
        stream += enc + t["sym"]
        off += len(enc) + n
    data(".byte", stream)
    label("kallsyms_markers")
    data(".long", markers)
    label("kallsyms_token_table")
    index, off, tt = [], 0, []
    for tok in tokens:
        index.append(off)
        tt += list(tok) + [0]
        off += len(tok) + 1
    data(".byte", tt)
    label("kallsyms_token_index")
    data(".short", index)
    label("kallsyms_offsets")
    for t in table:
        assert 0 <= t["addr"] - relative_base <= 0xffffffff
    data(".long", [t["addr"] - relative_base for t in table])
    label("kallsyms_relative_base")
    text = next((a for a, _, n in sysmap if n == "_text"), 0)
    lines.append("\t.quad _text %s %#x" % (("+", relative_base - text) if text <= relative_base
                                           else ("-", text - relative_base)))
    label("kallsyms_seqs_of_names")
    order = sorted(range(len(table)), key=lambda i: (names[i][1:].encode(), table[i]["addr"], i))
    data(".byte", [b for i in order for b in (i >> 16 & 0xff, i >> 8 & 0xff, i & 0xff)])
    facts = dict(
        num_syms=len(table), names_bytes=len(stream), markers=len(markers),
        multi_char_tokens=sum(1 for tok in tokens if len(tok) > 1),
        empty_tokens=sum(1 for tok in tokens if not tok),
        longest_in_tokens=max((len(t["sym"]) for t in table), default=0),
        two_byte_lengths=sum(1 for t in table if len(t["sym"]) > 0x7f),
        by_type={c: sum(1 for n in names if n[0] == c) for c in sorted({n[0] for n in names})})
    return "\n".join(lines) + "\n", facts


def btf_count_types(data):
    """Type records in raw BTF (include/uapi/linux/btf.h): struct btf's
    nr_types, as btf_check_all_metas() counts them."""
    hdr_len, type_off, type_len = struct.unpack_from("<III", data, 4)
    extra = {1: lambda v: 4, 3: lambda v: 12, 4: lambda v: 12 * v, 5: lambda v: 12 * v,
             6: lambda v: 8 * v, 13: lambda v: 8 * v, 14: lambda v: 4, 15: lambda v: 12 * v,
             17: lambda v: 4, 19: lambda v: 12 * v}
    p, end, n = hdr_len + type_off, hdr_len + type_off + type_len, 0
    while p < end:
        info, = struct.unpack_from("<I", data, p + 4)
        kind, vlen = (info >> 24) & 0x1f, info & 0xffff
        p += 12 + extra.get(kind, lambda v: 0)(vlen)
        n += 1
    assert p == end
    return n


FILLER_SUBSYS = ["pci", "iommu", "dma", "sched", "mm", "vfs", "net", "blk", "irq", "tty",
                 "usb", "acpi", "of", "clk", "regmap", "kobj", "sysfs", "cgroup", "bpf",
                 "ext4", "xfs", "nvme", "virtio", "timer", "rcu", "workqueue", "kmem",
                 "folio", "gic", "arch_timer", "psci", "efi", "cpufreq", "genpd"]
FILLER_OBJS = ["device", "domain", "group", "queue", "entry", "table", "node", "ops", "work",
               "buffer", "region", "resource", "bus", "driver", "state", "config",
               "handler", "cache", "pool", "range", "fwnode", "attr", "ctx", "page"]
FILLER_VERBS = ["init", "exit", "probe", "remove", "alloc", "free", "get", "put", "lookup",
                "register", "unregister", "map", "unmap", "attach", "detach", "show",
                "store", "read", "write", "flush", "sync", "reset", "suspend", "resume"]
FILLER_DATA = ["count", "lock", "list", "mask", "stats", "limits", "defaults", "debug",
               "seq", "refs", "quirks", "ids"]


def filler_c(path):
    """A few hundred functions and data objects of every kallsyms type (the
    vmlinux the tool reads has tens of thousands), and one static function
    whose name is long and varied enough to need a two-byte kallsyms length."""
    rnd = random.Random(612)
    seen = set()

    def name(*parts):
        while True:
            n = "_".join(rnd.choice(p) for p in parts)
            if n not in seen:
                seen.add(n)
                return n
    out = ["/* Generated by gen_kernel.py: filler symbols for the 6.12-module-btf vmlinux. */"]
    for i in range(360):                    # a third static ('t'), the rest 'T'
        n = name(FILLER_SUBSYS, FILLER_OBJS, FILLER_VERBS)
        if i % 3 == 0:
            out.append("__attribute__((used)) static void %s(void) { }" % n)
        else:
            out.append("void %s(void); void %s(void) { }" % (n, n))
    for fmt, count in (("int %s[2] = { 1, 2 };", 45),                                 # D
                       ("__attribute__((used)) static int %s[2] = { 3, 4 };", 30),   # d
                       ("int %s[4];", 30),                                           # B
                       ("__attribute__((used)) static int %s[4];", 20),              # b
                       ("const int %s[2] = { 5, 6 };", 15),                          # R
                       ("__attribute__((used)) static const int %s[2] = { 7, 8 };", 10)):  # r
        for _ in range(count):
            out.append(fmt % name(FILLER_SUBSYS, FILLER_OBJS, FILLER_DATA))
    alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    long_name = "synth_long_static_symbol_" + "".join(rnd.choice(alnum) for _ in range(300))
    out.append("__attribute__((used)) static void %s(void) { }" % long_name)
    open(path, "w").write("\n".join(out) + "\n")
    return long_name


def build_btf_kernel(outdir):
    """The 6.12-module-btf vmlinux (kallsyms + .BTF in its image) and the two
    modules' split BTF.  Returns syms, build-id, offsets (vmlinux's generic
    and BTF-bookkeeping structures, the module's arm-smmu-v3 ones) and
    facts (blobs and numbers for the dump and the expectation)."""
    def p(n):
        return os.path.join(outdir, n)
    env = dict(os.environ, LLVM_OBJCOPY=OBJCOPY)    # pahole adds .BTF with it
    # modules: compiled alone, as drivers/iommu/arm/arm-smmu-v3/*.o would be,
    # and linked as scripts/Makefile.modfinal links a .ko: ld -r with the
    # top Makefile's KBUILD_LDFLAGS_MODULE --build-id=sha1 (the note
    # debuginfod serves the module's debug file by)
    for src, mod in (("linux-6.12.c", "arm_smmu_v3"), ("virtio-blk-6.12.c", "virtio_blk")):
        compile_c(src, p(mod + ".o"), dwarf4=True)
        subprocess.check_call([LD, "-r", "--build-id=sha1", "-o", p(mod + ".ko"), p(mod + ".o")])
        os.unlink(p(mod + ".o"))
    _, _, offs = read_elf(p("arm_smmu_v3.ko"))
    # vmlinux objects
    compile_c("vmlinux-6.12-btf.c", p("vmlinux.o"), dwarf4=True)
    _, _, voffs = read_elf(p("vmlinux.o"))
    long_name = filler_c(p("filler.c"))
    compile_c(None, p("filler.o"), dwarf4=True, src=p("filler.c"))
    objs = [p("vmlinux.o"), p("filler.o")]
    open(p("vmlinux.lds"), "w").write(LDS_BTF)

    def link(out, extra):
        subprocess.check_call([LD, "--build-id=sha1", "--no-warn-rwx-segments",
                               "-T", p("vmlinux.lds"), "-o", out] + objs + extra)

    def kallsyms_o(name, sysmap):
        src, facts = kallsyms(sysmap)
        open(p(name + ".s"), "w").write(src)
        subprocess.check_call([CC, "-c", "-o", p(name + ".o"), p(name + ".s")])
        return p(name + ".o"), src, facts
    # link-vmlinux.sh: kallsyms of nothing, .tmp_vmlinux1, gen_btf
    k_o, k_src, _ = kallsyms_o(".tmp_vmlinux0.kallsyms", [])
    link(p(".tmp_vmlinux1"), [k_o])
    subprocess.check_call([PAHOLE, "-J", "--btf_gen_floats", p(".tmp_vmlinux1")], env=env)
    btf_o = p(".btf.vmlinux.bin.o")
    subprocess.check_call([OBJCOPY, "--only-section=.BTF", "--set-section-flags",
                           ".BTF=alloc,readonly", "--strip-all", p(".tmp_vmlinux1"), btf_o],
                          stderr=subprocess.DEVNULL)
    with open(btf_o, "r+b") as f:          # e_type ET_REL, as gen_btf does
        f.seek(16)
        f.write(b"\1\0")
    # kallsyms passes until the tables describe the image that holds them
    tmp = p(".tmp_vmlinux1")
    for n in range(1, 5):
        k_o, src, facts = kallsyms_o(".tmp_vmlinux%d.kallsyms" % n, mksysmap(tmp))
        if src == k_src:
            break
        k_src = src
        tmp = p(".tmp_vmlinux%d" % (n + 1))
        link(tmp, [btf_o, k_o])
    else:
        raise SystemExit("kallsyms did not settle")
    vml = p("vmlinux")
    link(vml, [btf_o, k_o])
    assert kallsyms(mksysmap(vml))[0] == k_src, "inconsistent kallsyms data"
    syms, bid, _ = read_elf(vml)
    secs = elf_sections(vml)
    vmlinux_btf = next(d for n, _, _, _, d in secs if n == ".BTF")
    assert vmlinux_btf[:2] == b"\x9f\xeb" and len(vmlinux_btf) == \
        syms["__stop_BTF"] - syms["__start_BTF"]
    assert b"\0task_struct\0" in vmlinux_btf and b"\0list_head\0" in vmlinux_btf
    assert b"arm_smmu_device" not in vmlinux_btf, "arm-smmu-v3 types leaked into vmlinux BTF"
    # the modules' BTF: scripts/Makefile.modfinal's cmd_btf_ko
    mods, notes = {}, {}
    for mod in ("arm_smmu_v3", "virtio_blk"):
        ko = p(mod + ".ko")
        subprocess.check_call([PAHOLE, "-J", "--btf_gen_floats", "--btf_base", vml, ko], env=env)
        subprocess.check_call([OBJCOPY, "--dump-section", ".BTF=%s" % p(mod + ".btf"), ko])
        mods[mod] = open(p(mod + ".btf"), "rb").read()
        notes[mod] = module_notes(ko)
    assert b"\0arm_smmu_device\0" in mods["arm_smmu_v3"]
    assert b"\0list_head\0" not in mods["arm_smmu_v3"], "split BTF repeats base types"
    assert facts["two_byte_lengths"] >= 1 and facts["markers"] >= 2
    assert sum(facts["by_type"].get(c, 0) for c in "DdBbRr") >= 100
    offs.update(voffs)
    kinfo = dict(facts, long_name_chars=len(long_name))
    return syms, bid, offs, dict(secs=secs, vmlinux_btf=vmlinux_btf, mods=mods, notes=notes,
                                 kallsyms=kinfo)


def elf_note(name, typ, desc):
    """One ELF note: namesz, descsz, type, then name and desc padded to 4."""
    n = name.encode() + b"\0"
    pad = lambda b: b + b"\0" * (-len(b) % 4)
    return struct.pack("<III", len(n), len(desc), typ) + pad(n) + pad(desc)


def module_notes(ko):
    """The SHF_ALLOC SHT_NOTE sections a module loader keeps, in section
    order, as Debian's arm64 modules have them: .note.gnu.property (AArch64
    feature PAC; ld -r writes none here), the .ko's .note.gnu.build-id,
    .note.Linux (include/linux/build-salt.h BUILD_SALT, LINUX_ELFNOTE_BUILD_SALT
    0x100, and a second Linux note as Debian's carry)."""
    bid = [d for n, _, t, _, d in elf_sections(ko) if n == ".note.gnu.build-id" and t == SHT_NOTE]
    assert len(bid) == 1, "%s has no .note.gnu.build-id" % ko
    prop = elf_note("GNU", 5, struct.pack("<IIII", 0xc0000000, 4, 2, 0))   # NT_GNU_PROPERTY_TYPE_0
    linux = elf_note("Linux", 0x100, b"\0" * 4) + elf_note("Linux", 0x101, BTF_OSRELEASE.encode() + b"\0")
    return [(".note.gnu.property", prop), (".note.gnu.build-id", bid[0]), (".note.Linux", linux)]


# --------------------------------------------------------------------------
# Kernel memory: linear-map objects and the kernel image

class Kmem:
    def __init__(self, mem, offs):
        self.mem, self.offs = mem, offs

    @staticmethod
    def lm(pa):
        return gen.PAGE_OFFSET + pa - gen.PHYS_OFFSET

    @staticmethod
    def img_pa(va):
        return va - gen.KIMAGE_VADDR + gen.KERNEL_PA

    def pa_of(self, va):
        if va >= gen.KIMAGE_VADDR:
            return self.img_pa(va)
        return va - gen.PAGE_OFFSET + gen.PHYS_OFFSET

    def has(self, name):
        return name in self.offs

    def off(self, name):
        return self.offs[name][0]

    def size(self, t):
        return self.offs[t][1]

    def alloc(self, t_or_size, align=64):
        size = self.size(t_or_size) if isinstance(t_or_size, str) else t_or_size
        pa = self.mem.alloc(size, align)
        return self.lm(pa)

    def wbytes(self, va, b):
        pa = self.pa_of(va)
        self.mem.touch(pa, len(b))
        for i, c in enumerate(b):
            p = pa + i
            self.mem.pages[p // gen.PAGE][p % gen.PAGE] = c

    def wint(self, va, v, size):
        self.wbytes(va, (v & ((1 << (8 * size)) - 1)).to_bytes(size, "little"))

    def set(self, base, path, v):
        """Member `path` ("type.member.sub") at object base."""
        off, size = self.offs[path]
        self.wint(base + off, v, size)

    def setbit(self, base, path):
        bit, _ = self.offs[path + "@bit"]
        pa = self.pa_of(base + bit // 8)
        self.mem.touch(pa, 1)
        self.mem.pages[pa // gen.PAGE][pa % gen.PAGE] |= 1 << (bit % 8)

    def string(self, s):
        b = s.encode() + b"\0"
        va = self.alloc(len(b), 8)
        self.wbytes(va, b)
        return va

    def list_link(self, head, nodes):
        """Circular list: head -> nodes... -> head (list_head addresses)."""
        seq = [head] + nodes + [head]
        for a, b in zip(seq, seq[1:]):
            self.set(a, "list_head.next", b)
            self.set(b, "list_head.prev", a)


# --------------------------------------------------------------------------

def set_installed(k, master, sid, stage, cdtab, vmid, s2ttb):
    """The structures the driver keeps of what it wrote into the STE:
    master->cd_table (6.7 on; in_ste from 6.9), else master->domain ->
    arm_smmu_domain {stage, s1_cfg.cdcfg.cdtab_dma | s2_cfg.vmid/vttbr}
    (6.6).  The StreamIDs whose STE they tell."""
    if k.has("arm_smmu_master.cd_table.cdtab_dma"):
        if stage != 0:
            return set()     # the layout has no arm_smmu_domain to say more
        k.set(master, "arm_smmu_master.cd_table.cdtab_dma", cdtab)
        k.set(master, "arm_smmu_master.cd_table.in_ste", 1)
        return {sid}
    if not k.has("arm_smmu_domain.stage"):
        return set()
    d = k.alloc("arm_smmu_domain")
    k.set(master, "arm_smmu_master.domain", d)
    k.set(d, "arm_smmu_domain.stage", stage)
    if stage == 0:
        k.set(d, "arm_smmu_domain.s1_cfg.cdcfg.cdtab_dma", cdtab)
    else:
        k.set(d, "arm_smmu_domain.s2_cfg.vmid", vmid)
        k.set(d, "arm_smmu_domain.s2_cfg.vttbr", s2ttb)
    return {sid}


# Register offsets of page 0 (Arm IHI 0070, chapter 6), written here from
# the specification for the fake /dev/mem of the capture-kernel tests.
LIVE_REG_OFF = dict(IDR0=(0x00, 4), IDR1=(0x04, 4), IDR5=(0x14, 4), CR0=(0x20, 4),
                    CR0ACK=(0x24, 4), GBPA=(0x44, 4), STRTAB_BASE=(0x80, 8),
                    STRTAB_BASE_CFG=(0x88, 4))
SMMU_MMIO = 0x9050000


def live_root(root, regs, driver=None, kmsg=None):
    """A directory laid out like a capture kernel's root for
    $SMMU_STRTAB_DUMP_LIVE_ROOT: the SMMU in a device tree, its registers
    in a sparse dev/mem, optionally a driver bound to it and dev/kmsg."""
    node = os.path.join(root, "proc/device-tree/smmuv3@%x" % SMMU_MMIO)
    os.makedirs(node, exist_ok=True)
    for name, cells in (("#address-cells", [2]), ("#size-cells", [2])):
        open(os.path.join(root, "proc/device-tree", name), "wb").write(
            struct.pack(">%dI" % len(cells), *cells))
    open(os.path.join(node, "compatible"), "wb").write(b"arm,smmu-v3\0")
    open(os.path.join(node, "reg"), "wb").write(struct.pack(">4I", 0, SMMU_MMIO, 0, 0x20000))
    os.makedirs(os.path.join(root, "dev"), exist_ok=True)
    with open(os.path.join(root, "dev/mem"), "wb") as f:
        f.truncate(SMMU_MMIO + 0x20000)
        for name, v in regs.items():
            off, size = LIVE_REG_OFF[name]
            f.seek(SMMU_MMIO + off)
            f.write(v.to_bytes(size, "little"))
    if driver:
        drv = os.path.join(root, "sys/bus/platform/drivers", driver)
        dev = os.path.join(root, "sys/bus/platform/devices/%x.smmuv3" % SMMU_MMIO)
        os.makedirs(drv, exist_ok=True)
        os.makedirs(dev, exist_ok=True)
        os.symlink(os.path.relpath(drv, dev), os.path.join(dev, "driver"))
    if kmsg is not None:
        open(os.path.join(root, "dev/kmsg"), "w").write(kmsg)


def capture_kernel(outdir, m, sc, cdt, vmci, base_reg, cfg_reg, write_elf):
    """The capture kernel's view of the same crash, for
    $SMMU_STRTAB_DUMP_LIVE_ROOT: live/ (the SMMU as the crashed kernel left
    it: the stream table adopted or never reset), live-driver/ (the capture
    kernel's arm-smmu-v3 bound to it, its reset in the log),
    live-driver-nolog/ (bound, no such record); and vmcore-rewritten, the
    dump with StreamID 0x8's STE pointing at another CD table inside
    crashk_res, as a capture kernel writing into the adopted table leaves
    it.  Returns the expectation."""
    regs = dict(IDR0=gen.idr0(), IDR1=gen.idr1(), IDR5=gen.idr5(), CR0=0xd, CR0ACK=0xd, GBPA=0,
                STRTAB_BASE=base_reg, STRTAB_BASE_CFG=cfg_reg)
    live_root(os.path.join(outdir, "live"), regs)
    live_root(os.path.join(outdir, "live-driver"), regs, driver="arm-smmu-v3",
              kmsg="6,300,1087000,-;Booting Linux\n"
                   "4,310,1087110,-;arm-smmu-v3 %x.smmuv3: SMMU currently enabled! "
                   "Resetting...\n SUBSYSTEM=platform\n DEVICE=+platform:%x.smmuv3\n"
                   % (SMMU_MMIO, SMMU_MMIO))
    live_root(os.path.join(outdir, "live-driver-nolog"), regs, driver="arm-smmu-v3",
              kmsg="6,300,1087000,-;Booting Linux\n")
    ste = sc.ste_addr(0x8)
    new_cd = CRASHK[0] + 0x400000
    m.touch(new_cd, 64)
    for i in range(8):
        m.w64(new_cd + 8 * i, m.r64(cdt.pa + 8 * i))
    w0 = m.r64(ste)
    ptr = ((1 << 52) - 1) & ~0x3f                      # STE.S1ContextPtr, bits 51:6
    m.w64(ste, (w0 & ~ptr) | new_cd)
    write_elf(os.path.join(outdir, "vmcore-rewritten"), m, vmci)
    m.w64(ste, w0)
    return dict(rewritten=dict(sid=0x8, field="s1_context_ptr", expected=gen.H(cdt.ref),
                               found=gen.H(new_cd), in_crash_kernel=True))


def make(layout, outdir, mem_base=0x48000000, write_elf=gen.write_elf, broken=True,
         cd_in_crashk=True):
    """mem_base: where the linear-map objects and the SMMU's tables are
    allocated (tests/vmcores/synth/gen_scale.py puts them in a high RAM
    bank); write_elf(path, mem, vmci): the dump writer (gen_scale.py's
    writes PT_LOADs for whole banks, sparse); broken: also write the
    broken copies (broken_variants())."""
    os.makedirs(outdir, exist_ok=True)
    btf = layout.endswith("-module-btf")
    module = layout.endswith("-module")
    layout = layout.split("-")[0]
    if btf:
        syms, bid, offs, bk = build_btf_kernel(outdir)
    else:
        syms, bid, offs = build_vmlinux(layout, outdir, module)
    assert bid, "no build-id"
    sc = gen.Scenario("kernel-%s" % layout, "kernel layout %s" % layout,
                      fmt="2-level", log2size=16, split=8, mem_base=mem_base)
    m = sc.mem
    k = Kmem(m, offs)
    if btf:
        # the kernel image as loaded: text, rodata (kallsyms), .BTF, data, bss
        for name, flags, typ, addr, d in bk["secs"]:
            if flags & SHF_ALLOC and addr >= gen.KIMAGE_VADDR:
                if typ == SHT_NOBITS:
                    m.touch(k.img_pa(addr), d)
                else:
                    k.wbytes(addr, d)
    # the kernel image pages holding the globals (zeroed .bss)
    for name in ("iommu_device_list", "crashk_res", "crashk_low_res", "devices_kset",
                 "pci_bus_type", "platform_bus_type"):
        m.touch(k.img_pa(syms[name]), 64)

    # ---- buses and drivers
    pci_bus, plat_bus = syms["pci_bus_type"], syms["platform_bus_type"]
    k.set(pci_bus, "bus_type.name", k.string("pci"))
    k.set(plat_bus, "bus_type.name", k.string("platform"))
    drivers = {}
    for dn in ("arm-smmu-v3", "arm-smmu", "nvme", "vfio-pci"):
        d = k.alloc("device_driver")
        k.set(d, "device_driver.name", k.string(dn))
        drivers[dn] = d
    all_devs = []

    def device(name, bus, driver=None, pci_devfn=None):
        if pci_devfn is not None:
            pdev = k.alloc("pci_dev")
            k.set(pdev, "pci_dev.devfn", pci_devfn)
            dev = pdev + k.off("pci_dev.dev")
        else:
            pdev, dev = None, k.alloc("device")
        k.set(dev + k.off("device.kobj"), "kobject.name", k.string(name))
        k.set(dev, "device.bus", bus)
        if driver:
            k.set(dev, "device.driver", drivers[driver])
        all_devs.append(dev)
        return dev, pdev

    # ---- domains and groups
    def group(gid, dtype):
        g = k.alloc("iommu_group")
        d = k.alloc("iommu_domain")
        k.set(d, "iommu_domain.type", dtype)
        k.set(g, "iommu_group.id", gid)
        k.set(g, "iommu_group.domain", d)
        k.set(g, "iommu_group.default_domain", d)
        return g

    # ---- the SMMUv3
    smmu = k.alloc("arm_smmu_device", 128)
    pdev_smmu, _ = device("9050000.smmuv3", plat_bus, "arm-smmu-v3")
    k.set(pdev_smmu, "device.driver_data", smmu)
    iommu_dev, _ = device("smmu3.0x0000000009050000", 0)
    k.set(smmu, "arm_smmu_device.dev", pdev_smmu)
    k.set(smmu, "arm_smmu_device.features", FEATURES)
    k.set(smmu, "arm_smmu_device.options", OPTIONS)
    k.set(smmu, "arm_smmu_device.sid_bits", 16)
    k.set(smmu, "arm_smmu_device.ssid_bits", 20)
    iommu = smmu + k.off("arm_smmu_device.iommu")
    k.set(iommu, "iommu_device.dev", iommu_dev)
    # queues: empty rings, as after a clean boot
    for qn, log2n, dw in (("cmdq", 8, 2), ("evtq", 7, 4)):
        ring = m.alloc((1 << log2n) * dw * 8, 4096)
        k.set(smmu, "arm_smmu_device.%s.q.base" % qn, k.lm(ring))
        k.set(smmu, "arm_smmu_device.%s.q.base_dma" % qn, ring)
        k.set(smmu, "arm_smmu_device.%s.q.q_base" % qn, (1 << 62) | ring | log2n)
        k.set(smmu, "arm_smmu_device.%s.q.llq.max_n_shift" % qn, log2n)
        k.set(smmu, "arm_smmu_device.%s.q.ent_dwords" % qn, dw)

    # ---- an SMMUv2-style instance on the same list: must be skipped
    v2 = k.alloc("arm_smmu_device", 128)
    v2dev, _ = device("2b400000.iommu", plat_bus, "arm-smmu")
    k.set(v2, "arm_smmu_device.dev", v2dev)
    v2iommu = v2 + k.off("arm_smmu_device.iommu")
    k.list_link(syms["iommu_device_list"],
                [v2iommu + k.off("iommu_device.list"), iommu + k.off("iommu_device.list")])

    # ---- stream table (gen.Scenario) and its STEs
    for l1 in (0, 1):
        sc.add_l2(l1)
    pt = gen.PageTable(m, sc.space, 1, 4096, 48)
    pt.map_range(CRASHK[0] + 0x1000, 0x70001000, 2)      # IOVA inside crashk_res
    pt.map(0x100000, 0x50200000, 3)                       # PA inside crashk_res
    pt.map(0x200000, 0x71000000, 3, w=False)              # neither
    # 0x008's CD table inside crashk_res: the kdump adoption's placement
    # check must name it (the reservation comes from the kernel, crashk_res)
    # (not where RAM is elsewhere: 6.12-highbank has no RAM there)
    cursor = m.cursor
    if cd_in_crashk:
        m.seek(CRASHK_CD)
    cdt = gen.CDTable(m, sc.space, 0, 0)
    if cd_in_crashk:
        m.seek(cursor)
    cdt.set(0, gen.cd_defaults(pt, 1), pt)
    sc.s1(0x8, cdt)
    s2 = gen.PageTable(m, sc.space, 2, 4096, 40, sl0=1)
    s2.map(0x80000000, 0x72000000, 2)
    sc.s2(0x100, s2, vmid=1)
    sc.ste(0x101, dict(config=0))
    sc.abort_fill_expect()
    l1_dma, n_l1 = sc.strtab, 1 << (16 - 8)
    base_reg, cfg_reg = sc.strtab_regs()
    if k.has("arm_smmu_device.strtab_cfg.strtab_base"):
        k.set(smmu, "arm_smmu_device.strtab_cfg.strtab", k.lm(l1_dma))
        k.set(smmu, "arm_smmu_device.strtab_cfg.strtab_dma", l1_dma)
        k.set(smmu, "arm_smmu_device.strtab_cfg.num_l1_ents", n_l1)
        k.set(smmu, "arm_smmu_device.strtab_cfg.strtab_base", base_reg)
        k.set(smmu, "arm_smmu_device.strtab_cfg.strtab_base_cfg", cfg_reg)
        desc = k.alloc(n_l1 * k.size("arm_smmu_strtab_l1_desc"), 64)
        k.set(smmu, "arm_smmu_device.strtab_cfg.l1_desc", desc)
        for l1, (pa, span, _) in sc.l1.items():
            d = desc + l1 * k.size("arm_smmu_strtab_l1_desc")
            k.set(d, "arm_smmu_strtab_l1_desc.span", span)
            k.set(d, "arm_smmu_strtab_l1_desc.l2ptr", k.lm(pa))
            k.set(d, "arm_smmu_strtab_l1_desc.l2ptr_dma", pa)
    else:
        k.set(smmu, "arm_smmu_device.strtab_cfg.l2.l1tab", k.lm(l1_dma))
        k.set(smmu, "arm_smmu_device.strtab_cfg.l2.l1_dma", l1_dma)
        k.set(smmu, "arm_smmu_device.strtab_cfg.l2.num_l1_ents", n_l1)
        ptrs = k.alloc(8 * n_l1, 64)
        k.set(smmu, "arm_smmu_device.strtab_cfg.l2.l2ptrs", ptrs)
        for l1, (pa, span, _) in sc.l1.items():
            k.wint(ptrs + 8 * l1, k.lm(pa), 8)

    # ---- masters
    devs = [  # sid, name, driver, devfn (None: platform), bus master, group, domain type
        (0x008, "0000:00:01.0", "nvme", 0x08, True, 0, 3, "dma"),
        (0x100, "0000:01:00.0", "vfio-pci", 0x00, False, 1, 1, "unmanaged"),
        (0x101, "9000000.dma", None, None, None, 2, 0, "blocked"),
    ]
    streams = []
    expect_devs = {}
    masters = {}
    # what the driver installed, in its own structures (the capture
    # kernel's STE comparison): sid -> (stage, CD table, VMID, S2 table)
    installed = {0x008: (0, cdt.ref, None, None), 0x100: (1, None, 1, s2.root_ref)}
    checked = set()
    for sid, name, drv, devfn, bm, gid, dtype, dname in devs:
        dev, pdev = device(name, pci_bus if devfn is not None else plat_bus, drv, devfn)
        if pdev and bm:
            k.setbit(pdev, "pci_dev.is_busmaster")
        k.set(dev, "device.iommu_group", group(gid, dtype))
        master = k.alloc("arm_smmu_master")
        k.set(master, "arm_smmu_master.smmu", smmu)
        k.set(master, "arm_smmu_master.dev", dev)
        di = k.alloc("dev_iommu")
        k.set(di, "dev_iommu.priv", master)
        masters[sid] = dict(master=master, dev_iommu=di)
        k.set(di, "dev_iommu.iommu_dev", iommu)
        k.set(dev, "device.iommu", di)
        if dname == "blocked":
            checked.add(sid)         # abort, by the domain's type alone
        elif sid in installed:
            checked |= set_installed(k, master, sid, *installed[sid])
        if k.has("arm_smmu_master.sids"):
            arr = k.alloc(4, 8)
            k.wint(arr, sid, 4)
            k.set(master, "arm_smmu_master.sids", arr)
            k.set(master, "arm_smmu_master.num_sids", 1)
        else:
            st = k.alloc("arm_smmu_stream")
            k.set(st, "arm_smmu_stream.id", sid)
            k.set(st, "arm_smmu_stream.master", master)
            k.set(master, "arm_smmu_master.streams", st)
            k.set(master, "arm_smmu_master.num_streams", 1)
            streams.append(st + k.off("arm_smmu_stream.node"))
            masters[sid]["stream"] = st
        # bus mastering by source (schema_version 3): the hardware's bit
        # is unknown offline
        expect_devs[sid] = dict(name=name, driver=drv, iommu_group=gid,
                                bus_master=dict(kernel=bm, hardware=None),
                                domain_type=dname)
    if streams:
        # rb-tree: 0x100 at the root, 0x008 left, 0x101 right (parents
        # in __rb_parent_color; colours: root black, leaves red)
        a, b, c = streams
        k.set(smmu, "arm_smmu_device.streams", b)
        k.set(b, "rb_node.rb_left", a)
        k.set(b, "rb_node.rb_right", c)
        k.set(b, "rb_node.__rb_parent_color", 1)
        k.set(a, "rb_node.__rb_parent_color", b)
        k.set(c, "rb_node.__rb_parent_color", b)

    # ---- devices_kset: every device's kobj.entry on kset->list
    kset = k.alloc("kset")
    k.wint(syms["devices_kset"], kset, 8)
    k.list_link(kset + k.off("kset.list"),
                [d + k.off("device.kobj") + k.off("kobject.entry") for d in all_devs])

    # ---- crash kernel reservation
    k.set(syms["crashk_res"], "resource.start", CRASHK[0])
    k.set(syms["crashk_res"], "resource.end", CRASHK[1])
    k.set(syms["crashk_res"], "resource.name", k.string("Crash kernel"))

    # ---- module BTF (6.12-module-btf)
    if btf:
        unlink = btf_modules(k, syms, bk)

    # ---- the dump
    ksyms = []
    if btf:     # kernel/vmcore_info.c of 6.12, after SYMBOL(_stext)
        ksyms = ["SYMBOL(%s)=%x" % (n, syms[n]) for n in (
            "kallsyms_names", "kallsyms_num_syms", "kallsyms_token_table",
            "kallsyms_token_index", "kallsyms_offsets", "kallsyms_relative_base")]
    release = BTF_OSRELEASE if btf else "%s.0-synth-arm64" % layout

    def vmcoreinfo(release):
        return ("\n".join([
            "OSRELEASE=%s" % release,
            "BUILD-ID=%s" % bid,
            "PAGESIZE=4096",
            "SYMBOL(swapper_pg_dir)=%x" % gen.SWAPPER_PG_DIR,
            "SYMBOL(_stext)=%x" % syms.get("_stext", gen.KIMAGE_VADDR + 0x10000),
        ] + ksyms + [
            "NUMBER(VA_BITS)=48",
            "NUMBER(kimage_voffset)=0x%x" % gen.KIMAGE_VOFFSET,
            "NUMBER(PHYS_OFFSET)=0x%x" % gen.PHYS_OFFSET,
            "NUMBER(TCR_EL1_T1SZ)=16",
            "KERNELOFFSET=0",
            "CRASHTIME=1700000000",
        ]) + "\n").encode()
    vmci = vmcoreinfo(release)
    write_elf(os.path.join(outdir, "vmcore"), m, vmci)
    live = None
    if broken:
        live = capture_kernel(outdir, m, sc, cdt, vmci, base_reg, cfg_reg, write_elf)
        live["checked"] = len(checked)
        live["checked_sids"] = sorted(checked)
    if not btf and broken:
        bad = broken_variants(k, m, outdir, vmci, vmcoreinfo, masters[0x008])
    if btf:
        virtio = unlink()
        gen.write_elf(os.path.join(outdir, "vmcore-nomodbtf"), m, vmci)
        # a corrupt list: virtio_blk's entry points at itself, never back
        # at the head; the walk must stop and say so
        k.set(virtio, "list_head.next", virtio)
        gen.write_elf(os.path.join(outdir, "vmcore-modloop"), m, vmci)

    overlaps = []
    for mp in sc.streams[0x8]["mappings"]:
        iova, pa, size = int(mp["iova"], 16), int(mp["pa"], 16), mp["size"]
        iv = iova <= CRASHK[1] and iova + size - 1 >= CRASHK[0]
        pv = pa <= CRASHK[1] and pa + size - 1 >= CRASHK[0]
        if iv or pv:
            overlaps.append(dict(sid=0x8, iova=mp["iova"], pa=mp["pa"], size=size,
                                 iova_inside=iv, pa_inside=pv))
    exp = dict(layout=layout, name="smmu3.0x0000000009050000",
               strtab_base=gen.H(base_reg), strtab_base_cfg=gen.H(cfg_reg),
               features=FEATURES, options=OPTIONS,
               devices={str(s): d for s, d in expect_devs.items()},
               # verdicts naming user-space-owned DMA (vfio-pci, unmanaged)
               user_space={"256": "DMA owned by user space: VFIO group 1"},
               reservations=[dict(name="Crash kernel", start=gen.H(CRASHK[0]),
                                  end=gen.H(CRASHK[1]))],
               overlaps=overlaps,
               # the kdump adoption: the CD table inside crashk_res, and
               # 0x008's writable mapping at PA 0x50200000 writes into it
               adoption=dict(placement=[dict(table="CD table", address=gen.H(CRASHK_CD),
                                             problem="inside the crash-kernel reservation")]
                             if cd_in_crashk else [],
                             crash_kernel_writers=1))
    if not btf and broken:
        exp["broken"] = bad
    if live:
        exp["live"] = live
    if btf:
        exp["dump"] = dict(
            osrelease=BTF_OSRELEASE, kallsyms=bk["kallsyms"],
            vmlinux_btf=dict(address=gen.H(syms["__start_BTF"]), size=len(bk["vmlinux_btf"])),
            module_btf={mod: len(b) for mod, b in bk["mods"].items()},
            btf_modules=gen.H(syms["btf_modules"]))
    json.dump(exp, open(os.path.join(outdir, "expect.json"), "w"), indent=1)


# A release a path must never be built from: with
# $SMMU_STRTAB_DUMP_DEBUGINFO_DIR=D, "D/vmlinux-" + it is D/outside when
# D/vmlinux-x is a directory (issue 12).
HOSTILE_RELEASE = "x/../../outside"


def broken_variants(k, m, outdir, vmci, vmcoreinfo, m8):
    """Copies of the dump with one thing wrong, for the error paths:
    vmcore-nomaster: StreamID 0x8's arm_smmu_master is not in the dump
      (its pointer, in the stream node from 5.13 or in dev_iommu.priv
      before, leads to a linear-map page the dump does not hold), so it
      cannot be read: no device may be made up for it;
    vmcore-badrelease: VMCOREINFO OSRELEASE is HOSTILE_RELEASE.
    Returns what the test needs to know about them."""
    # 64 MB above the highest page written (the crashk_res CD table
    # included), so that no PT_LOAD holds it
    hole_pa = ((max(m.pages) + 1) * gen.PAGE + (64 << 20)) & ~(gen.PAGE - 1)
    assert all(pfn < hole_pa // gen.PAGE for pfn in m.pages)
    hole = k.lm(hole_pa + 0x140)
    if "stream" in m8:
        where = (m8["stream"], "arm_smmu_stream.master")
    else:
        where = (m8["dev_iommu"], "dev_iommu.priv")
    k.set(where[0], where[1], hole)
    gen.write_elf(os.path.join(outdir, "vmcore-nomaster"), m, vmci)
    k.set(where[0], where[1], m8["master"])
    gen.write_elf(os.path.join(outdir, "vmcore-badrelease"), m, vmcoreinfo(HOSTILE_RELEASE))
    return dict(nomaster=dict(sid=0x8, master=gen.H(hole)), badrelease=HOSTILE_RELEASE)


def btf_modules(k, syms, bk):
    """kernel/bpf/btf.c's view of BTF: btf_vmlinux (btf_parse_vmlinux: data
    is __start_BTF), and for each module btf_module_notify()'s btf_module
    (btf_parse_module: data a kvmalloc'd copy of the .ko's .BTF, name the
    module's) on btf_modules, the module on `modules` with btf_data NULL
    (do_init_module frees it).  arm_smmu_v3 loaded first, then virtio_blk:
    list_add puts virtio_blk first on both lists.  Returns a function that
    unlinks arm_smmu_v3's btf_module (list_del) for the negative dump."""
    def btf(name, data, va, base, ident):
        b = k.alloc("btf", 64)
        hdr_len, str_off, str_len = struct.unpack_from("<I8xII", data, 4)
        k.set(b, "btf.data", va)
        k.set(b, "btf.nohdr_data", va + hdr_len)
        k.set(b, "btf.strings", va + hdr_len + str_off)
        k.wbytes(b + k.off("btf.hdr"), data[:k.size("btf_header")])
        k.set(b, "btf.nr_types", btf_count_types(data) + (0 if base else 1))
        k.set(b, "btf.types_size", struct.unpack_from("<I", data, 12)[0])
        k.set(b, "btf.data_size", len(data))
        k.set(b, "btf.refcnt", 1)
        k.set(b, "btf.id", ident)
        k.wbytes(b + k.off("btf.name"), name.encode() + b"\0")
        k.set(b, "btf.kernel_btf", 1)
        if base:
            k.set(b, "btf.base_btf", base[0])
            k.set(b, "btf.start_id", btf_count_types(base[1]) + 1)
            k.set(b, "btf.start_str_off", struct.unpack_from("<I", base[1], 20)[0])
        return b
    vdata = bk["vmlinux_btf"]
    vbtf = btf("vmlinux", vdata, syms["__start_BTF"], None, 1)
    k.wint(syms["btf_vmlinux"], vbtf, 8)
    mods, bms = [], []
    for ident, name in ((2, "arm_smmu_v3"), (3, "virtio_blk")):
        data = bk["mods"][name]
        buf = k.alloc(len(data), 64)
        k.wbytes(buf, data)
        mod = k.alloc("module", 64)
        k.set(mod, "module.state", 0)                   # MODULE_STATE_LIVE
        k.wbytes(mod + k.off("module.name"), name.encode() + b"\0")
        k.set(mod, "module.btf_data_size", len(data))
        k.set(mod, "module.btf_data", 0)
        k.set(mod, "module.refcnt", 1)
        k.set(mod, "module.notes_attrs", notes_attrs(k, bk["notes"][name]))
        bm = k.alloc("btf_module", 64)
        k.set(bm, "btf_module.module", mod)
        k.set(bm, "btf_module.btf", btf(name, data, buf, (vbtf, vdata), ident))
        k.set(bm, "btf_module.sysfs_attr", k.alloc(64, 64))
        k.set(bm, "btf_module.flags", 1)                # BTF_MODULE_F_LIVE
        mods.insert(0, mod + k.off("module.list"))
        bms.insert(0, bm + k.off("btf_module.list"))
    k.list_link(syms["modules"], mods)
    k.list_link(syms["btf_modules"], bms)

    def unlink():
        virtio, smmu = bms
        k.list_link(syms["btf_modules"], [virtio])
        k.set(smmu, "list_head.next", LIST_POISON1)
        k.set(smmu, "list_head.prev", LIST_POISON2)
        return virtio
    return unlink


def notes_attrs(k, notes):
    """kernel/module/sysfs.c add_notes_attrs(): struct module_notes_attrs
    with one bin_attribute per note section, .attr.name the section's name,
    .size its size, .private the address of its copy in module memory."""
    na = k.alloc(k.size("module_notes_attrs") + len(notes) * k.size("bin_attribute"), 64)
    k.set(na, "module_notes_attrs.notes", len(notes))
    for i, (sec, data) in enumerate(notes):
        a = na + k.off("module_notes_attrs.attrs") + i * k.size("bin_attribute")
        name = k.alloc(len(sec) + 1, 8)
        k.wbytes(name, sec.encode() + b"\0")
        copy = k.alloc(len(data), 8)
        k.wbytes(copy, data)
        k.set(a, "bin_attribute.attr.name", name)
        k.set(a, "bin_attribute.size", len(data))
        k.set(a, "bin_attribute.private", copy)
    return na


# 6.12-highbank: RAM in two banks 512 GiB apart, as on a server, one
# PT_LOAD each; the kernel image in the low bank, every linear-map object
# (struct arm_smmu_device included) and every table in the high bank.
HIGHBANK_BANKS = [(gen.PHYS_OFFSET, 64 << 20), (gen.PHYS_OFFSET + (512 << 30), 64 << 20)]


def make_highbank(outdir):
    sys.path.insert(0, os.path.join(HERE, "..", "synth"))
    import gen_scale
    high = HIGHBANK_BANKS[1][0]
    make("6.12", outdir, mem_base=high + (16 << 20), broken=False, cd_in_crashk=False,
         write_elf=lambda path, mem, vmci: gen_scale.write_sparse_elf(
             path, mem.pages, vmci, HIGHBANK_BANKS))
    with open(os.path.join(outdir, "expect.json")) as f:
        x = json.load(f)
    x["banks"] = [[gen.H(pa), size] for pa, size in HIGHBANK_BANKS]
    with open(os.path.join(outdir, "expect.json"), "w") as f:
        json.dump(x, f, indent=1)


def main():
    out = sys.argv[1]
    for layout in sys.argv[2:] or LAYOUTS:
        if layout == "6.12-highbank":       # not in LAYOUTS: the kernel test makes it
            make_highbank(os.path.join(out, layout))
        else:
            make(layout, os.path.join(out, layout))


if __name__ == "__main__":
    main()
