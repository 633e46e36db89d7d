#!/usr/bin/python3
"""trace2json.py TRACE PAGE_SIZE OUT.json -- QEMU's SMMUv3 trace -> translations.json.

Keeps, in trace order, every successful translation (smmuv3_translate_success:
sid, iova, translated pa, perm) and every event that can end a translation's
life in the SMMU's view: stage-1 range invalidations (smmuv3_s1_range_inval,
i.e. CMD_TLBI_NH_VA[A]), ASID / all invalidations (smmuv3_cmdq_tlbi_nh_asid,
smmuv3_cmdq_tlbi_nh, smmu_iotlb_inv_*), configuration invalidations
(smmuv3_cmdq_cfgi_ste, _ste_range, _cd, smmuv3_config_cache_inv), plus the
events the SMMU recorded (smmuv3_record_event) and aborts.

For s1_range_inval, "start"/"end" give the byte range covered: with tg != 0
(range invalidation) num_pages granules of 2^(2*tg+10) bytes; with tg == 0
(no range: one leaf at addr) one granule of the kernel's PAGE_SIZE, which is
what Linux's arm-smmu-v3 driver steps by without RIL.  asid -1 = all ASIDs."""
import json, re, sys

trace, page_size, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
HEAD = re.compile(r"^(\d+)@(\d+\.\d+):(\w+)\s?(.*)$")
KV = re.compile(r"(\w+)[=:]\s?(-?0x[0-9a-fA-F]+|-?\d+)")


def kv(rest):
    return {k: int(v, 0) for k, v in KV.findall(rest)}


events = []
ntrans = 0
keys = set()
for line in open(trace, errors="replace"):
    m = HEAD.match(line.rstrip("\n"))
    if not m:
        continue
    t, name, rest = float(m.group(2)), m.group(3), m.group(4)
    e = None
    if name == "smmuv3_translate_success":
        a = kv(rest)
        e = {"kind": "translate", "sid": a["sid"], "iova": "0x%x" % a["iova"],
             "pa": "0x%x" % a["translated"], "perm": a["perm"],
             "read": bool(a["perm"] & 1), "write": bool(a["perm"] & 2),
             "mr": rest.split()[0]}
        ntrans += 1
        keys.add((a["sid"], a["iova"], a["translated"], a["perm"]))
    elif name == "smmuv3_s1_range_inval":
        a = kv(rest)
        tg = a["tg"]
        gran = 1 << (2 * tg + 10) if tg else page_size
        start = a["addr"] & ~(gran - 1) if not tg else a["addr"]
        e = {"kind": "s1_range_inval", "vmid": a["vmid"], "asid": a["asid"],
             "addr": "0x%x" % a["addr"], "tg": tg, "num_pages": a["num_pages"],
             "ttl": a["ttl"], "leaf": a["leaf"],
             "start": "0x%x" % start, "end": "0x%x" % (start + a["num_pages"] * gran)}
    elif name == "smmuv3_cmdq_tlbi_nh_asid":
        e = {"kind": "tlbi_nh_asid", "asid": kv(rest)["asid"]}
    elif name == "smmuv3_cmdq_tlbi_nh":
        e = {"kind": "tlbi_nh_all"}
    elif name == "smmu_iotlb_inv_all":
        e = {"kind": "iotlb_inv_all"}
    elif name == "smmu_iotlb_inv_asid":
        e = {"kind": "iotlb_inv_asid", "asid": kv(rest)["asid"]}
    elif name == "smmu_iotlb_inv_iova":
        e = dict(kind="iotlb_inv_iova", **kv(rest))
    elif name == "smmuv3_cmdq_cfgi_ste":
        e = {"kind": "cfgi_ste", "sid": kv(rest)["streamid"]}
    elif name == "smmuv3_cmdq_cfgi_ste_range":
        a = kv(rest)
        e = {"kind": "cfgi_ste_range", "start": a["start"], "end": a["end"]}
    elif name == "smmuv3_cmdq_cfgi_cd":
        e = {"kind": "cfgi_cd", "sid": kv(rest)["sid"]}
    elif name == "smmuv3_config_cache_inv":
        e = {"kind": "config_cache_inv", "sid": kv(rest)["sid"]}
    elif name == "smmuv3_cmdq_opcode" and "CFGI_ALL" in rest:
        e = {"kind": "cfgi_all"}
    elif name == "smmuv3_record_event":
        e = {"kind": "record_event", "type": rest.split()[0], "sid": kv(rest)["sid"]}
    elif name == "smmuv3_translate_abort":
        a = kv(rest)
        e = {"kind": "translate_abort", "sid": a["sid"], "iova": "0x%x" % a["iova"],
             "is_write": a.get("is_write")}
    if e is not None:
        e["seq"] = len(events)
        e["t"] = t
        events.append(e)

with open(out, "w") as f:
    json.dump({
        "source": "QEMU 7.2 -trace smmuv3_* / smmu_iotlb_inv_* (log backend), in trace order",
        "page_size": page_size,
        "perm_bits": {"1": "read", "2": "write"},
        "translations": ntrans,
        "distinct_translations": len(keys),
        "invalidations": sum(1 for e in events if e["kind"] not in ("translate", "record_event", "translate_abort")),
        "events": events,
    }, f, indent=0)
print("trace2json: %d translations (%d distinct), %d events" % (ntrans, len(keys), len(events)))
