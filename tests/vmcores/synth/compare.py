#!/usr/bin/python3
"""Compare smmu-strtab-dump's JSON (-J -m) with a synthetic expectation.

    compare.py --name NAME --expect E.json --actual OUT.json --rc N
               [--stderr ERR] [--same-as OTHER_OUT.json]

Prints one `ok synth/NAME: ASPECT` / `not ok synth/NAME: ASPECT - reason`
line per aspect (exit, json, header, streams, contexts, mappings, problems,
events, commands, verdicts, identical to ELF), with up to MAXDIFF
differences, each with its JSON path.
Always exits 0 (the test runner counts lines).

Comparison rules (also the contract for NAME.expect.json):

* "_test" in the expectation is test metadata, never output: "exit" is the
  list of acceptable exit statuses; "loose_sids" lists streams whose
  contexts/mappings are not compared (STEs an SMMU rejects with C_BAD_STE:
  what a tool shows below them is its own business) and for which extra
  problems are tolerated; "broken": the dump is unreadable or corrupt, and
  only "the tool exits with one of "exit", prints a message on stderr (or a
  problem in its JSON) and did not crash" is checked.
* Strings of the form 0x... are compared as numbers (leading zeros and
  padding do not matter); everything else must be equal in value and type.
* "dump": only page_size and osrelease are compared, and dump_level for the
  kdump formats; path, format and compression are informational.
* "registers": the expected keys must be present with equal values; other
  keys may be present.
* "streams": the same set of SIDs (sorted), and for each: valid, config, every
  "ste" field, the 8 raw dwords, then (unless the SID is loose) "contexts"
  (same SSIDs, every field, raw) and "mappings" (exactly the expected
  coalesced ranges, in order) and "mapped_bytes".  A stream without
  contexts/mappings keys is accepted when the expected list is empty.
* "problems" are compared loosely: every expected problem must be matched by
  a distinct reported problem with the same kind and sid; ssid is compared
  when the expected problem has an "ssid" key (null included); level when
  the expected one has a "level" key; address when the expected one has an
  "address" key, as the same 4 KB page (a tool may name the table or the
  descriptor it failed to read).  Messages are not compared.  Any reported
  problem left unmatched is a failure unless its sid is loose.
* "events" / "commands" (when the expected SMMU has the key): null must be
  null; otherwise exactly the expected entries, in order (compared by ring
  index), every field of each compared.  An expected value may be an
  operator object instead ({"$oneof": [...]}, {"$contains_hex": [...]},
  {"$contains_any": [...]}, {"$named": {...}}; see special()), which is how
  free text (a command's operands, a verdict's reason) and fields the
  specification leaves open are checked.
* "verdict" of a stream, when the expected stream has one: class and
  faults ({pending, consumed}) exactly, reason through its operators.
* "unknown_requesters" (when the expected SMMU has the key): exactly the
  expected entries, in StreamID order, the keys each expected entry has.
* "adoption" of an SMMU, when the expected one has it: see
  compare_adoption().
* --same-as: the whole JSON except "dump" (and the adoption's
  placement_checked.ram_from: an ELF vmcore has a memory map, a kdump file
  has none) must be identical to OTHER_OUT.json (the ELF variant of the
  same memory image).
"""

import argparse
import json
import re
import sys

MAXDIFF = 5


def is_hex(v):
    return isinstance(v, str) and v[:2] in ("0x", "0X")


def same(a, b):
    if is_hex(a) and is_hex(b):
        try:
            return int(a, 16) == int(b, 16)
        except ValueError:
            return False
    if type(a) is not type(b):
        # JSON true vs 1 are different things
        return False
    return a == b


HEXTOK = re.compile(r"(?i)(?<![0-9a-z])(?:0x)?([0-9a-f]+)(?![0-9a-z])")
NAMED = re.compile(r"(?i)(?<![0-9a-z_])([a-z][a-z0-9_]*)=(0x[0-9a-f]+|[0-9]+)(?![0-9a-z])")


