// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The event ring as evidence: every record names a StreamID that issued a
 * transaction the SMMU could not complete.  Whether Linux's event thread
 * had consumed it (before CONS; arm_smmu_evtq_thread() moves CONS but
 * never clears the ring) or not (between CONS and PROD), it proves the
 * device was doing DMA.  One entry per StreamID, sorted, built once per
 * SMMU before the first pass.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "analysis-priv.h"
#include "sd_str.h"
#include "smmu_fields.h"

struct sd_event_sid *sd_find_evsid(const struct sd_smmu *s, uint32_t sid)
{
	size_t lo = 0, hi = s->nevsids;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (s->evsids[mid].sid == sid)
			return &s->evsids[mid];
		if (s->evsids[mid].sid < sid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int cmp_evsid(const void *a, const void *b)
{
	const struct sd_event_sid *x = a, *y = b;

	return x->sid < y->sid ? -1 : x->sid > y->sid;
}

static struct sd_event_sid evsid_of(const struct sd_event *e)
{
	struct sd_event_sid x = { .sid = e->sid, .id = e->id };

	if (e->stale)
		x.consumed = 1;
	else
		x.pending = 1;
	if (evt_has_input_addr(e->id)) {
		x.has_addr = true;
		x.addr_lo = x.addr_hi = e->addr;
	}
	return x;
}

/* Fold @y (same SID, later in the sorted array) into @x. */
static void evsid_merge(struct sd_event_sid *x, const struct sd_event_sid *y)
{
	x->pending += y->pending;
	x->consumed += y->consumed;
	x->mixed |= y->mixed || y->id != x->id;
	if (y->has_addr && (!x->has_addr || y->addr_lo < x->addr_lo))
		x->addr_lo = y->addr_lo;
	if (y->has_addr && (!x->has_addr || y->addr_hi > x->addr_hi))
		x->addr_hi = y->addr_hi;
	x->has_addr |= y->has_addr;
}

enum sd_status sd_index_events(struct sd_smmu *s)
{
	size_t n = 0;

	if (!s->nevents)
		return SD_OK;
	s->evsids = calloc(s->nevents, sizeof(*s->evsids));
	if (!s->evsids)
		return SD_ERR_NOMEM;
	for (size_t i = 0; i < s->nevents; i++)
		s->evsids[i] = evsid_of(&s->events[i]);
	/* Stable enough: qsort may reorder one SID's records, which only
	 * changes which ID is "the first" of a mixed set. */
	qsort(s->evsids, s->nevents, sizeof(*s->evsids), cmp_evsid);
	for (size_t i = 0; i < s->nevents; i++) {
		if (n && s->evsids[n - 1].sid == s->evsids[i].sid)
			evsid_merge(&s->evsids[n - 1], &s->evsids[i]);
		else
			s->evsids[n++] = s->evsids[i];
	}
	s->nevsids = n;
	return SD_OK;
}

/* "translation fault", or the record's name: what one record says. */
static const char *record_noun(unsigned id, bool *fault)
{
	static const struct { unsigned id; const char *noun; } nouns[] = {
		{ EVT_ID_TRANSLATION, "translation fault" },
		{ EVT_ID_ADDR_SIZE, "address size fault" },
		{ EVT_ID_ACCESS, "access flag fault" },
		{ EVT_ID_PERMISSION, "permission fault" },
	};

	for (size_t i = 0; i < sizeof(nouns) / sizeof(nouns[0]); i++)
		if (nouns[i].id == id) {
			*fault = true;
			return nouns[i].noun;
		}
	*fault = false;
	return evt_name(id);
}

size_t sd_event_summary(const struct sd_event_sid *e, char *buf, size_t size)
{
	unsigned n = e->pending + e->consumed;
	bool fault = false;
	const char *noun = e->mixed ? NULL : record_noun(e->id, &fault);

	buf[0] = 0;
	if (noun && fault)
		sd_appendf(buf, size, "%u %s%s", n, noun, n == 1 ? "" : "s");
	else if (noun)
		sd_appendf(buf, size, "%u %s record%s", n, noun, n == 1 ? "" : "s");
	else if (e->mixed)
		sd_appendf(buf, size, "%u event records (%s and others)", n,
			   evt_name(e->id) ? evt_name(e->id) : "unknown");
	else
		sd_appendf(buf, size, "%u event record%s of unknown type 0x%02x", n,
			   n == 1 ? "" : "s", e->id);
	if (e->has_addr && e->addr_lo == e->addr_hi)
		sd_appendf(buf, size, " at IOVA 0x%" PRIx64, e->addr_lo);
	else if (e->has_addr)
		sd_appendf(buf, size, " at IOVA 0x%" PRIx64 "-0x%" PRIx64, e->addr_lo, e->addr_hi);
	if (!e->pending)
		return sd_appendf(buf, size, ", consumed");
	if (!e->consumed)
		return sd_appendf(buf, size, ", pending");
	return sd_appendf(buf, size, ", %u pending, %u consumed", e->pending, e->consumed);
}

/*
 * On the PCIe root complexes of QEMU's virt machine and of most IORT and DT
 * descriptions, the StreamID is the Requester ID (iommu-map / IORT ID
 * mapping with identity output, PCIe Base 2.2.6.2: bus[15:8], device[7:3],
 * function[2:0]).  Only an assumption: the firmware's map says.
 */
bool sd_sid_as_rid(uint32_t sid, unsigned *bus, unsigned *dev, unsigned *fn)
{
	if (sid > 0xffff)
		return false;
	*bus = sid >> 8;
	*dev = (sid >> 3) & 0x1f;
	*fn = sid & 7;
	return true;
}

bool sd_event_sid_unknown(const struct sd_smmu *s, const struct sd_event_sid *e)
{
	return !e->seen && (!s->opts || !s->opts->sids || sd_sidset_has(s->opts->sids, e->sid));
}
