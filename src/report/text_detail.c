// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The text report's detail of one SMMU that needs no walk: registers
 * decoded, one stream's every field (-v), the event and command queues.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "queues.h"
#include "report-priv.h"
#include "sd_str.h"
#include "smmu_fields.h"

const char *sd_text_gran_name(unsigned tg)
{
	switch (tg) {
	case TG_4K: return "4K";
	case TG_16K: return "16K";
	case TG_64K: return "64K";
	}
	return "rsvd";
}

/* What in-flight DMA meets now, and, for live registers, whose table it is. */
static void print_live(FILE *out, const struct sd_smmu *s)
{
	const char *dma = sd_live_dma_state(&s->regs), *verdict, *from;
	uint64_t crashed;

	if (dma)
		fprintf(out, "  in-flight DMA    %s (%s)\n", dma,
			!strcmp(dma, "translated") ? "SMMUEN 1: by the stream table above" :
			!strcmp(dma, "aborted") ? "SMMUEN 0, GBPA.ABORT 1" : "SMMUEN 0, GBPA.ABORT 0: untranslated");
	verdict = sd_live_strtab_verdict(s, &crashed, &from);
	if (!verdict)
		return;
	if (!strcmp(verdict, "crashed-kernel"))
		fprintf(out, "  live STRTAB_BASE still points at the crashed kernel's stream table "
			"(0x%016" PRIx64 " from %s)\n", crashed, from);
	else if (!strcmp(verdict, "replaced"))
		fprintf(out, "  live STRTAB_BASE does NOT point at the crashed kernel's stream table "
			"(0x%016" PRIx64 " from %s): the SMMU was reset since the crash\n", crashed, from);
	else
		fprintf(out, "  live STRTAB_BASE not compared: the crashed kernel's value is unknown "
			"(give its registers with --regs)\n");
}

void sd_text_regs(FILE *out, const struct sd_smmu *s)
{
	const struct sd_regs *r = &s->regs;
	uint64_t v;

	if (sd_regs_get(r, SD_REG_BASE, &v))
		fprintf(out, "  MMIO base        0x%" PRIx64 "\n", v);
	fprintf(out, "  STRTAB_BASE      0x%016" PRIx64 "  ADDR 0x%" PRIx64 " RA %d\n",
		s->st.base_reg, s->st.addr, s->st.ra);
	fprintf(out, "  STRTAB_BASE_CFG  0x%08" PRIx64 "  ", s->st.cfg_reg);
	if (s->st.fmt == STRTAB_BASE_CFG_FMT_LINEAR)
		fprintf(out, "linear, LOG2SIZE %u: %" PRIu64 " STEs\n", s->st.log2size, s->st.num_sids);
	else if (s->st.fmt == STRTAB_BASE_CFG_FMT_2LVL)
		fprintf(out, "2-level SPLIT %u LOG2SIZE %u (%" PRIu64 " L1, %" PRIu64 " SIDs)\n",
			s->st.split, s->st.log2size, s->st.l1_entries, s->st.num_sids);
	else
		fprintf(out, "FMT %u reserved\n", s->st.fmt);
	if (sd_regs_get(r, SD_REG_IDR0, &v))
		fprintf(out, "  IDR0             0x%08" PRIx64 "  S1P %d S2P %d ST_LVL %u CD2L %d ATS %d PRI %d TTF %u\n",
			v, !!(v & IDR0_S1P), !!(v & IDR0_S2P), (unsigned)FIELD_GET(IDR0_ST_LVL, v),
			!!(v & IDR0_CD2L), !!(v & IDR0_ATS), !!(v & IDR0_PRI),
			(unsigned)FIELD_GET(IDR0_TTF, v));
	if (sd_regs_get(r, SD_REG_IDR1, &v))
		fprintf(out, "  IDR1             0x%08" PRIx64 "  SIDSIZE %u SSIDSIZE %u\n", v,
			(unsigned)FIELD_GET(IDR1_SIDSIZE, v), (unsigned)FIELD_GET(IDR1_SSIDSIZE, v));
	if (sd_regs_get(r, SD_REG_IDR5, &v))
		fprintf(out, "  IDR5             0x%08" PRIx64 "  OAS %u bits, granules%s%s%s\n", v,
			smmu_ps_bits(FIELD_GET(IDR5_OAS, v)), (v & IDR5_GRAN4K) ? " 4K" : "",
			(v & IDR5_GRAN16K) ? " 16K" : "", (v & IDR5_GRAN64K) ? " 64K" : "");
	if (sd_regs_get(r, SD_REG_CR0, &v))
		fprintf(out, "  CR0              0x%08" PRIx64 "  SMMUEN %d CMDQEN %d EVTQEN %d PRIQEN %d\n", v,
			!!(v & CR0_SMMUEN), !!(v & CR0_CMDQEN), !!(v & CR0_EVTQEN), !!(v & CR0_PRIQEN));
	if (sd_regs_get(r, SD_REG_GBPA, &v))
		fprintf(out, "  GBPA             0x%08" PRIx64 "  ABORT %d\n", v, !!(v & GBPA_ABORT));
	print_live(out, s);
}

