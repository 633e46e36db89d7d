// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Live SMMU registers on a running system, normally the kdump capture kernel.
 *
 * Where: the ACPI IORT (SMMUv3 nodes, type 4, base address at node offset
 * 16) or, without ACPI, the device tree (compatible "arm,smmu-v3", reg
 * decoded with the parent's #address-cells/#size-cells and translated
 * through the ancestors' ranges).
 *
 * How: /dev/mem opened O_RDONLY|O_SYNC, register pages 0 and 1 mapped
 * PROT_READ, volatile 32-bit loads for the 32-bit registers and 64-bit loads
 * for STRTAB_BASE and the queue bases.  Nothing is ever written: no register
 * of the SMMU has a read side effect, and the mapping is read-only.
 *
 * When not: if a driver is bound to the SMMU's platform device (the capture
 * kernel's own arm-smmu-v3 driver has reset the SMMU and installed its own
 * tables, so the registers no longer say anything about the crashed kernel),
 * or /dev/mem refuses (CONFIG_STRICT_DEVMEM with a claimed region, or
 * CONFIG_IO_STRICT_DEVMEM).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "live.h"
#include "smmu_fields.h"

#define LIVE_MAX_SMMUS		64
#define IORT_MAX_SIZE		(1u << 20)
#define DT_MAX_DEPTH		16
#define DT_PROP_MAX		4096

static const char *root_or_empty(const char *root)
{
	return (!root || !strcmp(root, "/")) ? "" : root;
}

static enum sd_status add_smmu(struct sd_live_smmu **v, size_t *n, const struct sd_live_smmu *s,
			       struct sd_error *err)
{
	struct sd_live_smmu *nv;

	for (size_t i = 0; i < *n; i++)
		if ((*v)[i].base == s->base)
			return SD_OK;	/* described twice: once is enough */
	if (*n >= LIVE_MAX_SMMUS)
		return sd_error_set(err, SD_ERR_CORRUPT, "more than %d SMMUv3s described", LIVE_MAX_SMMUS);
	nv = realloc(*v, (*n + 1) * sizeof(**v));
	if (!nv)
		return sd_error_set(err, SD_ERR_NOMEM, "SMMU list");
	*v = nv;
	nv[(*n)++] = *s;
	return SD_OK;
}

/* Read a whole small file; returns its length or -1 (errno set). */
static ssize_t read_small(const char *path, unsigned char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t got = 0;

	if (fd < 0)
		return -1;
	while (got < cap) {
		ssize_t r = read(fd, buf + got, cap - got);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		if (r == 0)
			break;
		got += r;
	}
	close(fd);
	return got;
}

/* ---------------------------------------------------------------- IORT */

