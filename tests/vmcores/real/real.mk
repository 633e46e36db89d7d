# Real arm64 crash dumps behind QEMU's SMMUv3 (see tests/vmcores/real/README.txt).
# Included from the top-level Makefile; paths are relative to the repository root.
# `make real-dumps` fills ${SD_REAL_CACHE:-/var/cache/smmu-strtab-dump/real} (skips what is up to date),
# the VFIO variant (vfio-generate) after the plain dumps;
# `make real-check` runs the tool on them.
.PHONY: real-dumps real-check
real-dumps:
	tests/vmcores/real/generate && tests/vmcores/real/vfio-generate

real-check:
	tests/vmcores/real/test.sh