void sd_text_verbose(FILE *out, const struct sd_stream *s, int verbose)
{
	const struct ste *e = &s->ste;

	fprintf(out, "\nSTE 0x%x: V %u CONFIG %u (%s)%s\n", s->sid, e->v, e->config,
		ste_config_name(e->config), s->bad ? " [C_BAD_STE]" : "");
	fprintf(out, "  S1FMT %u S1ContextPtr 0x%" PRIx64 " S1CDMAX %u S1DSS %u S1CIR %u S1COR %u S1CSH %u\n",
		e->s1fmt, e->s1_context_ptr, e->s1cdmax, e->s1dss, e->s1cir, e->s1cor, e->s1csh);
	fprintf(out, "  S1STALLD %u EATS %u STRW %u SHCFG %u MEV %u S2FWB %u\n",
		e->s1stalld, e->eats, e->strw, e->shcfg, e->mev, e->s2fwb);
	fprintf(out, "  S2VMID %u S2T0SZ %u S2SL0 %u S2IR0 %u S2OR0 %u S2SH0 %u S2TG %u S2PS %u\n",
		e->s2vmid, e->s2t0sz, e->s2sl0, e->s2ir0, e->s2or0, e->s2sh0, e->s2tg, e->s2ps);
	fprintf(out, "  S2AA64 %u S2ENDI %u S2AFFD %u S2PTW %u S2S %u S2R %u S2TTB 0x%" PRIx64 "\n",
		e->s2aa64, e->s2endi, e->s2affd, e->s2ptw, e->s2s, e->s2r, e->s2ttb);
	if (verbose > 1)
		fprintf(out, "  raw %016" PRIx64 " %016" PRIx64 " %016" PRIx64 " %016" PRIx64
			"\n      %016" PRIx64 " %016" PRIx64 " %016" PRIx64 " %016" PRIx64 "\n",
			e->dw[0], e->dw[1], e->dw[2], e->dw[3], e->dw[4], e->dw[5], e->dw[6], e->dw[7]);
	for (size_t i = 0; i < s->nctx; i++) {
		const struct cd *c = &s->ctx[i].cd;

		fprintf(out, "  CD ssid %u: V %u ASID %u T0SZ %u TG0 %u (%s) IRGN0 %u ORGN0 %u SH0 %u EPD0 %u EPD1 %u ENDI %u\n",
			s->ctx[i].ssid, c->v, c->asid, c->t0sz, c->tg0, sd_text_gran_name(c->tg0),
			c->irgn0, c->orgn0, c->sh0, c->epd0, c->epd1, c->endi);
		fprintf(out, "    IPS %u TBI0 %u AA64 %u HD %u HA %u S %u R %u A %u ASET %u T1SZ %u TG1 %u HAD0 %u\n",
			c->ips, c->tbi0, c->aa64, c->hd, c->ha, c->s, c->r, c->a, c->aset,
			c->t1sz, c->tg1, c->had0);
		fprintf(out, "    TTB0 0x%" PRIx64 " TTB1 0x%" PRIx64 " MAIR 0x%016" PRIx64 "\n",
			c->ttb0, c->ttb1, c->mair);
		if (verbose > 1)
			fprintf(out, "    raw %016" PRIx64 " %016" PRIx64 " %016" PRIx64 " %016" PRIx64
				"\n        %016" PRIx64 " %016" PRIx64 " %016" PRIx64 " %016" PRIx64 "\n",
				c->dw[0], c->dw[1], c->dw[2], c->dw[3], c->dw[4], c->dw[5], c->dw[6], c->dw[7]);
	}
}

