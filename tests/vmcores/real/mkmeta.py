#!/usr/bin/python3
"""mkmeta.py DIR NAME KERNEL PKG VERSION PAGE_SIZE HASH RELEASE T0 T_GUEST T_END MDF_VERSION
Writes DIR/meta.json: what was generated, from what, how long it took."""
import json, os, re, sys, time

(d, name, kernel, pkg, ver, psize, ghash, release, t0, tg, te, mdfv) = sys.argv[1:13]
t0, tg, te = float(t0), float(tg), float(te)
KINDS = [  # suffix, format, compression, flattened, dump_level, producer
    (".elf", "elf", None, False, 0, "QEMU dump-guest-memory format=elf"),
    (".kdump-zlib.flat", "kdump", "zlib", True, 0, "QEMU dump-guest-memory format=kdump-zlib (flattened, 64 KiB blocks)"),
    (".kdump-zlib", "kdump", "zlib", False, 0, "QEMU kdump-zlib rearranged by makedumpfile -R"),
    (".lzo.kdump", "kdump", "lzo", False, 0, "makedumpfile -l -d 0 (arm64, qemu-user)"),
    (".zstd.kdump", "kdump", "zstd", False, 0, "makedumpfile -z -d 0 (arm64, qemu-user)"),
    (".snappy.kdump", "kdump", "snappy", False, 0, "makedumpfile -p -d 0"),
    (".d31.kdump", "kdump", "lzo", False, 31, "makedumpfile -l -d 31 (arm64, qemu-user)"),
    (".mdf.flat", "kdump", "lzo", True, 0, "makedumpfile -F -l -d 0 (arm64, qemu-user)"),
]
MAGIC = {"elf": b"\x7fELF", "kdump": b"KDUMP   ", "flat": b"makedumpfile"}
dumps = []
for suf, fmt, comp, flat, lvl, prod in KINDS:
    p = os.path.join(d, name + suf)
    if not os.path.exists(p):
        continue
    with open(p, "rb") as f:
        head = f.read(16)
    magic = MAGIC["flat"] if flat else MAGIC[fmt]
    if not head.startswith(magic):
        print("mkmeta: %s does not start with %r" % (p, magic), file=sys.stderr)
        os.unlink(p)
        continue
    dumps.append({"file": name + suf, "format": fmt, "flattened": flat, "compression": comp,
                  "dump_level": lvl, "producer": prod, "size": os.path.getsize(p)})
failed = []
log = os.path.join(d, "makedumpfile.log")
if os.path.exists(log):
    cur = None
    for line in open(log, errors="replace"):
        m = re.match(r"== mdf-(\w+)", line)
        if m:
            cur = m.group(1)
        m = re.match(r"rc=(\d+)", line)
        if m and m.group(1) != "0":
            reason = [l.strip() for l in open(log, errors="replace")
                      if "not supported" in l or "Can't" in l or "rror" in l][:2]
            failed.append({"what": "makedumpfile " + cur, "rc": int(m.group(1)), "reason": "; ".join(reason)})
        if line.startswith("FAILED"):
            failed.append({"what": line.strip(), "rc": None, "reason": ""})
    produced = {x["file"] for x in dumps}
    for fmt in ("lzo", "zstd", "d31", "flat"):
        f = name + (".mdf.flat" if fmt == "flat" else ".%s.kdump" % fmt)
        if f not in produced and not any(x["what"] == "makedumpfile " + fmt for x in failed):
            failed.append({"what": "makedumpfile " + fmt, "rc": None,
                           "reason": "not attempted: makedumpfile -l failed on this kernel"})
failed.append({"what": "makedumpfile -p (snappy)", "rc": None,
               "reason": "no Debian makedumpfile build has snappy enabled; QEMU 7.2 has no kdump-snappy"})
q = json.load(open(os.path.join(d, "qemu.json")))
pci = json.load(open(os.path.join(d, "pci.json")))
tr = json.load(open(os.path.join(d, "translations.json")))
meta = {
    "name": name, "kernel": kernel, "package": pkg, "package_version": ver, "osrelease": release,
    "page_size": int(psize), "generator_hash": ghash,
    "generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    "generation_seconds": round(te - t0, 1), "guest_seconds": round(tg - t0, 1),
    "qemu": os.popen("qemu-system-aarch64 --version").readline().strip(),
    "makedumpfile": mdfv, "smmu_base": q["smmu_base"],
    "regs": name + ".regs", "pci": "pci.json", "translations": "translations.json",
    "trace_translations": tr["translations"],
    "dumps": dumps, "failed": failed,
    "expected_events": [],
}
# the raw event records as Linux's arm-smmu-v3 printed them ("event 0x10 received:" + 4 dwords)
records, cur = [], None
for l in [x for x in open(os.path.join(d, "console.log"), errors="replace").read().replace("\r", "").splitlines()
          if x.startswith("SD-DMESG")]:
    m = re.search(r"event (0x[0-9a-f]+) received", l)
    if m:
        cur = []
        records.append(cur)
        continue
    m = re.search(r"smmuv3:\s+(0x[0-9a-f]{16})\s*$", l)
    if m and cur is not None and len(cur) < 4:
        cur.append(m.group(1))
records = [r for r in records if r]
for l in pci.get("guest_log", []):
    m = re.match(r"SD-EDU (\S+) iova=(\S+) dir=(\w+)", l)
    if m:
        bdf = m.group(1)
        sid = next(x["sid"] for x in pci["devices"] if x["bdf"] == bdf)
        meta["expected_events"].append({
            "type": "F_TRANSLATION", "code": 0x10, "sid": sid, "bdf": bdf, "device": "edu",
            "address": m.group(2), "rnw": m.group(3) == "read",
            "note": "edu DMA engine (count 8) reading an unmapped IOVA; the SMMU records one event per "
                    "4-byte access (address and address+4); Linux consumed them (EVTQ_PROD == EVTQ_CONS) "
                    "but they stay in the ring",
            "trace": [e for e in tr["events"] if e["kind"] == "record_event"],
            "records": records,
        })
json.dump(meta, open(os.path.join(d, "meta.json"), "w"), indent=1)
