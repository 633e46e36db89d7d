#!/usr/bin/python3
"""Checks smmu-strtab-dump against the real dumps' ground truth (see README.txt).

Environment: SD_REAL_CACHE (default /var/cache/smmu-strtab-dump/real),
SMMU_STRTAB_DUMP (default ./smmu-strtab-dump), SD_REAL_TIMEOUT (seconds per run,
default 300).  Prints `ok NAME` / `not ok NAME - reason` per assertion."""
import json, os, re, subprocess, sys

CACHE = os.environ.get("SD_REAL_CACHE", "/var/cache/smmu-strtab-dump/real")
TOOL = os.environ.get("SMMU_STRTAB_DUMP", "./smmu-strtab-dump")
TIMEOUT = int(os.environ.get("SD_REAL_TIMEOUT", "300"))
TRANSLATING = ("s1-trans", "s2-trans", "nested")


def ok(name):
    print("ok " + name, flush=True)


def notok(name, why):
    why = " ".join(str(why).split())
    print("not ok %s - %s" % (name, why[:600]), flush=True)


def h(x):
    return int(x, 16) if isinstance(x, str) else x


def run_tool(regs, dump):
    cmd = [TOOL, "--regs=" + regs, "-J", "-a", "-m", dump]
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return None, "timed out after %ds" % TIMEOUT
    if p.returncode not in (0, 1):
        return None, "exit %d: %s" % (p.returncode, p.stderr.decode(errors="replace").strip()[-300:])
    try:
        j = json.loads(p.stdout)
    except ValueError as e:
        return None, "exit %d, output is not JSON (%s): %s" % (p.returncode, e, p.stderr.decode(errors="replace")[-200:])
    return j, None