def special(exp, act, path, out):
    """Operators an expectation may use instead of a plain value:
    {"$oneof": [v, ...]}       any of these values (compared as by same())
    {"$contains_hex": [n, ...]} a string in which every n appears as a hex
                                token (0x optional, leading zeros allowed)
    {"$contains_any": [s, ...]} a string containing at least one of the s
    {"$named": {k: n}}          a string where each `k=VALUE` present (hex
                                with 0x or decimal) has VALUE == n; a k the
                                text does not name is not checked
    Operators combine: {"$contains_hex": [...], "$named": {...}}."""
    for op, arg in exp.items():
        if op == "$oneof":
            if not any(same(v, act) for v in arg):
                out.append("%s: expected one of %s, got %s" % (path, short(arg), short(act)))
        elif op in ("$contains_hex", "$contains_any", "$named"):
            if not isinstance(act, str):
                out.append("%s: expected a string, got %s" % (path, short(act)))
                return
            if op == "$contains_hex":
                toks = {int(t, 16) for t in HEXTOK.findall(act)}
                miss = [v for v in arg if v not in toks]
                if miss:
                    out.append("%s: %s does not show %s in hex" % (
                        path, short(act), ", ".join("0x%x" % v for v in miss)))
            elif op == "$contains_any":
                if not any(x in act for x in arg):
                    out.append("%s: %s contains none of %s" % (path, short(act), short(arg)))
            else:
                got = {}
                for k, v in NAMED.findall(act):
                    got.setdefault(k.lower(), int(v, 0))
                for k, v in arg.items():
                    if k in got and got[k] != v:
                        out.append("%s: %s says %s=%d, the entry holds %d" % (
                            path, short(act), k, got[k], v))
        else:
            out.append("%s: unknown operator %s in the expectation" % (path, op))


def diff(exp, act, path, out):
    """Generic structural diff into out (list of strings)."""
    if isinstance(exp, dict) and exp and all(k.startswith("$") for k in exp):
        special(exp, act, path, out)
        return
    if isinstance(exp, dict):
        if not isinstance(act, dict):
            out.append("%s: expected an object, got %s" % (path, short(act)))
            return
        for k in exp:
            if k not in act:
                out.append("%s.%s: missing (expected %s)" % (path, k, short(exp[k])))
            else:
                diff(exp[k], act[k], "%s.%s" % (path, k), out)
        return
    if isinstance(exp, list):
        if not isinstance(act, list):
            out.append("%s: expected a list, got %s" % (path, short(act)))
            return
        if len(exp) != len(act):
            out.append("%s: expected %d entries, got %d" % (path, len(exp), len(act)))
        for i, (e, a) in enumerate(zip(exp, act)):
            diff(e, a, "%s[%d]" % (path, i), out)
        return
    if not same(exp, act):
        out.append("%s: expected %s, got %s" % (path, short(exp), short(act)))


def short(v):
    s = json.dumps(v)
    return s if len(s) < 160 else s[:157] + "..."


class Report:
    def __init__(self, name):
        self.name = name
        self.failed = 0

    def line(self, aspect, diffs, extra=""):
        if diffs:
            self.failed += 1
            more = len(diffs) - MAXDIFF
            txt = "; ".join(diffs[:MAXDIFF])
            if more > 0:
                txt += "; ... %d more" % more
            print("not ok synth/%s: %s - %s" % (self.name, aspect, txt))
        else:
            print("ok synth/%s: %s%s" % (self.name, aspect, extra))
        sys.stdout.flush()


def sid_key(s):
    return "0x%x" % s if isinstance(s, int) else repr(s)


def compare_mappings(exp, act, path, out):
    if len(exp) != len(act):
        out.append("%s: expected %d ranges, got %d" % (path, len(exp), len(act)))
    n = 0
    for i, (e, a) in enumerate(zip(exp, act)):
        d = []
        diff(e, a, "%s[%d]" % (path, i), d)
        if d:
            out.append("%s[%d]: expected %s, got %s" % (path, i, short(e), short(a)))
            n += 1
            if n >= 3:
                break
    if len(exp) != len(act) and not n:
        i = min(len(exp), len(act))
        out.append("%s[%d]: expected %s, got %s" % (
            path, i, short(exp[i]) if i < len(exp) else "nothing",
            short(act[i]) if i < len(act) else "nothing"))


