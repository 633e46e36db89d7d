// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Event and command queues: IHI 0070 3.5 (queue indexes and wrap), 4 (the
 * commands), 7.3 (event records).
 */
#include <endian.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>

#include "queues.h"
#include "smmu_fields.h"

static const struct { unsigned id; const char *name; } evt_names[] = {
	{ EVT_ID_UUT, "F_UUT" },
	{ EVT_ID_BAD_STREAMID, "C_BAD_STREAMID" },
	{ EVT_ID_STE_FETCH, "F_STE_FETCH" },
	{ EVT_ID_BAD_STE, "C_BAD_STE" },
	{ EVT_ID_BAD_ATS_TREQ, "F_BAD_ATS_TREQ" },
	{ EVT_ID_STREAM_DISABLED, "F_STREAM_DISABLED" },
	{ EVT_ID_TRANSL_FORBIDDEN, "F_TRANSL_FORBIDDEN" },
	{ EVT_ID_BAD_SUBSTREAMID, "C_BAD_SUBSTREAMID" },
	{ EVT_ID_CD_FETCH, "F_CD_FETCH" },
	{ EVT_ID_BAD_CD, "C_BAD_CD" },
	{ EVT_ID_WALK_EABT, "F_WALK_EABT" },
	{ EVT_ID_TRANSLATION, "F_TRANSLATION" },
	{ EVT_ID_ADDR_SIZE, "F_ADDR_SIZE" },
	{ EVT_ID_ACCESS, "F_ACCESS" },
	{ EVT_ID_PERMISSION, "F_PERMISSION" },
	{ EVT_ID_TLB_CONFLICT, "F_TLB_CONFLICT" },
	{ EVT_ID_CFG_CONFLICT, "F_CFG_CONFLICT" },
	{ EVT_ID_PAGE_REQUEST, "E_PAGE_REQUEST" },
	{ EVT_ID_VMS_FETCH, "F_VMS_FETCH" },
};

const char *evt_name(unsigned id)
{
	for (size_t i = 0; i < sizeof(evt_names) / sizeof(evt_names[0]); i++)
		if (evt_names[i].id == id)
			return evt_names[i].name;
	return NULL;
}

/* C_BAD_SUBSTREAMID always carries its SubstreamID (IHI 0070 7.3.9: no SSV
 * qualifier); elsewhere SSV says whether it is valid. */
bool evt_ssid_valid(const struct sd_event *ev)
{
	return ev->ssv || ev->id == EVT_ID_BAD_SUBSTREAMID;
}

/* Only the translation-class faults and F_TLB_CONFLICT define an IPA
 * (IHI 0070 7.3.13-7.3.16), and only with S2 set. */
bool evt_has_ipa(const struct sd_event *ev)
{
	return ev->s2 && ((ev->id >= EVT_ID_TRANSLATION && ev->id <= EVT_ID_PERMISSION) ||
			  ev->id == EVT_ID_TLB_CONFLICT);
}

bool evt_has_fetch_addr(unsigned id)
{
	return id == EVT_ID_STE_FETCH || id == EVT_ID_CD_FETCH ||
	       id == EVT_ID_WALK_EABT || id == EVT_ID_VMS_FETCH;
}

/* The record formats with an InputAddr field (IHI 0070 7.3, one section per
 * event type): the address the transaction was made to; in the others DW2
 * is RES0. */
bool evt_has_input_addr(unsigned id)
{
	switch (id) {
	case EVT_ID_UUT:
	case EVT_ID_BAD_ATS_TREQ:
	case EVT_ID_TRANSL_FORBIDDEN:
	case EVT_ID_WALK_EABT:
	case EVT_ID_TRANSLATION:
	case EVT_ID_ADDR_SIZE:
	case EVT_ID_ACCESS:
	case EVT_ID_PERMISSION:
	case EVT_ID_TLB_CONFLICT:
	case EVT_ID_PAGE_REQUEST:
		return true;
	default:
		return false;
	}
}

