#!/usr/bin/python3
"""Checks of the real kdumps (kdump-generate) -- run by kdump-test.sh from the repo root.

For every ${SD_REAL_CACHE}/kdump-KERNEL/{blacklist,driver}:
  blacklist (capture kernel booted with initcall_blacklist=arm_smmu_driver_init):
    - the hook saved a register snapshot; its STRTAB_BASE/_CFG and CR0 equal what QEMU's
      monitor read before the crash (the crashed kernel's programming), and the SMMU still
      held them after the capture;
    - the in-guest report took its registers live, says dma_state "translated", and does not
      call the live table "replaced";
    - the offline analysis of the saved vmcore with the saved snapshot agrees with the
      in-guest one: the same streams (STE, contexts, mappings) and events;
    - the translating streams are the guest's devices with an iommu group (+ the dump disk);
    - the in-guest report calls the table the crashed kernel's (adopted or never reset), every
      StreamID of a device with an iommu group compared with what the crashed kernel installed,
      none overwritten; the edu's bus mastering read from PCI_COMMAND is on (hardware).
  driver (arm-smmu-v3 probed in the capture kernel):
    - --capture-regs refused (exit 3, the driver named, the advice given), no snapshot saved,
      and the hook still produced a report from the dump, which says the live table was
      replaced (arm-smmu-v3 owns the SMMU and logged its reset);
    - the SMMU's STRTAB_BASE after the capture differs from the crashed kernel's;
    - the offline analysis with the crashed kernel's registers (monitor) decodes the streams.
Prints ok / not ok lines and '#' lines with the capture-time run time and peak memory."""
import glob, json, os, re, subprocess, sys

BIN = os.environ.get("SMMU_STRTAB_DUMP", "./smmu-strtab-dump")
CACHE = os.environ.get("SD_REAL_CACHE", "/var/cache/smmu-strtab-dump/real")


def ok(name, cond, why=""):
    print(("ok %s" % name) if cond else ("not ok %s - %s" % (name, why)))
    return cond


def regs(path):
    r = {}
    for line in open(path):
        line = line.split("#", 1)[0].strip()
        if "=" in line:
            k, v = [x.strip() for x in line.split("=", 1)]
            r[k] = int(v, 0)
    return r