def run_text(regs, dump):
    """The default text report, or None when the run timed out."""
    try:
        p = subprocess.run([TOOL, "--regs=" + regs, dump], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return None
    return p.stdout.decode(errors="replace")


def check_answer_first(t, regs, dump, meta):
    """The text report opens with the ranked answer, and every StreamID with
    event records comes before every idle one, its line naming the faults."""
    out = run_text(regs, dump)
    if out is None:
        notok(t + "/answer-first", "timed out")
        return
    lines = out.splitlines()
    if not lines or not lines[0].startswith("DMA at the crash"):
        notok(t + "/answer-first", "first line: %r" % (lines[0] if lines else ""))
        return
    ok(t + "/answer-first")
    block = out.split("\n\n")[0]
    heads = [(i, l.split()) for i, l in enumerate(block.splitlines())
             if re.match(r"^  (\S+ )?0x[0-9a-f]+ ", l)]
    pos = {int(next(x for x in w if x.startswith("0x")), 16): (i, w[-1]) for i, w in heads}
    idle = [i for i, c in pos.values() if c == "idle"]
    for sid in sorted({ev["sid"] for ev in meta["expected_events"]}):
        tn = "%s/answer-sid-0x%x-ranked" % (t, sid)
        if sid not in pos:
            notok(tn, "not in the answer block")
            continue
        i, cls = pos[sid]
        nxt = block.splitlines()[i + 1] if i + 1 < len(block.splitlines()) else ""
        if idle and i > min(idle):
            notok(tn, "listed after an idle StreamID")
        elif "translation fault" not in nxt:
            notok(tn, "its line does not say what the SMMU saw: %r" % nxt.strip())
        else:
            ok(tn)


def live_translations(events, sid_asid):
    """Translations (deduplicated) that no later invalidation covers.

    Covering: a stage-1 range invalidation of the stream's ASID (or of all ASIDs,
    asid -1) whose byte range holds the IOVA; CMD_TLBI_NH_ASID of that ASID; any
    invalidate-all (TLBI_NH_ALL / NSNH_ALL / EL2_ALL, CFGI_ALL); a CFGI_STE /
    _STE_RANGE / CFGI_CD naming the stream.  When the stream's ASID is not known,
    an invalidation of any ASID counts (conservative: fewer translations checked)."""
    ranges = []        # (asid, start, end) seen later in the trace
    asids = set()
    sids = set()
    all_inval = False
    live = {}
    for e in reversed(events):
        k = e["kind"]
        if k == "s1_range_inval":
            ranges.append((e["asid"], h(e["start"]), h(e["end"])))
        elif k in ("tlbi_nh_asid", "iotlb_inv_asid"):
            asids.add(e["asid"])
        elif k in ("tlbi_nh_all", "iotlb_inv_all", "cfgi_all"):
            all_inval = True
        elif k in ("cfgi_ste", "cfgi_cd", "config_cache_inv"):
            sids.add(e["sid"])
        elif k == "cfgi_ste_range":
            if e["end"] - e["start"] >= (1 << 16):   # Linux's CFGI_ALL: range 0..0xffffffff
                all_inval = True
            else:
                sids.update(range(e["start"], e["end"] + 1))
        elif k == "translate":
            if all_inval:
                continue
            sid, iova = e["sid"], h(e["iova"])
            if sid in sids:
                continue
            a = sid_asid.get(sid)
            if a is None:
                if asids:
                    continue
                if any(s <= iova < t for _, s, t in ranges):
                    continue
            else:
                if a in asids:
                    continue
                if any((ra == a or ra == -1) and s <= iova < t for ra, s, t in ranges):
                    continue
            key = (sid, iova, h(e["pa"]), e["perm"])
            live.setdefault(key, e)
    return live


def streams_digest(j):
    out = []
    for smmu in j.get("smmus", []):
        for s in smmu.get("streams", []):
            out.append({k: s.get(k) for k in ("sid", "valid", "config", "ste", "raw", "contexts", "mappings")})
    return out


def first_diff(a, b, path="streams"):
    if type(a) != type(b):
        return "%s: %r != %r" % (path, a, b)
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if a.get(k) != b.get(k):
                return first_diff(a.get(k), b.get(k), "%s.%s" % (path, k))
    elif isinstance(a, list):
        if len(a) != len(b):
            return "%s: %d entries != %d" % (path, len(a), len(b))
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                sid = x.get("sid") if isinstance(x, dict) and "sid" in x else i
                return first_diff(x, y, "%s[%s]" % (path, sid))
    elif a != b:
        return "%s: %r != %r" % (path, a, b)
    return None


def vfio_truth(d, meta, pci, base):
    """The VFIO variant's ground truth (vfio.json, from the guest's vfio-dma),
    checked against the guest's sysfs (pci.json); None when unusable."""
    v = json.load(open(os.path.join(d, meta["vfio"])))
    dev = next((x for x in pci["devices"] if x["bdf"] == v["bdf"]), None)
    bad = []
    if v.get("dma") != "ok":
        bad.append("the guest's DMA through the mapping: %s" % v.get("dma"))
    if dev is None or dev["driver"] != "vfio-pci" or dev["iommu_group"] != v["group"]:
        bad.append("sysfs says %s, vfio-dma says vfio-pci group %d" % (
            dev and (dev["driver"], dev["iommu_group"]), v["group"]))
    if bad:
        notok(base + "/vfio-ground-truth", "; ".join(bad))
        return None
    ok(base + "/vfio-ground-truth")
    return v


def check_vfio(t, j, v):
    """On one dump: the device bound to vfio-pci is named with its driver,
    its group and VFIO's unmanaged domain, its verdict says user space owns
    its DMA (the group vfio-dma opened), and the pages vfio-dma mapped are
    among its mappings at the IOVA, with the physical addresses the guest's
    pagemap gave and both permissions (the DMA read one and wrote the other)."""
    st = next((s for smmu in j.get("smmus", []) for s in smmu.get("streams", [])
               if s["sid"] == v["sid"]), {})
    dev = st.get("device") or {}
    got = (dev.get("name"), dev.get("driver"), dev.get("iommu_group"), dev.get("domain_type"))
    want = (v["bdf"], "vfio-pci", v["group"], "unmanaged")
    if got != want:
        notok(t + "/vfio-device", "sid 0x%x: %r, expected %r" % (v["sid"], got, want))
    else:
        ok(t + "/vfio-device")
    vd = st.get("verdict") or {}
    phrase = "DMA owned by user space: VFIO group %d" % v["group"]
    bm = dev.get("bus_master")
    why = []
    if vd.get("user_space") is not True:
        why.append("user_space %r" % vd.get("user_space"))
    if phrase not in (vd.get("reason") or ""):
        why.append("reason %r lacks %r" % (vd.get("reason"), phrase))
    if vd.get("class") in (None, "idle", "blocked"):
        why.append("class %s" % vd.get("class"))
    # vfio-dma set the bit through VFIO's config region: offline the
    # hardware's bit is unknown, and the kernel's word alone is not "off"
    if not isinstance(bm, dict) or bm.get("hardware") is not None:
        why.append("bus_master %r (offline: hardware null)" % (bm,))
    if why:
        notok(t + "/vfio-verdict", "; ".join(why))
    else:
        ok(t + "/vfio-verdict")
    page = v["size"] // len(v["pa"])
    bad = []
    for i, pa in enumerate(v["pa"]):
        iova = h(v["iova"]) + i * page
        m = next((m for m in st.get("mappings") or []
                  if h(m["iova"]) <= iova < h(m["iova"]) + m["size"]), None)
        if m is None:
            bad.append("iova 0x%x not mapped" % iova)
        elif h(m["pa"]) + iova - h(m["iova"]) != h(pa) or not (m["read"] and m["write"]):
            bad.append("iova 0x%x -> pa 0x%x r=%s w=%s, guest: pa %s rw" % (
                iova, h(m["pa"]) + iova - h(m["iova"]), m["read"], m["write"], pa))
    if bad:
        notok(t + "/vfio-mapping", "; ".join(bad))
    else:
        ok(t + "/vfio-mapping")


def check_vfio_text(t, regs, dump, v):
    """The text report's answer block names the device and says who owns its DMA."""
    out = run_text(regs, dump)
    if out is None:
        notok(t + "/vfio-answer", "timed out")
        return
    lines = out.split("\n\n")[0].splitlines()
    head = re.compile(r"^  (\S+ )?0x[0-9a-f]+ ")
    entry = None
    for i, l in enumerate(lines):
        if head.match(l) and "0x%x" % v["sid"] in l.split():
            entry = [l]
            for x in lines[i + 1:]:
                if head.match(x):
                    break
                entry.append(x)
            break
    text = " ".join(" ".join(entry or []).split())
    phrase = "DMA owned by user space: VFIO group %d" % v["group"]
    if entry is None:
        notok(t + "/vfio-answer", "StreamID 0x%x not in the answer block" % v["sid"])
    elif v["bdf"] not in text or "vfio-pci" not in text or phrase not in text:
        notok(t + "/vfio-answer", "its entry: %r" % text)
    else:
        ok(t + "/vfio-answer")


def check_kernel(d):
    meta = json.load(open(os.path.join(d, "meta.json")))
    name = meta["name"]
    pci = json.load(open(os.path.join(d, meta["pci"])))
    tr = json.load(open(os.path.join(d, meta["translations"])))
    regs = os.path.join(d, meta["regs"])
    expect = {x["sid"]: x for x in pci["devices"] if x["iommu_group"] is not None}
    base = "real/%s" % name

    # ground truth sanity (independent of the tool)
    gt_bad = []
    if len(expect) < 5:
        gt_bad.append("only %d devices with an iommu group" % len(expect))
    if tr["translations"] == 0:
        gt_bad.append("no translations in the trace")
    if not any(x["format"] == "elf" for x in meta["dumps"]):
        gt_bad.append("no ELF dump")
    for l in pci.get("guest_log", []):
        if "FAILED" in l or "MISMATCH" in l or "missing" in l:
            gt_bad.append(l)
    if gt_bad:
        notok(base + "/ground-truth", "; ".join(gt_bad))
    else:
        ok(base + "/ground-truth")
    vfio = vfio_truth(d, meta, pci, base) if meta.get("vfio") else None
    for f in meta.get("failed", []):
        print("# %s: %s failed: %s" % (name, f["what"], f["reason"]))

    results = {}
    for dump in meta["dumps"]:
        fmt = dump["file"][len(name) + 1:]
        t = "%s/%s" % (base, fmt)
        j, err = run_tool(regs, os.path.join(d, dump["file"]))
        if err:
            notok(t + "/run", err)
            continue
        ok(t + "/run")
        results[fmt] = j
        if vfio:
            check_vfio(t, j, vfio)
            if fmt == "elf":
                check_vfio_text(t, regs, os.path.join(d, dump["file"]), vfio)
        streams = [s for smmu in j.get("smmus", []) for s in smmu.get("streams", [])]
        by_sid = {s["sid"]: s for s in streams}

        # (a) translating STEs are exactly the guest's devices that have an iommu group
        bad = []
        active = {s["sid"] for s in streams if s.get("valid") and s.get("config") != "abort"}
        for sid in sorted(set(expect) - active):
            bad.append("sid 0x%x (%s %s) not active (%s)" % (
                sid, expect[sid]["bdf"], expect[sid]["driver"],
                by_sid[sid]["config"] if sid in by_sid else "no valid STE"))
        for sid in sorted(active - set(expect)):
            bad.append("sid 0x%x is %s but the guest has no device with an iommu group there" % (sid, by_sid[sid]["config"]))
        for sid in sorted(active & set(expect)):
            if by_sid[sid]["config"] not in TRANSLATING:
                bad.append("sid 0x%x (%s) config %s is not translating" % (sid, expect[sid]["bdf"], by_sid[sid]["config"]))
        if bad:
            notok(t + "/ste-configs", "; ".join(bad))
        else:
            ok(t + "/ste-configs")

        # (d) the SMMU's real event records (the edu device's DMA to an
        # unmapped IOVA, recorded by QEMU) are decoded with the right type,
        # StreamID, address and direction, and attributed to the device the
        # kernel knows at that StreamID when the tool names devices.
        for ev in meta.get("expected_events", []):
            evs = [e for smmu in j.get("smmus", []) for e in (smmu.get("events") or [])]
            got = [e for e in evs if e.get("type") == ev["type"] and e.get("sid") == ev["sid"]
                   and h(e.get("address", "0x0")) == h(ev["address"]) and e.get("read") == ev["rnw"]]
            tn = "%s/event-%s-sid-0x%x" % (t, ev["type"], ev["sid"])
            if not got:
                notok(tn, "not among the tool's %d event records: %s" % (
                    len(evs), [(e.get("type"), e.get("sid"), e.get("address")) for e in evs][:6]))
                continue
            dev = (by_sid.get(ev["sid"]) or {}).get("device")
            if dev is not None and dev.get("name") != ev["bdf"]:
                notok(tn, "attributed to %s, expected %s" % (dev.get("name"), ev["bdf"]))
            else:
                ok(tn)

        # (e) the event records are evidence (issue 13): the StreamID that
        # faulted is not "idle" or "blocked", its verdict counts every
        # record in the ring, and its bus mastering is never "off" on the
        # kernel's word alone (offline the hardware's bit is unknown: null).
        for sid in sorted({ev["sid"] for ev in meta.get("expected_events", [])}):
            nrec = sum(len(ev.get("records", [])) or 1
                       for ev in meta["expected_events"] if ev["sid"] == sid)
            tn = "%s/evidence-sid-0x%x" % (t, sid)
            st = by_sid.get(sid) or {}
            v = st.get("verdict") or {}
            f = v.get("faults") or {}
            bm = (st.get("device") or {}).get("bus_master", {})
            why = []
            if v.get("class") in (None, "idle", "blocked"):
                why.append("class %s" % v.get("class"))
            if f.get("pending", 0) + f.get("consumed", 0) < nrec:
                why.append("faults %s, expected at least %d records" % (f, nrec))
            if not isinstance(bm, dict) or bm.get("hardware") is not None or bm is False:
                why.append("bus_master %r (offline: {kernel, hardware: null})" % (bm,))
            if why:
                notok(tn, "; ".join(why))
            else:
                ok(tn)
        if fmt == "elf" and meta.get("expected_events"):
            check_answer_first(t, regs, os.path.join(d, dump["file"]), meta)

        # (b) translations still live at the dump are among the tool's mappings
        sid_asid = {}
        for s in streams:
            cds = [c for c in (s.get("contexts") or []) if c.get("ssid", 0) == 0]
            if cds and cds[0].get("asid") is not None:
                sid_asid[s["sid"]] = cds[0]["asid"]
        live = live_translations(tr["events"], sid_asid)
        missing = []
        for (sid, iova, pa, perm), e in sorted(live.items()):
            maps = (by_sid.get(sid) or {}).get("mappings") or []
            hit = None
            for m in maps:
                mi, ms = h(m["iova"]), m["size"]
                if mi <= iova < mi + ms:
                    hit = m
                    break
            if hit is None:
                missing.append("sid 0x%x iova 0x%x (trace seq %d) not mapped" % (sid, iova, e["seq"]))
            elif h(hit["pa"]) + (iova - h(hit["iova"])) != pa:
                missing.append("sid 0x%x iova 0x%x -> tool pa 0x%x, trace pa 0x%x" % (
                    sid, iova, h(hit["pa"]) + (iova - h(hit["iova"])), pa))
            elif (perm & 1 and not hit["read"]) or (perm & 2 and not hit["write"]):
                missing.append("sid 0x%x iova 0x%x perm %d but tool r=%s w=%s" % (sid, iova, perm, hit["read"], hit["write"]))
        if not live:
            notok(t + "/live-translations", "no live translation in the trace to check")
        elif missing:
            notok(t + "/live-translations", "%d of %d: %s" % (len(missing), len(live), "; ".join(missing[:6])))
        else:
            ok(t + "/live-translations")
            print("# %s: %d live translations (of %d in the trace) checked, ASIDs %s" % (
                t, len(live), tr["translations"], {hex(k): v for k, v in sorted(sid_asid.items())}))

    # (c) identical across the formats of the same moment
    ref = "elf" if "elf" in results else (sorted(results)[0] if results else None)
    for fmt, j in sorted(results.items()):
        if fmt == ref:
            continue
        t = "%s/%s/same-as-%s" % (base, fmt, ref)
        diff = first_diff(streams_digest(results[ref]), streams_digest(j))
        if diff:
            notok(t, diff)
        else:
            ok(t)


def main():
    dirs = []
    if os.path.isdir(CACHE):
        for n in sorted(os.listdir(CACHE)):
            d = os.path.join(CACHE, n)
            if n.startswith(("linux-", "vfio-")) and os.path.isfile(os.path.join(d, "meta.json")):
                dirs.append(d)
    if not dirs:
        notok("real", "no dumps (run make real-dumps)")
        return 0
    if not (os.path.isfile(TOOL) and os.access(TOOL, os.X_OK)):
        notok("real", "%s not found or not executable (build it with make)" % TOOL)
        return 0
    for f in sorted(os.listdir(CACHE)):
        if f.startswith("vfio-") and f.endswith(".failed"):
            notok("real/" + f[:-len(".failed")], open(os.path.join(CACHE, f)).read().strip())
    if not any(os.path.basename(d).startswith("vfio-") for d in dirs):
        print("ok real/vfio # skip the VFIO variant was not generated "
              "(tests/vmcores/real/vfio-generate)", flush=True)
    for d in dirs:
        try:
            check_kernel(d)
        except Exception as e:  # a broken cache entry is a failure, not a crash
            notok("real/" + os.path.basename(d), "%s: %s" % (type(e).__name__, e))
    return 0


if __name__ == "__main__":
    sys.exit(main())