void sd_text_events(FILE *out, const struct sd_smmu *s, bool all)
{
	size_t shown = 0, limit = all ? SIZE_MAX : 8;

	fprintf(out, "\nEvent queue: %" PRIu64 " record%s in the ring, %" PRIu64 " not consumed\n",
		s->events_total, s->events_total == 1 ? "" : "s", s->events_pending);
	/* Newest first: the end of the (oldest-first) array. */
	for (size_t k = s->nevents; k-- > 0 && shown < limit; shown++) {
		const struct sd_event *e = &s->events[k];
		const char *name = evt_name(e->id);
		const struct sd_kdev *d = sd_event_device(s, e->sid);
		char dn[SD_ESCAPED_SIZE(sizeof(d->name))];

		fprintf(out, "  [%4u] %-17s SID 0x%-5x", e->index, name ? name : "?", e->sid);
		if (evt_ssid_valid(e))
			fprintf(out, " SSID %u", e->ssid);
		fprintf(out, " addr 0x%" PRIx64 " %s%s%s%s\n", e->addr, e->rnw ? "read" : "write",
			d ? " " : "", d ? sd_escape_ctl(dn, sizeof(dn), d->name) : "",
			e->stale ? " (consumed)" : "");
	}
	/* Beyond the newest SD_MAX_EVENTS, records are counted by StreamID. */
	if (s->events_total > s->nevents)
		fprintf(out, "  ... %" PRIu64 " older records (-a shows the newest %d; every "
			"record is counted by StreamID)\n", s->events_total - shown, SD_MAX_EVENTS);
	else if (shown < s->nevents)
		fprintf(out, "  ... %zu older records (-a shows them all)\n", s->nevents - shown);
}

void sd_text_commands(FILE *out, const struct sd_smmu *s, bool all)
{
	size_t limit = all ? SIZE_MAX : 8;

	fprintf(out, "\nCommand queue: %" PRIu64 " command%s pending\n", s->commands_total,
		s->commands_total == 1 ? "" : "s");
	for (size_t i = 0; i < s->ncommands && i < limit; i++) {
		const char *name = cmd_name(s->commands[i].op);

		fprintf(out, "  [%4u] %-20s %s\n", s->commands[i].index,
			name ? name : "?", s->commands[i].operands);
	}
	if (s->commands_total > s->ncommands)
		fprintf(out, "  ... %" PRIu64 " more (-a shows the oldest %d)\n",
			s->commands_total - (s->ncommands < limit ? s->ncommands : limit),
			SD_MAX_COMMANDS);
	else if (s->ncommands > limit)
		fprintf(out, "  ... %zu more (-a shows them all)\n", s->ncommands - limit);
}

/* The kernel's line: with -v every note (as JSON has them), else one line
 * that counts them. */
static void print_kernel(FILE *out, const struct sd_report *r)
{
	const struct sd_kernel_result *k = r->kernel;
	const char *rel = r->dump && r->dump->osrelease ? r->dump->osrelease : NULL;
	char head[256], rb[SD_ESCAPED_SIZE(64)];
	size_t len, nnotes = k->diags.n + k->diags.dropped;
	char *notes;

	snprintf(head, sizeof(head), "kernel%s%s: symbols from %s, types from %s",
		 rel ? " " : "", rel ? sd_escape_ctl(rb, sizeof(rb), rel) : "",
		 k->symbols ? k->symbols : "none", k->types ? k->types : "none");
	if (!r->opts->verbose || !nnotes) {
		if (nnotes)
			sd_appendf(head, sizeof(head), "; %zu note%s (-v)", nnotes,
				   nnotes == 1 ? "" : "s");
		sd_text_wrap(out, r->opts->width, "", 2, head);
		return;
	}
	len = sd_kernel_notes_join(k, NULL, 0);
	/* Out of memory: the line without its notes (they are in -J). */
	notes = malloc(len + 1);
	if (notes)
		sd_kernel_notes_join(k, notes, len + 1);
	sd_appendf(head, sizeof(head), ";");
	sd_text_wrap(out, r->opts->width, head, 8, notes ? notes : "");
	free(notes);
}

/* Why the kernel was not read: its first clause, the whole with -v. */
static void print_kernel_why(FILE *out, const struct sd_report *r)
{
	const char *why = r->kernel_why;
	size_t n = strcspn(why, ":;");
	char line[SD_ERROR_MSG_MAX + 32];

	if (r->opts->verbose || !why[n]) {
		sd_text_wrap(out, r->opts->width, "kernel: not read:", 8, why);
		return;
	}
	snprintf(line, sizeof(line), "%.*s; -v for details", (int)n, why);
	sd_text_wrap(out, r->opts->width, "kernel: not read:", 8, line);
}

/* After the answer: where it came from, one line each (-v: every note). */
void sd_text_head(FILE *out, const struct sd_report *r)
{
	fputc('\n', out);
	if (r->dump) {
		char line[1024];

		snprintf(line, sizeof(line), "%s (%s%s%s, page size %" PRIu64 "%s%s)", r->path,
			 r->dump->format ? r->dump->format : "?",
			 r->dump->compression ? ", " : "",
			 r->dump->compression ? r->dump->compression : "",
			 r->dump->page_size,
			 r->dump->osrelease ? ", Linux " : "",
			 r->dump->osrelease ? r->dump->osrelease : "");
		sd_text_wrap(out, r->opts->width, "dump:", 6, line);
	}
	if (r->kernel)
		print_kernel(out, r);
	else if (r->kernel_why && r->kernel_why[0])
		print_kernel_why(out, r);
}