def match_problem(e, a):
    if a.get("kind") != e["kind"] or not same(e["sid"], a.get("sid")):
        return False
    if "ssid" in e and not same(e["ssid"], a.get("ssid")):
        return False
    if "level" in e and not same(e["level"], a.get("level")):
        return False
    if "address" in e:
        aa = a.get("address")
        if not is_hex(aa) or int(aa, 16) >> 12 != int(e["address"], 16) >> 12:
            return False
    return True


def compare(exp, act, rep, loose):
    meta = exp.get("_test", {})
    # header ------------------------------------------------------------
    d = []
    if act.get("schema_version") != 4:
        d.append("schema_version: expected 4, got %s" % short(act.get("schema_version")))
    ed, ad = exp["dump"], act.get("dump") or {}
    keys = ["page_size", "osrelease"]
    if ed.get("format") in ("kdump", "flattened"):
        keys.append("dump_level")
    for k in keys:
        if k not in ad:
            d.append("dump.%s: missing" % k)
        elif not same(ed[k], ad[k]):
            d.append("dump.%s: expected %s, got %s" % (k, short(ed[k]), short(ad[k])))
    esm, asm = exp["smmus"], act.get("smmus")
    if not isinstance(asm, list) or len(asm) != len(esm):
        d.append("smmus: expected %d SMMUs, got %s" % (len(esm), short(asm)))
        rep.line("header", d)
        return
    for i, (e, a) in enumerate(zip(esm, asm)):
        p = "smmus[%d]" % i
        for k in ("name", "source", "strtab_base", "strtab_base_cfg", "strtab", "counts"):
            diff(e[k], a.get(k), "%s.%s" % (p, k), d)
        ar = a.get("registers") or {}
        for k, v in e["registers"].items():
            if not same(v, ar.get(k)):
                d.append("%s.registers.%s: expected %s, got %s" % (p, k, v, short(ar.get(k))))
    rep.line("header", d)

    for i, (e, a) in enumerate(zip(esm, asm)):
        p = "smmus[%d]" % i
        # streams -------------------------------------------------------
        d, dc, dm = [], [], []
        es = e["streams"]
        as_ = a.get("streams")
        if not isinstance(as_, list):
            rep.line("streams", ["%s.streams: missing" % p])
            continue
        esids = [s["sid"] for s in es]
        asids = [s.get("sid") for s in as_]
        if esids != asids:
            missing = [x for x in esids if x not in asids]
            extra = [x for x in asids if x not in esids]
            if missing:
                d.append("%s.streams: missing SIDs %s" % (p, ", ".join(sid_key(x) for x in missing[:10]) + (" ..." if len(missing) > 10 else "")))
            if extra:
                d.append("%s.streams: unexpected SIDs %s" % (p, ", ".join(sid_key(x) for x in extra[:10]) + (" ..." if len(extra) > 10 else "")))
            if not missing and not extra:
                d.append("%s.streams: not sorted by sid" % p)
        abys = {s.get("sid"): s for s in as_}
        for s in es:
            a_s = abys.get(s["sid"])
            if a_s is None:
                continue
            sp = "%s.streams[sid=%s]" % (p, sid_key(s["sid"]))
            for k in ("valid", "config", "ste", "raw"):
                diff(s[k], a_s.get(k), "%s.%s" % (sp, k), d)
            if s["sid"] in loose:
                continue
            ac = a_s.get("contexts", [] if not s["contexts"] else None)
            if not isinstance(ac, list):
                dc.append("%s.contexts: missing" % sp)
            else:
                ess = [c["ssid"] for c in s["contexts"]]
                ass = [c.get("ssid") for c in ac]
                if ess != ass:
                    dc.append("%s.contexts: expected SSIDs %s, got %s" % (sp, ess, ass))
                else:
                    for c, c2 in zip(s["contexts"], ac):
                        diff(c, c2, "%s.contexts[ssid=%d]" % (sp, c["ssid"]), dc)
            am = a_s.get("mappings", [] if not s["mappings"] else None)
            if not isinstance(am, list):
                dm.append("%s.mappings: missing" % sp)
            else:
                compare_mappings(s["mappings"], am, sp + ".mappings", dm)
            mb = a_s.get("mapped_bytes", 0 if not s["mappings"] else None)
            if not same(s["mapped_bytes"], mb):
                dm.append("%s.mapped_bytes: expected %d, got %s" % (sp, s["mapped_bytes"], short(mb)))
        rep.line("streams", d, " (%d)" % len(es))
        rep.line("contexts", dc)
        rep.line("mappings", dm, " (%d ranges)" % sum(len(s["mappings"]) for s in es))
        # problems ------------------------------------------------------
        d = []
        ap = a.get("problems")
        if not isinstance(ap, list):
            rep.line("problems", ["%s.problems: missing" % p])
            continue
        used = [False] * len(ap)
        for ep in e["problems"]:
            for j, q in enumerate(ap):
                if not used[j] and isinstance(q, dict) and match_problem(ep, q):
                    used[j] = True
                    break
            else:
                want = {k: v for k, v in ep.items() if k != "message"}
                d.append("missing problem %s (%s)" % (short(want), ep.get("message", "")))
        for j, q in enumerate(ap):
            if not used[j] and not (isinstance(q, dict) and q.get("sid") in loose):
                d.append("unexpected problem %s" % short(q))
        rep.line("problems", d, " (%d)" % len(e["problems"]))
        compare_queues_verdicts(e, a, p, rep)
        if "adoption" in e:
            compare_adoption(e["adoption"], a.get("adoption"), p + ".adoption", rep)