static uint32_t le32_at(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64_at(const unsigned char *p)
{
	return le32_at(p) | (uint64_t)le32_at(p + 4) << 32;
}

#define ACPI_HDR_LEN		36
#define IORT_NODE_SMMU_V3	4
#define IORT_NODE_HDR_LEN	16
#define IORT_SMMUV3_BASE	16	/* within the node */
#define IORT_SMMUV3_MODEL	36
#define IORT_SMMUV3_MIN_LEN	40
#define IORT_SMMUV3_MODEL_CAVIUM_CN99XX	2

enum sd_status sd_live_parse_iort(const unsigned char *buf, size_t len,
				  struct sd_live_smmu **out, size_t *n, struct sd_error *err)
{
	uint32_t tlen, nodes, off;
	enum sd_status st;

	*out = NULL;
	*n = 0;
	if (len < ACPI_HDR_LEN + 12 || memcmp(buf, "IORT", 4))
		return sd_error_set(err, SD_ERR_CORRUPT, "IORT: not an IORT table (%zu bytes)", len);
	tlen = le32_at(buf + 4);
	if (tlen > len || tlen < ACPI_HDR_LEN + 12)
		return sd_error_set(err, SD_ERR_CORRUPT, "IORT: table length %u, file %zu bytes", tlen, len);
	nodes = le32_at(buf + ACPI_HDR_LEN);
	off = le32_at(buf + ACPI_HDR_LEN + 4);
	for (uint32_t i = 0; i < nodes; i++) {
		uint16_t nlen;
		uint8_t type;

		if (off > tlen || tlen - off < IORT_NODE_HDR_LEN) {
			st = sd_error_set(err, SD_ERR_CORRUPT, "IORT: node %u at 0x%x runs past the table (%u bytes)",
					  i, off, tlen);
			goto fail;
		}
		type = buf[off];
		nlen = buf[off + 1] | buf[off + 2] << 8;
		if (nlen < IORT_NODE_HDR_LEN || nlen > tlen - off) {
			st = sd_error_set(err, SD_ERR_CORRUPT, "IORT: node %u at 0x%x has length %u", i, off, nlen);
			goto fail;
		}
		if (type == IORT_NODE_SMMU_V3) {
			struct sd_live_smmu s = {0};

			if (nlen < IORT_SMMUV3_MIN_LEN) {
				st = sd_error_set(err, SD_ERR_CORRUPT, "IORT: SMMUv3 node at 0x%x is only %u bytes",
						  off, nlen);
				goto fail;
			}
			s.base = le64_at(buf + off + IORT_SMMUV3_BASE);
			s.page0_only = le32_at(buf + off + IORT_SMMUV3_MODEL) == IORT_SMMUV3_MODEL_CAVIUM_CN99XX;
			snprintf(s.from, sizeof(s.from), "IORT SMMUv3 node at 0x%x", off);
			if ((st = add_smmu(out, n, &s, err)) != SD_OK)
				goto fail;
		}
		off += nlen;
	}
	return SD_OK;
fail:
	free(*out);
	*out = NULL;
	*n = 0;
	return st;
}

/* ---------------------------------------------------------------- device tree */

static ssize_t dt_prop(const char *dir, const char *name, unsigned char *buf, size_t cap)
{
	char path[PATH_MAX];

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
		return -1;
	return read_small(path, buf, cap);
}

/* A cells property of @dir (#address-cells, #size-cells), or @dflt. */
static unsigned dt_cells(const char *dir, const char *name, unsigned dflt)
{
	unsigned char b[4];

	if (dt_prop(dir, name, b, sizeof(b)) != 4)
		return dflt;
	return (unsigned)b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3];
}

static uint64_t be_cells(const unsigned char *p, unsigned cells)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < cells; i++)
		v = v << 32 | ((uint64_t)p[4 * i] << 24 | p[4 * i + 1] << 16 | p[4 * i + 2] << 8 | p[4 * i + 3]);
	return v;
}

static bool strlist_has(const unsigned char *buf, ssize_t len, const char *want)
{
	for (ssize_t i = 0; i < len;) {
		size_t l = strnlen((const char *)buf + i, len - i);

		if (l == strlen(want) && !memcmp(buf + i, want, l))
			return true;
		i += l + 1;
	}
	return false;
}

static bool dt_enabled(const char *dir)
{
	unsigned char b[16];
	ssize_t l = dt_prop(dir, "status", b, sizeof(b) - 1);

	if (l < 0)
		return true;
	b[l] = 0;
	return !strcmp((char *)b, "okay") || !strcmp((char *)b, "ok");
}

static void parent_of(const char *path, char *out, size_t len)
{
	const char *sl = strrchr(path, '/');

	snprintf(out, len, "%.*s", sl ? (int)(sl - path) : 0, path);
}

/*
 * Translate a bus address of a child of @bus up to the root through the
 * "ranges" of @bus and its ancestors (up to @top, the tree's root directory).
 * false: no range covers it.
 */
static bool dt_translate(const char *top, const char *bus, uint64_t *addr)
{
	char cur[PATH_MAX], par[PATH_MAX];
	unsigned char r[DT_PROP_MAX];

	snprintf(cur, sizeof(cur), "%s", bus);
	while (strlen(cur) > strlen(top)) {
		unsigned ca = dt_cells(cur, "#address-cells", 2);
		unsigned pa, cs, step;
		ssize_t l;
		bool hit = false;

		parent_of(cur, par, sizeof(par));
		pa = dt_cells(par, "#address-cells", 2);
		cs = dt_cells(cur, "#size-cells", 1);
		l = dt_prop(cur, "ranges", r, sizeof(r));
		if (l < 0)
			return false;	/* no ranges: not translatable (IHI: no mapping) */
		if (l > 0) {
			if (ca > 2 || pa > 2 || cs > 2)
				return false;
			step = 4 * (ca + pa + cs);
			for (size_t o = 0; o + step <= (size_t)l; o += step) {
				uint64_t cb = be_cells(r + o, ca), pb = be_cells(r + o + 4 * ca, pa);
				uint64_t sz = be_cells(r + o + 4 * (ca + pa), cs);

				if (*addr >= cb && *addr - cb < sz) {
					*addr = *addr - cb + pb;
					hit = true;
					break;
				}
			}
			if (!hit)
				return false;
		}
		/* empty ranges: identity */
		snprintf(cur, sizeof(cur), "%s", par);
	}
	return true;
}

