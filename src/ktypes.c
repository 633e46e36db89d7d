// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The common face of the kernel type sources (include/ktypes.h).
 */
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

	return sd_kt_member(kt, type, path, &m, NULL) == SD_OK;
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
