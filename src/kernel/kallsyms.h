/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's own symbol table (kallsyms), decoded from the crashed
 * kernel's memory.  VMCOREINFO has carried SYMBOL(kallsyms_names,
 * kallsyms_num_syms, kallsyms_token_table, kallsyms_token_index,
 * kallsyms_offsets | kallsyms_addresses, kallsyms_relative_base) since
 * Linux 6.0 (5fd8fea935a1, f09bddbd86619).
 *
 * Address encodings (kernel/kallsyms.c kallsyms_sym_address()):
 *   ABSOLUTE       unsigned long kallsyms_addresses[]      (!KALLSYMS_BASE_RELATIVE, to 6.11)
 *   RELATIVE       relative_base + (u32)offsets[i]          (4.6 .. 7.0)
 *   ABS_PERCPU     offsets[i] >= 0 ? offsets[i]
 *                                  : relative_base - 1 - offsets[i]   (to 6.15)
 *   PLACE_RELATIVE (u64)&offsets[i] + (s32)offsets[i]       (7.0, a081b5789255d)
 * RELATIVE and ABS_PERCPU share the same VMCOREINFO keys; the one that puts
 * _stext at VMCOREINFO's SYMBOL(_stext) wins (drgn does the same).
 *
 * Name lengths take two bytes when the first has bit 7 set since
 * 73bbb94466fd3 (6.1): the form that decodes _stext correctly wins.
 */
#ifndef SD_KALLSYMS_H
#define SD_KALLSYMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmem.h"
#include "sd_error.h"

enum sd_ksym_enc {
	SD_KSYM_ENC_AUTO = 0,
	SD_KSYM_ENC_ABSOLUTE,
	SD_KSYM_ENC_RELATIVE,
	SD_KSYM_ENC_ABS_PERCPU,
	SD_KSYM_ENC_PLACE_RELATIVE,
};

const char *sd_ksym_enc_name(enum sd_ksym_enc enc);

/* Where the tables are: kernel VAs, 0 when absent. */
struct sd_kallsyms_loc {
	uint64_t names, token_table, token_index, num_syms;
	uint64_t offsets, relative_base, addresses;
	uint64_t stext;		/* expected _stext (VMCOREINFO), 0 = unknown */
};

struct sd_kallsyms;

/* Fill @loc from the dump's VMCOREINFO.  SD_ERR_NOTFOUND (naming the
 * missing keys) when the kernel does not export kallsyms. */
SD_MUST_CHECK enum sd_status sd_kallsyms_loc_from_vmcoreinfo(struct sd_dump *dump,
					       struct sd_kallsyms_loc *loc,
					       struct sd_error *err);

/*
 * Decode the tables read through @rd.  @enc forces an address encoding
 * (SD_KSYM_ENC_AUTO decides from which keys exist and from _stext);
 * @long_names: 1 two-byte lengths, 0 one-byte, -1 decide.
 */
SD_MUST_CHECK enum sd_status sd_kallsyms_load(sd_kread_fn rd, void *rd_ctx,
				const struct sd_kallsyms_loc *loc,
				enum sd_ksym_enc enc, int long_names,
				struct sd_kallsyms **out, struct sd_error *err);

/* Both steps, on a dump. */
SD_MUST_CHECK enum sd_status sd_kallsyms_from_dump(struct sd_kmem *km,
				     struct sd_kallsyms **out,
				     struct sd_error *err);

void sd_kallsyms_free(struct sd_kallsyms *ks);

/* First symbol of that name (kallsyms may hold several static ones). */
bool sd_kallsyms_lookup(const struct sd_kallsyms *ks, const char *name,
			uint64_t *addr, char *type);

size_t sd_kallsyms_count(const struct sd_kallsyms *ks);
const char *sd_kallsyms_name(const struct sd_kallsyms *ks, size_t i);
uint64_t sd_kallsyms_addr(const struct sd_kallsyms *ks, size_t i);
char sd_kallsyms_type(const struct sd_kallsyms *ks, size_t i);
enum sd_ksym_enc sd_kallsyms_encoding(const struct sd_kallsyms *ks);
bool sd_kallsyms_long_names(const struct sd_kallsyms *ks);
/* Number of data symbols (types d D b B r R): 0 means the kernel was
 * built without CONFIG_KALLSYMS_ALL. */
size_t sd_kallsyms_data_count(const struct sd_kallsyms *ks);

#endif
