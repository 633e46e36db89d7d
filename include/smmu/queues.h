/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SMMUv3 queues: event records (IHI 0070 7.3) and commands (4.x), decoded
 * from the rings in memory.  Pure decoders plus a bounded ring reader.
 */
#ifndef SD_QUEUES_H
#define SD_QUEUES_H

#include <stdbool.h>
#include <stdint.h>

#include "smmu.h"

struct sd_event {
	uint64_t dw[4];
	uint32_t index;		/* slot in the ring */
	bool stale;		/* already consumed (older than CONS) */
	unsigned id;
	uint32_t sid, ssid;
	bool ssv, stall, pnu, ind, rnw, s2;
	unsigned class_;
	uint16_t stag;
	uint64_t addr;		/* input address */
	uint64_t ipa;		/* DW3[51:12] */
	uint64_t fetch_addr;	/* DW3[51:3] for fetch faults */
};

struct sd_command {
	uint64_t dw[2];
	uint32_t index;
	unsigned op;
	char operands[192];	/* "sid=0x10 leaf=1", decoded per opcode */
};

const char *evt_name(unsigned id);	/* "F_TRANSLATION", ..., NULL when unknown */
bool evt_has_fetch_addr(unsigned id);
bool evt_has_input_addr(unsigned id);
bool evt_ssid_valid(const struct sd_event *ev);
bool evt_has_ipa(const struct sd_event *ev);
void evt_decode(struct sd_event *ev, const uint64_t dw[4]);
const char *cmd_name(unsigned op);	/* "CMD_SYNC", ..., NULL when unknown */
void cmd_decode(struct sd_command *c, const uint64_t dw[2]);

/* A queue as its registers (or the kernel's copies of them) describe it. */
struct sd_queue_regs {
	uint64_t base;		/* *_BASE register image: ADDR[51:5], LOG2SIZE[4:0] */
	uint32_t prod, cons;	/* index + wrap flag (+ error/overflow flags) */
};

/*
 * Event records kept whole per ring: the newest.  A ring holds up to 2^19
 * (IHI 0070 6.3.2, IDR1.EVTQS); Linux's holds up to 2^17 with 4 KB pages
 * (ARM_SMMU_EVTQ_MAX_SZ_SHIFT).  What the analysis needs of every record is
 * in its StreamID's summary; the list is what a reader reads, and 4,096
 * records (384 KiB, about 2.5 MB of JSON) are more than one reads.
 */
#define SD_MAX_EVENTS	4096

/*
 * The event records of one StreamID: every record in the ring is the
 * SMMU's testimony that the StreamID issued a transaction, whether the
 * kernel consumed it or not.
 */
struct sd_event_sid {
	uint32_t sid;
	unsigned pending;	/* between CONS and PROD */
	unsigned consumed;	/* before CONS, still in the ring */
	unsigned id;		/* the records' event ID (of the oldest, when mixed) */
	bool mixed;		/* records of more than one event ID */
	bool has_addr;		/* some record carries an InputAddr */
	bool seen;		/* a decoded (selected) stream has this SID (analysis) */
	uint64_t addr_lo, addr_hi;	/* the InputAddrs' range */
	uint64_t first;		/* the oldest record's rank in the ring, oldest first */
};

/* What is kept of an event ring. */
struct sd_evtq {
	struct sd_event *ev;	/* the newest SD_MAX_EVENTS records, oldest first */
	size_t n;
	uint64_t total;		/* every non-zero record in the ring */
	uint64_t pending;	/* of them, between CONS and PROD */
	struct sd_event_sid *sids;	/* every record, one per StreamID, sorted */
	size_t nsids;
};

/* Read an event ring once: every non-zero record, live ones (between CONS
 * and PROD) with stale = false, older ones with stale = true, counted and
 * summed up by StreamID; the newest SD_MAX_EVENTS kept, oldest first (the
 * older ones are a problem record, kind size).  evtq_free() frees it. */
enum sd_status evtq_collect(const struct sd_mem *mem, const struct sd_queue_regs *q,
			    struct sd_evtq *out, const struct sd_problem_sink *sink);
/* The same from records already read (@ev oldest first). */
enum sd_status evtq_summarise(const struct sd_event *ev, size_t n, struct sd_evtq *out);
void evtq_free(struct sd_evtq *e);
/* evtq_collect's kept records alone, malloc'd into *out. */
enum sd_status evtq_read(const struct sd_mem *mem, const struct sd_queue_regs *q,
			 struct sd_event **out, size_t *n,
			 const struct sd_problem_sink *sink);
/* Commands kept whole per ring: the oldest pending ones, those the SMMU
 * would run next (216 bytes each; a ring holds up to 2^19, IDR1.CMDQS). */
#define SD_MAX_COMMANDS	4096

/* Read the pending commands (between CONS and PROD) of a command ring:
 * the oldest SD_MAX_COMMANDS into *out, all counted in *pending (beyond
 * the kept ones, a problem of kind size). */
enum sd_status cmdq_collect(const struct sd_mem *mem, const struct sd_queue_regs *q,
			    struct sd_command **out, size_t *n, uint64_t *pending,
			    const struct sd_problem_sink *sink);
/* The same without the count. */
enum sd_status cmdq_read(const struct sd_mem *mem, const struct sd_queue_regs *q,
			 struct sd_command **out, size_t *n,
			 const struct sd_problem_sink *sink);

#endif
