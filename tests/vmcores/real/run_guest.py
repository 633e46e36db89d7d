#!/usr/bin/python3
"""Boot one arm64 kernel behind QEMU's SMMUv3, wait for the guest's ground
truth, then through QMP: stop, read the SMMU registers, dump memory (ELF and
kdump-zlib), quit.

usage: run_guest.py KERNEL INITRD OUTDIR NAME [TIMEOUT]

Writes into OUTDIR: console.log, trace.log, NAME.regs, pci.json,
NAME.elf (QEMU's ELF), NAME.kdump-zlib.flat (QEMU's flattened kdump),
qemu.json (command line, SMMU base, guest markers)."""
import json, os, re, socket, subprocess, sys, time

# SMMUv3 register offsets from the page-0 base (IHI 0070), width in bits
REGS = [
    ("IDR0", 0x0, 32), ("IDR1", 0x4, 32), ("IDR2", 0x8, 32), ("IDR3", 0xc, 32),
    ("IDR4", 0x10, 32), ("IDR5", 0x14, 32), ("IIDR", 0x18, 32), ("AIDR", 0x1c, 32),
    ("CR0", 0x20, 32), ("CR0ACK", 0x24, 32), ("CR1", 0x28, 32), ("CR2", 0x2c, 32),
    ("GBPA", 0x44, 32), ("IRQ_CTRL", 0x50, 32), ("GERROR", 0x60, 32), ("GERRORN", 0x64, 32),
    ("STRTAB_BASE", 0x80, 64), ("STRTAB_BASE_CFG", 0x88, 32),
    ("CMDQ_BASE", 0x90, 64), ("CMDQ_PROD", 0x98, 32), ("CMDQ_CONS", 0x9c, 32),
    ("EVTQ_BASE", 0xa0, 64), ("EVTQ_PROD", 0x100a8, 32), ("EVTQ_CONS", 0x100ac, 32),
    ("PRIQ_BASE", 0xc0, 64), ("PRIQ_PROD", 0x100c8, 32), ("PRIQ_CONS", 0x100cc, 32),
]


class QMP:
    def __init__(self, path, timeout=60):
        t0 = time.time()
        while True:
            try:
                self.s = socket.socket(socket.AF_UNIX)
                self.s.connect(path)
                break
            except OSError:
                if time.time() - t0 > timeout:
                    raise
                time.sleep(0.2)
        self.f = self.s.makefile("rw")
        json.loads(self.f.readline())  # greeting
        self.cmd("qmp_capabilities")

    def cmd(self, name, **args):
        msg = {"execute": name}
        if args:
            msg["arguments"] = args
        self.f.write(json.dumps(msg) + "\n")
        self.f.flush()
        while True:
            line = self.f.readline()
            if not line:
                raise RuntimeError("QMP connection closed during " + name)
            r = json.loads(line)
            if "return" in r:
                return r["return"]
            if "error" in r:
                raise RuntimeError("QMP %s: %s" % (name, r["error"]))
            # events are ignored

    def hmp(self, line):
        return self.cmd("human-monitor-command", **{"command-line": line}).replace("\r", "")


def read_reg(q, addr, width):
    out = q.hmp("xp /1%sx 0x%x" % ("g" if width == 64 else "w", addr))
    m = re.search(r":\s*(0x[0-9a-fA-F]+)", out)
    if not m:
        raise RuntimeError("cannot parse xp output: %r" % out)
    return int(m.group(1), 16)


def smmu_base(q):
    """The SMMUv3's MMIO base from the monitor's memory tree, or None."""
    m = re.search(r"^\s*([0-9a-f]+)-([0-9a-f]+) \(prio [^)]*\): arm-smmuv3\s*$",
                  q.hmp("info mtree"), re.M)
    return int(m.group(1), 16) if m else None


