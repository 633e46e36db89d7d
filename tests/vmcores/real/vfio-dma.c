// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vfio-dma BDF IOVA -- runs in the arm64 guest of tests/vmcores/real/vfio-generate
 * (static, cross-built there).  A user-space driver in miniature: it takes the
 * PCI device BDF (a QEMU edu, already bound to vfio-pci) through VFIO's type1
 * container API, maps two pages of its own memory at IOVA, sets the device's
 * bus-master bit through the VFIO config region (so the kernel's is_busmaster
 * never learns of it), and has the edu's DMA engine read page 0 and write it
 * back to page 1 through the SMMU.  It prints what it did (SD-VFIO lines, the
 * ground truth: group, IOVA, the physical address of each page from
 * /proc/self/pagemap), then, holding every file descriptor open, waits for
 * /tmp/vfio-crash and crashes the kernel with sysrq-c: the dump shows the
 * device attached to VFIO's unmanaged domain with the mapping live.
 *
 * The VFIO calls and structures are those of the UAPI header linux/vfio.h
 * (VFIO_GET_API_VERSION, VFIO_CHECK_EXTENSION, VFIO_GROUP_GET_STATUS,
 * VFIO_GROUP_SET_CONTAINER, VFIO_SET_IOMMU, VFIO_IOMMU_MAP_DMA,
 * VFIO_GROUP_GET_DEVICE_FD, VFIO_DEVICE_GET_REGION_INFO) and the kernel's
 * Documentation/driver-api/vfio.rst; the edu registers are QEMU's
 * docs/specs/edu.rst.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/pci_regs.h>
#include <linux/vfio.h>

/* QEMU docs/specs/edu.rst: BAR0 registers of the DMA engine and its buffer */
#define EDU_DMA_SRC	0x80
#define EDU_DMA_DST	0x88
#define EDU_DMA_CNT	0x90
#define EDU_DMA_CMD	0x98
#define EDU_CMD_RUN	0x1		/* start; cleared when done */
#define EDU_CMD_TO_RAM	0x2		/* direction: edu buffer -> RAM */
#define EDU_BUF		0x40000		/* the engine's buffer, in device space */
/* bytes per transfer: half the engine's 4 KiB buffer, since QEMU 7.2's range
 * check rejects a transfer that ends at the buffer's end (hw_error, QEMU aborts) */
#define EDU_XFER	2048

#define PAGEMAP_PRESENT	(1ULL << 63)	/* Documentation/admin-guide/mm/pagemap.rst */
#define PAGEMAP_PFN	((1ULL << 55) - 1)

static void die(const char *what)
{
	printf("SD-VFIO-FAIL %s: %s\n", what, strerror(errno));
	fflush(stdout);
	exit(1);
}

static uint64_t region_offset(int dev, unsigned int index)
{
	struct vfio_region_info ri = { .argsz = sizeof(ri), .index = index };

	if (ioctl(dev, VFIO_DEVICE_GET_REGION_INFO, &ri))
		die("VFIO_DEVICE_GET_REGION_INFO");
	return ri.offset;
}

static void wr32(int dev, uint64_t off, uint32_t v)
{
	if (pwrite(dev, &v, sizeof(v), off) != sizeof(v))
		die("pwrite BAR0");
}

static uint32_t rd32(int dev, uint64_t off)
{
	uint32_t v;

	if (pread(dev, &v, sizeof(v), off) != sizeof(v))
		die("pread BAR0");
	return v;
}

/* One transfer of the edu's engine; false when it did not finish in 5 s. */
static int edu_dma(int dev, uint64_t bar0, uint32_t src, uint32_t dst, uint32_t cmd)
{
	wr32(dev, bar0 + EDU_DMA_SRC, src);
	wr32(dev, bar0 + EDU_DMA_DST, dst);
	wr32(dev, bar0 + EDU_DMA_CNT, EDU_XFER);
	wr32(dev, bar0 + EDU_DMA_CMD, cmd | EDU_CMD_RUN);
	for (int i = 0; i < 500; i++) {
		if (!(rd32(dev, bar0 + EDU_DMA_CMD) & EDU_CMD_RUN))
			return 1;
		usleep(10000);
	}
	return 0;
}

static uint64_t phys_of(const void *p, long psize)
{
	uint64_t e = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0 || pread(fd, &e, sizeof(e), (uintptr_t)p / psize * sizeof(e)) != sizeof(e))
		die("/proc/self/pagemap");
	close(fd);
	return e & PAGEMAP_PRESENT ? (e & PAGEMAP_PFN) * psize : 0;
}