static enum sd_status dt_walk(const char *top, const char *dir, int depth,
			      struct sd_live_smmu **out, size_t *n, struct sd_error *err)
{
	unsigned char buf[DT_PROP_MAX];
	ssize_t l;
	DIR *d;
	struct dirent *de;
	enum sd_status st = SD_OK;

	l = dt_prop(dir, "compatible", buf, sizeof(buf));
	if (l > 0 && strlist_has(buf, l, "arm,smmu-v3") && dt_enabled(dir)) {
		char par[PATH_MAX];
		unsigned ac, sc;

		parent_of(dir, par, sizeof(par));
		ac = dt_cells(par, "#address-cells", 2);
		sc = dt_cells(par, "#size-cells", 1);
		l = dt_prop(dir, "reg", buf, sizeof(buf));
		if (ac < 1 || ac > 2 || sc > 2 || l < (ssize_t)(4 * (ac + sc))) {
			return sd_error_set(err, SD_ERR_CORRUPT,
					    "%s: reg of %zd bytes with #address-cells %u, #size-cells %u",
					    dir + strlen(top), l, ac, sc);
		} else {
			struct sd_live_smmu s = {0};
			const char *node = strrchr(dir, '/') + 1;
			const char *at = strchr(node, '@');
			uint64_t bus = be_cells(buf, ac);

			s.base = bus;
			s.size = be_cells(buf + 4 * ac, sc);
			if (!dt_translate(top, par, &s.base))
				return sd_error_set(err, SD_ERR_CORRUPT,
						    "%s: reg 0x%" PRIx64 " is not mapped by the parents' ranges",
						    dir + strlen(top), bus);
			s.page0_only = dt_prop(dir, "cavium,cn9900-broken-page1-regspace", buf, sizeof(buf)) >= 0;
			snprintf(s.from, sizeof(s.from), "device tree %s", *(dir + strlen(top)) ? dir + strlen(top) : "/");
			/* of_device_make_bus_id(): "<translated address>.<node name>" */
			snprintf(s.devname, sizeof(s.devname), "%" PRIx64 ".%.*s", s.base,
				 at ? (int)(at - node) : (int)strlen(node), node);
			if ((st = add_smmu(out, n, &s, err)) != SD_OK)
				return st;
		}
	}
	if (depth >= DT_MAX_DEPTH || !(d = opendir(dir)))
		return SD_OK;
	while ((de = readdir(d)) && st == SD_OK) {
		char sub[PATH_MAX];
		struct stat sb;

		if (de->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", dir, de->d_name) >= sizeof(sub))
			continue;
		if (lstat(sub, &sb) || !S_ISDIR(sb.st_mode))
			continue;
		st = dt_walk(top, sub, depth + 1, out, n, err);
	}
	closedir(d);
	return st;
}

enum sd_status sd_live_parse_dt(const char *dtdir, struct sd_live_smmu **out, size_t *n,
				struct sd_error *err)
{
	enum sd_status st;

	*out = NULL;
	*n = 0;
	st = dt_walk(dtdir, dtdir, 0, out, n, err);
	if (st != SD_OK) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return st;
}

enum sd_status sd_live_find(const char *root, struct sd_live_smmu **out, size_t *n,
			    struct sd_error *err)
{
	char path[PATH_MAX];
	unsigned char *buf;
	ssize_t len;
	enum sd_status st;
	struct stat sb;
	bool iort = false;

