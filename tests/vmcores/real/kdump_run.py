#!/usr/bin/python3
"""One real kdump under QEMU: boot the arm64 kernel behind the SMMUv3 with
crashkernel=256M, let its /init (kdump-init.sh) run the workload, load the
capture kernel and crash; the capture kernel's /init (kdump-capture-init.sh)
runs smmu-strtab-dump through the Debian-style hook and copies /proc/vmcore
to the output disk.

usage: kdump_run.py KERNEL INITRD OUTDIR MODE [TIMEOUT]
MODE: blacklist (capture kernel boots with initcall_blacklist=arm_smmu_driver_init)
      or driver (arm-smmu-v3 probes in the capture kernel).

Reads the SMMU registers through QEMU's monitor twice: when the first kernel
says SD-KDUMP-ARMED (before the crash: crashed.regs) and when the capture
kernel says SD-CAPTURE-DONE (after the capture: after.regs).  Writes into
OUTDIR: console.log, crashed.regs, after.regs, vmcore (sparse ELF copied
from the output disk), crash/ (the hook's files: *.json, *.regs, *.log,
*.time), pci.json (the first kernel's ground truth), run.json."""
import json, os, re, sys, tarfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_guest  # noqa: E402  (QMP and the helpers shared with the plain guest run)

VMCORE_OFF = 64 << 20
DISK_SIZE = (1 << 30) + (256 << 20)


def copy_vmcore(disk, out):
    """The ELF at VMCORE_OFF of the disk, up to its last segment, sparse."""
    import struct
    with open(disk, "rb") as f:
        f.seek(VMCORE_OFF)
        eh = f.read(64)
        if eh[:4] != b"\x7fELF":
            raise RuntimeError("no ELF at 64 MiB of the output disk")
        phoff, = struct.unpack_from("<Q", eh, 32)
        phentsize, phnum = struct.unpack_from("<HH", eh, 54)
        f.seek(VMCORE_OFF + phoff)
        end = phoff + phentsize * phnum
        for i in range(phnum):
            ph = f.read(phentsize)
            _, _, off, _, _, filesz = struct.unpack_from("<IIQQQQ", ph, 0)
            end = max(end, off + filesz)
        if VMCORE_OFF + end > os.path.getsize(disk):
            raise RuntimeError("vmcore of %d bytes does not fit the disk" % end)
        f.seek(VMCORE_OFF)
        with open(out, "wb") as o:
            left = end
            zero = bytes(1 << 20)
            while left:
                b = f.read(min(left, 1 << 20))
                if not b:
                    break
                if b == zero[:len(b)]:
                    o.seek(len(b), 1)
                else:
                    o.write(b)
                left -= len(b)
            o.truncate(end)
    return end