/* The container and the group, type1v2 set; returns the group's fd. */
static int open_group(const char *bdf, int *container, char *grp, size_t gsize)
{
	struct vfio_group_status gs = { .argsz = sizeof(gs) };
	char path[256], link[256];
	ssize_t n;
	int g;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", bdf);
	if ((n = readlink(path, link, sizeof(link) - 1)) < 0)
		die(path);
	link[n] = 0;
	snprintf(grp, gsize, "%s", basename(link));
	if ((*container = open("/dev/vfio/vfio", O_RDWR)) < 0)
		die("/dev/vfio/vfio");
	if (ioctl(*container, VFIO_GET_API_VERSION) != VFIO_API_VERSION)
		die("VFIO_GET_API_VERSION");
	if (ioctl(*container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) <= 0)
		die("VFIO_CHECK_EXTENSION(VFIO_TYPE1v2_IOMMU)");
	snprintf(path, sizeof(path), "/dev/vfio/%s", grp);
	if ((g = open(path, O_RDWR)) < 0)
		die(path);
	if (ioctl(g, VFIO_GROUP_GET_STATUS, &gs) || !(gs.flags & VFIO_GROUP_FLAGS_VIABLE))
		die("VFIO_GROUP_GET_STATUS (group not viable)");
	if (ioctl(g, VFIO_GROUP_SET_CONTAINER, container))
		die("VFIO_GROUP_SET_CONTAINER");
	if (ioctl(*container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		die("VFIO_SET_IOMMU");
	return g;
}

int main(int argc, char **argv)
{
	long psize = sysconf(_SC_PAGESIZE);
	struct vfio_iommu_type1_dma_map map = { .argsz = sizeof(map) };
	uint64_t iova, cfg, bar0;
	uint16_t cmd;
	char grp[32];
	int container, group, dev, ok, trigger;
	unsigned char *buf;

	if (argc != 3) {
		fprintf(stderr, "usage: %s BDF IOVA\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	iova = strtoull(argv[2], NULL, 0);
	group = open_group(argv[1], &container, grp, sizeof(grp));

	buf = mmap(NULL, 2 * psize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		die("mmap");
	for (long i = 0; i < psize; i++)
		buf[i] = (unsigned char)(i * 7 + 0x5a);
	memset(buf + psize, 0, psize);
	map.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
	map.vaddr = (uintptr_t)buf;
	map.iova = iova;
	map.size = 2 * psize;
	if (ioctl(container, VFIO_IOMMU_MAP_DMA, &map))
		die("VFIO_IOMMU_MAP_DMA");

	if ((dev = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, argv[1])) < 0)
		die("VFIO_GROUP_GET_DEVICE_FD");
	/* memory space and bus mastering through VFIO's config region: vfio-pci
	 * passes the command register's bits to the device; pci_set_master()
	 * never runs, so the kernel's is_busmaster stays 0 */
	cfg = region_offset(dev, VFIO_PCI_CONFIG_REGION_INDEX);
	if (pread(dev, &cmd, sizeof(cmd), cfg + PCI_COMMAND) != sizeof(cmd))
		die("pread PCI_COMMAND");
	cmd |= PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	if (pwrite(dev, &cmd, sizeof(cmd), cfg + PCI_COMMAND) != sizeof(cmd))
		die("pwrite PCI_COMMAND");
	bar0 = region_offset(dev, VFIO_PCI_BAR0_REGION_INDEX);

	/* page 0 -> the edu's buffer (a read through the SMMU), then the
	 * buffer -> page 1 (a write) */
	ok = edu_dma(dev, bar0, (uint32_t)iova, EDU_BUF, 0) &&
	     edu_dma(dev, bar0, EDU_BUF, (uint32_t)(iova + psize), EDU_CMD_TO_RAM) &&
	     !memcmp(buf, buf + psize, EDU_XFER);
	printf("SD-VFIO bdf=%s group=%s iommu=type1v2 iova=0x%" PRIx64 " size=0x%lx"
	       " pa=0x%" PRIx64 ",0x%" PRIx64 " command=0x%04x dma=%s\n",
	       argv[1], grp, iova, 2 * psize, phys_of(buf, psize), phys_of(buf + psize, psize),
	       cmd, ok ? "ok" : "FAILED");
	if (creat("/tmp/vfio-ready", 0644) < 0)
		die("/tmp/vfio-ready");
	while (access("/tmp/vfio-crash", F_OK))
		usleep(100000);
	printf("SD-VFIO crashing with group %s, container and device open\n", grp);
	trigger = open("/proc/sysrq-trigger", O_WRONLY);
	if (trigger < 0 || write(trigger, "c", 1) != 1)
		die("/proc/sysrq-trigger");
	sleep(60);
	printf("SD-VFIO-FAIL still alive after sysrq-c\n");
	return 1;
}
