#!/usr/bin/python3
"""check.py OUT.json TYPES FROM NOTE_REGEX [BASELINE.json]: the kernel
object of OUT.json (smmu-strtab-dump -J) says types TYPES and debuginfo.from
FROM ("null": debuginfo is null; "VMLINUX/MODULE": also
debuginfo.module.from MODULE, "null" for none), one note matches NOTE_REGEX ("" for
none), and its smmus equal BASELINE's when given (the fall-back finds what
the run without debuginfod found).  Prints nothing and exits 0, or prints
what differs and exits 1."""
import json
import re
import sys


def main():
    out, types, frm, note = sys.argv[1:5]
    base = sys.argv[5] if len(sys.argv) > 5 else None
    with open(out) as f:
        j = json.load(f)
    k = j.get('kernel', {})
    bad = []
    if k.get('types') != types:
        bad.append(f'types {k.get("types")!r}, not {types!r}')
    di = k.get('debuginfo', 'absent')
    frm, _, mfrm = frm.partition('/')
    got = None if di is None else (di.get('from') if isinstance(di, dict) else di)
    if got != (None if frm == 'null' else frm):
        bad.append(f'debuginfo {di!r}, not from {frm}')
    elif mfrm:
        m = di.get('module', 'absent') if isinstance(di, dict) else None
        mgot = m.get('from') if isinstance(m, dict) else m
        if mgot != (None if mfrm == 'null' else mfrm):
            bad.append(f'debuginfo.module {m!r}, not from {mfrm}')
    if note and not any(re.search(note, n) for n in k.get('notes', [])):
        bad.append(f'no note matches {note!r} (notes: {k.get("notes")})')
    if base:
        with open(base) as f:
            b = json.load(f)
        if b.get('smmus') != j.get('smmus'):
            bad.append(f'smmus differ from {base}')
    if bad:
        print('; '.join(bad))
        sys.exit(1)


if __name__ == '__main__':
    main()