	root = root_or_empty(root);
	*out = NULL;
	*n = 0;
	snprintf(path, sizeof(path), "%s/sys/firmware/acpi/tables/IORT", root);
	buf = malloc(IORT_MAX_SIZE);
	if (!buf)
		return sd_error_set(err, SD_ERR_NOMEM, "IORT buffer");
	len = read_small(path, buf, IORT_MAX_SIZE);
	if (len >= 0) {
		st = sd_live_parse_iort(buf, len, out, n, err);
		free(buf);
		if (st != SD_OK)
			return sd_error_prefix(err, "%s", path);
		if (*n)
			return SD_OK;
		/* an IORT without SMMUv3 nodes: the device tree may still have some */
		iort = true;
	} else {
		int e = errno;

		free(buf);
		if (e != ENOENT)
			return sd_error_set(err, SD_ERR_IO, "%s: %s", path, strerror(e));
	}
	snprintf(path, sizeof(path), "%s/proc/device-tree", root);
	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		char real[PATH_MAX];

		/* /proc/device-tree is a symlink to /sys/firmware/devicetree/base */
		if (!realpath(path, real))
			snprintf(real, sizeof(real), "%s", path);
		st = sd_live_parse_dt(real, out, n, err);
		if (st != SD_OK)
			return st;
		if (*n)
			return SD_OK;
		return sd_error_set(err, SD_ERR_NOTFOUND, "no SMMUv3 in the device tree (%s: no enabled node "
				    "with compatible \"arm,smmu-v3\")", path);
	}
	if (iort)
		return sd_error_set(err, SD_ERR_NOTFOUND, "no SMMUv3: the ACPI IORT has no SMMUv3 node and "
				    "there is no device tree");
	return sd_error_set(err, SD_ERR_NOTFOUND, "no firmware description of an SMMUv3: neither %s/sys/firmware/acpi/tables/IORT "
			    "nor %s/proc/device-tree exists", root, root);
}

/* ---------------------------------------------------------------- ownership */

/* Driver bound to platform device @name, into @drv. */
static bool platform_driver(const char *root, const char *name, char *drv, size_t len)
{
	char path[PATH_MAX], link[PATH_MAX];
	ssize_t l;
	const char *b;

	if (!name[0] || strchr(name, '/'))
		return false;
	snprintf(path, sizeof(path), "%s/sys/bus/platform/devices/%s/driver", root, name);
	l = readlink(path, link, sizeof(link) - 1);
	if (l < 0)
		return false;
	link[l] = 0;
	b = strrchr(link, '/');
	snprintf(drv, len, "%s", b ? b + 1 : link);
	return true;
}

/*
 * Is the SMMU's platform device bound to a driver?  Its name: the DT form
 * "<address>.<node>", or whatever /proc/iomem names the resources that start
 * at the base (the ACPI platform device "arm-smmu-v3.N.auto" has its
 * resources registered under its own name).  Failing both, for an SMMU
 * without a device-tree name, any device bound to the "arm-smmu-v3" driver
 * counts: better a refusal than reading a reset SMMU as the crashed
 * kernel's.
 */
bool sd_live_driver(const char *root, const struct sd_live_smmu *s, char *drv, size_t len)
{
	char path[PATH_MAX], line[512];
	FILE *f;
	bool found = false;
	DIR *d;
	struct dirent *de;

	root = root_or_empty(root);
	if (platform_driver(root, s->devname, drv, len))
		return true;
	snprintf(path, sizeof(path), "%s/proc/iomem", root);
	if ((f = fopen(path, "re"))) {
		while (!found && fgets(line, sizeof(line), f)) {
			unsigned long long start, end;
			char name[256];
			int pos = 0;

			if (sscanf(line, " %llx-%llx : %n", &start, &end, &pos) < 2 || !pos)
				continue;
			if (start != s->base)
				continue;
			snprintf(name, sizeof(name), "%s", line + pos);
			name[strcspn(name, "\n")] = 0;
			found = platform_driver(root, name, drv, len);
		}
		fclose(f);
	}
	if (found)
		return true;
	snprintf(path, sizeof(path), "%s/sys/bus/platform/drivers/arm-smmu-v3", root);
	if ((d = opendir(path))) {
		while ((de = readdir(d))) {
			char p2[PATH_MAX + 300];
			struct stat sb;

			/* bound devices are symlinks named after the device */
			snprintf(p2, sizeof(p2), "%s/%s/driver", path, de->d_name);
			if (de->d_name[0] != '.' && strcmp(de->d_name, "module") && !stat(p2, &sb) &&
			    (!s->devname[0] || !strcmp(de->d_name, s->devname))) {
				snprintf(drv, len, "arm-smmu-v3");
				found = true;
				break;
			}
		}
		closedir(d);
	}
	return found;
}