def compare_list(name, exp, act, path, rep, key):
    """An ordered list of queue entries: same length and order (by index),
    each entry field by field (operators allowed)."""
    d = []
    if exp is None or act is None:
        if exp is not act:
            d.append("%s: expected %s, got %s" % (path, short(exp), short(act)))
        rep.line(name, d, " (null)")
        return
    if not isinstance(act, list):
        rep.line(name, ["%s: expected a list, got %s" % (path, short(act))])
        return
    ei = [x["index"] for x in exp]
    ai = [x.get("index") if isinstance(x, dict) else None for x in act]
    if ei != ai:
        d.append("%s: expected entries at ring indexes %s, got %s" % (path, ei, ai))
    abyi = {x.get("index"): x for x in act if isinstance(x, dict)}
    for x in exp:
        y = abyi.get(x["index"])
        if y is not None:
            diff(x, y, "%s[index=%d %s]" % (path, x["index"], short(x[key])), d)
    rep.line(name, d, " (%d)" % len(exp))


def compare_queues_verdicts(e, a, p, rep):
    """events / commands (when the expectation has the key: null, or the
    exact list), unknown_requesters (when expected) and each stream's
    verdict (class, faults, and the reason's operators) when the expected
    stream has one."""
    if "unknown_requesters" in e:
        d = []
        diff(e["unknown_requesters"], a.get("unknown_requesters"),
             "%s.unknown_requesters" % p, d)
        rep.line("unknown requesters", d, " (%d)" % len(e["unknown_requesters"]))
    for k, key in (("events", "type"), ("commands", "name")):
        if k in e:
            if k not in a:
                rep.line(k, ["%s.%s: missing" % (p, k)])
            else:
                compare_list(k, e[k], a[k], "%s.%s" % (p, k), rep, key)
    ev = [s for s in e["streams"] if "verdict" in s]
    if not ev:
        return
    abys = {s.get("sid"): s for s in a.get("streams") or [] if isinstance(s, dict)}
    d = []
    for s in ev:
        sp = "%s.streams[sid=%s].verdict" % (p, sid_key(s["sid"]))
        av = (abys.get(s["sid"]) or {}).get("verdict")
        if not isinstance(av, dict):
            d.append("%s: missing" % sp)
            continue
        diff(s["verdict"], av, sp, d)
    rep.line("verdicts", d, " (%d)" % len(ev))


