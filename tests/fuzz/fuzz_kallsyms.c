// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the kallsyms decoder (src/kernel/kallsyms.h) over a
 * fuzzed kernel-memory image.  Input: a 40-byte header (which tables
 * exist and their offsets in the image, the expected _stext, the forced
 * encoding and name-length form), then the image, mapped at FZ_VBASE.
 */
#include <inttypes.h>

#include "fuzz.h"
#include "kallsyms.h"

#define FZ_VBASE	0xffff800010000000ull

struct img {
	const uint8_t *p;
	size_t n;
};

static enum sd_status rd(void *ctx, uint64_t va, void *buf, size_t len, struct sd_error *err)
{
	const struct img *m = ctx;
	uint64_t off = va - FZ_VBASE;

	if (va < FZ_VBASE || off > m->n || len > m->n - off)
		return sd_error_set(err, SD_ERR_NODATA, "VA 0x%" PRIx64 " not in the image", va);
	memcpy(buf, m->p + off, len);
	return SD_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size };
	struct sd_kallsyms_loc loc = { 0 };
	struct sd_kallsyms *ks = NULL;
	struct sd_error err = { 0 };
	unsigned flags = (unsigned)fz_take(&in, 1);
	enum sd_ksym_enc enc = (enum sd_ksym_enc)(fz_take(&in, 1) % 5);
	int long_names = (int)(fz_take(&in, 1) % 3) - 1;
	struct img m;

	(void)fz_take(&in, 1);
	/* Each table's offset in the image; a flag bit says the key exists. */
	loc.names = FZ_VBASE + fz_take(&in, 4);
	loc.token_table = FZ_VBASE + fz_take(&in, 4);
	loc.token_index = FZ_VBASE + fz_take(&in, 4);
	loc.num_syms = FZ_VBASE + fz_take(&in, 4);
	loc.offsets = (flags & 1) ? FZ_VBASE + fz_take(&in, 4) : (fz_take(&in, 4), 0);
	loc.relative_base = (flags & 2) ? FZ_VBASE + fz_take(&in, 4) : (fz_take(&in, 4), 0);
	loc.addresses = (flags & 4) ? FZ_VBASE + fz_take(&in, 4) : (fz_take(&in, 4), 0);
	loc.stext = fz_take(&in, 8);
	m = (struct img){ in.p, in.n };

	if (sd_kallsyms_load(rd, &m, &loc, enc, long_names, &ks, &err) != SD_OK) {
		if (!err.msg[0] || ks)
			abort();
		return 0;
	}
	for (size_t i = 0; i < sd_kallsyms_count(ks); i++) {
		const char *name = sd_kallsyms_name(ks, i);
		uint64_t a;
		char t;

		/* Every name must be found again, at some address. */
		if (!sd_kallsyms_lookup(ks, name, &a, &t))
			abort();
		(void)sd_kallsyms_addr(ks, i);
		(void)sd_kallsyms_type(ks, i);
	}
	(void)sd_kallsyms_lookup(ks, "_stext", NULL, NULL);
	(void)sd_kallsyms_data_count(ks);
	(void)sd_ksym_enc_name(sd_kallsyms_encoding(ks));
	sd_kallsyms_free(ks);
	return 0;
}
