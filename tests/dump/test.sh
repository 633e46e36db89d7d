#!/bin/bash
# The whole program on dumps it must refuse: malformed ELF headers (which
# crashed or hung libkdumpfile 0.5.1 before the dump layer checked them),
# a FIFO with no writer, a directory, a character device.  Each must exit
# 2 with a message naming the problem, never die of a signal or hang.
# The inputs are generated at run time by the dump unit test
# (test_dump --make DIR); SD_TEST_DUMP overrides where it is.
# Prints "ok NAME" / "not ok NAME - reason".
cd "$(dirname "$0")/../.."
tool=${SMMU_STRTAB_DUMP:-./smmu-strtab-dump}
case "$tool" in
./smmu-strtab-dump|smmu-strtab-dump) gen=build/unit/test_dump ;;
*) gen=$(dirname "$tool")/unit/test_dump ;;
esac
gen=${SD_TEST_DUMP:-$gen}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -x "$gen" ] || ! "$gen" --make "$tmp" 2>"$tmp/gen.err"; then
	echo "ok dump/refused # skip cannot generate the inputs with $gen: $(head -c 200 "$tmp/gen.err" 2>/dev/null)"
	exit 0
fi

refuse() { # NAME FILE EXPECTED-SUBSTRING
	local name=$1 file=$2 want=$3 rc
	timeout 20 "$tool" --no-kernel --strtab-base=0x40000000 --strtab-base-cfg=0 "$file" \
		>"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	if [ "$rc" -eq 124 ]; then
		echo "not ok dump/$name - hung (killed after 20 s)"
	elif [ "$rc" -ne 2 ]; then
		echo "not ok dump/$name - exit $rc, expected 2: $(head -c 200 "$tmp/err")"
	elif ! grep -qF -- "$want" "$tmp/err"; then
		echo "not ok dump/$name - no \"$want\" in: $(head -c 300 "$tmp/err")"
	else
		echo "ok dump/$name"
	fi
}

refuse elf-phoff-minus-1 "$tmp/elf.phoff" "e_phoff 0xffffffffffffffff"
refuse elf-phentsize-65535 "$tmp/elf.phentsize" "e_phentsize 65535"
refuse elf-phnum-65535 "$tmp/elf.phnum" "65535 entries"
refuse elf-phentsize-phnum-65535 "$tmp/elf.ph-65535x65535" "e_phentsize 65535"
refuse elf-shnum-without-shoff "$tmp/elf.shnum-no-shoff" "e_shnum 65535"
refuse elf-shoff-2^63 "$tmp/elf.shoff-2^63" "corrupt ELF header"
refuse elf-note-huge "$tmp/elf.note-huge" "PT_NOTE 0"
refuse elf-class32 "$tmp/elf.class32" "ELFCLASS32"
refuse kdump-block-size-0 "$tmp/kdump.bs0" "block_size 0 "
refuse kdump-page-desc-size "$tmp/kdump.pdsize" "compressed size of 131172 bytes"
refuse kdump-max-mapnr32-beyond-bitmap "$tmp/kdump.mapnr32" "max_mapnr 4294967295 at file offset 440"
refuse kdump-header-reads-as-32bit "$tmp/kdump.hdr32-be" "read as a 32-bit kernel's header (big-endian), block_size 65536 at file offset 416"
refuse kdump-vmcoreinfo-pagesize-empty "$tmp/kdump.pagesize-empty" 'VMCOREINFO PAGESIZE="" is not a page size (in the text at file offset'
refuse elf-vmcoreinfo-pagesize-4095 "$tmp/vmcore.pagesize-4095" 'VMCOREINFO PAGESIZE="4095" is not a page size (in the text at file offset'
refuse elf-vmcoreinfo-empty-line "$tmp/vmcore.vmci-empty" 'VMCOREINFO line "" at byte'
refuse elf-vmcoreinfo-key-is-a-directory "$tmp/vmcore.vmci-clash" 'VMCOREINFO line "A=1" makes a value of the directory that line "A.B=2" needs'
refuse elf-vmcoreinfo-key-with-leading-dot "$tmp/vmcore.vmci-dot" 'VMCOREINFO line ".OFFSET(uts_name" starts with a dot'

# VMCOREINFO that crashed libkdumpfile 0.5.1 when the OS type was set
# (fuzz_dump): no PAGESIZE (it divided by a page size of 0, SIGFPE), a
# swapper_pg_dir not page-aligned or wider than 64 bits (SIGSEGV).  Read
# anyway, with a note saying what was not done.
opens() { # NAME FILE EXPECTED-NOTE
	local rc
	timeout 20 "$tool" --no-kernel --strtab-base=0x40000000 --strtab-base-cfg=0 \
		"$2" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	if [ "$rc" -gt 2 ]; then
		echo "not ok dump/$1 - exit $rc: $(head -c 200 "$tmp/err")"
	elif ! grep -qF -- "$3" "$tmp/err"; then
		echo "not ok dump/$1 - no note \"$3\": $(head -c 300 "$tmp/err")"
	else
		echo "ok dump/$1"
	fi
}
opens vmcoreinfo-without-pagesize "$tmp/vmcore.nopagesize" \
	"no VMCOREINFO page size: reading in 4096-byte pages"
opens swapper_pg_dir-unaligned "$tmp/vmcore.swapper-unaligned" \
	"(VMCOREINFO SYMBOL(swapper_pg_dir) 0xffff800009a3d008 is not page-aligned); physical reads only"
opens swapper_pg_dir-wider-than-64-bits "$tmp/vmcore.swapper-wide" \
	"(VMCOREINFO SYMBOL(swapper_pg_dir) is wider than 64 bits); physical reads only"

mkfifo "$tmp/fifo"
refuse fifo-without-writer "$tmp/fifo" "a FIFO, not a dump"
mkdir "$tmp/dir"
refuse directory "$tmp/dir" "a directory, not a dump"
refuse char-device /dev/zero "a character device, not a dump"
