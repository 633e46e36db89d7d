#!/usr/bin/python3
"""Tiny independent walker: reads each synthetic ELF dump back from its bytes
(not from gen.py's objects) and checks that gen.py's expectation says the same
about SIDs, configs, raw STEs, valid SSIDs, raw CDs, coalesced mappings and
problem kinds.  It is a self-check of the generator (an encoding slip in
gen.py shows up here before it is blamed on the tool).

    walk.py OUTDIR        prints ok / not ok lines, exits 0
"""

import json
import os
import struct
import sys


class Dump:
    def __init__(self, path):
        with open(path, "rb") as f:
            self.data = f.read()
        phoff, = struct.unpack_from("<Q", self.data, 32)
        phnum, = struct.unpack_from("<H", self.data, 56)
        self.loads = []
        for i in range(phnum):
            t, fl, off, va, pa, fsz, msz, al = struct.unpack_from("<IIQQQQQQ", self.data, phoff + 56 * i)
            if t == 1:
                self.loads.append((pa, off, fsz))

    def r64(self, pa):
        for base, off, size in self.loads:
            if base <= pa and pa + 8 <= base + size:
                return struct.unpack_from("<Q", self.data, off + pa - base)[0]
        return None


def regs(path):
    r = {}
    for line in open(path):
        line = line.split("#")[0].strip()
        if "=" in line:
            k, v = line.split("=")
            r[k.strip().upper()] = int(v.strip(), 0)
    return r


def f(v, hi, lo):
    return (v >> lo) & ((1 << (hi - lo + 1)) - 1)


GR = {0: 12, 1: 16, 2: 14}       # TG encodings of CD.TG0 / STE.S2TG