def run_json(args):
    p = subprocess.run([BIN] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        return p.returncode, json.loads(p.stdout), p.stderr.decode(errors="replace")
    except ValueError:
        return p.returncode, None, p.stderr.decode(errors="replace")


def streams(j):
    """The decoded model, without what depends on the tool's build (verdict texts)."""
    out = {}
    for st in j["smmus"][0]["streams"]:
        out[st["sid"]] = {
            "config": st["config"], "ste": st.get("ste"),
            "contexts": [{k: v for k, v in c.items()} for c in st.get("contexts") or []],
            "mappings": st.get("mappings"),
        }
    return out


def events(j):
    ev = j["smmus"][0].get("events")
    if not ev:
        return None
    recs = ev.get("records") if isinstance(ev, dict) else ev
    return json.dumps(recs, sort_keys=True)


def diff(a, b):
    for sid in sorted(set(a) | set(b)):
        if a.get(sid) != b.get(sid):
            return "StreamID 0x%x differs (%s)" % (sid, "missing on one side" if sid not in a or sid not in b
                                                    else ", ".join(k for k in a[sid] if a[sid][k] != b[sid].get(k)))
    return ""


def check_blacklist(k, d):
    n = "kdump-%s-blacklist" % k
    crashed = regs(os.path.join(d, "crashed.regs"))
    after = regs(os.path.join(d, "after.regs"))
    snap_p = os.path.join(d, "crash", "smmu-strtab-dump.regs")
    if not ok(n + ": register snapshot saved by the hook", os.path.exists(snap_p), "no crash/smmu-strtab-dump.regs"):
        return
    snap = regs(snap_p)
    ok(n + ": live STRTAB_BASE = the crashed kernel's (monitor, before the crash)",
       snap.get("STRTAB_BASE") == crashed["STRTAB_BASE"] and snap.get("STRTAB_BASE_CFG") == crashed["STRTAB_BASE_CFG"],
       "snapshot 0x%x/0x%x, monitor 0x%x/0x%x" % (snap.get("STRTAB_BASE", 0), snap.get("STRTAB_BASE_CFG", 0),
                                                 crashed["STRTAB_BASE"], crashed["STRTAB_BASE_CFG"]))
    ok(n + ": live CR0/GBPA = the crashed kernel's", snap.get("CR0") == crashed["CR0"] and snap.get("GBPA") == crashed["GBPA"],
       "CR0 0x%x vs 0x%x" % (snap.get("CR0", -1), crashed["CR0"]))
    ok(n + ": SMMU untouched by the capture (monitor after = before)",
       after["STRTAB_BASE"] == crashed["STRTAB_BASE"] and after["CR0"] == crashed["CR0"],
       "after 0x%x CR0 0x%x" % (after["STRTAB_BASE"], after["CR0"]))
    gj = json.load(open(os.path.join(d, "crash", "smmu-strtab-dump.json")))
    s = gj["smmus"][0]
    ok(n + ": in-guest report used the live registers", s.get("source") == "live" and
       s["name"] == "smmu3.0x%016x" % crashed["base"], "source %s name %s" % (s.get("source"), s["name"]))
    ok(n + ": in-guest dma_state translated", s.get("dma_state") == "translated", "dma_state %s" % s.get("dma_state"))
    live = s.get("live") or {}
    ok(n + ": in-guest live table not 'replaced'", live.get("strtab") in ("crashed-kernel", "unknown"),
       "live %s" % live)
    if live.get("strtab") == "crashed-kernel":
        ok(n + ": in-guest compared with the crashed kernel's STRTAB_BASE",
           int(live["crashed_strtab_base"], 16) & ((1 << 52) - 64) == crashed["STRTAB_BASE"] & ((1 << 52) - 64),
           "crashed_strtab_base %s" % live.get("crashed_strtab_base"))
    # issue 14 item 3: every StreamID the crashed kernel configured, compared with the STE now
    pci = json.load(open(os.path.join(d, "pci.json")))["devices"]
    ngroup = len([x for x in pci if x["iommu_group"] is not None])
    print("# %s: in-guest live: strtab %s, checked %s, overwritten %s" % (
        n, live.get("strtab"), live.get("checked"), live.get("overwritten")))
    ok(n + ": in-guest: table adopted/never reset, every configured StreamID checked, 0 overwritten",
       live.get("strtab") == "crashed-kernel" and live.get("checked") == ngroup and ngroup > 0 and
       live.get("unknown") == 0 and live.get("overwritten") == [] and live.get("overwritten_total") == 0,
       "live %s, %d devices with an iommu group" % (live, ngroup))
    # issue 13 item 5: the edu's bus-master bit, set by a config write the kernel never saw
    edu = [x for x in pci if x.get("vendor") == "0x1234" and x.get("device") == "0x11e8"]
    st = {x["sid"]: x for x in s["streams"]}.get(edu[0]["sid"]) if edu else None
    bm = ((st or {}).get("device") or {}).get("bus_master")
    print("# %s: in-guest edu (StreamID %s) bus_master %s" % (n, hex(edu[0]["sid"]) if edu else None, bm))
    ok(n + ": in-guest: the edu's PCI_COMMAND read live: bus mastering on in the hardware",
       isinstance(bm, dict) and bm.get("hardware") is True, "edu %s, bus_master %r" % (edu, bm))
    vm = os.path.join(d, "vmcore")
    rc, oj, err = run_json(["--regs=" + snap_p, "-J", "-a", "-m", vm])
    if not ok(n + ": offline analysis with the saved snapshot", oj is not None and rc in (0, 1),
              "exit %d: %s" % (rc, err.strip()[-300:])):
        return
    a, b = streams(gj), streams(oj)
    ok(n + ": offline and in-guest analyses agree (streams, contexts, mappings)", a == b, diff(a, b))
    ok(n + ": offline and in-guest analyses agree (events)", events(gj) == events(oj), "event queues differ")
    ev = oj["smmus"][0].get("events") or []
    ok(n + ": the edu's F_TRANSLATION events (SID 0x30, 0x1000) are in the saved dump",
       any(e.get("type") == "F_TRANSLATION" and e.get("sid") == 0x30 and e.get("address") == "0x1000" for e in ev),
       "events %s" % [(e.get("type"), e.get("sid"), e.get("address")) for e in ev])
    pci = json.load(open(os.path.join(d, "pci.json")))["devices"]
    want = {x["sid"] for x in pci if x["iommu_group"] is not None}
    got = {sid for sid, st in b.items() if st["config"] != "abort"}
    ok(n + ": translating streams are the guest's devices with an iommu group", got == want,
       "tool %s, guest %s" % (sorted(map(hex, got)), sorted(map(hex, want))))
    nmap = sum(len(st["mappings"] or []) for st in b.values())
    ok(n + ": mappings decoded", nmap > 0, "no mappings")


def check_driver(k, d):
    n = "kdump-%s-driver" % k
    crashed = regs(os.path.join(d, "crashed.regs"))
    after = regs(os.path.join(d, "after.regs"))
    log = open(os.path.join(d, "crash", "smmu-strtab-dump.log")).read()
    tm = open(os.path.join(d, "crash", "smmu-strtab-dump.time")).read() if os.path.exists(
        os.path.join(d, "crash", "smmu-strtab-dump.time")) else ""
    ok(n + ": --capture-regs refused with the driver bound",
       "owned by the driver 'arm-smmu-v3'" in log and "initcall_blacklist=arm_smmu_driver_init" in log and
       re.search(r"--capture-regs\S* .*exit=3", tm) is not None, "log: %s" % log.strip()[-300:])
    ok(n + ": no register snapshot saved", not os.path.exists(os.path.join(d, "crash", "smmu-strtab-dump.regs")),
       "a snapshot of the capture kernel's SMMU was saved")
    ok(n + ": the capture kernel's driver replaced the stream table (monitor)",
       after["STRTAB_BASE"] & ((1 << 52) - 64) != crashed["STRTAB_BASE"] & ((1 << 52) - 64),
       "after 0x%x == before 0x%x" % (after["STRTAB_BASE"], crashed["STRTAB_BASE"]))
    jp = os.path.join(d, "crash", "smmu-strtab-dump.json")
    gj = None
    try:
        gj = json.load(open(jp))
    except ValueError:
        pass
    ok(n + ": the hook still wrote a report (without live registers)", gj is not None and
       all(s.get("source") != "live" for s in gj.get("smmus", [])), "no JSON report")
    # issue 14 item 3: the live table is the capture kernel's, from its driver's own log
    live = ((gj or {}).get("smmus") or [{}])[0].get("live") or {}
    own = live.get("owner") or {}
    print("# %s: in-guest live: strtab %s, owner %s" % (n, live.get("strtab"), own))
    ok(n + ": in-guest report: the table replaced by the capture kernel's driver (its reset logged)",
       live.get("strtab") == "replaced" and own.get("driver") == "arm-smmu-v3" and
       own.get("reset_logged") is True and "SMMU currently enabled! Resetting" in (own.get("evidence") or ""),
       "live %s" % live)
    rc, oj, err = run_json(["--regs=" + os.path.join(d, "crashed.regs"), "-J", "-a", "-m", os.path.join(d, "vmcore")])
    if ok(n + ": offline analysis with the crashed kernel's registers", oj is not None and rc in (0, 1),
          "exit %d: %s" % (rc, err.strip()[-300:])):
        pci = json.load(open(os.path.join(d, "pci.json")))["devices"]
        want = {x["sid"] for x in pci if x["iommu_group"] is not None}
        got = {sid for sid, st in streams(oj).items() if st["config"] != "abort"}
        ok(n + ": translating streams are the guest's devices with an iommu group", got == want,
           "tool %s, guest %s" % (sorted(map(hex, got)), sorted(map(hex, want))))
        if gj and gj.get("smmus"):
            a, b = streams(gj), streams(oj)
            ok(n + ": in-guest (kernel memory) and offline analyses agree", a == b, diff(a, b))
    # what a snapshot taken anyway would give: the capture kernel's table, not in /proc/vmcore
    rc, oj, err = run_json(["--regs=" + os.path.join(d, "after.regs"), "-J", "-a", "-m", "--no-kernel",
                            os.path.join(d, "vmcore")])
    ok(n + ": the capture kernel's STRTAB_BASE is not a table of the dump",
       rc == 2 or (oj is not None and oj["smmus"][0]["counts"]["s1-trans"] == 0),
       "exit %d, decoded %s" % (rc, oj and oj["smmus"][0]["counts"]))


def main():
    for f in sorted(glob.glob(os.path.join(CACHE, "kdump-*.failed"))):
        print("not ok %s: generation failed: %s" % (os.path.basename(f)[:-len(".failed")],
                                                   " | ".join(open(f).read().split("\n")[:4])))
    dirs = sorted(glob.glob(os.path.join(CACHE, "kdump-*")))
    dirs = [d for d in dirs if os.path.isdir(d) and os.path.exists(os.path.join(d, "meta.json"))]
    if not dirs and not glob.glob(os.path.join(CACHE, "kdump-*.failed")):
        print("not ok kdump: no real kdumps in %s (run tests/vmcores/real/kdump-generate)" % CACHE)
        return
    for d in dirs:
        k = os.path.basename(d)[len("kdump-"):]
        meta = json.load(open(os.path.join(d, "meta.json")))
        for mode, m in meta["modes"].items():
            for r in (m.get("tool") or {}).get("runs", []):
                # busybox 1.35 time's %M is ru_maxrss (KiB) taken for pages: 4x too large with 4 KiB pages
                hwm = re.search(r"VmHWM: (\d+) kB", r.get("sampled_status", ""))
                print("# kdump-%s-%s: in the capture kernel: %s: %.2f s, exit %d, peak RSS %d KiB "
                      "(ru_maxrss; busybox time says %d)%s"
                      % (k, mode, r["args"].split(" /proc/vmcore")[0], r["elapsed_s"], r["exit"],
                         r["maxrss_kb"] // 4, r["maxrss_kb"],
                         (", VmHWM sampled %s KiB" % hwm.group(1)) if hwm else ""))
        check_blacklist(k, os.path.join(d, "blacklist"))
        check_driver(k, os.path.join(d, "driver"))


if __name__ == "__main__":
    main()
