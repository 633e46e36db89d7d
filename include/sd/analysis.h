/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Analysis: what the decoded tables mean for DMA at the crash, combined with
 * what the crashed kernel knew.
 */
#ifndef SD_ANALYSIS_H
#define SD_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

struct sd_ksmmu;
struct sd_kernel_result;
struct sd_kdev;

/* The analysis of one stream: what it could do with DMA, and why. */
struct sd_verdict {
	const struct sd_kdev *dev;	/* the kernel's master, or NULL */
	enum sd_verdict_class verdict;
	char reason[SD_VERDICT_REASON_MAX];	/* one line: why */
	int rank;			/* danger, higher first */
	/* Its event records (pending and consumed), or NULL when none. */
	const struct sd_event_sid *events;
	bool user_space;		/* DMA owned by user space (VFIO, unmanaged domain) */
	bool walked;			/* its mappings were walked */
	uint64_t mapped_bytes, write_bytes;
	size_t nmaps;			/* coalesced ranges */
	size_t crash_iova, crash_pa;	/* mappings overlapping the crash kernel */
};

/* "blocked", "idle", "attempted", "translating", "bypass"; NULL for
 * SD_VERDICT_NONE. */
const char *sd_verdict_name(enum sd_verdict_class v);

/* What the crashed kernel knew of @s (either may be NULL); before sd_analyse. */
void sd_analysis_bind(struct sd_smmu *s, const struct sd_ksmmu *k,
		      const struct sd_kernel_result *kres);

/*
 * Analyse one stream from its STE, its device and one walk of its mappings
 * (none stored): *@v.  Each mapping is also handed to @also (may be NULL).
 * In RECORD mode the crash-kernel overlaps are kept in @s.
 */
enum sd_status sd_analyse_stream(struct sd_smmu *s, const struct sd_stream *st,
				 enum sd_walk_mode mode, sd_mapping_fn also, void *also_arg,
				 struct sd_verdict *v) SD_MUST_CHECK;

/* What a report may want to see during the first pass (all may be NULL). */
struct sd_analysis_hooks {
	enum sd_status (*stream)(void *arg, const struct sd_smmu *s,
				 const struct sd_stream *st, const struct sd_verdict *v);
	sd_mapping_fn mapping;
	void *arg;
};

/*
 * The first pass over one SMMU (the RECORD walk): every stream decoded and
 * analysed once, in StreamID order; what stays is per SMMU (counts,
 * problems, overlaps, streams by verdict).  Run once, before anything is
 * printed from @s.
 */
enum sd_status sd_analyse(struct sd_smmu *s, const struct sd_analysis_hooks *hooks) SD_MUST_CHECK;

/* The device behind event records from @sid: the kernel's, when a decoded
 * stream has that SID; else NULL. */
const struct sd_kdev *sd_event_device(const struct sd_smmu *s, uint32_t sid);

/* What the SMMU saw of one StreamID, one phrase: "2 translation faults at
 * IOVA 0x1000-0x1004, consumed".  Returns the length, as sd_appendf. */
size_t sd_event_summary(const struct sd_event_sid *e, char *buf, size_t size);

/* Event records whose StreamID no decoded stream has (no valid STE, or
 * beyond the table), within the -s selection: unknown requesters. */
bool sd_event_sid_unknown(const struct sd_smmu *s, const struct sd_event_sid *e);

/* The PCI bus/device/function a StreamID is under the identity map
 * (StreamID = Requester ID) that QEMU's virt machine and most IORT/DT
 * descriptions use; false beyond 16 bits. */
bool sd_sid_as_rid(uint32_t sid, unsigned *bus, unsigned *dev, unsigned *fn);
/* The dump's own memory map (sd_dump_ram_ranges), for the adoption's
 * placement check where the crashed kernel's iomem_resource was not read;
 * @ram must outlive @s's analysis.  Before sd_analyse. */
struct sd_range;
void sd_analysis_dump_ram(struct sd_smmu *s, const struct sd_range *ram, size_t n);

/* The kdump adoption check of @s (adoption.h), complete once sd_analyse
 * ran; NULL before, or when it could not be allocated. */