void evt_decode(struct sd_event *ev, const uint64_t dw[4])
{
	memset(ev, 0, sizeof(*ev));
	memcpy(ev->dw, dw, sizeof(ev->dw));
	ev->id = FIELD_GET(EVTQ_0_ID, dw[0]);
	ev->ssv = FIELD_GET(EVTQ_0_SSV, dw[0]);
	ev->ssid = FIELD_GET(EVTQ_0_SSID, dw[0]);
	ev->sid = FIELD_GET(EVTQ_0_SID, dw[0]);
	ev->stag = FIELD_GET(EVTQ_1_STAG, dw[1]);
	ev->stall = FIELD_GET(EVTQ_1_STALL, dw[1]);
	ev->pnu = FIELD_GET(EVTQ_1_PnU, dw[1]);
	ev->ind = FIELD_GET(EVTQ_1_InD, dw[1]);
	ev->rnw = FIELD_GET(EVTQ_1_RnW, dw[1]);
	ev->s2 = FIELD_GET(EVTQ_1_S2, dw[1]);
	ev->class_ = FIELD_GET(EVTQ_1_CLASS, dw[1]);
	ev->addr = dw[2];
	ev->ipa = dw[3] & EVTQ_3_IPA;
	ev->fetch_addr = dw[3] & EVTQ_3_FETCH_ADDR;
}

static const struct { unsigned op; const char *name; } cmd_names[] = {
	{ CMDQ_OP_PREFETCH_CFG, "CMD_PREFETCH_CONFIG" },
	{ CMDQ_OP_PREFETCH_ADDR, "CMD_PREFETCH_ADDR" },
	{ CMDQ_OP_CFGI_STE, "CMD_CFGI_STE" },
	{ CMDQ_OP_CFGI_STE_RANGE, "CMD_CFGI_STE_RANGE" },
	{ CMDQ_OP_CFGI_CD, "CMD_CFGI_CD" },
	{ CMDQ_OP_CFGI_CD_ALL, "CMD_CFGI_CD_ALL" },
	{ CMDQ_OP_CFGI_VMS_PIDM, "CMD_CFGI_VMS_PIDM" },
	{ CMDQ_OP_TLBI_NH_ALL, "CMD_TLBI_NH_ALL" },
	{ CMDQ_OP_TLBI_NH_ASID, "CMD_TLBI_NH_ASID" },
	{ CMDQ_OP_TLBI_NH_VA, "CMD_TLBI_NH_VA" },
	{ CMDQ_OP_TLBI_NH_VAA, "CMD_TLBI_NH_VAA" },
	{ CMDQ_OP_TLBI_EL3_ALL, "CMD_TLBI_EL3_ALL" },
	{ CMDQ_OP_TLBI_EL3_VA, "CMD_TLBI_EL3_VA" },
	{ CMDQ_OP_TLBI_EL2_ALL, "CMD_TLBI_EL2_ALL" },
	{ CMDQ_OP_TLBI_EL2_ASID, "CMD_TLBI_EL2_ASID" },
	{ CMDQ_OP_TLBI_EL2_VA, "CMD_TLBI_EL2_VA" },
	{ CMDQ_OP_TLBI_EL2_VAA, "CMD_TLBI_EL2_VAA" },
	{ CMDQ_OP_TLBI_S12_VMALL, "CMD_TLBI_S12_VMALL" },
	{ CMDQ_OP_TLBI_S2_IPA, "CMD_TLBI_S2_IPA" },
	{ CMDQ_OP_TLBI_NSNH_ALL, "CMD_TLBI_NSNH_ALL" },
	{ CMDQ_OP_ATC_INV, "CMD_ATC_INV" },
	{ CMDQ_OP_PRI_RESP, "CMD_PRI_RESP" },
	{ CMDQ_OP_RESUME, "CMD_RESUME" },
	{ CMDQ_OP_STALL_TERM, "CMD_STALL_TERM" },
	{ CMDQ_OP_CMD_SYNC, "CMD_SYNC" },
};

const char *cmd_name(unsigned op)
{
	for (size_t i = 0; i < sizeof(cmd_names) / sizeof(cmd_names[0]); i++)
		if (cmd_names[i].op == op)
			return cmd_names[i].name;
	return NULL;
}

