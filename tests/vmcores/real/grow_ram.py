#!/usr/bin/python3
"""grow_ram.py IN OUT FACTOR -- copy an ELF crash dump as if the guest had
FACTOR times its RAM: one more PT_LOAD, as large as (FACTOR - 1) times the
RAM of the PT_LOADs already there, placed right above the highest of them
(where a larger guest's RAM would continue), holding zeros.

For the benchmark (tests/bench): the crashed kernel and its SMMU are the
same, only the dump's RAM is larger, so that discovery whose cost depends on
RAM size shows it.  Written from the ELF specification alone (System V gABI,
ELF-64 header and program headers), not from the tool's decoder.

The copy is sparse: the new bank is a hole (no disk), and so are the input's
all-zero pages (a 1 GiB QEMU dump costs the ~80 MB it holds).  The copy's
layout: ELF header, program headers, the non-LOAD segments (the notes) in
their order, then each PT_LOAD at a page-aligned offset.  Section headers
are dropped (a core file needs none; QEMU writes an empty one).
"""
import os
import struct
import sys

PAGE = 4096
PT_LOAD = 1
EHDR = struct.Struct("<16sHHIQQQIHHHHHH")     # Elf64_Ehdr
PHDR = struct.Struct("<IIQQQQQQ")             # Elf64_Phdr: type flags offset vaddr paddr filesz memsz align


def align(v, a):
    return (v + a - 1) // a * a


def copy_sparse(src, dst, off, size, to):
    """Copy size bytes at off in src to offset to in dst, seeking over
    all-zero pages instead of writing them."""
    zero = bytes(PAGE)
    done = 0
    while done < size:
        n = min(1 << 20, size - done)
        src.seek(off + done)
        b = src.read(n)
        if len(b) != n:
            sys.exit("grow_ram: %s is truncated" % src.name)
        for i in range(0, n, PAGE):
            page = b[i:i + PAGE]
            if page != zero[:len(page)]:
                dst.seek(to + done + i)
                dst.write(page)
        done += n


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    src_path, dst_path, factor = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if factor < 1:
        sys.exit("grow_ram: FACTOR must be at least 1")
    with open(src_path, "rb") as src:
        eh = list(EHDR.unpack(src.read(EHDR.size)))
        ident = eh[0]
        if ident[:4] != b"\x7fELF" or ident[4] != 2 or ident[5] != 1:
            sys.exit("grow_ram: %s is not an ELF64 little-endian file" % src_path)
        phoff, phentsize, phnum = eh[5], eh[9], eh[10]
        if phentsize != PHDR.size or phnum in (0, 0xffff):
            sys.exit("grow_ram: unexpected program headers (e_phentsize %d, e_phnum %d)"
                     % (phentsize, phnum))
        src.seek(phoff)
        ph = [list(PHDR.unpack(src.read(PHDR.size))) for _ in range(phnum)]
        loads = [p for p in ph if p[0] == PT_LOAD]
        if not loads:
            sys.exit("grow_ram: %s has no PT_LOAD" % src_path)
        ram = sum(p[6] for p in loads)
        top = max(p[4] + p[6] for p in loads)
        same_va = all(p[3] == p[4] for p in loads)
        extra = (factor - 1) * ram
        new = [PT_LOAD, loads[-1][1], 0, top if same_va else 0, top, extra, extra, loads[-1][7]]
        out = ph + ([new] if extra else [])

        # the new layout: notes (and any other non-LOAD data) first, packed
        # 8-aligned after the headers; then the LOADs page-aligned
        pos = EHDR.size + PHDR.size * len(out)
        moves = []
        for p in out:
            if p[0] != PT_LOAD and p[5]:
                pos = align(pos, 8)
                moves.append((p[2], p[5], pos))
                p[2] = pos
                pos += p[5]
        for p in out:
            if p[0] == PT_LOAD:
                pos = align(pos, PAGE)
                if p is not new:
                    moves.append((p[2], p[5], pos))
                p[2] = pos
                pos += p[5]

        eh[5], eh[6] = EHDR.size, 0                      # e_phoff, e_shoff
        eh[8] = EHDR.size                                # e_ehsize
        eh[10] = len(out)                                # e_phnum
        eh[11], eh[12], eh[13] = 0, 0, 0                 # e_shentsize, e_shnum, e_shstrndx
        tmp = dst_path + ".tmp"
        with open(tmp, "wb") as dst:
            dst.write(EHDR.pack(*eh))
            for p in out:
                dst.write(PHDR.pack(*p))
            for off, size, to in moves:
                if size < (1 << 20):
                    src.seek(off)
                    dst.seek(to)
                    dst.write(src.read(size))
                else:
                    copy_sparse(src, dst, off, size, to)
            dst.truncate(pos)
        os.replace(tmp, dst_path)
    print("%s: %d MiB of RAM in %d PT_LOAD(s)%s" % (
        dst_path, (ram + extra) >> 20, len(loads) + bool(extra),
        ", the new one at PA 0x%x" % top if extra else ""))


if __name__ == "__main__":
    main()
