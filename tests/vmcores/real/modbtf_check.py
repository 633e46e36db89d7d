#!/usr/bin/python3
"""Module BTF through the kernel's btf_modules list, on the real dumps.

    modbtf_check.py SD_MODBTF [CACHE]

Debian builds arm-smmu-v3 into vmlinux, so no real dump has its types in a
module's BTF; but the guest loads nvme, e1000e and virtio_blk as modules
(mkinitrd.sh), and the kernel keeps each one's split BTF on btf_modules
(kernel/bpf/btf.c: btf_module_notify() -> btf_parse_module(), which copies
the module's .BTF section into struct btf.data).  So the walk the tool uses
for arm_smmu_v3.ko is checked here on those modules:

  * SD_MODBTF (tests/unit/sd_modbtf.c) walks btf_modules in each dump and
    writes the blob it finds; it must equal, byte for byte, the .BTF
    section of the same module's .ko in the kernel package;
  * member offsets of module-only structs, resolved by the tool's split
    BTF on the dump's vmlinux BTF, must equal those computed here by an
    independent BTF reader from the .ko's .BTF on the vmlinux BTF found in
    the package's Image by its header;
  * a kernel without CONFIG_KALLSYMS_ALL (Debian's 6.1) must say that
    btf_modules cannot be named, and a module that is not loaded must be
    reported as absent.

Prints ok / not ok lines; one skip line when there are no dumps.
"""

import gzip
import hashlib
import io
import json
import lzma
import os
import struct
import subprocess
import sys
import tarfile

TOOL = sys.argv[1]
CACHE = sys.argv[2] if len(sys.argv) > 2 else os.environ.get(
    "SD_REAL_CACHE", "/var/cache/smmu-strtab-dump/real")
MODULES = {
    # module: members of structs defined only in that module
    "nvme": [("struct nvme_dev", "ctrl"), ("struct nvme_queue", "q_depth")],
    "e1000e": [("struct e1000_adapter", "hw"), ("struct e1000_ring", "count")],
    "virtio_blk": [("struct virtio_blk", "vqs")],
}
BLOB = os.path.join(os.environ.get("TMPDIR", "/tmp"), "modbtf.%d" % os.getpid())


def res(cond, what, why=""):
    print(("ok %s" % what) if cond else ("not ok %s - %s" % (what, why)))


# --- the kernel package's files ----------------------------------------------

def extract(deb, want):
    """{suffix: bytes} for the members of the deb's data.tar whose path ends
    with one of the suffixes in @want (absent ones are left out); cached in
    CACHE/.modbtf-KEY so that the package is unpacked once."""
    key = hashlib.sha256((deb + "\0" + "\0".join(sorted(want))).encode()).hexdigest()[:16]
    cdir = os.path.join(CACHE, ".modbtf-" + key)
    fname = {w: os.path.join(cdir, w.replace("/", "_")) for w in want}
    if os.path.exists(os.path.join(cdir, ".done")):
        return {w: open(f, "rb").read() for w, f in fname.items() if os.path.exists(f)}
    p = subprocess.run(["dpkg-deb", "--fsys-tarfile", deb], stdout=subprocess.PIPE, check=True)
    got = {}
    with tarfile.open(fileobj=io.BytesIO(p.stdout)) as tf:
        for m in tf:
            for w in want:
                if m.isfile() and m.name.endswith(w):
                    got[w] = tf.extractfile(m).read()
    tmp = cdir + ".tmp%d" % os.getpid()
    try:
        os.makedirs(tmp, exist_ok=True)
        for w, b in got.items():
            open(os.path.join(tmp, w.replace("/", "_")), "wb").write(b)
        open(os.path.join(tmp, ".done"), "w").close()
        os.rename(tmp, cdir)
    except OSError:
        subprocess.run(["rm", "-rf", tmp])
    return got