void cmd_decode(struct sd_command *c, const uint64_t dw[2])
{
	uint64_t d0 = dw[0], d1 = dw[1];
	char *o = c->operands;
	size_t n = sizeof(c->operands);

	memset(c, 0, sizeof(*c));
	c->dw[0] = d0;
	c->dw[1] = d1;
	c->op = FIELD_GET(CMDQ_0_OP, d0);
	switch (c->op) {
	case CMDQ_OP_PREFETCH_CFG:
		snprintf(o, n, "sid=0x%x ssid=0x%x ssv=%u",
			 (unsigned)FIELD_GET(CMDQ_0_SID, d0), (unsigned)FIELD_GET(CMDQ_0_SSID, d0),
			 (unsigned)FIELD_GET(CMDQ_0_SSV, d0));
		break;
	case CMDQ_OP_CFGI_CD:
		snprintf(o, n, "sid=0x%x ssid=0x%x leaf=%u",
			 (unsigned)FIELD_GET(CMDQ_0_SID, d0), (unsigned)FIELD_GET(CMDQ_0_SSID, d0),
			 (unsigned)FIELD_GET(CMDQ_1_LEAF, d1));
		break;
	case CMDQ_OP_CFGI_STE:
	case CMDQ_OP_CFGI_CD_ALL:
		snprintf(o, n, "sid=0x%x leaf=%u", (unsigned)FIELD_GET(CMDQ_0_SID, d0),
			 (unsigned)FIELD_GET(CMDQ_1_LEAF, d1));
		break;
	case CMDQ_OP_CFGI_STE_RANGE:
		if (FIELD_GET(CMDQ_1_RANGE, d1) == 31)
			snprintf(o, n, "all (CFGI_ALL)");
		else
			snprintf(o, n, "sid=0x%x range=2^%u", (unsigned)FIELD_GET(CMDQ_0_SID, d0),
				 (unsigned)FIELD_GET(CMDQ_1_RANGE, d1));
		break;
	case CMDQ_OP_TLBI_NH_ASID:
	case CMDQ_OP_TLBI_EL2_ASID:
		snprintf(o, n, "asid=0x%x vmid=0x%x", (unsigned)FIELD_GET(CMDQ_0_ASID, d0),
			 (unsigned)FIELD_GET(CMDQ_0_VMID, d0));
		break;
	case CMDQ_OP_TLBI_S2_IPA:
		snprintf(o, n, "vmid=0x%x addr=0x%" PRIx64 " leaf=%u num=%u scale=%u tg=%u ttl=%u",
			 (unsigned)FIELD_GET(CMDQ_0_VMID, d0), (uint64_t)(d1 & CMDQ_1_ADDR),
			 (unsigned)FIELD_GET(CMDQ_1_LEAF, d1), (unsigned)FIELD_GET(CMDQ_0_NUM, d0),
			 (unsigned)FIELD_GET(CMDQ_0_SCALE, d0), (unsigned)FIELD_GET(CMDQ_1_TG, d1),
			 (unsigned)FIELD_GET(CMDQ_1_TTL, d1));
		break;
	case CMDQ_OP_TLBI_NH_VA:
	case CMDQ_OP_TLBI_NH_VAA:
	case CMDQ_OP_TLBI_EL2_VA:
	case CMDQ_OP_TLBI_EL2_VAA:
	case CMDQ_OP_TLBI_EL3_VA:
		snprintf(o, n, "asid=0x%x vmid=0x%x addr=0x%" PRIx64 " leaf=%u num=%u scale=%u tg=%u ttl=%u",
			 (unsigned)FIELD_GET(CMDQ_0_ASID, d0), (unsigned)FIELD_GET(CMDQ_0_VMID, d0),
			 (uint64_t)(d1 & CMDQ_1_ADDR), (unsigned)FIELD_GET(CMDQ_1_LEAF, d1),
			 (unsigned)FIELD_GET(CMDQ_0_NUM, d0), (unsigned)FIELD_GET(CMDQ_0_SCALE, d0),
			 (unsigned)FIELD_GET(CMDQ_1_TG, d1), (unsigned)FIELD_GET(CMDQ_1_TTL, d1));
		break;
	case CMDQ_OP_TLBI_NH_ALL:
	case CMDQ_OP_TLBI_S12_VMALL:
		snprintf(o, n, "vmid=0x%x", (unsigned)FIELD_GET(CMDQ_0_VMID, d0));
		break;
	case CMDQ_OP_ATC_INV:
		snprintf(o, n, "sid=0x%x ssid=0x%x ssv=%u addr=0x%" PRIx64 " size=2^%u global=%u",
			 (unsigned)FIELD_GET(CMDQ_0_SID, d0), (unsigned)FIELD_GET(CMDQ_0_SSID, d0),
			 (unsigned)FIELD_GET(CMDQ_0_SSV, d0), (uint64_t)(d1 & CMDQ_1_ADDR),
			 (unsigned)FIELD_GET(CMDQ_ATC_1_SIZE, d1),
			 (unsigned)FIELD_GET(CMDQ_ATC_0_GLOBAL, d0));
		break;
	case CMDQ_OP_PRI_RESP:
		snprintf(o, n, "sid=0x%x ssid=0x%x ssv=%u grpid=%u resp=%u",
			 (unsigned)FIELD_GET(CMDQ_0_SID, d0), (unsigned)FIELD_GET(CMDQ_0_SSID, d0),
			 (unsigned)FIELD_GET(CMDQ_0_SSV, d0), (unsigned)FIELD_GET(CMDQ_PRI_1_GRPID, d1),
			 (unsigned)FIELD_GET(CMDQ_PRI_1_RESP, d1));
		break;
	case CMDQ_OP_RESUME:
	case CMDQ_OP_STALL_TERM:
		snprintf(o, n, "sid=0x%x action=%u stag=0x%x", (unsigned)FIELD_GET(CMDQ_0_SID, d0),
			 (unsigned)FIELD_GET(CMDQ_RESUME_0_ACTION, d0),
			 (unsigned)FIELD_GET(CMDQ_RESUME_1_STAG, d1));
		break;
	case CMDQ_OP_CMD_SYNC:
		snprintf(o, n, "cs=%u msiaddr=0x%" PRIx64 " msidata=0x%x",
			 (unsigned)FIELD_GET(CMDQ_SYNC_0_CS, d0), (uint64_t)(d1 & CMDQ_SYNC_1_MSIADDR),
			 (unsigned)FIELD_GET(CMDQ_SYNC_0_MSIDATA, d0));
		break;
	default:
		o[0] = 0;
	}
}

