#!/usr/bin/python3
"""Synthetic crash dumps of older kernel layouts, with their DWARF.

    gen_kernel.py OUTDIR [LAYOUT...]     (LAYOUT: 5.10 5.15 6.6 6.12
                                          5.15-module; default all)

For each layout, compiles layouts/linux-LAYOUT.c (that kernel version's
arm-smmu-v3 structures, member order exact, plus reduced generic structures)
with aarch64-linux-gnu-gcc -g -c, links it into OUTDIR/LAYOUT/vmlinux (a
kernel-image-addressed ELF whose .symtab holds iommu_device_list,
crashk_res, crashk_low_res, devices_kset, pci_bus_type and whose GNU
build-id the dump's VMCOREINFO repeats), then writes OUTDIR/LAYOUT/vmcore
(ELF, arm64, 4K pages, VA_BITS 48) holding the crashed kernel's objects at
the offsets the compiler chose (read from the .sd_offsets table the layout
file emits with offsetof, never from a DWARF reader), and
OUTDIR/LAYOUT/expect.json.  LAYOUT-module: arm-smmu-v3 built as a module; the
vmlinux has only the generic types and OUTDIR/LAYOUT/debug/arm_smmu_v3.ko.xz
has the SMMU's (found through $SMMU_STRTAB_DUMP_DEBUGINFO_DIR).

The kernel's view:
  iommu_device_list -> an SMMUv2-style entry bound to "arm-smmu" (must be
  skipped) and the SMMUv3 "9050000.smmuv3" (iommu device
  smmu3.0x0000000009050000), 2-level stream table, sid_bits 16;
  devices (StreamID = bus << 8 | devfn):
    0x008 0000:00:01.0 nvme    bus master  group 0  DMA domain    S1, 3 mappings
    0x100 0000:01:00.0 e1000e  no master   group 1  unmanaged     S2, 1 mapping
    0x101 9000000.dma  (none)  not PCI     group 2  blocked       abort
  crashk_res [0x50000000, 0x57ffffff]; one mapping of 0x008 has its IOVA in
  it, another its PA; nothing else overlaps.  Before 5.13 the masters are
  reached through devices_kset and master->sids[]; from 5.13 through the
  smmu->streams rb-tree.

Stream table, STE, CD and page-table bytes come from tests/vmcores/synth/gen.py
(written from the architecture, independently of the decoder).
"""

import json
import os
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(HERE, "..", "synth"))
import gen  # noqa: E402  (the synthetic generator: STEs, CDs, page tables, ELF writer)

LAYOUTS = ["5.10", "5.15", "6.6", "6.12", "5.15-module"]
CC = os.environ.get("AARCH64_CC", "aarch64-linux-gnu-gcc")
LD = os.environ.get("AARCH64_LD", "aarch64-linux-gnu-ld")
LINK_BASE = gen.KIMAGE_VADDR + 0x10000
CRASHK = (0x50000000, 0x57ffffff)
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


def compile_c(name, obj):
    subprocess.check_call([CC, "-g", "-O0", "-ffreestanding", "-fno-common", "-c",
                           "-I", os.path.join(HERE, "layouts"), "-o", obj,
                           os.path.join(HERE, "layouts", name)])


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

def make(layout, outdir):
    os.makedirs(outdir, exist_ok=True)
    module = layout.endswith("-module")
    layout = layout.replace("-module", "")
    syms, bid, offs = build_vmlinux(layout, outdir, module)
    assert bid, "no build-id"
    sc = gen.Scenario("kernel-%s" % layout, "kernel layout %s" % layout,
                      fmt="2-level", log2size=16, split=8, mem_base=0x48000000)
    m = sc.mem
    k = Kmem(m, offs)
    # the kernel image pages holding the globals (zeroed .bss)
    for name in ("iommu_device_list", "crashk_res", "crashk_low_res", "devices_kset",
                 "pci_bus_type", "platform_bus_type"):
        m.touch(k.img_pa(syms[name]), 64)

    # ---- buses and drivers
    pci_bus, plat_bus = syms["pci_bus_type"], syms["platform_bus_type"]
    k.set(pci_bus, "bus_type.name", k.string("pci"))
    k.set(plat_bus, "bus_type.name", k.string("platform"))
    drivers = {}
    for dn in ("arm-smmu-v3", "arm-smmu", "nvme", "e1000e"):
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
    cdt = gen.CDTable(m, sc.space, 0, 0)
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
        (0x100, "0000:01:00.0", "e1000e", 0x00, False, 1, 1, "unmanaged"),
        (0x101, "9000000.dma", None, None, None, 2, 0, "blocked"),
    ]
    streams = []
    expect_devs = {}
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
        k.set(di, "dev_iommu.iommu_dev", iommu)
        k.set(dev, "device.iommu", di)
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
        expect_devs[sid] = dict(name=name, driver=drv, iommu_group=gid,
                                bus_master=bm, domain_type=dname)
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

    # ---- the dump
    vmci = ("\n".join([
        "OSRELEASE=%s.0-synth-arm64" % layout,
        "BUILD-ID=%s" % bid,
        "PAGESIZE=4096",
        "SYMBOL(swapper_pg_dir)=%x" % gen.SWAPPER_PG_DIR,
        "SYMBOL(_stext)=%x" % (gen.KIMAGE_VADDR + 0x10000),
        "NUMBER(VA_BITS)=48",
        "NUMBER(kimage_voffset)=0x%x" % gen.KIMAGE_VOFFSET,
        "NUMBER(PHYS_OFFSET)=0x%x" % gen.PHYS_OFFSET,
        "NUMBER(TCR_EL1_T1SZ)=16",
        "KERNELOFFSET=0",
        "CRASHTIME=1700000000",
    ]) + "\n").encode()
    gen.write_elf(os.path.join(outdir, "vmcore"), m, vmci)

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
               reservations=[dict(name="Crash kernel", start=gen.H(CRASHK[0]),
                                  end=gen.H(CRASHK[1]))],
               overlaps=overlaps)
    json.dump(exp, open(os.path.join(outdir, "expect.json"), "w"), indent=1)


def main():
    out = sys.argv[1]
    for layout in sys.argv[2:] or LAYOUTS:
        make(layout, os.path.join(out, layout))


if __name__ == "__main__":
    main()