def compare_adoption(e, a, p, rep):
    """The kdump adoption check, when the expected SMMU has "adoption":
    verdict and first_failure exactly; "checks" is {name: result} for the
    checks the scenario decides (the others are not compared);
    "placement" (exactly these findings, compared by table, problem and the
    4 KB page of the address); "duplicates" (exactly these [kind, id]);
    crash_kernel_writers when given."""
    d = []
    if not isinstance(a, dict):
        rep.line("adoption", ["%s: missing" % p])
        return
    for k in ("verdict", "first_failure", "crash_kernel_writers"):
        if k in e and e[k] != a.get(k):
            d.append("%s.%s: expected %s, got %s" % (p, k, short(e[k]), short(a.get(k))))
    got = {c.get("name"): c for c in a.get("checks") or []}
    for name, res in e.get("checks", {}).items():
        c = got.get(name) or {}
        if c.get("result") != res:
            d.append("%s.checks[%s]: expected %s, got %s (%s)" %
                     (p, name, res, short(c.get("result")), short(c.get("detail"))))
    if "placement" in e:
        key = lambda x: (x.get("table"), x.get("problem"), int(x.get("address", "0x0"), 16) >> 12)
        want = sorted(key(x) for x in e["placement"])
        have = sorted(key(x) for x in a.get("placement") or [])
        if want != have:
            d.append("%s.placement: expected %s, got %s" % (p, want, have))
    if "duplicates" in e:
        want = sorted(tuple(x) for x in e["duplicates"])
        have = sorted((x.get("kind"), x.get("id")) for x in (a.get("ids") or {}).get("duplicates") or [])
        if want != have:
            d.append("%s.ids.duplicates: expected %s, got %s" % (p, want, have))
    rep.line("adoption", d)


def strip_format_dependent(out):
    """What a dump format decides, not the memory image: where System RAM
    came from (an ELF vmcore has a memory map, a kdump file does not)."""
    out = json.loads(json.dumps(out))
    for sm in out.get("smmus") or []:
        pc = (sm.get("adoption") or {}).get("placement_checked")
        if isinstance(pc, dict):
            pc.pop("ram_from", None)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--name", required=True)
    ap.add_argument("--expect", required=True)
    ap.add_argument("--actual", required=True)
    ap.add_argument("--rc", type=int, required=True)
    ap.add_argument("--stderr")
    ap.add_argument("--same-as")
    o = ap.parse_args()
    rep = Report(o.name)
    with open(o.expect) as f:
        exp = json.load(f)
    meta = exp.get("_test", {})
    err = ""
    if o.stderr:
        try:
            with open(o.stderr, errors="replace") as f:
                err = f.read()
        except OSError:
            pass
    errline = err.strip().splitlines()[0][:150] if err.strip() else ""
    try:
        with open(o.actual) as f:
            text = f.read()
    except OSError:
        text = ""
    if o.rc == 124:
        rep.line("exit status", ["timed out"])
        return 0
    if o.rc >= 128 or o.rc < 0:
        rep.line("exit status", ["killed by signal %d (crash?) %s" % (o.rc - 128, errline)])
        return 0
    if o.rc not in meta.get("exit", [0]):
        rep.line("exit status", ["expected %s, got %d %s" % (
            " or ".join(map(str, meta.get("exit", [0]))), o.rc, errline)])
    else:
        rep.line("exit status", [], " (%d)" % o.rc)
    if meta.get("broken"):
        msg_ok = bool(err.strip())
        if not msg_ok and text.strip():
            try:
                msg_ok = any(s.get("problems") for s in json.loads(text).get("smmus", []))
            except (ValueError, AttributeError):
                pass
        rep.line("message", [] if msg_ok else ["no message on stderr and no problem reported"])
        return 0
    try:
        act = json.loads(text)
    except ValueError as ex:
        rep.line("json", ["output is not JSON (%s); stderr: %s" % (ex, errline)])
        return 0
    if not isinstance(act, dict):
        rep.line("json", ["output is not a JSON object"])
        return 0
    rep.line("json", [])
    compare(exp, act, rep, set(meta.get("loose_sids", [])))
    if o.same_as:
        try:
            with open(o.same_as) as f:
                other = json.load(f)
        except (OSError, ValueError) as ex:
            rep.line("identical to ELF", ["ELF output unreadable: %s" % ex])
            return 0
        a2 = {k: v for k, v in strip_format_dependent(act).items() if k != "dump"}
        o2 = {k: v for k, v in strip_format_dependent(other).items() if k != "dump"}
        d = []
        if a2 != o2:
            diff(o2, a2, "", d)
            if not d:
                d.append("outputs differ (extra keys)")
        rep.line("identical to ELF", d)
    return 0


if __name__ == "__main__":
    sys.exit(main())