/* Ring geometry from a *_BASE image; false (with a problem) when absurd. */
static bool ring_geom(const struct sd_queue_regs *q, unsigned ent_bytes, const char *what,
		      uint64_t *addr, unsigned *log2, const struct sd_problem_sink *sink)
{
	*addr = q->base & Q_BASE_ADDR_MASK;
	*log2 = FIELD_GET(Q_BASE_LOG2SIZE, q->base);
	if (*log2 > Q_MAX_LOG2SIZE) {
		sd_problem(sink, SD_PROB_SIZE, -1, true, *addr,
			   "%s LOG2SIZE %u exceeds the architectural maximum %d", what, *log2,
			   Q_MAX_LOG2SIZE);
		return false;
	}
	if (*addr & (((uint64_t)ent_bytes << *log2) - 1) && *log2 > 0)
		sd_problem(sink, SD_PROB_SIZE, -1, true, *addr,
			   "%s base 0x%" PRIx64 " is not aligned to the ring size", what, *addr);
	return true;
}

/*
 * The event ring, read once.  A ring holds up to 2^19 records (IDR1.EVTQS,
 * IHI 0070 6.3.2): 16 MiB of dump, which a report must not turn into 2^19
 * records held at once (96 bytes each, and as many JSON objects).  Every
 * record is counted and summed up by StreamID (the verdicts' evidence: how
 * many, pending or consumed, the IOVA range); only the newest SD_MAX_EVENTS
 * are kept whole for the report's list of records.
 */
#define RING_CHUNK	128	/* entries read at once */
#define SIDS_FIRST	256	/* summaries before the first merge */
#define KEEP_FIRST	64	/* kept records before the first growth */

