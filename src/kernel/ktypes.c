// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The common face of the kernel type sources (include/ktypes.h).
 */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "ktypes.h"

enum sd_status sd_kt_size(const struct sd_ktypes *kt, const char *type,
			  uint64_t *size, struct sd_error *err)
{
	if (!kt || !kt->ops)
		return sd_error_set(err, SD_ERR_NOTFOUND, "no kernel type information");
	return kt->ops->type_size(kt->impl, type, size, err);
}

enum sd_status sd_kt_member(const struct sd_ktypes *kt, const char *type,
			    const char *path, struct sd_kmember *m,
			    struct sd_error *err)
{
	if (!kt || !kt->ops)
		return sd_error_set(err, SD_ERR_NOTFOUND, "no kernel type information");
	return kt->ops->member(kt->impl, type, path, m, err);
}

enum sd_status sd_kt_member_any(const struct sd_ktypes *kt, const char *type,
				const char *const *paths, struct sd_kmember *m,
				int *which, struct sd_error *err)
{
	char tried[256] = "";
	int i;

	for (i = 0; paths[i]; i++) {
		struct sd_error e = { 0 };
		enum sd_status st = sd_kt_member(kt, type, paths[i], m, &e);

		if (st == SD_OK) {
			if (which)
				*which = i;
			return SD_OK;
		}
		if (st != SD_ERR_NOTFOUND) {
			if (err)
				*err = e;
			return st;
		}
		if (strlen(tried) + strlen(paths[i]) + 3 < sizeof(tried))
			strcat(strcat(tried, i ? ", " : ""), paths[i]);
	}
	return sd_error_set(err, SD_ERR_NOTFOUND, "%s (%s) has none of the members %s",
			    type, kt ? kt->source : "?", tried);
}

bool sd_kt_has(const struct sd_ktypes *kt, const char *type, const char *path)
{
	struct sd_kmember m;
	struct sd_error e = { 0 };

	/* A question, not a read: any failure to resolve is "no". */
	return sd_kt_member(kt, type, path, &m, &e) == SD_OK;
}

enum sd_status sd_kt_offset(const struct sd_ktypes *kt, const char *type,
			    const char *path, uint64_t *off, struct sd_error *err)
{
	struct sd_kmember m;
	enum sd_status st = sd_kt_member(kt, type, path, &m, err);

	if (st)
		return st;
	if (m.bit_size || m.bit_offset % 8)
		return sd_error_set(err, SD_ERR_UNSUPPORTED, "%s.%s is a bitfield", type, path);
	*off = m.bit_offset / 8;
	return SD_OK;
}

enum sd_status sd_kt_symbol(const struct sd_ktypes *kt, const char *name,
			    uint64_t *addr, struct sd_error *err)
{
	if (!kt || !kt->ops || !kt->ops->symbol)
		return sd_error_set(err, SD_ERR_NOTFOUND, "%s has no symbols",
				    kt && kt->source ? kt->source : "type source");
	return kt->ops->symbol(kt->impl, name, addr, err);
}

void sd_kt_close(struct sd_ktypes *kt)
{
	if (kt && kt->ops && kt->ops->destroy)
		kt->ops->destroy(kt->impl);
	if (kt) {
		kt->ops = NULL;
		kt->impl = NULL;
	}
}

/* --- two sources as one ------------------------------------------------ */

struct chain { struct sd_ktypes a, b; };

static enum sd_status ch_size(void *impl, const char *type, uint64_t *size, struct sd_error *err)
{
	struct chain *c = impl;
	enum sd_status st = sd_kt_size(&c->a, type, size, err);

	return st == SD_ERR_NOTFOUND ? sd_kt_size(&c->b, type, size, err) : st;
}

static enum sd_status ch_member(void *impl, const char *type, const char *path,
				struct sd_kmember *m, struct sd_error *err)
{
	struct chain *c = impl;
	enum sd_status st = sd_kt_member(&c->a, type, path, m, err);

	return st == SD_ERR_NOTFOUND ? sd_kt_member(&c->b, type, path, m, err) : st;
}

static enum sd_status ch_symbol(void *impl, const char *name, uint64_t *addr, struct sd_error *err)
{
	struct chain *c = impl;
	enum sd_status st = sd_kt_symbol(&c->a, name, addr, err);

	return st == SD_ERR_NOTFOUND ? sd_kt_symbol(&c->b, name, addr, err) : st;
}

static void ch_destroy(void *impl)
{
	struct chain *c = impl;

	sd_kt_close(&c->a);
	sd_kt_close(&c->b);
	free(c);
}

static const struct sd_ktypes_ops chain_ops = {
	.type_size = ch_size,
	.member = ch_member,
	.symbol = ch_symbol,
	.destroy = ch_destroy,
};

enum sd_status sd_kt_chain(struct sd_ktypes *first, struct sd_ktypes *second,
			   struct sd_ktypes *out, struct sd_error *err)
{
	struct chain *c = calloc(1, sizeof(*c));

	if (!c) {
		sd_kt_close(first);
		sd_kt_close(second);
		return sd_error_set(err, SD_ERR_NOMEM, "out of memory");
	}
	c->a = *first;
	c->b = *second;
	memset(out, 0, sizeof(*out));
	out->source = c->a.source;
	out->ops = &chain_ops;
	out->impl = c;
	snprintf(out->desc, sizeof(out->desc), "%.120s + %.120s", c->a.desc, c->b.desc);
	return SD_OK;
}
