// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Types and symbols given by a host (include/sd/kernel.h, struct
 * sd_khost): a struct sd_ktypes (ktypes.h) over the host's callbacks, so
 * the struct walker reads the crashed kernel exactly as it does with a
 * DWARF vmlinux of its own.  The crash extension is the host: its types
 * come from crash's gdb, its symbols from crash's symbol table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel-priv.h"

static enum sd_status kh_size(void *impl, const char *type, uint64_t *size, struct sd_error *err)
{
	const struct sd_khost *h = impl;

	return h->ops->type_size(h->ctx, type, size, err);
}

static enum sd_status kh_member(void *impl, const char *type, const char *path,
				struct sd_kmember *m, struct sd_error *err)
{
	const struct sd_khost *h = impl;

	memset(m, 0, sizeof(*m));
	return h->ops->member(h->ctx, type, path, &m->bit_offset, &m->bit_size, &m->size, err);
}

static enum sd_status kh_symbol(void *impl, const char *name, uint64_t *addr,
				struct sd_error *err)
{
	const struct sd_khost *h = impl;

	return h->ops->symbol(h->ctx, name, addr, err);
}

/* The host (and its context) belongs to the caller: nothing to free. */
static void kh_destroy(void *impl)
{
	(void)impl;
}

static const struct sd_ktypes_ops khost_ops = {
	.type_size = kh_size,
	.member = kh_member,
	.symbol = kh_symbol,
	.destroy = kh_destroy,
};

/*
 * The sources of sd_kernel_find_smmus_given(): the host's types and
 * symbols in the place of a DWARF vmlinux (ksym() asks them first, as it
 * asks DWARF), then kallsyms from the dump as load_sources() decodes it
 * after DWARF, so that the walk, its fall-backs and its notes are those of
 * the command line with a vmlinux.
 */
void load_given(struct kctx *kc, const struct sd_khost *host)
{
	memset(&kc->kt, 0, sizeof(kc->kt));
	kc->kt.source = host->types;
	kc->kt.ops = &khost_ops;
	/* Only read through: kh_* never change the host. */
	kc->kt.impl = (void *)host;
	snprintf(kc->kt.desc, sizeof(kc->kt.desc), "%s", host->desc ? host->desc : "host");
	kc->have_kt = true;
	kc->dwarf = true;	/* ksym(): the host's symbols first */
	kc->res->types = host->types;
	kc->res->symbols = host->symbols;
	if (host->debuginfo) {
		snprintf(kc->res->debuginfo.path, sizeof(kc->res->debuginfo.path), "%s",
			 host->debuginfo);
		kc->res->debuginfo.from = "crash";
	}
	load_kallsyms(kc);
}