/* ---------------------------------------------------------------- the capture */

static const struct {
	enum sd_reg reg;
	uint32_t off;
	unsigned width;
} live_regs[] = {
	{ SD_REG_IDR0, ARM_SMMU_IDR0, 32 }, { SD_REG_IDR1, ARM_SMMU_IDR1, 32 },
	{ SD_REG_IDR2, ARM_SMMU_IDR2, 32 }, { SD_REG_IDR3, ARM_SMMU_IDR3, 32 },
	{ SD_REG_IDR4, ARM_SMMU_IDR4, 32 }, { SD_REG_IDR5, ARM_SMMU_IDR5, 32 },
	{ SD_REG_IIDR, ARM_SMMU_IIDR, 32 }, { SD_REG_AIDR, ARM_SMMU_AIDR, 32 },
	{ SD_REG_CR0, ARM_SMMU_CR0, 32 }, { SD_REG_CR0ACK, ARM_SMMU_CR0ACK, 32 },
	{ SD_REG_CR1, ARM_SMMU_CR1, 32 }, { SD_REG_CR2, ARM_SMMU_CR2, 32 },
	{ SD_REG_GBPA, ARM_SMMU_GBPA, 32 }, { SD_REG_IRQ_CTRL, ARM_SMMU_IRQ_CTRL, 32 },
	{ SD_REG_GERROR, ARM_SMMU_GERROR, 32 }, { SD_REG_GERRORN, ARM_SMMU_GERRORN, 32 },
	{ SD_REG_STRTAB_BASE, ARM_SMMU_STRTAB_BASE, 64 },
	{ SD_REG_STRTAB_BASE_CFG, ARM_SMMU_STRTAB_BASE_CFG, 32 },
	{ SD_REG_CMDQ_BASE, ARM_SMMU_CMDQ_BASE, 64 },
	{ SD_REG_CMDQ_PROD, ARM_SMMU_CMDQ_PROD, 32 }, { SD_REG_CMDQ_CONS, ARM_SMMU_CMDQ_CONS, 32 },
	{ SD_REG_EVTQ_BASE, ARM_SMMU_EVTQ_BASE, 64 },
	{ SD_REG_EVTQ_PROD, ARM_SMMU_EVTQ_PROD, 32 }, { SD_REG_EVTQ_CONS, ARM_SMMU_EVTQ_CONS, 32 },
	{ SD_REG_PRIQ_BASE, ARM_SMMU_PRIQ_BASE, 64 },
	{ SD_REG_PRIQ_PROD, ARM_SMMU_PRIQ_PROD, 32 }, { SD_REG_PRIQ_CONS, ARM_SMMU_PRIQ_CONS, 32 },
};

static const char devmem_advice[] =
	"the kernel does not let /dev/mem map this MMIO range (CONFIG_STRICT_DEVMEM, "
	"CONFIG_IO_STRICT_DEVMEM, or lockdown): boot the capture kernel with iomem=relaxed "
	"(and without lockdown), and keep its SMMU driver from claiming the device";

static enum sd_status map_page(int fd, const char *mem, uint64_t pa, const volatile void **out,
			       struct sd_error *err)
{
	void *p;

	if (pa > (uint64_t)INT64_MAX)
		return sd_error_set(err, SD_ERR_CORRUPT, "MMIO address 0x%" PRIx64 " out of range", pa);
	p = mmap(NULL, ARM_SMMU_REG_SZ, PROT_READ, MAP_SHARED, fd, (off_t)pa);
	if (p == MAP_FAILED) {
		int e = errno;

		if (e == EPERM || e == EACCES)
			return sd_error_set(err, SD_ERR_IO, "%s at 0x%" PRIx64 ": %s: %s", mem, pa,
					    strerror(e), devmem_advice);
		return sd_error_set(err, SD_ERR_IO, "%s: mapping 0x%" PRIx64 ": %s", mem, pa, strerror(e));
	}
	*out = p;
	return SD_OK;
}