def elf_section(data, name):
    """Bytes of section @name of an ELF64 little-endian file."""
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise ValueError("not an ELF64 LE file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3a)

    def sh(i):
        return struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
    stroff = sh(shstrndx)[4]
    for i in range(shnum):
        s = sh(i)
        n = data[stroff + s[0]:data.index(b"\0", stroff + s[0])].decode()
        if n == name:
            return data[s[4]:s[4] + s[5]]
    raise KeyError(name)


# --- an independent BTF reader (include/uapi/linux/btf.h) ---------------------

# bytes that follow struct btf_type {name_off, info, size|type}, per kind
def _extra(kind, vlen):
    return {1: 4, 3: 12, 4: 12 * vlen, 5: 12 * vlen, 6: 8 * vlen, 13: 8 * vlen,
            14: 4, 15: 12 * vlen, 17: 4, 19: 12 * vlen}.get(kind, 0)


class Btf:
    def __init__(self, blob, base=None):
        magic, ver, _flags, hdr_len, toff, tlen, soff, slen = struct.unpack_from("<HBBIIIII", blob)
        if magic != 0xEB9F or ver != 1:
            raise ValueError("bad BTF header")
        self.base = base
        self.types_at = hdr_len + toff
        self.strs = blob[hdr_len + soff:hdr_len + soff + slen]
        self.start_id = base.next_id if base else 1
        self.start_str = len(base.strs) if base else 0
        self.types = []                      # (name_off, kind, kflag, vlen, members)
        p, end = self.types_at, self.types_at + tlen
        while p < end:
            name_off, info, _sz = struct.unpack_from("<III", blob, p)
            kind, vlen, kflag = (info >> 24) & 0x1F, info & 0xFFFF, info >> 31
            mem = []
            if kind in (4, 5):
                for i in range(vlen):
                    mem.append(struct.unpack_from("<III", blob, p + 12 + 12 * i))
            self.types.append((name_off, kind, kflag, vlen, mem))
            p += 12 + _extra(kind, vlen)
        self.next_id = self.start_id + len(self.types)

    def string(self, off):
        if off < self.start_str:
            return self.base.string(off)
        o = off - self.start_str
        return self.strs[o:self.strs.index(b"\0", o)].decode()

    def member_offset(self, spec, member):
        """Byte offset of @member in struct @spec, own types first."""
        kind = 4 if spec.startswith("struct ") else 5
        name = spec.split(" ", 1)[1]
        for t in self.types:
            if t[1] == kind and self.string(t[0]) == name:
                for m_name, _m_type, m_off in t[4]:
                    if self.string(m_name) == member:
                        bits = m_off & 0xFFFFFF if t[2] else m_off
                        return bits // 8
        if self.base:
            return self.base.member_offset(spec, member)
        return None


# --- per kernel ---------------------------------------------------------------

def image_btf(deb_files, rel):
    """The vmlinux BTF in the package's Image.  Debian's System.map is a
    placeholder (the real one is in the -dbg package), so the blob is found
    by its header: magic 0xeB9F, version 1, hdr_len 24, sections inside the
    image, and it must name task_struct (a module's BTF would not)."""
    img = deb_files["boot/vmlinuz-" + rel]
    if img[:2] == b"\x1f\x8b":
        img = gzip.decompress(img)
    sig = struct.pack("<HBBI", 0xEB9F, 1, 0, 24)
    p = img.find(sig)
    while p >= 0:
        toff, tlen, soff, slen = struct.unpack_from("<IIII", img, p + 8)
        end = p + 24 + max(toff + tlen, soff + slen)
        if toff + tlen <= soff and end <= len(img) and tlen and slen and \
                img[end - 1] == 0 and b"\0task_struct\0" in img[p + 24 + soff:end]:
            return img[p:end]
        p = img.find(sig, p + 1)
    raise ValueError("no vmlinux BTF header in the Image")


def ko_bytes(deb_files, mod):
    for suffix, unpack in ((".ko", lambda b: b), (".ko.xz", lzma.decompress)):
        for k, b in deb_files.items():
            if k.endswith("/" + mod + suffix):
                return unpack(b)
    return None


def main():
    resolved = os.path.join(CACHE, "debs", "resolved.txt")
    found = False
    for d in sorted(os.listdir(CACHE)) if os.path.isdir(CACHE) else []:
        meta = os.path.join(CACHE, d, "meta.json")
        if not d.startswith("linux-") or not os.path.exists(meta):
            continue
        k = d[len("linux-"):]
        deb = None
        for line in open(resolved):
            f = line.split()
            if f and f[0] == "kernel-" + k:
                deb = os.path.join(CACHE, "debs", f[3])
        rel = json.load(open(meta)).get("osrelease")
        if not deb or not rel:
            res(False, "modbtf %s package" % d, "no kernel package or release in %s" % meta)
            continue
        dumps = [os.path.join(CACHE, d, d + s) for s in (".elf", ".kdump-zlib")]
        dumps = [x for x in dumps if os.path.exists(x)]
        if not dumps:
            continue
        found = True
        # one pass over the package; the modules are .ko (bookworm) or .ko.xz (trixie)
        files = extract(deb, ["boot/config-" + rel, "boot/vmlinuz-" + rel] +
                        ["/%s.ko%s" % (m, x) for m in MODULES for x in ("", ".xz")])
        config = files.get("boot/config-" + rel, b"").decode()
        kall = "CONFIG_KALLSYMS_ALL=y" in config.splitlines()
        if not kall:
            # btf_modules is static data: not in kallsyms without KALLSYMS_ALL
            for dump in dumps:
                label = "modbtf %s %s" % (d, os.path.basename(dump))
                p = subprocess.run([TOOL, dump, "nvme", BLOB], capture_output=True, text=True)
                res(p.returncode == 2 and "btf_modules" in p.stderr and
                    "CONFIG_KALLSYMS_ALL" in p.stderr,
                    label + " no KALLSYMS_ALL: btf_modules cannot be named",
                    "exit %d: %s" % (p.returncode, p.stderr.strip()[:200]))
            continue
        try:
            base = Btf(image_btf(files, rel))
        except Exception as e:  # noqa: BLE001
            res(False, "modbtf %s vmlinux BTF from the package" % d, str(e))
            continue
        for dump in dumps:
            for mod, members in MODULES.items():
                label = "modbtf %s %s %s" % (d, os.path.basename(dump), mod)
                ko = ko_bytes(files, mod)
                if ko is None:
                    res(False, label + " .ko", "%s.ko not in %s" % (mod, deb))
                    continue
                want_blob = elf_section(ko, ".BTF")
                args = [TOOL, dump, mod, BLOB]
                for t, m in members:
                    args += [t, m]
                p = subprocess.run(args, capture_output=True, text=True)
                if p.returncode != 0:
                    res(False, label + " found on btf_modules",
                        "exit %d: %s" % (p.returncode, p.stderr.strip()[:300]))
                    continue
                got = open(BLOB, "rb").read()
                os.unlink(BLOB)
                res(got == want_blob, label + " blob equals the .ko's .BTF section",
                    "%d bytes (sha256 %s), want %d (sha256 %s)" % (
                        len(got), hashlib.sha256(got).hexdigest()[:12], len(want_blob),
                        hashlib.sha256(want_blob).hexdigest()[:12]))
                split = Btf(want_blob, base)
                tool = {}
                for line in p.stdout.splitlines():
                    f = line.rsplit(" ", 1)
                    if line.startswith(("struct ", "union ")) and len(f) == 2:
                        tool[f[0]] = f[1]
                bad = []
                for t, m in members:
                    ref = split.member_offset(t, m)
                    got_off = tool.get("%s %s" % (t, m))
                    if ref is None or got_off != str(ref):
                        bad.append("%s.%s: tool %s, reference %s" % (t, m, got_off, ref))
                res(not bad, label + " split-BTF member offsets", "; ".join(bad))
            # a module that is not loaded: reported absent, not misread
            label = "modbtf %s %s" % (d, os.path.basename(dump))
            p = subprocess.run([TOOL, dump, "arm_smmu_v3", BLOB], capture_output=True, text=True)
            res(p.returncode == 2 and "no module arm_smmu_v3 among the" in p.stderr,
                label + " arm_smmu_v3 (built in) not on btf_modules",
                "exit %d: %s" % (p.returncode, p.stderr.strip()[:200]))
    if not found:
        print("ok modbtf # skip no real dumps in %s" % CACHE)


try:
    main()
finally:
    if os.path.exists(BLOB):    # left by a helper run that failed after writing it
        os.unlink(BLOB)
