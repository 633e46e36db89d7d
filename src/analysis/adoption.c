// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kdump adoption check (include/sd/adoption.h).
 *
 * The acceptance checks follow N. Chen's arm-smmu-v3 kdump series
 * ("iommu/arm-smmu-v3: Fix device crash on kdump kernel", v1-v7, 2026;
 * arm_smmu_kdump_adopt_strtab() since v4): the capture kernel keeps SMMUEN=1
 * and adopts the crashed kernel's stream table unless one of these fails,
 * in which case it drops the adoption and resets the SMMU.  Limits that are
 * the Linux driver's, not the architecture's, are named below after
 * drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.h.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adoption.h"
#include "smmu_fields.h"

/* arm-smmu-v3.h: the driver's 2-level geometry (one L2 table per PCI bus)
 * and its cap on L1 entries; the series refuses anything else. */
#define LINUX_STRTAB_SPLIT		8
#define LINUX_STRTAB_MAX_L1_ENTRIES	(1ULL << 17)
/* ASIDs and VMIDs are 8 bits unless IDR0.ASID16 / IDR0.VMID16 (6.3.1). */
#define SMMU_ID_BITS_SMALL		8
#define SMMU_ID_BITS_LARGE		16

static const struct {
	const char *name, *source;
} checks[SD_ADOPT_CHECK_COUNT] = {
	[SD_ADOPT_SMMUEN] = { "smmuen", "series v4+: adopt only an SMMU the crashed kernel left enabled (CR0.SMMUEN)" },
	[SD_ADOPT_COHERENT] = { "coherent", "series v1+: the capture kernel reads the tables with the CPU, so the SMMU must be coherent (IDR0.COHACC)" },
	[SD_ADOPT_NO_SFM] = { "no_sfm_err", "series v4+: GERROR.SFM_ERR means the SMMU entered service failure mode" },
	[SD_ADOPT_FMT] = { "strtab_fmt", "series v4+: STRTAB_BASE_CFG.FMT linear or 2-level" },
	[SD_ADOPT_FMT_SUPPORTED] = { "strtab_fmt_supported", "series v4+: 2-level only where IDR0.ST_LVL allows it" },
	[SD_ADOPT_SPLIT] = { "strtab_split", "series v4+: 2-level SPLIT equals the driver's STRTAB_SPLIT (8)" },
	[SD_ADOPT_LOG2SIZE] = { "strtab_log2size", "series v4+: SPLIT <= LOG2SIZE <= SIDSIZE (2-level), LOG2SIZE <= SIDSIZE (linear)" },
	[SD_ADOPT_L1_ENTRIES] = { "strtab_l1_entries", "series v4+: L1 entries within STRTAB_MAX_L1_ENTRIES (2^17)" },
	[SD_ADOPT_BASE_ALIGN] = { "strtab_base_align", "series v4+: STRTAB_BASE.ADDR aligned to the (L1) table size" },
	[SD_ADOPT_L1_DESC] = { "l1_descriptors", "series v4+: every L1 descriptor unused (SPAN 0) or SPAN = SPLIT+1 with a non-zero L2 pointer aligned to its table" },
	[SD_ADOPT_STE_CONFIG] = { "ste_config", "series v6+: every valid STE's Config is one the architecture defines" },
	[SD_ADOPT_S1_CTXPTR] = { "s1_context_ptr", "series v6+: stage-1 STEs have a non-zero S1ContextPtr" },
	[SD_ADOPT_S1_CDMAX] = { "s1_cdmax", "series v6+: S1CDMax within IDR1.SSIDSIZE" },
	[SD_ADOPT_S1_FMT] = { "s1_fmt", "series v6+: S1Fmt 2-level only where IDR0.CD2L allows it" },
	[SD_ADOPT_CD_ALIGN] = { "cd_table_align", "series v6+: the CD table aligned to its size" },
	[SD_ADOPT_CD_ASID] = { "cd_asid", "series v7 (kexec ASID reservation): every valid CD's ASID non-zero and below 2^(8|16) per IDR0.ASID16" },
	[SD_ADOPT_VMID] = { "s2_vmid", "series v7 (kexec VMID reservation): stage-2/nested VMID non-zero and below 2^(8|16) per IDR0.VMID16" },
};