/* What the walk over the ring keeps. */
struct evtq_acc {
	struct sd_evtq *e;
	/* The newest SD_MAX_EVENTS, circular once full.  Grown by doubling:
	 * most rings hold a handful of records, and 4,096 at once (384 KiB)
	 * for every ring would be allocated and faulted in for nothing. */
	struct sd_event *keep;
	size_t keep_cap;
	size_t cap;		/* of e->sids */
	size_t merged;		/* e->sids[0..merged) sorted, one per SID */
};

/* By StreamID, then ring order: the fold is the same whatever the sort. */
static int cmp_evsid(const void *a, const void *b)
{
	const struct sd_event_sid *x = a, *y = b;

	if (x->sid != y->sid)
		return x->sid < y->sid ? -1 : 1;
	return x->first < y->first ? -1 : x->first > y->first;
}

static struct sd_event_sid evsid_of(const struct sd_event *e, uint64_t nth)
{
	struct sd_event_sid x = { .sid = e->sid, .id = e->id, .first = nth };

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

/* Fold @y (same SID, later in the ring) into @x. */
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

/* Sort and fold the summaries to one per StreamID, in ring order within
 * one, so that "the first" ID of a mixed set is the oldest record's. */
static void sids_fold(struct evtq_acc *a)
{
	struct sd_evtq *e = a->e;
	size_t n = 0;

	if (e->nsids > 1)	/* sids is NULL before the first record */
		qsort(e->sids, e->nsids, sizeof(*e->sids), cmp_evsid);
	for (size_t i = 0; i < e->nsids; i++) {
		if (n && e->sids[n - 1].sid == e->sids[i].sid)
			evsid_merge(&e->sids[n - 1], &e->sids[i]);
		else
			e->sids[n++] = e->sids[i];
	}
	e->nsids = a->merged = n;
}

static enum sd_status acc_add(struct evtq_acc *a, const struct sd_event *ev)
{
	struct sd_evtq *e = a->e;

	if (e->total == a->keep_cap && a->keep_cap < SD_MAX_EVENTS) {
		/* Below SD_MAX_EVENTS records nothing wrapped: slot = total. */
		size_t nc = a->keep_cap ? 2 * a->keep_cap : KEEP_FIRST;
		struct sd_event *nv;

		if (nc > SD_MAX_EVENTS)
			nc = SD_MAX_EVENTS;
		nv = realloc(a->keep, nc * sizeof(*nv));
		if (!nv)
			return SD_ERR_NOMEM;
		a->keep = nv;
		a->keep_cap = nc;
	}
	a->keep[e->total % SD_MAX_EVENTS] = *ev;
	e->total++;
	e->pending += !ev->stale;
	if (e->nsids == a->cap) {
		/* Fold; grow only when folding freed less than half. */
		sids_fold(a);
		if (!a->cap || 2 * e->nsids > a->cap) {
			size_t nc = a->cap ? 2 * a->cap : SIDS_FIRST;
			struct sd_event_sid *nv = realloc(e->sids, nc * sizeof(*nv));

			if (!nv)
				return SD_ERR_NOMEM;
			e->sids = nv;
			a->cap = nc;
		}
	}
	e->sids[e->nsids++] = evsid_of(ev, e->total - 1);
	return SD_OK;
}

/* The kept records, oldest first, into e->ev. */
static enum sd_status acc_finish(struct evtq_acc *a)
{
	struct sd_evtq *e = a->e;
	size_t n = e->total < SD_MAX_EVENTS ? e->total : SD_MAX_EVENTS;
	size_t first = e->total < SD_MAX_EVENTS ? 0 : e->total % SD_MAX_EVENTS;