def write_regs(path, q, base, writer, comment):
    """Read REGS through the monitor and write them as a --regs file;
    returns {name: value} in REGS order."""
    regs = [(n, read_reg(q, base + off, w), w) for n, off, w in REGS]
    with open(path, "w") as f:
        f.write("# written by tests/vmcores/real/%s from QEMU's monitor (HMP xp)\n" % writer)
        f.write("# %s\n" % comment)
        f.write("smmu smmu3.0x%016x\nbase = 0x%x\n" % (base, base))
        for n, v, w in regs:
            f.write("%s = 0x%0*x\n" % (n, 16 if w == 64 else 8, v))
    return {n: v for n, v, _ in regs}


def wait_console(console, qemu, word, limit, fatal=(), poll=0.5):
    """Wait until the guest's console file shows @word and return its text;
    raise when QEMU exits, when one of @fatal shows (with the rest of its
    line), or after @limit seconds."""
    t0 = time.time()
    while True:
        time.sleep(poll)
        text = open(console, errors="replace").read() if os.path.exists(console) else ""
        if word in text:
            return text
        if qemu.poll() is not None:
            raise RuntimeError("QEMU exited (%s) waiting for %s; see %s" % (qemu.returncode, word, console))
        for bad in fatal:
            if bad in text:
                raise RuntimeError("%s: %s; see %s" % (bad, text.split(bad, 1)[1].splitlines()[0], console))
        if time.time() - t0 > limit:
            raise RuntimeError("no %s after %ds; see %s" % (word, limit, console))


def pci_truth(body):
    """The devices of the guest's SD-PCI ground-truth lines (guest-init.sh:
    BDF vendor device class driver iommu_group group_type);
    StreamID = bus << 8 | devfn."""
    devs = []
    for line in body.splitlines():
        p = line.split()
        if not p or p[0] != "SD-PCI" or len(p) < 8:
            continue
        bdf = p[1]
        dom, bus, df = bdf.split(":")
        dev, fn = df.split(".")
        devs.append({
            "bdf": bdf, "sid": int(bus, 16) << 8 | int(dev, 16) << 3 | int(fn, 16),
            "vendor": p[2], "device": p[3],
            "vendor_device": "%s:%s" % (p[2][2:], p[3][2:]), "class": p[4],
            "driver": None if p[5] == "-" else p[5],
            "iommu_group": None if p[6] == "-" else int(p[6]),
            "iommu_group_type": None if p[7] == "-" else p[7],
        })
    return devs


def guest_devices(work):
    """QEMU options of the PCIe devices behind the SMMU; kdump_run.py uses the
    same so that its StreamIDs match the ground truth of these dumps."""
    return [
        # bus 0: virtio-blk 00:02.0 (SID 0x10), virtio-net 00:03.0 (SID 0x18), edu 00:06.0 (SID 0x30)
        "-drive", "if=none,id=vblk,format=raw,file=" + os.path.join(work, "vblk.img"),
        "-device", "virtio-blk-pci,drive=vblk,addr=02.0,iommu_platform=on,disable-legacy=on",
        "-netdev", "user,id=n0,restrict=on,net=10.0.2.0/24",
        "-device", "virtio-net-pci,netdev=n0,addr=03.0,iommu_platform=on,disable-legacy=on,romfile=",
        # root ports 00:04.0 -> bus 1 (nvme, SID 0x100), 00:05.0 -> bus 2 (e1000e, SID 0x200)
        "-device", "pcie-root-port,id=rp1,bus=pcie.0,addr=04.0,chassis=1,port=1",
        "-device", "pcie-root-port,id=rp2,bus=pcie.0,addr=05.0,chassis=2,port=2",
        "-drive", "if=none,id=nvm,format=raw,file=" + os.path.join(work, "nvme.img"),
        "-device", "nvme,drive=nvm,serial=sdreal0,bus=rp1",
        "-netdev", "user,id=n1,restrict=on,net=10.0.3.0/24",
        "-device", "e1000e,netdev=n1,bus=rp2,romfile=",
        "-device", "edu,addr=06.0",
    ]