struct sd_adopt;
const struct sd_adopt *sd_smmu_adoption(const struct sd_smmu *s);

/* Exit status 1: table problems, rejected STEs, a device that bypasses the
 * SMMU, a mapping touching the crash-kernel reservation, a kdump adoption
 * the series would refuse, or a failed placement / ID-aliasing check. */
bool sd_smmu_needs_attention(const struct sd_smmu *smmu);

/*
 * The report's view of a live snapshot.
 * sd_live_dma_state: with CR0 known, "translated" (SMMUEN 1), "aborted"
 * (SMMUEN 0, GBPA.ABORT 1), "bypassed" (SMMUEN 0, ABORT 0); NULL otherwise
 * (no CR0, or SMMUEN 0 with GBPA unknown).
 * sd_live_crashed_strtab: the STRTAB_BASE the crashed kernel had
 * programmed, and where that came from ("--regs", or the crashed kernel's
 * memory); false when neither is known.
 */
const char *sd_live_dma_state(const struct sd_regs *r);
bool sd_live_crashed_strtab(const struct sd_smmu *s, uint64_t *strtab_base, const char **from);

/* For a live snapshot (SD_SRC_LIVE): "crashed-kernel" when the live
 * STRTAB_BASE points at the table the crashed kernel had programmed
 * (untouched, or adopted), "replaced" when it points elsewhere (the capture
 * kernel's driver or firmware reset the SMMU), "unknown" when the crashed
 * kernel's value is not known.  Without live registers but with a capture
 * kernel's driver owning the SMMU (sd_analysis_live_owner): "replaced"
 * when its log says it reset it, else "unknown".  NULL otherwise. */
const char *sd_live_strtab_verdict(const struct sd_smmu *s, uint64_t *crashed, const char **from);

/*
 * The capture kernel's SMMU driver, as the running system shows it
 * (src/hw/owner.c): without live registers (a driver owns the SMMU, so
 * --capture-regs refuses and /dev/mem cannot map it), its own log is the
 * evidence that it reset the SMMU, and so replaced the stream table.
 */
struct sd_live_owner {
	uint64_t base;		/* the SMMU's MMIO base */
	char driver[64];	/* the driver bound to it, "" when none */
	bool reset_logged;	/* its "SMMU currently enabled! Resetting..." */
	char evidence[256];	/* that log line, or what was looked at */
};
/* Before sd_analyse; @o must outlive @s's report. */
void sd_analysis_live_owner(struct sd_smmu *s, const struct sd_live_owner *o);

/*
 * In the capture kernel, with the live STRTAB_BASE still the crashed
 * kernel's (adopted, or never reset): each STE read now against what the
 * crashed kernel's own structures say its driver installed (struct
 * sd_kinstalled), one entry per StreamID that differs.  A pointer now
 * inside the crash-kernel reservation is the capture kernel's own memory:
 * strong evidence that the capture kernel wrote the STE.
 */
#define SD_LIVE_OVERWRITES_MAX	64
struct sd_live_overwrite {
	uint32_t sid;
	const char *field;	/* "valid", "config", "s1_context_ptr", "s2_vmid", "s2ttb" */
	uint64_t expected, found;	/* STE.Config values for "config", 1/0 for "valid" */
	bool in_crashk;		/* found points into the crash-kernel reservation */
};
struct sd_live_ste {
	const struct sd_live_owner *owner;	/* sd_analysis_live_owner(), or NULL */
	bool compared;		/* live registers, the crashed kernel's table */
	uint64_t checked;	/* StreamIDs whose installed STE the structures tell */
	uint64_t unknown;	/* the kernel's StreamIDs whose installed STE they do not */
	struct sd_live_overwrite v[SD_LIVE_OVERWRITES_MAX];
	size_t n;
	uint64_t total;		/* StreamIDs overwritten; v[] holds the first n */
	uint64_t in_crashk;	/* of those, with a pointer into the reservation */
	const char *partial;	/* why not every StreamID was compared, or NULL */
};
/* Complete once sd_analyse ran; NULL when there is nothing to say. */
const struct sd_live_ste *sd_smmu_live_ste(const struct sd_smmu *s);

#endif
