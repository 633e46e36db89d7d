// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The event ring as evidence: every record names a StreamID that issued a
 * transaction the SMMU could not complete.  Whether Linux's event thread
 * had consumed it (before CONS; arm_smmu_evtq_thread() moves CONS but
 * never clears the ring) or not (between CONS and PROD), it proves the
 * device was doing DMA.  One entry per StreamID, sorted, built as the ring
 * is read (evtq_collect, libsmmu), over every record, kept or not.
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