def main():
    kernel, initrd, out, name = sys.argv[1:5]
    timeout = float(sys.argv[5]) if len(sys.argv) > 5 else 300
    os.makedirs(out, exist_ok=True)
    out = os.path.abspath(out)
    work = os.path.join(out, "qemu-work")
    os.makedirs(work, exist_ok=True)
    for disk in ("vblk.img", "nvme.img"):
        with open(os.path.join(work, disk), "wb") as f:
            f.truncate(64 << 20)
    console = os.path.join(out, "console.log")
    trace = os.path.join(out, "trace.log")
    qmp_sock = os.path.join(work, "qmp.sock")
    for p in (console, trace, qmp_sock):
        if os.path.exists(p):
            os.unlink(p)
    cmd = [
        "qemu-system-aarch64",
        "-M", "virt,iommu=smmuv3,gic-version=3", "-cpu", "max,pauth-impdef=on",
        "-m", "1024", "-smp", "2", "-nographic", "-no-reboot",
        "-device", "vmcoreinfo",
        "-kernel", kernel, "-initrd", initrd,
        "-append", "console=ttyAMA0 rdinit=/init panic=-1 loglevel=6",
        "-serial", "file:" + console, "-monitor", "none",
        "-qmp", "unix:%s,server=on,wait=off" % qmp_sock,
        "-msg", "timestamp=on",
        "-D", trace, "-trace", "enable=smmuv3_*", "-trace", "enable=smmu_iotlb_inv_*",
    ] + guest_devices(work)
    t0 = time.time()
    qemu = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=open(os.path.join(out, "qemu.out"), "w"),
                            stderr=subprocess.STDOUT)
    try:
        wait_console(console, qemu, "SD-READY", timeout, fatal=("Kernel panic",))
        t_ready = time.time() - t0
        q = QMP(qmp_sock)
        q.cmd("stop")
        base = smmu_base(q)
        if base is None:
            raise RuntimeError("no arm-smmuv3 region in info mtree")
        regs = write_regs(os.path.join(out, name + ".regs"), q, base, "run_guest.py",
                          "guest %s, stopped %.1fs after start" % (name, time.time() - t0))
        if not any(regs.values()):
            raise RuntimeError("all SMMU registers read as zero: the monitor read went wrong")
        if regs["CR0"] & 1 == 0:
            raise RuntimeError("SMMU not enabled (CR0.SMMUEN=0)")
        elf = os.path.join(out, name + ".elf")
        flat = os.path.join(out, name + ".kdump-zlib.flat")
        q.cmd("dump-guest-memory", paging=False, protocol="file:" + elf, format="elf")
        q.cmd("dump-guest-memory", paging=False, protocol="file:" + flat, format="kdump-zlib")
        try:
            q.cmd("quit")
        except RuntimeError:
            pass
        qemu.wait(timeout=30)
    finally:
        if qemu.poll() is None:
            qemu.kill()
            qemu.wait()
    # ground truth from the console
    text = open(console, errors="replace").read().replace("\r", "")
    body = text.split("SD-TRUTH-BEGIN", 1)[1].split("SD-TRUTH-END", 1)[0]
    devs = pci_truth(body)
    uname = cmdline = None
    for line in body.splitlines():
        p = line.split()
        if not p:
            continue
        if p[0] == "SD-UNAME":
            uname = p[1]
        elif p[0] == "SD-CMDLINE":
            cmdline = line.split(None, 1)[1] if len(p) > 1 else ""
    dma = [l for l in text.splitlines() if l.startswith(("SD-DMA", "SD-EDU", "SD-INIT"))]
    events = [l[len("SD-DMESG "):] for l in body.splitlines() if l.startswith("SD-DMESG") and "event" in l]
    with open(os.path.join(out, "pci.json"), "w") as f:
        json.dump({"source": "guest sysfs (/sys/bus/pci/devices), printed by the guest's /init",
                   "uname": uname, "cmdline": cmdline, "devices": devs,
                   "guest_log": dma, "smmu_event_dmesg": events}, f, indent=1)
    with open(os.path.join(out, "qemu.json"), "w") as f:
        json.dump({"command": cmd, "smmu_base": "0x%x" % base, "ready_seconds": round(t_ready, 1),
                   "total_seconds": round(time.time() - t0, 1)}, f, indent=1)


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # noqa
        print("run_guest: %s" % e, file=sys.stderr)
        sys.exit(1)
