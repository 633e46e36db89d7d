#!/usr/bin/python3
"""Out of memory is said, never passed off as a report (issue 12).

    oom.py NAME TOOL ARGS...

Runs TOOL ARGS once without a limit, then under address-space limits
(setrlimit(RLIMIT_AS) in the child, as prlimit --as does) from 32 MiB
down in 1 MiB steps to the first limit at which the run differs, then in
64 KiB steps from 1 MiB above it to 1 MiB below, then in 256 KiB steps
down to where the dynamic loader itself cannot map the libraries.  At every limit the run must either be the unlimited
one (same exit status, same standard output) or fail with exit status 4
and one line on standard error that says memory ran out; a run that exits
0, 1 or 2 with other output (a JSON member dropped when jansson could not
allocate it, an allocation failure reported as an unreadable dump) fails.
At least one limit must have made the tool itself run out of memory.
Prints ok / not ok lines.  Not for the sanitizer build (ASan reserves
terabytes of address space).
"""

import resource
import subprocess
import sys

MIB = 1 << 20


def run(cmd, limit=None):
    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                       preexec_fn=cap if limit else None, timeout=120)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def main(argv):
    name, cmd = argv[1], argv[2:]
    ref = run(cmd)
    if ref[0] not in (0, 1):
        print("not ok %s - the unlimited run exits %d: %s" % (name, ref[0], ref[2][:200]))
        return 0
    bad, hit, tried = [], 0, 0

    def probe(limit):
        """True when the run was the unlimited one."""
        nonlocal hit, tried
        rc, out, err = run(cmd, limit)
        tried += 1
        if rc == 127 and "error while loading shared libraries" in err:
            return None                     # the loader, not the tool
        if rc == ref[0] and out == ref[1]:
            return True
        lines = err.strip().splitlines()
        if rc == 4 and len(lines) == 1 and ("memory" in lines[0] or
                                            "allocate" in lines[0]):
            hit += 1
            return False
        bad.append("at %d KiB: exit %d, %s output, stderr %r" %
                   (limit >> 10, rc, "same" if out == ref[1] else "other",
                    err.strip()[:160]))
        return False

    limit = 32 * MIB
    while limit > MIB and probe(limit):
        limit -= MIB
    # finely around the first failure, then coarser down to the loader's
    step, low = 64 << 10, limit - MIB
    limit += MIB
    while limit > MIB and probe(limit) is not None:
        limit -= step if limit > low else 256 << 10
    if bad:
        print("not ok %s - %d of %d limits: %s" % (name, len(bad), tried, "; ".join(bad[:3])))
    elif not hit:
        print("not ok %s - no limit of %d made the tool run out of memory" % (name, tried))
    else:
        print("ok %s (%d limits, %d out of memory, exit 4)" % (name, tried, hit))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
