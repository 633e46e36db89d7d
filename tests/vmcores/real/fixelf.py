#!/usr/bin/python3
"""fixelf.py IN OUT -- copy QEMU's ELF dump so that makedumpfile 1.7.x can read it.

QEMU 7.2 writes the section headers at offset 64 and the program headers at
192; makedumpfile ignores e_phoff and looks for them right after the ELF
header.  The copy moves the program headers to offset 64, drops the section
headers (e_shoff = e_shnum = e_shstrndx = 0) and keeps every other byte where
it was, so the program headers' p_offset values stay right.  It also sets
e_ehsize to 64 (QEMU 7.2 writes 8, the size of a pointer)."""
import shutil, struct, subprocess, sys

src, dst = sys.argv[1:3]
subprocess.run(["cp", "--sparse=always", src, dst], check=True)
with open(dst, "r+b") as f:
    eh = bytearray(f.read(64))
    assert eh[:4] == b"\x7fELF" and eh[4] == 2 and eh[5] == 1, "not an ELF64 little-endian file"
    phoff, shoff = struct.unpack_from("<QQ", eh, 32)
    phentsize, phnum = struct.unpack_from("<HH", eh, 54)
    f.seek(phoff)
    ph = f.read(phentsize * phnum)
    if phoff != 64:
        assert phoff > 64 and (shoff == 0 or shoff >= 64)
        struct.pack_into("<QQ", eh, 32, 64, 0)          # e_phoff, e_shoff
        struct.pack_into("<HHH", eh, 58, 0, 0, 0)       # e_shentsize, e_shnum, e_shstrndx
        struct.pack_into("<H", eh, 52, 64)              # e_ehsize (QEMU 7.2 writes 8)
        f.seek(0)
        f.write(bytes(eh))
        f.write(ph)
        f.write(b"\0" * (phoff + len(ph) - 64 - len(ph)))  # clear the old headers' bytes