const char *sd_adopt_check_name(enum sd_adopt_check c)
{
	return c < SD_ADOPT_CHECK_COUNT ? checks[c].name : "unknown";
}

const char *sd_adopt_check_source(enum sd_adopt_check c)
{
	return c < SD_ADOPT_CHECK_COUNT ? checks[c].source : "";
}

const char *sd_check_result_name(enum sd_check_result r)
{
	switch (r) {
	case SD_CHECK_PASS: return "pass";
	case SD_CHECK_FAIL: return "fail";
	case SD_CHECK_UNKNOWN: return "unknown";
	}
	return "unknown";
}

const char *sd_adopt_verdict_name(enum sd_adopt_verdict v)
{
	switch (v) {
	case SD_ADOPT_ACCEPTED: return "accepted";
	case SD_ADOPT_REFUSED: return "refused";
	case SD_ADOPT_UNKNOWN: return "unknown";
	}
	return "unknown";
}

const char *sd_place_problem_name(enum sd_place_problem p)
{
	switch (p) {
	case SD_PLACE_NOT_RAM: return "not System RAM";
	case SD_PLACE_CRASHKERNEL: return "inside the crash-kernel reservation";
	case SD_PLACE_NOT_IN_DUMP: return "not in the dump";
	case SD_PLACE_PROBLEM_COUNT: break;
	}
	return "unknown";
}

const char *sd_table_kind_name(enum sd_table_kind k)
{
	static const char *const names[SD_TABLE_KIND_COUNT] = {
		[SD_TABLE_STRTAB] = "stream table",
		[SD_TABLE_L2_STRTAB] = "L2 stream table",
		[SD_TABLE_CD] = "CD table",
		[SD_TABLE_L2_CD] = "L2 CD table",
		[SD_TABLE_S1_PGTABLE] = "stage-1 page table",
		[SD_TABLE_S2_PGTABLE] = "stage-2 page table",
	};

	return k < SD_TABLE_KIND_COUNT ? names[k] : "table";
}

/* ---- recording results ---- */