	sids_fold(a);
	if (!first && n) {
		/* Never wrapped: the kept records are already oldest first. */
		e->ev = a->keep;
		a->keep = NULL;
		a->keep_cap = 0;
		e->n = n;
		return SD_OK;
	}
	e->ev = calloc(n ? n : 1, sizeof(*e->ev));
	if (!e->ev)
		return SD_ERR_NOMEM;
	for (size_t i = 0; i < n; i++)
		e->ev[i] = a->keep[(first + i) % SD_MAX_EVENTS];
	e->n = n;
	return SD_OK;
}

void evtq_free(struct sd_evtq *e)
{
	free(e->ev);
	free(e->sids);
	memset(e, 0, sizeof(*e));
}

enum sd_status evtq_summarise(const struct sd_event *ev, size_t n, struct sd_evtq *out)
{
	struct evtq_acc a = { .e = out };
	enum sd_status st = SD_OK;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; st == SD_OK && i < n; i++)
		st = acc_add(&a, &ev[i]);
	if (st == SD_OK)
		st = acc_finish(&a);
	free(a.keep);
	if (st != SD_OK)
		evtq_free(out);
	return st;
}

/* Slots [@first, @first + @chunk) of the ring (no wrap), into @a. */
static enum sd_status read_chunk(struct evtq_acc *a, const struct sd_mem *mem, uint64_t addr,
				 uint32_t first, uint32_t chunk, uint32_t cons_idx,
				 uint32_t live, uint32_t size, const struct sd_problem_sink *sink)
{
	uint64_t buf[RING_CHUNK * EVTQ_ENT_DWORDS];
	uint64_t at = addr + (uint64_t)first * EVTQ_ENT_DWORDS * 8;
	struct sd_error err = {0};
	enum sd_status st = SD_OK;

	if (mem->read(mem->ctx, at, buf, chunk * EVTQ_ENT_DWORDS * 8, &err) != SD_OK) {
		sd_problem(sink, err.status == SD_ERR_NODATA ? SD_PROB_NODATA : SD_PROB_READ,
			   -1, true, at, "event queue entries %u-%u at 0x%" PRIx64 " cannot be read: %s",
			   first, first + chunk - 1, at, err.msg);
		return SD_OK;
	}
	for (uint32_t j = 0; st == SD_OK && j < chunk; j++) {
		uint64_t dw[EVTQ_ENT_DWORDS];
		bool zero = true;
		struct sd_event ev;

		for (int w = 0; w < EVTQ_ENT_DWORDS; w++) {
			dw[w] = le64toh(buf[j * EVTQ_ENT_DWORDS + w]);
			zero &= !dw[w];
		}
		if (zero)
			continue;
		evt_decode(&ev, dw);
		ev.index = first + j;
		ev.stale = ((first + j - cons_idx) & (size - 1)) >= live;
		st = acc_add(a, &ev);
	}
	return st;
}

/* Every slot, oldest first: from the PROD index (the next to be written,
 * so the oldest once the ring wrapped) round to PROD - 1. */
static enum sd_status read_ring(struct evtq_acc *a, const struct sd_mem *mem,
				const struct sd_queue_regs *q, uint64_t addr, unsigned log2,
				const struct sd_problem_sink *sink)
{
	uint32_t size = 1U << log2;
	uint32_t prod = q->prod & ((size << 1) - 1), cons = q->cons & ((size << 1) - 1);
	/* Entries from CONS up to PROD were written and not consumed. */
	uint32_t live = (prod - cons) & ((size << 1) - 1);
	enum sd_status st = SD_OK;

	if (live > size) {
		sd_problem(sink, SD_PROB_SIZE, -1, false, 0,
			   "event queue PROD 0x%x and CONS 0x%x are inconsistent", q->prod, q->cons);
		live = 0;
	}
	for (uint32_t k = 0; st == SD_OK && k < size;) {
		uint32_t slot = (Q_IDX(log2, prod) + k) & (size - 1);
		uint32_t chunk = size - slot < RING_CHUNK ? size - slot : RING_CHUNK;

		if (chunk > size - k)
			chunk = size - k;
		st = read_chunk(a, mem, addr, slot, chunk, Q_IDX(log2, cons), live, size, sink);
		k += chunk;
	}
	return st;
}

enum sd_status evtq_collect(const struct sd_mem *mem, const struct sd_queue_regs *q,
			    struct sd_evtq *out, const struct sd_problem_sink *sink)
{
	struct evtq_acc a = { .e = out };
	enum sd_status st;
	uint64_t addr;
	unsigned log2;