def main():
    kernel, initrd, out, mode = sys.argv[1:5]
    timeout = float(sys.argv[5]) if len(sys.argv) > 5 else 600
    os.makedirs(out, exist_ok=True)
    out = os.path.abspath(out)
    work = os.path.join(out, "qemu-work")
    os.makedirs(work, exist_ok=True)
    for disk, size in (("vblk.img", 64 << 20), ("nvme.img", 64 << 20), ("out.img", DISK_SIZE)):
        with open(os.path.join(work, disk), "wb") as f:
            f.truncate(size)
    console = os.path.join(out, "console.log")
    qmp_sock = os.path.join(work, "qmp.sock")
    for p in (console, qmp_sock):
        if os.path.exists(p):
            os.unlink(p)
    cmd = [
        "qemu-system-aarch64",
        "-M", "virt,iommu=smmuv3,gic-version=3", "-cpu", "max,pauth-impdef=on",
        "-m", "1024", "-smp", "2", "-nographic", "-no-reboot",
        "-device", "vmcoreinfo",
        "-kernel", kernel, "-initrd", initrd,
        "-append", "console=ttyAMA0 rdinit=/init panic=-1 loglevel=6 crashkernel=256M sdkdump=" + mode,
        "-serial", "file:" + console, "-monitor", "none",
        "-qmp", "unix:%s,server=on,wait=off" % qmp_sock,
    ] + run_guest.guest_devices(work) + [
        # the dump disk (00:07.0, SID 0x38): no iommu_platform, so QEMU's virtio DMA
        # does not go through the SMMU, which in the capture kernel still holds the
        # crashed kernel's tables (blacklist) or the capture kernel's (driver)
        "-drive", "if=none,id=out,format=raw,file=" + os.path.join(work, "out.img"),
        "-device", "virtio-blk-pci,drive=out,addr=07.0,disable-legacy=on",
    ]
    t0 = time.time()
    marks = {}
    qemu = run_guest.subprocess.Popen(cmd, stdin=run_guest.subprocess.DEVNULL,
                                      stdout=open(os.path.join(out, "qemu.out"), "w"),
                                      stderr=run_guest.subprocess.STDOUT)
    base = 0x09050000
    crashed = after = None
    q = None
    try:
        def wait_for(word):
            text = run_guest.wait_console(console, qemu, word, timeout, poll=0.2,
                                          fatal=("SD-KDUMP-FAIL", "SD-CAPTURE-FAIL"))
            marks[word] = round(time.time() - t0, 1)
            return text
        wait_for("SD-KDUMP-ARMED")
        q = run_guest.QMP(qmp_sock)
        q.cmd("stop")
        text = open(console, errors="replace").read()
        if "SD-KDUMP crashing" in text:
            raise RuntimeError("the guest crashed before the monitor could read the registers")
        base = run_guest.smmu_base(q) or base
        crashed = run_guest.write_regs(os.path.join(out, "crashed.regs"), q, base, "kdump_run.py",
                                       "first kernel, after kexec -p, before the crash (%s)" % mode)
        q.cmd("cont")
        wait_for("SD-CAPTURE start")
        wait_for("SD-CAPTURE-DONE")
        q.cmd("stop")
        after = run_guest.write_regs(os.path.join(out, "after.regs"), q, base, "kdump_run.py",
                                     "capture kernel, after the hook and the dump (%s)" % mode)
        try:
            q.cmd("quit")
        except RuntimeError:
            pass
        qemu.wait(timeout=30)
    finally:
        if qemu.poll() is None:
            qemu.kill()
            qemu.wait()
    disk = os.path.join(work, "out.img")
    crash = os.path.join(out, "crash")
    os.makedirs(crash, exist_ok=True)
    with open(disk, "rb") as f:
        with tarfile.open(fileobj=f, mode="r:") as t:
            for mem in t.getmembers():
                if mem.isfile():
                    data = t.extractfile(mem).read()
                    with open(os.path.join(crash, os.path.basename(mem.name)), "wb") as o:
                        o.write(data)
    size = copy_vmcore(disk, os.path.join(out, "vmcore"))
    os.unlink(disk)
    text = open(console, errors="replace").read().replace("\r", "")
    # the first kernel's ground truth, as run_guest.py records it
    body = text.split("SD-TRUTH-BEGIN", 1)[1].split("SD-TRUTH-END", 1)[0] if "SD-TRUTH-BEGIN" in text else ""
    devs = run_guest.pci_truth(body)
    with open(os.path.join(out, "pci.json"), "w") as f:
        json.dump({"devices": devs}, f, indent=1)
    timing = {}
    tfile = os.path.join(crash, "smmu-strtab-dump.time")
    if os.path.exists(tfile):
        runs = []
        for line in open(tfile):
            if line.startswith("sampled ") and runs:
                runs[-1]["sampled_status"] = line[len("sampled "):].strip()
                continue
            m = re.search(r"elapsed_s=([0-9.]+) maxrss_kb=([0-9]+) exit=([0-9]+)", line)
            if m:
                runs.append({"args": line.split("args=", 1)[1].split(" elapsed_s=")[0],
                             "elapsed_s": float(m.group(1)), "maxrss_kb": int(m.group(2)),
                             "exit": int(m.group(3))})
        timing["runs"] = runs
    with open(os.path.join(out, "run.json"), "w") as f:
        json.dump({"mode": mode, "command": cmd, "smmu_base": "0x%x" % base,
                   "crashed_regs": {k: "0x%x" % v for k, v in crashed.items()},
                   "after_regs": {k: "0x%x" % v for k, v in after.items()},
                   "capture_lines": [l for l in text.splitlines() if l.startswith("SD-CAPTURE")],
                   "kdump_lines": [l for l in text.splitlines() if l.startswith("SD-KDUMP")],
                   "tool": timing, "vmcore_size": size, "marks_seconds": marks,
                   "total_seconds": round(time.time() - t0, 1)}, f, indent=1)


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # noqa
        print("kdump_run: %s" % e, file=sys.stderr)
        sys.exit(1)