/* A failure of @c: counted, and the first one described. */
static void fail(struct sd_adopt *a, enum sd_adopt_check c, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void fail(struct sd_adopt *a, enum sd_adopt_check c, const char *fmt, ...)
{
	struct sd_adopt_check_state *s = &a->c[c];
	va_list ap;

	if (!s->nfail++) {
		va_start(ap, fmt);
		vsnprintf(s->detail, sizeof(s->detail), fmt, ap);
		va_end(ap);
	}
	s->result = SD_CHECK_FAIL;
}

/* @c cannot be decided: only when nothing failed it already. */
static void unknown(struct sd_adopt *a, enum sd_adopt_check c, const char *why)
{
	struct sd_adopt_check_state *s = &a->c[c];

	if (s->result == SD_CHECK_FAIL)
		return;
	s->result = SD_CHECK_UNKNOWN;
	snprintf(s->detail, sizeof(s->detail), "%s", why);
}

static void pass(struct sd_adopt *a, enum sd_adopt_check c, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void pass(struct sd_adopt *a, enum sd_adopt_check c, const char *fmt, ...)
{
	struct sd_adopt_check_state *s = &a->c[c];
	va_list ap;

	if (s->result != SD_CHECK_PASS)
		return;
	va_start(ap, fmt);
	vsnprintf(s->detail, sizeof(s->detail), fmt, ap);
	va_end(ap);
}

/* ---- facts ---- */

void sd_adopt_facts_from_regs(struct sd_adopt_facts *f, const struct sd_regs *r)
{
	uint64_t v, n;

	f->smmuen = f->coherent = f->sfm_err = f->st_2lvl = f->cd2l = -1;
	f->sidsize = f->ssidsize = f->asid16 = f->vmid16 = -1;
	f->smmuen_from = NULL;
	f->caps_from = NULL;
	if (sd_regs_get(r, SD_REG_CR0, &v)) {
		f->smmuen = !!(v & CR0_SMMUEN);
		f->smmuen_from = "CR0";
	}
	if (sd_regs_get(r, SD_REG_IDR0, &v)) {
		f->coherent = !!(v & IDR0_COHACC);
		f->st_2lvl = FIELD_GET(IDR0_ST_LVL, v) == IDR0_ST_LVL_2LVL;
		f->cd2l = !!(v & IDR0_CD2L);
		f->asid16 = !!(v & IDR0_ASID16);
		f->vmid16 = !!(v & IDR0_VMID16);
	}
	if (sd_regs_get(r, SD_REG_IDR1, &v)) {
		f->sidsize = FIELD_GET(IDR1_SIDSIZE, v);
		f->ssidsize = FIELD_GET(IDR1_SSIDSIZE, v);
	}
	/* GERROR and GERRORN toggle: an error is active while they differ
	 * (IHI 0070 6.3.15, 6.3.16). */
	if (sd_regs_get(r, SD_REG_GERROR, &v) && sd_regs_get(r, SD_REG_GERRORN, &n))
		f->sfm_err = !!((v ^ n) & GERROR_SFM_ERR);
}

/* ---- the SMMU and the stream-table configuration ---- */

static void check_smmu(struct sd_adopt *a)
{
	const struct sd_adopt_facts *f = &a->f;

	if (f->smmuen < 0)
		unknown(a, SD_ADOPT_SMMUEN, "CR0 not captured and the crashed kernel's state not known");
	else if (!f->smmuen)
		fail(a, SD_ADOPT_SMMUEN, "SMMUEN 0 (%s), expected 1", f->smmuen_from ? f->smmuen_from : "registers");
	else
		pass(a, SD_ADOPT_SMMUEN, "SMMUEN 1 (%s)", f->smmuen_from ? f->smmuen_from : "registers");

	if (f->coherent < 0)
		unknown(a, SD_ADOPT_COHERENT, "IDR0 not captured and the kernel's COHERENCY feature not known");
	else if (!f->coherent && f->caps_from)
		fail(a, SD_ADOPT_COHERENT, "ARM_SMMU_FEAT_COHERENCY clear (%s): the SMMU is not coherent",
		     f->caps_from);
	else if (!f->coherent)
		fail(a, SD_ADOPT_COHERENT, "IDR0.COHACC 0: the SMMU is not coherent");
	else
		pass(a, SD_ADOPT_COHERENT, "coherent (%s)", f->caps_from ? f->caps_from : "IDR0.COHACC");

	if (f->sfm_err < 0)
		unknown(a, SD_ADOPT_NO_SFM, "GERROR/GERRORN not captured");
	else if (f->sfm_err)
		fail(a, SD_ADOPT_NO_SFM, "GERROR.SFM_ERR active: service failure mode");
	else
		pass(a, SD_ADOPT_NO_SFM, "SFM_ERR not active");
}

static void check_2lvl(struct sd_adopt *a, const struct strtab_cfg *st)
{
	const struct sd_adopt_facts *f = &a->f;
	uint64_t l1, l1_bytes;

	if (f->st_2lvl < 0)
		unknown(a, SD_ADOPT_FMT_SUPPORTED, "IDR0.ST_LVL not known");
	else if (!f->st_2lvl)
		fail(a, SD_ADOPT_FMT_SUPPORTED, "2-level table but IDR0.ST_LVL allows linear only");
	else
		pass(a, SD_ADOPT_FMT_SUPPORTED, "2-level supported");

	if (st->split != LINUX_STRTAB_SPLIT)
		fail(a, SD_ADOPT_SPLIT, "SPLIT %u, expected %u", st->split, LINUX_STRTAB_SPLIT);
	else
		pass(a, SD_ADOPT_SPLIT, "SPLIT %u", st->split);

	if (st->log2size < st->split)
		fail(a, SD_ADOPT_LOG2SIZE, "LOG2SIZE %u below SPLIT %u", st->log2size, st->split);
	else if (f->sidsize >= 0 && st->log2size > (unsigned)f->sidsize)
		fail(a, SD_ADOPT_LOG2SIZE, "LOG2SIZE %u above SIDSIZE %d", st->log2size, f->sidsize);
	else if (f->sidsize < 0)
		unknown(a, SD_ADOPT_LOG2SIZE, "SIDSIZE not known");
	else
		pass(a, SD_ADOPT_LOG2SIZE, "SPLIT %u <= LOG2SIZE %u <= SIDSIZE %d",
		     st->split, st->log2size, f->sidsize);

	l1 = st->log2size >= st->split ? 1ULL << (st->log2size - st->split) : 1;
	if (st->log2size - (st->log2size >= st->split ? st->split : st->log2size) > 32 ||
	    l1 > LINUX_STRTAB_MAX_L1_ENTRIES)
		fail(a, SD_ADOPT_L1_ENTRIES, "%" PRIu64 " L1 entries, the kernel allows %llu",
		     l1, LINUX_STRTAB_MAX_L1_ENTRIES);
	else
		pass(a, SD_ADOPT_L1_ENTRIES, "%" PRIu64 " L1 entries", l1);

	l1_bytes = l1 * STRTAB_L1_DESC_SIZE;
	if (l1 <= LINUX_STRTAB_MAX_L1_ENTRIES && (st->addr & (l1_bytes - 1)))
		fail(a, SD_ADOPT_BASE_ALIGN, "L1 table at 0x%" PRIx64 " not aligned to its size 0x%" PRIx64,
		     st->addr, l1_bytes);
	else
		pass(a, SD_ADOPT_BASE_ALIGN, "L1 table at 0x%" PRIx64 ", %" PRIu64 " bytes", st->addr, l1_bytes);
}

static void check_linear(struct sd_adopt *a, const struct strtab_cfg *st)
{
	const struct sd_adopt_facts *f = &a->f;
	const char *na = "linear table: applies to 2-level tables only";
	uint64_t bytes;

	pass(a, SD_ADOPT_FMT_SUPPORTED, "linear");
	pass(a, SD_ADOPT_SPLIT, "%s", na);
	pass(a, SD_ADOPT_L1_ENTRIES, "%s", na);
	pass(a, SD_ADOPT_L1_DESC, "%s", na);
	if (f->sidsize >= 0 && st->log2size > (unsigned)f->sidsize)
		fail(a, SD_ADOPT_LOG2SIZE, "LOG2SIZE %u above SIDSIZE %d", st->log2size, f->sidsize);
	else if (st->log2size > SMMU_MAX_SID_BITS)
		fail(a, SD_ADOPT_LOG2SIZE, "LOG2SIZE %u above %u", st->log2size, SMMU_MAX_SID_BITS);
	else if (f->sidsize < 0)
		unknown(a, SD_ADOPT_LOG2SIZE, "SIDSIZE not known");
	else
		pass(a, SD_ADOPT_LOG2SIZE, "LOG2SIZE %u <= SIDSIZE %d", st->log2size, f->sidsize);
	if (st->log2size > SMMU_MAX_SID_BITS)
		return;
	bytes = (1ULL << st->log2size) * STRTAB_STE_SIZE;
	if (st->addr & (bytes - 1))
		fail(a, SD_ADOPT_BASE_ALIGN, "table at 0x%" PRIx64 " not aligned to its size 0x%" PRIx64,
		     st->addr, bytes);
	else
		pass(a, SD_ADOPT_BASE_ALIGN, "table at 0x%" PRIx64 ", %" PRIu64 " bytes", st->addr, bytes);
}

void sd_adopt_begin(struct sd_adopt *a, const struct sd_adopt_facts *f,
		    const struct strtab_cfg *st, const struct sd_memmap *map)
{
	memset(a, 0, sizeof(*a));
	a->f = *f;
	a->map = map;
	if (map) {
		a->ram_known = map->nram > 0;
		a->crashk_known = map->ncrashk > 0;
		a->dump_known = map->in_dump != NULL;
	}
	for (int i = 0; i < SD_ADOPT_CHECK_COUNT; i++)
		a->c[i].result = SD_CHECK_PASS;
	check_smmu(a);
	if (!st) {
		for (int i = SD_ADOPT_FMT; i < SD_ADOPT_CHECK_COUNT; i++)
			unknown(a, i, "STRTAB_BASE/STRTAB_BASE_CFG not known");
		return;
	}
	a->st = *st;
	a->st_valid = true;
	if (st->fmt != STRTAB_BASE_CFG_FMT_LINEAR && st->fmt != STRTAB_BASE_CFG_FMT_2LVL) {
		fail(a, SD_ADOPT_FMT, "FMT %u is reserved", st->fmt);
		return;
	}
	pass(a, SD_ADOPT_FMT, "%s", st->fmt == STRTAB_BASE_CFG_FMT_2LVL ? "2-level" : "linear");
	if (st->fmt == STRTAB_BASE_CFG_FMT_2LVL)
		check_2lvl(a, st);
	else
		check_linear(a, st);
}

void sd_adopt_l1(struct sd_adopt *a, uint64_t index, uint64_t desc)
{
	unsigned span = FIELD_GET(STRTAB_L1_DESC_SPAN, desc);
	uint64_t l2 = desc & STRTAB_L1_DESC_L2PTR_MASK;
	/* The driver allocates 2^(SPAN-1) STEs per L2 table. */
	uint64_t l2_bytes = (1ULL << a->st.split) * STRTAB_STE_SIZE;

	if (!span)
		return;
	if (span != a->st.split + 1)
		fail(a, SD_ADOPT_L1_DESC, "L1 descriptor 0x%" PRIx64 " SPAN %u, expected %u",
		     index, span, a->st.split + 1);
	else if (!l2)
		fail(a, SD_ADOPT_L1_DESC, "L1 descriptor 0x%" PRIx64 " has a zero L2 pointer", index);
	else if (l2 & (l2_bytes - 1))
		fail(a, SD_ADOPT_L1_DESC, "L1 descriptor 0x%" PRIx64 ": L2 table 0x%" PRIx64
		     " not aligned to its size 0x%" PRIx64, index, l2, l2_bytes);
}

/* ---- STEs and CDs ---- */

static struct sd_adopt_id *id_find(struct sd_adopt_ids *ids, uint32_t id)
{
	/* Linear search over the IDs seen: an SMMU has at most thousands of
	 * domains, and the inventory is capped at SD_ADOPT_IDS_MAX.  The last
	 * one is checked first: the STEs of one domain come together. */
	for (size_t i = ids->n; i-- > 0;)
		if (ids->v[i].id == id)
			return &ids->v[i];
	if (ids->n == ids->cap) {
		size_t cap = ids->cap ? 2 * ids->cap : 64;
		struct sd_adopt_id *v;

		if (ids->n >= SD_ADOPT_IDS_MAX || !(v = realloc(ids->v, cap * sizeof(*v)))) {
			if (ids->n < SD_ADOPT_IDS_MAX)
				sd_note_alloc_failure();
			ids->dropped++;
			return NULL;
		}
		ids->v = v;
		ids->cap = cap;
	}
	memset(&ids->v[ids->n], 0, sizeof(ids->v[0]));
	ids->v[ids->n].id = id;
	return &ids->v[ids->n++];
}

static void id_use(struct sd_adopt_ids *ids, uint32_t id, uint32_t sid, int64_t ssid, uint64_t ttb)
{
	struct sd_adopt_id *e = id_find(ids, id);
	size_t i;

	if (!e)
		return;
	if (e->nusers < SD_ADOPT_USERS_MAX)
		e->users[e->nusers] = (struct sd_adopt_user){ sid, ssid };
	e->nusers++;
	for (i = 0; i < e->nttbs; i++)
		if (e->ttbs[i] == ttb)
			return;
	if (e->nttbs < SD_ADOPT_TTBS_MAX)
		e->ttbs[e->nttbs++] = ttb;
	else
		e->more_ttbs = true;
}

static unsigned id_bits(int wide)
{
	return wide > 0 ? SMMU_ID_BITS_LARGE : SMMU_ID_BITS_SMALL;
}

static void check_s1(struct sd_adopt *a, uint32_t sid, const struct ste *ste)
{
	const struct sd_adopt_facts *f = &a->f;
	uint64_t bytes, ncds;

	if (!ste->s1_context_ptr)
		fail(a, SD_ADOPT_S1_CTXPTR, "StreamID 0x%x: S1ContextPtr 0", sid);
	if (f->ssidsize < 0) {
		if (ste->s1cdmax)
			unknown(a, SD_ADOPT_S1_CDMAX, "SSIDSIZE not known");
	} else if (ste->s1cdmax > (unsigned)f->ssidsize) {
		fail(a, SD_ADOPT_S1_CDMAX, "StreamID 0x%x: S1CDMax %u above SSIDSIZE %d",
		     sid, ste->s1cdmax, f->ssidsize);
	}
	if (ste->s1fmt == STRTAB_STE_0_S1FMT_RESERVED)
		fail(a, SD_ADOPT_S1_FMT, "StreamID 0x%x: S1Fmt 3 is reserved", sid);
	else if (ste->s1fmt != STRTAB_STE_0_S1FMT_LINEAR && f->cd2l == 0)
		fail(a, SD_ADOPT_S1_FMT, "StreamID 0x%x: S1Fmt %u but IDR0.CD2L is 0", sid, ste->s1fmt);
	else if (ste->s1fmt != STRTAB_STE_0_S1FMT_LINEAR && f->cd2l < 0)
		unknown(a, SD_ADOPT_S1_FMT, "IDR0.CD2L not known");
	/* Size of the table S1ContextPtr points at: the CDs (linear) or the
	 * L1 CD descriptors (2-level), IHI 0070 5.2 and 5.4.1. */
	if (ste->s1cdmax > SMMU_MAX_SSID_BITS)
		return;
	ncds = 1ULL << ste->s1cdmax;
	if (ste->s1fmt == STRTAB_STE_0_S1FMT_4K_L2 || ste->s1fmt == STRTAB_STE_0_S1FMT_64K_L2) {
		uint64_t leaf = ste->s1fmt == STRTAB_STE_0_S1FMT_4K_L2 ? CTXDESC_L2_CDS_4K : CTXDESC_L2_CDS_64K;

		bytes = (ncds > leaf ? ncds / leaf : 1) * CTXDESC_L1_DESC_SIZE;
	} else {
		bytes = ncds * CTXDESC_CD_SIZE;
	}
	if (ste->s1_context_ptr & (bytes - 1))
		fail(a, SD_ADOPT_CD_ALIGN, "StreamID 0x%x: CD table 0x%" PRIx64 " not aligned to its size 0x%" PRIx64,
		     sid, ste->s1_context_ptr, bytes);
}

void sd_adopt_ste(struct sd_adopt *a, uint32_t sid, const struct ste *ste)
{
	if (!ste->v)
		return;
	switch (ste->config) {
	case STRTAB_STE_0_CFG_ABORT:
	case STRTAB_STE_0_CFG_BYPASS:
		return;
	case STRTAB_STE_0_CFG_S1_TRANS:
	case STRTAB_STE_0_CFG_S2_TRANS:
	case STRTAB_STE_0_CFG_NESTED:
		break;
	default:
		fail(a, SD_ADOPT_STE_CONFIG, "StreamID 0x%x: Config %u is reserved", sid, ste->config);
		return;
	}
	if (ste_config_has_s1(ste->config))
		check_s1(a, sid, ste);
	if (ste_config_has_s2(ste->config)) {
		unsigned bits = id_bits(a->f.vmid16);

		if (!ste->s2vmid)
			fail(a, SD_ADOPT_VMID, "StreamID 0x%x: VMID 0", sid);
		else if (ste->s2vmid >> bits)
			fail(a, SD_ADOPT_VMID, "StreamID 0x%x: VMID 0x%x not below 2^%u", sid, ste->s2vmid, bits);
		if (a->f.vmid16 < 0 && ste->s2vmid >> SMMU_ID_BITS_SMALL)
			unknown(a, SD_ADOPT_VMID, "IDR0.VMID16 not known");
		id_use(&a->vmids, ste->s2vmid, sid, SD_NO_ID, ste->s2ttb);
	}
}

void sd_adopt_cd(struct sd_adopt *a, uint32_t sid, uint32_t ssid, const struct cd *cd)
{
	unsigned bits = id_bits(a->f.asid16);

	if (!cd->v)
		return;
	if (!cd->asid)
		fail(a, SD_ADOPT_CD_ASID, "StreamID 0x%x SSID 0x%x: ASID 0", sid, ssid);
	else if (cd->asid >> bits)
		fail(a, SD_ADOPT_CD_ASID, "StreamID 0x%x SSID 0x%x: ASID 0x%x not below 2^%u",
		     sid, ssid, cd->asid, bits);
	if (a->f.asid16 < 0 && cd->asid >> SMMU_ID_BITS_SMALL)
		unknown(a, SD_ADOPT_CD_ASID, "IDR0.ASID16 not known");
	id_use(&a->asids, cd->asid, sid, ssid, cd->ttb0);
}

/* ---- placement ---- */

/* The first address of [lo, hi] outside every range of @r; false when
 * the ranges cover it all.  Ranges may be unsorted and overlap: each round
 * moves past one range, so at most @n + 1 rounds. */
static bool first_uncovered(const struct sd_range *r, size_t n, uint64_t lo, uint64_t hi,
			    uint64_t *bad)
{
	uint64_t cur = lo;

	for (size_t round = 0; round <= n; round++) {
		size_t i;

		for (i = 0; i < n; i++)
			if (cur >= r[i].start && cur <= r[i].end)
				break;
		if (i == n) {
			*bad = cur;
			return true;
		}
		if (r[i].end >= hi)
			return false;
		cur = r[i].end + 1;
	}
	*bad = cur;
	return true;
}

/* The first address of [lo, hi] inside one of @r. */
static bool first_inside(const struct sd_range *r, size_t n, uint64_t lo, uint64_t hi,
			 uint64_t *at)
{
	bool found = false;

	for (size_t i = 0; i < n; i++) {
		uint64_t a = r[i].start > lo ? r[i].start : lo;

		if (r[i].start <= hi && r[i].end >= lo && (!found || a < *at)) {
			*at = a;
			found = true;
		}
	}
	return found;
}

static void place(struct sd_adopt *a, enum sd_table_kind kind, uint64_t addr, uint32_t sid,
		  enum sd_place_problem p)
{
	/* A table met again (a page-table configuration walked twice) is the
	 * same finding: the kept list is short, so a linear search. */
	for (size_t i = 0; i < a->nplace; i++)
		if (a->place[i].table == kind && a->place[i].addr == addr && a->place[i].problem == p)
			return;
	if (a->nplace == SD_ADOPT_PLACEMENT_MAX) {
		a->place_dropped++;
		return;
	}
	if (!a->place) {
		a->place = calloc(SD_ADOPT_PLACEMENT_MAX, sizeof(*a->place));
		if (!a->place) {
			sd_note_alloc_failure();
			a->place_dropped++;
			return;
		}
	}
	a->place[a->nplace++] = (struct sd_adopt_place){ kind, addr, sid, p };
}

/* Pages of one table asked about "in the dump": the decode read them all
 * already; the bound keeps a corrupt size from costing more. */
#define PLACE_PAGE		4096ULL
#define PLACE_MAX_PAGES		65536ULL

void sd_adopt_table(struct sd_adopt *a, enum sd_table_kind kind, uint64_t addr,
		    uint64_t size, uint32_t sid)
{
	const struct sd_memmap *m = a->map;
	uint64_t hi, at = 0, pg, n = 0;

	if (!m)
		return;
	a->tables_checked++;
	if (!size)
		size = 1;
	hi = addr + size - 1 < addr ? ~0ULL : addr + size - 1;
	if (m->nram && first_uncovered(m->ram, m->nram, addr, hi, &at))
		place(a, kind, at, sid, SD_PLACE_NOT_RAM);
	if (m->ncrashk && first_inside(m->crashk, m->ncrashk, addr, hi, &at))
		place(a, kind, at, sid, SD_PLACE_CRASHKERNEL);
	if (!m->in_dump)
		return;
	for (pg = addr & ~(PLACE_PAGE - 1); pg <= hi && n < PLACE_MAX_PAGES; pg += PLACE_PAGE, n++) {
		if (!m->in_dump(m->ctx, pg > addr ? pg : addr)) {
			place(a, kind, pg > addr ? pg : addr, sid, SD_PLACE_NOT_IN_DUMP);
			break;
		}
		if (pg + PLACE_PAGE < pg)
			break;
	}
}

void sd_adopt_partial(struct sd_adopt *a, enum sd_adopt_check c, const char *why)
{
	if (c < SD_ADOPT_CHECK_COUNT)
		unknown(a, c, why);
}

/* ---- the verdict ---- */

static int cmp_id(const void *x, const void *y)
{
	const struct sd_adopt_id *a = x, *b = y;

	return a->id < b->id ? -1 : a->id > b->id;
}

static uint64_t count_dups(struct sd_adopt_ids *ids)
{
	uint64_t n = 0;

	if (ids->n)
		qsort(ids->v, ids->n, sizeof(ids->v[0]), cmp_id);
	for (size_t i = 0; i < ids->n; i++)
		n += ids->v[i].nttbs > 1 || ids->v[i].more_ttbs;
	return n;
}

void sd_adopt_end(struct sd_adopt *a)
{
	bool unknown_any = false;

	a->verdict = SD_ADOPT_ACCEPTED;
	for (int i = 0; i < SD_ADOPT_CHECK_COUNT; i++) {
		struct sd_adopt_check_state *s = &a->c[i];

		if (s->result == SD_CHECK_FAIL && a->verdict != SD_ADOPT_REFUSED) {
			a->verdict = SD_ADOPT_REFUSED;
			a->first_fail = i;
		}
		if (s->result == SD_CHECK_UNKNOWN)
			unknown_any = true;
		/* The per-entry checks say nothing while they pass. */
		if (s->result == SD_CHECK_PASS && !s->detail[0])
			snprintf(s->detail, sizeof(s->detail), "no entry fails");
		if (s->result == SD_CHECK_FAIL && s->nfail > 1) {
			size_t n = strlen(s->detail);

			snprintf(s->detail + n, sizeof(s->detail) - n, " (and %" PRIu64 " more)", s->nfail - 1);
		}
	}
	if (a->verdict == SD_ADOPT_ACCEPTED && unknown_any)
		a->verdict = SD_ADOPT_UNKNOWN;
	a->asid_dups = count_dups(&a->asids);
	a->vmid_dups = count_dups(&a->vmids);
}

bool sd_adoption_needs_attention(const struct sd_adopt *a)
{
	return a && (a->verdict == SD_ADOPT_REFUSED || a->nplace || a->place_dropped ||
		     a->asid_dups || a->vmid_dups);
}

void sd_adopt_free(struct sd_adopt *a)
{
	free(a->place);
	free(a->asids.v);
	free(a->vmids.v);
	a->place = NULL;
	a->asids.v = a->vmids.v = NULL;
	a->nplace = a->asids.n = a->vmids.n = 0;
}
