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

/* Read an event ring: every non-zero record, live ones (between CONS and
 * PROD) with stale = false, older ones with stale = true, oldest first.
 * Results are malloc'd into *out. */
enum sd_status evtq_read(const struct sd_mem *mem, const struct sd_queue_regs *q,
			 struct sd_event **out, size_t *n,
			 const struct sd_problem_sink *sink);
/* Read the pending commands (between CONS and PROD) of a command ring. */
enum sd_status cmdq_read(const struct sd_mem *mem, const struct sd_queue_regs *q,
			 struct sd_command **out, size_t *n,
			 const struct sd_problem_sink *sink);

#endif
