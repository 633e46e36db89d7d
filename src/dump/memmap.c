// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The dump's own memory map (dump.h, sd_dump_ram_ranges): where the dumped
 * machine had RAM, as far as the file format says.  For the placement
 * check of the kdump adoption when the crashed kernel's resource tree is
 * not available.
 */
#include <stdlib.h>

#include "dump-priv.h"

enum sd_status sd_dump_ram_ranges(const struct sd_dump *d, struct sd_range **out, size_t *n,
				  struct sd_error *err)
{
	struct sd_range *r;
	size_t k = 0;

	*out = NULL;
	*n = 0;
	/* d->loads is sorted by pa (elf.c); QEMU's converted dumps have one
	 * PT_LOAD per run of dumped blocks, which is RAM too. */
	if (!d->is_elf || !d->nloads)
		return SD_OK;
	r = calloc(d->nloads, sizeof(*r));
	if (!r)
		return sd_error_set(err, SD_ERR_NOMEM, "%zu memory ranges", d->nloads);
	for (size_t i = 0; i < d->nloads; i++) {
		const struct load *l = &d->loads[i];
		uint64_t end = l->pa + l->memsz - 1;

		if (end < l->pa)
			end = ~0ULL;
		if (k && l->pa <= r[k - 1].end + 1 && r[k - 1].end != ~0ULL) {
			if (end > r[k - 1].end)
				r[k - 1].end = end;
			continue;
		}
		r[k++] = (struct sd_range){ l->pa, end };
	}
	*out = r;
	*n = k;
	return SD_OK;
}