static enum sd_status read_one(int fd, const char *mem, const struct sd_live_smmu *s,
			       struct sd_regs *r, struct sd_error *err)
{
	const volatile void *pg[2] = { NULL, NULL };
	enum sd_status st;

	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "smmu3.0x%016" PRIx64, s->base);
	r->val[SD_REG_BASE] = s->base;
	r->have[SD_REG_BASE] = true;
	if (s->base & (ARM_SMMU_REG_SZ - 1))
		return sd_error_set(err, SD_ERR_CORRUPT, "%s: base 0x%" PRIx64 " is not 64 KiB aligned (%s)",
				    r->name, s->base, s->from);
	if ((st = map_page(fd, mem, s->base, &pg[0], err)) != SD_OK)
		return st;
	if (!s->page0_only && (st = map_page(fd, mem, s->base + ARM_SMMU_REG_SZ, &pg[1], err)) != SD_OK) {
		munmap((void *)pg[0], ARM_SMMU_REG_SZ);
		return st;
	}
	for (size_t i = 0; i < sizeof(live_regs) / sizeof(live_regs[0]); i++) {
		uint32_t off = live_regs[i].off;
		const volatile char *p = pg[0];

		if (off >= ARM_SMMU_REG_SZ) {
			off -= ARM_SMMU_REG_SZ;
			if (!s->page0_only)
				p = pg[1];
		}
		if (live_regs[i].width == 64)
			r->val[live_regs[i].reg] = *(const volatile uint64_t *)(p + off);
		else
			r->val[live_regs[i].reg] = *(const volatile uint32_t *)(p + off);
		r->have[live_regs[i].reg] = true;
	}
	munmap((void *)pg[0], ARM_SMMU_REG_SZ);
	if (pg[1])
		munmap((void *)pg[1], ARM_SMMU_REG_SZ);
	return SD_OK;
}

enum sd_status sd_live_capture_at(const char *root, struct sd_regs **out, size_t *count,
				  struct sd_error *err)
{
	struct sd_live_smmu *v = NULL;
	struct sd_regs *r = NULL;
	size_t n = 0;
	char mem[PATH_MAX];
	enum sd_status st;
	int fd = -1;

	*out = NULL;
	*count = 0;
	root = root_or_empty(root);
	if ((st = sd_live_find(root, &v, &n, err)) != SD_OK)
		return st;
	/* Every SMMU first: refuse before touching any of them. */
	for (size_t i = 0; i < n; i++) {
		char drv[128];

		if (sd_live_driver(root, &v[i], drv, sizeof(drv))) {
			st = sd_error_set(err, SD_ERR_USAGE,
					  "SMMU at 0x%" PRIx64 " is owned by the driver '%s': the capture kernel's SMMU "
					  "driver has already reset it and installed its own stream table, so its "
					  "registers no longer describe the crashed kernel.  Boot the capture kernel "
					  "with initcall_blacklist=arm_smmu_driver_init (arm-smmu-v3 built in) or load "
					  "arm_smmu_v3 only after the capture (modular)", v[i].base, drv);
			goto out;
		}
	}
	snprintf(mem, sizeof(mem), "%s/dev/mem", root);
	fd = open(mem, O_RDONLY | O_SYNC | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		if (e == EPERM || e == EACCES)
			st = sd_error_set(err, SD_ERR_IO, "%s: %s: run as root with CAP_SYS_RAWIO; %s", mem,
					  strerror(e), devmem_advice);
		else
			st = sd_error_set(err, SD_ERR_IO, "%s: %s (a kernel without CONFIG_DEVMEM cannot "
					  "give the live registers)", mem, strerror(e));
		goto out;
	}
	r = calloc(n, sizeof(*r));
	if (!r) {
		st = sd_error_set(err, SD_ERR_NOMEM, "register snapshots");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if ((st = read_one(fd, mem, &v[i], &r[i], err)) != SD_OK)
			goto out;
	*out = r;
	*count = n;
	r = NULL;
out:
	if (fd >= 0)
		close(fd);
	free(r);
	free(v);
	return st;
}

enum sd_status sd_live_capture(struct sd_regs **out, size_t *count, struct sd_error *err)
{
	return sd_live_capture_at("", out, count, err);
}
