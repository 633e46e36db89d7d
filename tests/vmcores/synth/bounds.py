#!/usr/bin/python3
"""Run smmu-strtab-dump on the pathological-table cases of gen.py --bounds.

    bounds.py TOOL DIR

For each case in DIR/bounds.json: run TOOL --regs=REGS ARGS DUMP with its
time limit (seconds) and memory limit (MiB of resident memory, sampled every
20 ms; the tool is killed beyond it), then check the JSON against what the
case asks (the problem the architecture calls for, counts).  Then the same
run with --timeout=2 must end within 2 s plus a margin.  Under the sanitizer
build (a path with "-san/"), limits are multiplied (ASan's shadow memory and
speed).  Prints ok / not ok lines.
"""

import json
import os
import subprocess
import sys
import threading
import time


def rss_kib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run(cmd, seconds, mib):
    """(rc, stdout bytes, wall seconds, peak KiB, why killed or None)"""
    t0 = time.monotonic()
    with open(os.devnull, "rb") as null:
        p = subprocess.Popen(cmd, stdin=null, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL)
    chunks, peak, why = [], 0, None
    # drained by a thread, so that the pipe never slows the tool down
    reader = threading.Thread(target=lambda: chunks.append(p.stdout.read()))
    reader.start()
    while p.poll() is None:
        peak = max(peak, rss_kib(p.pid))
        if peak > mib * 1024:
            why = "resident memory over %d MiB" % mib
        elif time.monotonic() - t0 > seconds:
            why = "still running after %d s" % seconds
        if why:
            p.kill()
            break
        time.sleep(0.02)
    p.wait()
    reader.join()
    return p.returncode, b"".join(chunks), time.monotonic() - t0, peak, why


def check_events(k, s):
    """The ring's records: the newest kept whole, oldest first, the rest
    counted (events_dropped); every record in its StreamID's counts and
    IOVA range (unknown_requesters)."""
    bad = []
    ev, dropped = s.get("events") or [], s.get("events_dropped")
    if not isinstance(dropped, int) or len(ev) + dropped != k["total"]:
        bad.append("%d events kept + events_dropped %r != %d records" %
                   (len(ev), dropped, k["total"]))
    if not ev or ev[-1]["index"] != k["newest_index"]:
        bad.append("the newest record (slot %d) is not the last kept" % k["newest_index"])
    elif any((a["index"] + 1) % k["ring_size"] != b["index"] for a, b in zip(ev, ev[1:])):
        bad.append("the kept records are not the newest, oldest first")
    ur = {str(u["sid"]): u for u in s.get("unknown_requesters", [])}
    if set(ur) != set(k["sids"]):
        bad.append("%d unknown requesters, expected %d" % (len(ur), len(k["sids"])))
    for sid, (pend, cons, lo, hi) in sorted(k["sids"].items()):
        u = ur.get(sid)
        if u is None:
            continue
        if u["faults"] != {"pending": pend, "consumed": cons}:
            bad.append("SID %s: faults %r, expected %d pending, %d consumed" %
                       (sid, u["faults"], pend, cons))
            break
        if "at IOVA 0x%x-0x%x" % (lo, hi) not in u["summary"]:
            bad.append("SID %s: summary %r lacks IOVA 0x%x-0x%x" % (sid, u["summary"], lo, hi))
            break
    return bad


def check_commands(k, s):
    """The pending commands: the oldest kept whole, in ring order from
    CONS, the rest counted (commands_dropped)."""
    bad = []
    cm, dropped = s.get("commands") or [], s.get("commands_dropped")
    if not isinstance(dropped, int) or len(cm) + dropped != k["total"]:
        bad.append("%d commands kept + commands_dropped %r != %d pending" %
                   (len(cm), dropped, k["total"]))
    if not cm or cm[0]["index"] != k["oldest_index"]:
        bad.append("the oldest pending command (slot %d) is not the first kept" %
                   k["oldest_index"])
    elif any((a["index"] + 1) % k["ring_size"] != b["index"] or
             b["operands"] != "sid=0x%x leaf=1" % b["index"] for a, b in zip(cm, cm[1:])):
        bad.append("the kept commands are not the oldest pending ones, in order")
    return bad


def check_json(c, out):
    """Failures of the case's checks on the tool's JSON output."""
    try:
        doc = json.loads(out)
        s = doc["smmus"][0]
    except (ValueError, KeyError, IndexError) as ex:
        return ["output is not the JSON report: %s" % ex]
    bad = []
    k = c["checks"]
    probs = s["problems"]
    if "problem_kind" in k and not any(p["kind"] == k["problem_kind"] and
                                       p["sid"] == k.get("problem_sid", p["sid"])
                                       for p in probs):
        bad.append("no %s problem for SID %s" % (k["problem_kind"], k.get("problem_sid")))
    if "problem_address" in k and not any(p["address"] == k["problem_address"]
                                          for p in probs):
        bad.append("no problem at address %s" % k["problem_address"])
    if "valid" in k and s["counts"]["valid"] != k["valid"]:
        bad.append("%d valid STEs, expected %d" % (s["counts"]["valid"], k["valid"]))
    if "max_valid" in k and s["counts"]["valid"] > k["max_valid"]:
        bad.append("%d valid STEs decoded, more than %d" % (s["counts"]["valid"],
                                                            k["max_valid"]))
    if "events" in k:
        bad += check_events(k["events"], s)
    if "commands" in k:
        bad += check_commands(k["commands"], s)
    for st in s["streams"]:
        if "max_contexts" in k and len(st["contexts"]) > k["max_contexts"]:
            bad.append("SID %d: %d contexts" % (st["sid"], len(st["contexts"])))
            break
        if "mappings" in k and len(st.get("mappings", [])) != k["mappings"]:
            bad.append("SID %d: %d mappings" % (st["sid"], len(st.get("mappings", []))))
            break
    return bad


def main(argv):
    tool, d = argv[1], argv[2]
    san = "-san/" in tool
    tscale, mscale = (6, 4) if san else (1, 1)
    with open(os.path.join(d, "bounds.json")) as f:
        cases = json.load(f)
    for c in cases:
        name = "bounds/%s: %s" % (c["name"], c["desc"])
        base = [tool, "--regs=" + os.path.join(d, c["regs"])] + c["args"]
        dump = os.path.join(d, c["dump"])
        rc, out, wall, peak, why = run(base + [dump], c["seconds"] * tscale,
                                       c["mib"] * mscale)
        if why:
            print("not ok %s - %s" % (name, why))
        elif rc not in (0, 1):
            print("not ok %s - exit status %d" % (name, rc))
        else:
            bad = check_json(c, out)
            if bad:
                print("not ok %s - %s" % (name, "; ".join(bad[:3])))
            else:
                print("ok %s (%.1f s, %d MiB)" % (name, wall, peak >> 10))
        # --timeout must cut the decode short whatever the tables say
        # (where the output is large, writing what was decoded takes longer)
        if not c.get("timeout", True):
            continue
        limit = 2 + 3 * tscale
        rc, out, wall, peak, why = run(base + ["--timeout=2", dump], limit,
                                       c["mib"] * mscale)
        name = "bounds/%s: --timeout=2 ends it" % c["name"]
        if why:
            print("not ok %s - %s" % (name, why))
        elif rc not in (0, 1) or not out.startswith(b"{"):
            print("not ok %s - exit status %d, %d bytes of output" % (name, rc, len(out)))
        else:
            print("ok %s (%.1f s)" % (name, wall))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