class Walker:
    def __init__(self, dump, r):
        self.d, self.r = dump, r
        self.problems = []
        self.oa52 = f(r["IDR5"], 2, 0) == 6

    def prob(self, kind, sid, ssid=None):
        self.problems.append((kind, sid, ssid))

    def walk(self, root, shift, ias, start, nroot, stage, sid, ssid, xlate=None):
        """Return list of (va, oa, size, r, w, x)."""
        bits = shift - 3
        out = []

        def lsh(l):
            return shift + (3 - l) * bits

        def oa_of(d):
            a = d & 0x0000fffffffff000 & ~((1 << shift) - 1)
            if shift == 16 and self.oa52:
                a |= f(d, 15, 12) << 48
            return a

        def rec(tab, level, vbase, n, path):
            for i in range(n):
                pa = tab + 8 * i
                if xlate:
                    pa = xlate(pa)
                d = self.d.r64(pa) if pa is not None else None
                if d is None:
                    self.prob("nodata", sid, ssid)
                    return
                if not d & 1:
                    continue
                va = vbase + (i << lsh(level))
                if level == 3 and d & 3 == 1:
                    self.prob("reserved", sid, ssid)
                    continue
                if level < 3 and d & 3 == 3:
                    nxt = oa_of(d)
                    if nxt in path:
                        self.prob("loop", sid, ssid)
                        continue
                    rec(nxt, level + 1, va, 1 << bits, path | {nxt})
                    continue
                size = 1 << lsh(level)
                if stage == 1:
                    rr, ww = True, not (d >> 7) & 1
                else:
                    rr, ww = bool((d >> 6) & 1), bool((d >> 7) & 1)
                out.append((va, oa_of(d), size, rr, ww, not (d >> 54) & 1))
        rec(root, start, 0, nroot, {root})
        return out

    def s1_params(self, t0sz, tg):
        shift = GR[tg]
        ias = 64 - t0sz
        bits = shift - 3
        start = 4 - -(-(ias - shift) // bits)
        return shift, ias, start, 1 << (ias - (shift + (3 - start) * bits))

    def s2(self, w2, w3, sid):
        shift = GR[f(w2, 47, 46)]
        ias = 64 - f(w2, 37, 32)
        sl0 = f(w2, 39, 38)
        start = 2 - sl0 if shift == 12 else 3 - sl0
        bits = shift - 3
        n = 1 << (ias - (shift + (3 - start) * bits))
        return self.walk(w3 & 0x000ffffffffffff0, shift, ias, start, n, 2, sid, None)

    def cds(self, w0, sid, xlate):
        ptr = w0 & 0x000fffffffffffc0
        fmt, cdmax = f(w0, 5, 4), f(w0, 63, 59)
        res = []
        if cdmax == 0 or fmt == 0:
            for ssid in range(1 << cdmax):
                res.append((ssid, ptr + 64 * ssid))
        else:
            nleaf = 64 if fmt == 1 else 1024
            for l1 in range(max(1, (1 << cdmax) // nleaf)):
                a = xlate(ptr + 8 * l1)
                d = self.d.r64(a) if a is not None else None
                if d is None:
                    self.prob("nodata", sid)
                    return []
                if d & 1:
                    for j in range(nleaf):
                        res.append((l1 * nleaf + j, (d & 0x000ffffffffff000) + 64 * j))
        out = []
        for ssid, a in res:
            a = xlate(a)
            words = [self.d.r64(a + 8 * k) if a is not None else None for k in range(8)]
            if words[0] is None:
                self.prob("nodata", sid)
                return out
            if words[0] >> 31 & 1:
                out.append((ssid, words))
        return out


def coalesce(leaves):
    out = []
    for va, pa, size, r, w, x in sorted(leaves):
        if out and out[-1][0] + out[-1][2] == va and out[-1][1] + out[-1][2] == pa \
                and tuple(out[-1][3:]) == (r, w, x):
            out[-1][2] += size
        else:
            out.append([va, pa, size, r, w, x])
    return out


def compose(s1, s2):
    res = []
    for va, ipa, size, r, w, x in s1:
        for v2, pa, sz2, r2, w2, x2 in s2:
            a, b = max(ipa, v2), min(ipa + size, v2 + sz2)
            if a < b:
                res.append((va + a - ipa, pa + a - v2, b - a, r and r2, w and w2, x and x2))
    return res


def decode(dump, r):
    wk = Walker(dump, r)
    base = r["STRTAB_BASE"] & 0x000fffffffffffc0
    cfg = r["STRTAB_BASE_CFG"]
    log2, split = f(cfg, 5, 0), f(cfg, 10, 6)
    stes = []
    if f(cfg, 17, 16) == 0:
        for sid in range(1 << log2):
            stes.append((sid, base + 64 * sid))
    else:
        for l1 in range(1 << (log2 - split)):
            d = dump.r64(base + 8 * l1)
            span = d & 0x1f
            if span == 0:
                continue
            if span >= 12:
                wk.prob("bad_span", l1 << split)
                continue
            if span > split + 1:
                wk.prob("bad_span", l1 << split)
            n = 1 << min(span - 1, split)
            l2 = d & 0x000fffffffffffc0
            if dump.r64(l2) is None:
                wk.prob("nodata", l1 << split)
                continue
            for i in range(n):
                stes.append(((l1 << split) | i, l2 + 64 * i))
    streams = {}
    for sid, a in stes:
        w = [dump.r64(a + 8 * k) for k in range(8)]
        if not w[0] & 1:
            continue
        cfgv = f(w[0], 3, 1)
        s = {"config": cfgv, "raw": w, "ctx": [], "maps": []}
        streams[sid] = s
        if cfgv in (1, 2, 3):
            wk.prob("reserved", sid)
        if cfgv not in (5, 6, 7):
            continue
        s2 = []
        if cfgv & 2:
            s2 = wk.s2(w[2], w[3], sid)
        if cfgv == 6:
            s["maps"] = [[None] + m for m in coalesce(s2)]
            continue
        if cfgv == 7:
            def xlate(ipa, s2=s2):
                for v, p, size, *_ in s2:
                    if v <= ipa < v + size:
                        return p + ipa - v
                return None
        else:
            xlate = lambda pa: pa
        for ssid, cw in wk.cds(w[0], sid, xlate):
            s["ctx"].append((ssid, cw))
            if (cw[0] >> 14) & 1:
                continue
            shift, ias, start, n = wk.s1_params(f(cw[0], 5, 0), f(cw[0], 7, 6))
            root = cw[1] & 0x000ffffffffffff0
            leaves = wk.walk(root, shift, ias, start, n, 1, sid, ssid,
                             xlate if cfgv == 7 else None)
            if cfgv == 7:
                leaves = compose(leaves, s2)
            s["maps"] += [[ssid] + m for m in coalesce(leaves)]
    return streams, wk.problems


def main(outdir):
    index = json.load(open(os.path.join(outdir, "index.json")))
    for ent in index:
        if ent["format"] != "elf":
            continue
        name = "synth/%s: independent walker agrees with the expectation" % ent["name"]
        exp = json.load(open(os.path.join(outdir, ent["expect"])))
        loose = set(exp["_test"]["loose_sids"])
        sm = exp["smmus"][0]
        streams, probs = decode(Dump(os.path.join(outdir, ent["dump"])),
                                regs(os.path.join(outdir, ent["regs"])))
        bad = []
        es = {s["sid"]: s for s in sm["streams"]}
        if sorted(es) != sorted(streams):
            bad.append("SIDs differ: only expected %s, only walked %s" % (
                sorted(set(es) - set(streams))[:8], sorted(set(streams) - set(es))[:8]))
        for sid in sorted(set(es) & set(streams)):
            e, w = es[sid], streams[sid]
            if [int(x, 16) for x in e["raw"]] != w["raw"]:
                bad.append("sid %#x raw differs" % sid)
            if sid in loose:
                continue
            ec = [(c["ssid"], [int(x, 16) for x in c["raw"]]) for c in e["contexts"]]
            if ec != w["ctx"]:
                bad.append("sid %#x contexts differ: %s vs %s" % (sid, [c[0] for c in ec], [c[0] for c in w["ctx"]]))
            em = [[m["ssid"], int(m["iova"], 16), int(m["pa"], 16), m["size"], m["read"], m["write"], m["exec"]]
                  for m in e["mappings"]]
            wm = sorted(w["maps"], key=lambda m: (-1 if m[0] is None else m[0], m[1]))
            if em != wm:
                first = next((i for i, (a, b) in enumerate(zip(em, wm)) if a != b), min(len(em), len(wm)))
                bad.append("sid %#x mappings differ (%d vs %d ranges; first at %d: %s vs %s)" % (
                    sid, len(em), len(wm), first, em[first:first + 1], wm[first:first + 1]))
        # STE validity checks are not the walker's business: loose SIDs are skipped.
        ep = sorted((p["kind"], p["sid"]) for p in sm["problems"]
                    if p["kind"] != "bad_ste" and p["sid"] not in loose
                    and not p.get("_queue"))
        wp = sorted(set((k, s) for k, s, _ in probs if s not in loose))
        if sorted(set(ep)) != wp:
            bad.append("problems differ: expected %s, walked %s" % (ep, wp))
        print(("not ok %s - %s" % (name, "; ".join(bad[:4]))) if bad else "ok " + name)


if __name__ == "__main__":
    main(sys.argv[1])
