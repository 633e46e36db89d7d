#!/usr/bin/python3
"""The VFIO variant's guest run: run_guest.py's machine, devices, QMP reads and
dumps, with one more device (a second edu at ADDR, for vfio-pci) and the dump
taken after the guest's crash instead of at SD-READY.

usage: vfio_run.py KERNEL INITRD OUTDIR NAME ADDR [TIMEOUT]

run_guest.py is reused as it is, not edited: its text is part of the cache key
of the existing dumps (generate, kdump-generate), which an edit would make
stale.  Two of its module-level functions are wrapped instead:
guest_devices() gets the extra device, and wait_console() waits for the end
of the kernel's panic message (vfio-init.sh sets kernel.panic to 0, so the
crashed guest stays put) after SD-READY, and fails on SD-VFIO-FAIL."""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_guest  # noqa: E402

PANIC_END = "---[ end Kernel panic"


def main():
    if len(sys.argv) < 6:
        print(__doc__, file=sys.stderr)
        return 2
    kernel, initrd, out, name, addr = sys.argv[1:6]
    timeout = sys.argv[6] if len(sys.argv) > 6 else "300"
    devices, wait = run_guest.guest_devices, run_guest.wait_console

    def guest_devices(work):
        return devices(work) + ["-device", "edu,addr=%s" % addr]

    def wait_crashed(console, qemu, word, limit, fatal=(), poll=0.5):
        text = wait(console, qemu, PANIC_END, limit, fatal=("SD-VFIO-FAIL",), poll=poll)
        if word not in text.split(PANIC_END, 1)[0]:
            raise RuntimeError("the kernel panicked before %s; see %s" % (word, console))
        return text

    run_guest.guest_devices, run_guest.wait_console = guest_devices, wait_crashed
    sys.argv = [sys.argv[0], kernel, initrd, out, name, timeout]
    run_guest.main()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as e:  # noqa
        print("vfio_run: %s" % e, file=sys.stderr)
        sys.exit(1)
