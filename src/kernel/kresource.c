// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The crashed kernel's System RAM, from its own resource tree: the
 * children of iomem_resource named "System RAM" (kernel/resource.c;
 * arm64 request_standard_resources() in arch/arm64/kernel/setup.c adds
 * one top-level resource per memblock region).  For the placement check
 * of the kdump adoption; the crash-kernel reservation is a child of one
 * of them, so it is not cut out here (kernel.c reads it).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "kernel-priv.h"

/* Top-level resources followed: a machine has tens (RAM banks, MMIO
 * windows); a corrupt sibling chain (or a loop) stops here. */
#define MAX_IOMEM_TOP	4096
#define RES_T		"struct resource"
#define SYSTEM_RAM	"System RAM"

static bool add_range(struct sd_range **v, size_t *n, size_t *cap, uint64_t s, uint64_t e)
{
	if (*n == *cap) {
		size_t nc = *cap ? 2 * *cap : 16;
		struct sd_range *nv = realloc(*v, nc * sizeof(*nv));

		if (!nv)
			return false;
		*v = nv;
		*cap = nc;
	}
	(*v)[(*n)++] = (struct sd_range){ s, e };
	return true;
}

/* One child: its bounds when it is System RAM.  SD_OK with *@ram false
 * for the others. */
static enum sd_status read_child(struct kctx *kc, uint64_t r, bool *ram, uint64_t *start,
				 uint64_t *end, uint64_t *next, struct sd_error *err)
{
	char name[sizeof(SYSTEM_RAM) + 1];
	uint64_t p;
	enum sd_status st;

	*ram = false;
	if ((st = rd_ptr(kc, r, RES_T, "sibling", next, err)) ||
	    (st = rd_ptr(kc, r, RES_T, "name", &p, err)) ||
	    (st = read_cstr(kc, p, name, sizeof(name), err)))
		return st;
	if (strcmp(name, SYSTEM_RAM))
		return SD_OK;
	if ((st = rd_member(kc, r, RES_T, "start", start, err)) ||
	    (st = rd_member(kc, r, RES_T, "end", end, err)))
		return st;
	*ram = *end >= *start;
	return SD_OK;
}

void read_iomem_ram(struct kctx *kc)
{
	struct sd_kernel_result *res = kc->res;
	struct sd_error e = { 0 };
	struct sd_range *v = NULL;
	size_t n = 0, cap = 0, i;
	uint64_t root, r;

	/* Absent (no symbol): the adoption check says where RAM came from. */
	if (!ksym(kc, "iomem_resource", &root))
		return;
	if (rd_ptr(kc, root, RES_T, "child", &r, &e)) {
		kdiag(kc, "iomem_resource at 0x%" PRIx64 " not read: %s", root, e.msg);
		return;
	}
	for (i = 0; r && i < MAX_IOMEM_TOP; i++) {
		uint64_t start, end, next;
		bool ram;

		if (read_child(kc, r, &ram, &start, &end, &next, &e)) {
			kdiag(kc, "iomem_resource child 0x%" PRIx64 " not read: %s", r, e.msg);
			free(v);
			return;
		}
		if (ram && !add_range(&v, &n, &cap, start, end)) {
			free(v);
			return;
		}
		r = next;
	}
	if (r) {
		kdiag(kc, "iomem_resource has more than %d top-level resources: System RAM taken from the dump's memory map",
		      MAX_IOMEM_TOP);
		free(v);
		return;
	}
	if (!n) {
		kdiag(kc, "iomem_resource has no System RAM: taken from the dump's memory map");
		free(v);
		return;
	}
	res->ram = v;
	res->nram = n;
}