	memset(out, 0, sizeof(*out));
	if (!ring_geom(q, EVTQ_ENT_DWORDS * 8, "event queue", &addr, &log2, sink))
		return SD_OK;
	st = read_ring(&a, mem, q, addr, log2, sink);
	if (st == SD_OK)
		st = acc_finish(&a);
	free(a.keep);
	if (st != SD_OK) {
		evtq_free(out);
		return st;
	}
	if (out->total > out->n)
		sd_problem(sink, SD_PROB_SIZE, -1, true, addr,
			   "event queue: %" PRIu64 " records; the newest %d are kept, the %" PRIu64
			   " older ones counted by StreamID", out->total, SD_MAX_EVENTS,
			   out->total - out->n);
	return SD_OK;
}

enum sd_status evtq_read(const struct sd_mem *mem, const struct sd_queue_regs *q,
			 struct sd_event **out, size_t *n,
			 const struct sd_problem_sink *sink)
{
	struct sd_evtq e;
	enum sd_status st = evtq_collect(mem, q, &e, sink);

	*out = NULL;
	*n = 0;
	if (st != SD_OK)
		return st;
	*out = e.ev;
	*n = e.n;
	free(e.sids);
	return SD_OK;
}

enum sd_status cmdq_collect(const struct sd_mem *mem, const struct sd_queue_regs *q,
			    struct sd_command **out, size_t *n, uint64_t *pending_out,
			    const struct sd_problem_sink *sink)
{
	uint64_t addr;
	unsigned log2;
	uint32_t size, prod, cons, pending, keep;
	struct sd_command *v;

	*out = NULL;
	*n = 0;
	*pending_out = 0;
	if (!ring_geom(q, CMDQ_ENT_DWORDS * 8, "command queue", &addr, &log2, sink))
		return SD_OK;
	size = 1U << log2;
	prod = q->prod & ((size << 1) - 1);
	cons = q->cons & ((size << 1) - 1);
	pending = (prod - cons) & ((size << 1) - 1);
	if (pending > size) {
		sd_problem(sink, SD_PROB_SIZE, -1, false, 0,
			   "command queue PROD 0x%x and CONS 0x%x are inconsistent", q->prod, q->cons);
		return SD_OK;
	}
	if (!pending)
		return SD_OK;
	/* The oldest SD_MAX_COMMANDS: the next the SMMU would have run. */
	keep = pending < SD_MAX_COMMANDS ? pending : SD_MAX_COMMANDS;
	v = calloc(keep, sizeof(*v));
	if (!v)
		return SD_ERR_NOMEM;
	for (uint32_t i = 0; i < keep; i++) {
		uint32_t idx = (Q_IDX(log2, cons) + i) & (size - 1);
		uint64_t raw[2], dw[2];
		struct sd_error err = {0};

		if (mem->read(mem->ctx, addr + (uint64_t)idx * CMDQ_ENT_DWORDS * 8, raw,
			      sizeof(raw), &err) != SD_OK) {
			sd_problem(sink, err.status == SD_ERR_NODATA ? SD_PROB_NODATA : SD_PROB_READ,
				   -1, true, addr + (uint64_t)idx * 16,
				   "command queue entry %u cannot be read: %s", idx, err.msg);
			pending = keep = i;
			break;
		}
		dw[0] = le64toh(raw[0]);
		dw[1] = le64toh(raw[1]);
		cmd_decode(&v[i], dw);
		v[i].index = idx;
	}
	if (pending > keep)
		sd_problem(sink, SD_PROB_SIZE, -1, true, addr,
			   "command queue: %u commands pending; the oldest %d are kept, the %u"
			   " newer ones counted", pending, SD_MAX_COMMANDS, pending - keep);
	*out = v;
	*n = keep;
	*pending_out = pending;
	return SD_OK;
}

enum sd_status cmdq_read(const struct sd_mem *mem, const struct sd_queue_regs *q,
			 struct sd_command **out, size_t *n,
			 const struct sd_problem_sink *sink)
{
	uint64_t pending;

	return cmdq_collect(mem, q, out, n, &pending, sink);
}
