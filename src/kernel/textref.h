/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Data addresses that kernel text refers to: the way to a global that
 * kallsyms does not list (kernels without CONFIG_KALLSYMS_ALL, such as
 * Debian 12's 6.1) from a function that kallsyms always lists.
 *
 * sd_textref_refs() decodes one text symbol (insn.h); the finders try the
 * functions known to take the address of one global, validate every
 * candidate through what the global must look like in memory, and answer
 * only when one function yields exactly one valid candidate.  Cost: a few
 * KiB of reads per function, independent of RAM size.
 */
#ifndef SD_TEXTREF_H
#define SD_TEXTREF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "insn.h"
#include "kallsyms.h"
#include "kmem.h"
#include "sd_error.h"

/* At most this much code is decoded per symbol (the brief's bound; the
 * functions used here are all far shorter). */
#define SD_TEXTREF_MAX_BYTES	4096u

/*
 * The references of text symbol @name (types t T w W), decoded from its
 * start to the next symbol or SD_TEXTREF_MAX_BYTES.  *@refs is malloc'd
 * (free() it; NULL with *@n = 0 when there are none).
 * SD_ERR_NOTFOUND: no such text symbol; read errors as sd_kmem_read().
 */
enum sd_status sd_textref_refs(struct sd_kmem *km, const struct sd_kallsyms *ks,
			       const char *name, struct sd_insn_ref **refs,
			       size_t *n, struct sd_error *err) SD_MUST_CHECK;

/* A validator: true if @addr looks like the global that is looked for. */
typedef bool (*sd_textref_valid_fn)(struct sd_kmem *km, uint64_t addr, void *ctx);

/*
 * Try the text symbols @funcs (NULL-terminated) in order; in each, the
 * distinct addresses of its references that @valid accepts.  The answer
 * is the first function's when it has exactly one; *@via names it.
 * SD_ERR_NOTFOUND (naming what was tried) when no function has exactly
 * one valid candidate; never a read error: a function that cannot be read
 * is skipped (its text may be freed __init memory or filtered out).
 */
enum sd_status sd_textref_find(struct sd_kmem *km, const struct sd_kallsyms *ks,
			       const char *const *funcs, sd_textref_valid_fn valid,
			       void *ctx, uint64_t *addr, const char **via,
			       struct sd_error *err) SD_MUST_CHECK;

/* --- validators that need only kernel-VA reads --- */

/* A struct list_head at @head whose next pointers come back to @head
 * within @max entries, every node's next->prev pointing back at it
 * (include/linux/list.h: {next, prev}).  *@entries: nodes besides the
 * head (may be NULL). */
bool sd_textref_list_ok(struct sd_kmem *km, uint64_t head, unsigned max,
			unsigned *entries);

/* A struct resource (include/linux/ioport.h: start, end, name, ... since
 * 2.6) named @name with start <= end; *@start / *@end may be NULL. */
bool sd_textref_resource_ok(struct sd_kmem *km, uint64_t res, const char *name,
			    uint64_t *start, uint64_t *end);

/* A struct platform_driver whose embedded device_driver's name (its first
 * member) is @name, found among the first SD_TEXTREF_PDRV_SLOTS pointer
 * slots (the callbacks before `driver` vary by version).  *@name_off:
 * offset of driver.name in the struct (may be NULL). */
#define SD_TEXTREF_PDRV_SLOTS	12u
bool sd_textref_platform_driver_ok(struct sd_kmem *km, uint64_t drv,
				   const char *name, unsigned *name_off);

/* --- the globals discovery needs --- */

/* iommu_device_list (static LIST_HEAD in drivers/iommu/iommu.c). */
enum sd_status sd_textref_iommu_device_list(struct sd_kmem *km,
					    const struct sd_kallsyms *ks,
					    uint64_t *addr, const char **via,
					    struct sd_error *err) SD_MUST_CHECK;

/* crashk_res ("Crash kernel", kernel/kexec_core.c, crash_core.c,
 * crash_reserve.c by version).  Functions that also use crashk_low_res
 * (two valid candidates) are skipped. */
enum sd_status sd_textref_crashk_res(struct sd_kmem *km,
				     const struct sd_kallsyms *ks,
				     uint64_t *addr, const char **via,
				     struct sd_error *err) SD_MUST_CHECK;

/* arm_smmu_driver (struct platform_driver, arm-smmu-v3.c). */
enum sd_status sd_textref_arm_smmu_driver(struct sd_kmem *km,
					  const struct sd_kallsyms *ks,
					  uint64_t *addr, const char **via,
					  struct sd_error *err) SD_MUST_CHECK;

#endif
