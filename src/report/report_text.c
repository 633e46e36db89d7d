// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Text report: a block per SMMU, then a table of the STEs that do anything
 * other than abort (all of them with -a), in the util-linux style (lsblk,
 * findmnt): libsmartcols, -o columns, -r raw, -n no headings.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <libsmartcols.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "analysis.h"
#include "kernel.h"
#include "report.h"
#include "queues.h"
#include "smmu_fields.h"

enum col_id {
	COL_SID, COL_CONFIG, COL_CDS, COL_ASID, COL_VMID, COL_TTB, COL_GRAN,
	COL_IAS, COL_MAPPED, COL_RANGES, COL_S1FMT, COL_CDMAX, COL_CTXPTR,
	COL_S2TTB, COL_BAD, COL_COUNT
};

static const struct {
	const char *name;
	double whint;
	int flags;
	const char *help;
} cols[COL_COUNT] = {
	[COL_SID] = { "SID", 6, SCOLS_FL_RIGHT, "StreamID" },
	[COL_CONFIG] = { "CONFIG", 8, 0, "STE.CONFIG: abort, bypass, s1-trans, s2-trans, nested" },
	[COL_CDS] = { "CDS", 3, SCOLS_FL_RIGHT, "valid context descriptors" },
	[COL_ASID] = { "ASID", 5, SCOLS_FL_RIGHT, "ASID of the first valid CD" },
	[COL_VMID] = { "VMID", 5, SCOLS_FL_RIGHT, "STE.S2VMID (stage 2 and nested)" },
	[COL_TTB] = { "TTB", 12, 0, "stage-1 TTB0 of the first CD, else S2TTB" },
	[COL_GRAN] = { "GRAN", 4, SCOLS_FL_RIGHT, "translation granule" },
	[COL_IAS] = { "IAS", 3, SCOLS_FL_RIGHT, "input address bits" },
	[COL_MAPPED] = { "MAPPED", 8, SCOLS_FL_RIGHT, "bytes mapped by live translations" },
	[COL_RANGES] = { "RANGES", 6, SCOLS_FL_RIGHT, "coalesced IOVA ranges" },
	[COL_S1FMT] = { "S1FMT", 5, SCOLS_FL_RIGHT, "STE.S1FMT" },
	[COL_CDMAX] = { "CDMAX", 5, SCOLS_FL_RIGHT, "STE.S1CDMAX" },
	[COL_CTXPTR] = { "CTXPTR", 12, 0, "STE.S1ContextPtr" },
	[COL_S2TTB] = { "S2TTB", 12, 0, "STE.S2TTB" },
	[COL_BAD] = { "BAD", 3, 0, "the SMMU would reject the STE (C_BAD_STE)" },
};

static const enum col_id default_cols[] = {
	COL_SID, COL_CONFIG, COL_CDS, COL_ASID, COL_VMID, COL_TTB, COL_GRAN,
	COL_IAS, COL_MAPPED, COL_RANGES,
};

void sd_report_list_columns(FILE *out)
{
	for (int i = 0; i < COL_COUNT; i++)
		fprintf(out, "  %-8s %s\n", cols[i].name, cols[i].help);
}

static int parse_columns(const char *list, enum col_id *ids, int max, struct sd_error *err)
{
	char buf[512], *save = NULL, *tok;
	int n = 0;

	if (*list == '+') {
		/* "+COL" appends to the default set, as lsblk does. */
		for (size_t i = 0; i < sizeof(default_cols) / sizeof(default_cols[0]); i++)
			ids[n++] = default_cols[i];
		list++;
	}
	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int i;

		for (i = 0; i < COL_COUNT; i++)
			if (!strcasecmp(tok, cols[i].name))
				break;
		if (i == COL_COUNT) {
			sd_error_set(err, SD_ERR_USAGE, "unknown column '%s' (--list-columns shows them)", tok);
			return -1;
		}
		if (n == max) {
			sd_error_set(err, SD_ERR_USAGE, "too many columns");
			return -1;
		}
		ids[n++] = i;
	}
	if (!n)
		sd_error_set(err, SD_ERR_USAGE, "no columns given");
	return n ? n : -1;
}

enum sd_status sd_report_check_columns(const char *list, struct sd_error *err)
{
	enum col_id ids[64];

	return parse_columns(list, ids, 64, err) < 0 ? SD_ERR_USAGE : SD_OK;
}

static void human(char *b, size_t n, uint64_t v)
{
	static const char units[] = "BKMGTPE";
	int i = 0;

	while (i < 6 && v >= (1ULL << (10 * (i + 1))))
		i++;
	if (i == 0 || v % (1ULL << (10 * i)) == 0)
		snprintf(b, n, "%" PRIu64 "%c", v >> (10 * i), units[i]);
	else
		snprintf(b, n, "%.1f%c", (double)v / (double)(1ULL << (10 * i)), units[i]);
}

/*
 * Print @text word-wrapped to the report width: the first line after
 * @first (already @col columns wide), the next ones indented by @indent.
 * Terminal output stays readable at 80 columns.
 */
static void wrap(FILE *out, unsigned width, const char *first, unsigned indent,
		 const char *text)
{
	unsigned col = fprintf(out, "%s", first);
	bool need_space = col > 0 && first[col - 1] != ' ';

	for (;;) {
		const char *end;
		unsigned wl;

		while (*text == ' ')
			text++;
		for (end = text; *end && *end != ' '; end++)
			;
		wl = end - text;
		if (!wl)
			break;
		if (col > indent && col + need_space + wl > width) {
			fprintf(out, "\n%*s", indent, "");
			col = indent;
			need_space = false;
		}
		if (need_space) {
			fputc(' ', out);
			col++;
		}
		fprintf(out, "%.*s", (int)wl, text);
		col += wl;
		need_space = true;
		text = end;
	}
	fputc('\n', out);
}

static const char *gran_name(unsigned tg)
{
	switch (tg) {
	case TG_4K: return "4K";
	case TG_16K: return "16K";
	case TG_64K: return "64K";
	}
	return "rsvd";
}

static void cell(struct libscols_line *ln, int idx, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void cell(struct libscols_line *ln, int idx, const char *fmt, ...)
{
	char b[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b, sizeof(b), fmt, ap);
	va_end(ap);
	scols_line_set_data(ln, idx, b);
}

static void fill(struct libscols_line *ln, int idx, enum col_id id,
		 const struct sd_stream *s, bool walked)
{
	const struct ste *e = &s->ste;
	bool s1 = ste_config_has_s1(e->config), s2 = ste_config_has_s2(e->config);
	const struct cd *cd = s->nctx ? &s->ctx[0].cd : NULL;
	char b[32];

	switch (id) {
	case COL_SID: cell(ln, idx, "0x%x", s->sid); break;
	case COL_CONFIG: cell(ln, idx, "%s", ste_config_name(e->config)); break;
	case COL_CDS: if (s1) cell(ln, idx, "%zu", s->nctx); break;
	case COL_ASID: if (cd) cell(ln, idx, "%u", cd->asid); break;
	case COL_VMID: if (s2) cell(ln, idx, "%u", e->s2vmid); break;
	case COL_TTB:
		if (s1 && cd)
			cell(ln, idx, "0x%" PRIx64, cd->ttb0);
		else if (s2)
			cell(ln, idx, "0x%" PRIx64, e->s2ttb);
		break;
	case COL_GRAN:
		if (s1 && cd)
			cell(ln, idx, "%s", gran_name(cd->tg0));
		else if (s2)
			cell(ln, idx, "%s", gran_name(e->s2tg));
		break;
	case COL_IAS:
		if (s1 && cd)
			cell(ln, idx, "%u", 64 - cd->t0sz);
		else if (s2)
			cell(ln, idx, "%u", 64 - e->s2t0sz);
		break;
	case COL_MAPPED:
		if (walked && (s1 || s2)) {
			human(b, sizeof(b), s->maps.bytes);
			cell(ln, idx, "%s", b);
		}
		break;
	case COL_RANGES: if (walked && (s1 || s2)) cell(ln, idx, "%zu", s->maps.n); break;
	case COL_S1FMT: if (s1) cell(ln, idx, "%u", e->s1fmt); break;
	case COL_CDMAX: if (s1) cell(ln, idx, "%u", e->s1cdmax); break;
	case COL_CTXPTR: if (s1) cell(ln, idx, "0x%" PRIx64, e->s1_context_ptr); break;
	case COL_S2TTB: if (s2) cell(ln, idx, "0x%" PRIx64, e->s2ttb); break;
	case COL_BAD: cell(ln, idx, "%s", s->bad ? "yes" : "no"); break;
	case COL_COUNT: break;
	}
}

static struct libscols_table *new_table(FILE *out, const struct sd_report_opts *o)
{
	struct libscols_table *tb = scols_new_table();

	if (!tb)
		return NULL;
	scols_table_set_stream(tb, out);
	scols_table_enable_raw(tb, o->raw);
	scols_table_enable_noheadings(tb, o->noheadings);
	return tb;
}

/* SID ranges of abort STEs, as "0x0-0xf,0x11-0xff". */
static void abort_ranges(FILE *out, const struct sd_smmu *s, size_t limit)
{
	size_t shown = 0, runs = 0;
	bool open = false;
	uint32_t lo = 0, prev = 0;

	for (size_t i = 0; i <= s->nstreams; i++) {
		bool ab = i < s->nstreams && s->streams[i].ste.config == STRTAB_STE_0_CFG_ABORT;
		uint32_t sid = i < s->nstreams ? s->streams[i].sid : 0;

		if (open && (!ab || sid != prev + 1)) {
			if (shown < limit) {
				fprintf(out, "%s0x%x", shown ? ", " : "", lo);
				if (prev != lo)
					fprintf(out, "-0x%x", prev);
				shown++;
			}
			runs++;
			open = false;
		}
		if (ab && !open) {
			open = true;
			lo = sid;
		}
		prev = sid;
	}
	if (runs > shown)
		fprintf(out, ", ... (%zu more ranges; -a lists every STE)", runs - shown);
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

static void print_regs(FILE *out, const struct sd_smmu *s)
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

static void print_verbose(FILE *out, const struct sd_stream *s, int verbose)
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
			s->ctx[i].ssid, c->v, c->asid, c->t0sz, c->tg0, gran_name(c->tg0),
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

static enum sd_status print_mappings(FILE *out, const struct sd_smmu *s,
				     const struct sd_report_opts *o, struct sd_error *err)
{
	struct libscols_table *tb = new_table(out, o);
	static const char *const names[] = { "SID", "SSID", "IOVA", "PA", "SIZE", "PERM" };
	size_t rows = 0;

	if (!tb)
		return sd_error_set(err, SD_ERR_NOMEM, "mapping table");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		scols_table_new_column(tb, names[i], 0, i == 0 || i == 1 || i == 4 ? SCOLS_FL_RIGHT : 0);
	for (size_t i = 0; i < s->nstreams; i++) {
		const struct sd_stream *st = &s->streams[i];

		for (size_t j = 0; j < st->maps.n; j++) {
			const struct sd_mapping *m = &st->maps.v[j];
			struct libscols_line *ln = scols_table_new_line(tb, NULL);
			char b[32];

			if (!ln)
				break;
			cell(ln, 0, "0x%x", st->sid);
			if (m->ssid == SD_NO_ID)
				cell(ln, 1, "-");
			else
				cell(ln, 1, "%" PRId64, m->ssid);
			cell(ln, 2, "0x%" PRIx64, m->iova);
			cell(ln, 3, "0x%" PRIx64, m->pa);
			human(b, sizeof(b), m->size);
			cell(ln, 4, "%s", b);
			cell(ln, 5, "%c%c%c", m->read ? 'r' : '-', m->write ? 'w' : '-', m->exec ? 'x' : '-');
			rows++;
		}
	}
	if (rows) {
		fprintf(out, "\nMappings (IOVA -> PA, coalesced):\n");
		scols_print_table(tb);
	}
	scols_unref_table(tb);
	return SD_OK;
}

struct ranked {
	const struct sd_smmu *smmu;
	const struct sd_stream *st;
};

static int cmp_rank(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->st->rank != y->st->rank)
		return y->st->rank - x->st->rank;
	return x->st->sid < y->st->sid ? -1 : x->st->sid > y->st->sid;
}

#define ANSWER_MAX	16	/* devices listed in the first block without -a */

/* The first block: which devices could master DMA, most dangerous first. */
static void print_answer(FILE *out, const struct sd_report *r)
{
	struct ranked *v;
	size_t n = 0, idle = 0, blocked = 0, shown = 0;

	for (size_t i = 0; i < r->nsmmus; i++)
		n += r->smmus[i].nstreams;
	v = calloc(n ? n : 1, sizeof(*v));
	if (!v)
		return;
	n = 0;
	for (size_t i = 0; i < r->nsmmus; i++)
		for (size_t j = 0; j < r->smmus[i].nstreams; j++) {
			const struct sd_stream *st = &r->smmus[i].streams[j];

			if (!st->verdict)
				continue;
			if (!strcmp(st->verdict, "blocked")) {
				blocked++;
				continue;
			}
			if (!strcmp(st->verdict, "idle"))
				idle++;
			v[n++] = (struct ranked){ &r->smmus[i], st };
		}
	qsort(v, n, sizeof(*v), cmp_rank);
	{
		char head[200];

		snprintf(head, sizeof(head), "DMA at the crash: %zu StreamID%s could master DMA",
			 n - idle, n - idle == 1 ? "" : "s");
		if (idle)
			snprintf(head + strlen(head), sizeof(head) - strlen(head),
				 ", %zu translate%s with no live mapping", idle, idle == 1 ? "s" : "");
		snprintf(head + strlen(head), sizeof(head) - strlen(head), ", %zu blocked", blocked);
		wrap(out, r->opts->width, "", 2, head);
	}
	for (size_t i = 0; i < n; i++) {
		const struct sd_stream *st = v[i].st;
		const struct sd_kdev *d = st->dev;

		if (!r->opts->all && shown == ANSWER_MAX)
			break;
		fprintf(out, "  %s%s0x%-5x %-13s %-12s %s\n",
			r->nsmmus > 1 ? v[i].smmu->regs.name : "", r->nsmmus > 1 ? " " : "",
			st->sid, d ? d->name : "(no device)",
			d && d->driver[0] ? d->driver : "-", st->verdict);
		wrap(out, r->opts->width, "           ", 11, st->reason);
		shown++;
	}
	if (shown < n)
		fprintf(out, "  ... %zu more (-a lists them all)\n", n - shown);
	free(v);
}

static void print_events(FILE *out, const struct sd_smmu *s, bool all)
{
	size_t live = 0, shown = 0, limit = all ? SIZE_MAX : 8;

	for (size_t i = 0; i < s->nevents; i++)
		live += !s->events[i].stale;
	fprintf(out, "\nEvent queue: %zu record%s in the ring, %zu not consumed\n", s->nevents,
		s->nevents == 1 ? "" : "s", live);
	/* Newest first: the end of the (oldest-first) array. */
	for (size_t k = s->nevents; k-- > 0 && shown < limit; shown++) {
		const struct sd_event *e = &s->events[k];
		const char *name = evt_name(e->id);
		const struct sd_kdev *d = NULL;

		for (size_t j = 0; j < s->nstreams; j++)
			if (s->streams[j].sid == e->sid)
				d = s->streams[j].dev;
		fprintf(out, "  [%4u] %-17s SID 0x%-5x", e->index, name ? name : "?", e->sid);
		if (evt_ssid_valid(e))
			fprintf(out, " SSID %u", e->ssid);
		fprintf(out, " addr 0x%" PRIx64 " %s%s%s%s\n", e->addr, e->rnw ? "read" : "write",
			d ? " " : "", d ? d->name : "", e->stale ? " (consumed)" : "");
	}
	if (shown < s->nevents)
		fprintf(out, "  ... %zu older records (-a shows them all)\n", s->nevents - shown);
}

static void print_commands(FILE *out, const struct sd_smmu *s, bool all)
{
	size_t limit = all ? SIZE_MAX : 8;

	fprintf(out, "\nCommand queue: %zu command%s pending\n", s->ncommands,
		s->ncommands == 1 ? "" : "s");
	for (size_t i = 0; i < s->ncommands && i < limit; i++) {
		const char *name = cmd_name(s->commands[i].op);

		fprintf(out, "  [%4u] %-20s %s\n", s->commands[i].index,
			name ? name : "?", s->commands[i].operands);
	}
	if (s->ncommands > limit)
		fprintf(out, "  ... %zu more (-a shows them all)\n", s->ncommands - limit);
}

static enum sd_status report_smmu(FILE *out, const struct sd_smmu *s,
				  const struct sd_report_opts *o, struct sd_error *err)
{
	enum col_id ids[64];
	int ncols;
	struct libscols_table *tb;
	size_t listed = 0;

	if (o->columns)
		ncols = parse_columns(o->columns, ids, 64, err);
	else {
		ncols = 0;
		for (size_t i = 0; i < sizeof(default_cols) / sizeof(default_cols[0]); i++)
			ids[ncols++] = default_cols[i];
	}
	if (ncols < 0)
		return SD_ERR_USAGE;

	fprintf(out, "%s: registers from %s\n", s->regs.name, sd_reg_source_name(s->source));
	if (s->kernel && s->kernel->how[0])
		wrap(out, o->width, "  found by        ", 19, s->kernel->how);
	if (s->kernel) {
		char fl[800];
		size_t k = 0;

		fl[0] = 0;
		for (unsigned i = 0; i < s->kernel->nfeature_names && k < sizeof(fl); i++)
			k += snprintf(fl + k, sizeof(fl) - k, "%s%s", i ? " " : "",
				      s->kernel->feature_names[i]);
		wrap(out, o->width, "  features        ", 19, fl[0] ? fl : "none");
		k = 0;
		fl[0] = 0;
		for (unsigned i = 0; i < s->kernel->noption_names && k < sizeof(fl); i++)
			k += snprintf(fl + k, sizeof(fl) - k, "%s%s", i ? " " : "",
				      s->kernel->option_names[i]);
		wrap(out, o->width, "  options         ", 19, fl[0] ? fl : "none");
	}
	print_regs(out, s);
	{
		/* Only the configurations present, so the line fits 80 columns. */
		static const char *const cfgs[] = { "abort", "bypass", "s1-trans", "s2-trans",
						    "nested", "reserved" };
		char line[256];
		size_t k = 0;

		k += snprintf(line + k, sizeof(line) - k, "valid STEs: %" PRIu64, s->count_valid);
		for (size_t i = 0; i < sizeof(cfgs) / sizeof(cfgs[0]); i++)
			if (sd_smmu_count(s, cfgs[i]) && k < sizeof(line))
				k += snprintf(line + k, sizeof(line) - k, "%s%" PRIu64 " %s",
					      k && strchr(line, '(') ? ", " : " (",
					      sd_smmu_count(s, cfgs[i]), cfgs[i]);
		if (strchr(line, '(') && k < sizeof(line))
			snprintf(line + k, sizeof(line) - k, ")");
		wrap(out, o->width, "  ", 4, line);
	}
	if (!o->all && sd_smmu_count(s, "abort")) {
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);

		if (m) {
			abort_ranges(m, s, 6);
			fclose(m);
			wrap(out, o->width, "  abort STEs at SIDs", 4, buf);
			free(buf);
		}
	}
	tb = new_table(out, o);
	if (!tb)
		return sd_error_set(err, SD_ERR_NOMEM, "STE table");
	for (int i = 0; i < ncols; i++)
		scols_table_new_column(tb, cols[ids[i]].name, cols[ids[i]].whint, cols[ids[i]].flags);
	for (size_t i = 0; i < s->nstreams; i++) {
		const struct sd_stream *st = &s->streams[i];
		struct libscols_line *ln;

		if (!o->all && st->ste.config == STRTAB_STE_0_CFG_ABORT)
			continue;
		ln = scols_table_new_line(tb, NULL);
		if (!ln)
			break;
		for (int c = 0; c < ncols; c++)
			fill(ln, c, ids[c], st, st->walked);
		listed++;
	}
	if (listed) {
		fputc('\n', out);
		fflush(out);
		scols_print_table(tb);
	}
	scols_unref_table(tb);
	if (o->verbose)
		for (size_t i = 0; i < s->nstreams; i++)
			if (o->all || s->streams[i].ste.config != STRTAB_STE_0_CFG_ABORT)
				print_verbose(out, &s->streams[i], o->verbose);
	if (s->have_evtq)
		print_events(out, s, o->all);
	if (s->have_cmdq)
		print_commands(out, s, o->all);
	if (s->regs.have[SD_REG_GERROR] && s->regs.have[SD_REG_GERRORN]) {
		uint64_t act = (s->regs.val[SD_REG_GERROR] ^ s->regs.val[SD_REG_GERRORN]) & GERROR_ERR_MASK;

		fprintf(out, "\nGlobal errors (GERROR ^ GERRORN): %s%s%s%s%s%s\n", act ? "" : "none",
			(act & GERROR_CMDQ_ERR) ? " CMDQ_ERR" : "", (act & GERROR_EVTQ_ABT) ? " EVTQ_ABT" : "",
			(act & GERROR_PRIQ_ABT) ? " PRIQ_ABT" : "", (act & GERROR_SFM_ERR) ? " SFM_ERR" : "",
			(act & (GERROR_MSI_CMDQ_ABT | GERROR_MSI_EVTQ_ABT | GERROR_MSI_PRIQ_ABT | GERROR_MSI_GERROR_ABT)) ? " MSI_ABT" : "");
	}
	if (s->noverlaps) {
		fprintf(out, "\nMappings overlapping the crash-kernel reservation: %zu\n", s->noverlaps);
		for (size_t i = 0; i < s->noverlaps; i++) {
			const struct sd_overlap *x = &s->overlaps[i];

			fprintf(out, "  SID 0x%x IOVA 0x%" PRIx64 " -> PA 0x%" PRIx64 " size 0x%" PRIx64 "%s%s (%s)\n",
				x->sid, x->map.iova, x->map.pa, x->map.size,
				x->iova_inside ? " IOVA inside" : "", x->pa_inside ? " PA inside" : "", x->region);
		}
	}
	if (o->mappings) {
		fflush(out);
		if (print_mappings(out, s, o, err) != SD_OK)
			return err->status;
	}
	if (s->nprobs) {
		fprintf(out, "\nProblems (%zu):\n", s->nprobs);
		for (size_t i = 0; i < s->nprobs; i++) {
			const struct sd_problem_rec *p = &s->probs[i];

			char head[96];
			size_t k = snprintf(head, sizeof(head), "  %s", sd_problem_kind_name(p->kind));

			if (p->sid != SD_NO_ID)
				k += snprintf(head + k, sizeof(head) - k, " SID 0x%" PRIx64, (uint64_t)p->sid);
			if (p->ssid != SD_NO_ID && k < sizeof(head))
				k += snprintf(head + k, sizeof(head) - k, " SSID %" PRId64, p->ssid);
			if (p->level >= 0 && k < sizeof(head))
				k += snprintf(head + k, sizeof(head) - k, " L%d", p->level);
			if (k < sizeof(head))
				snprintf(head + k, sizeof(head) - k, ":");
			wrap(out, o->width, head, 4, p->msg);
		}
		if (s->probs_dropped)
			fprintf(out, "  ... and %" PRIu64 " more problems not kept (the first %d are listed)\n",
				s->probs_dropped, SD_MAX_PROBLEMS);
	}
	return SD_OK;
}

enum sd_status sd_report_text(FILE *out, const struct sd_report *r, struct sd_error *err)
{
	if (r->dump) {
		char line[1024];

		snprintf(line, sizeof(line), "%s (%s%s%s, page size %" PRIu64 "%s%s)", r->path,
			 r->dump->format ? r->dump->format : "?",
			 r->dump->compression ? ", " : "",
			 r->dump->compression ? r->dump->compression : "",
			 r->dump->page_size,
			 r->dump->osrelease ? ", Linux " : "",
			 r->dump->osrelease ? r->dump->osrelease : "");
		wrap(out, r->opts->width, "dump:", 6, line);
	}
	if (r->kernel)
	{
		char head[128];
		size_t len = sd_kernel_notes_join(r->kernel, NULL, 0);
		char *notes = malloc(len + 1);

		if (!notes)
			return sd_error_set(err, SD_ERR_NOMEM, "out of memory");
		sd_kernel_notes_join(r->kernel, notes, len + 1);
		snprintf(head, sizeof(head), "kernel: symbols from %s, types from %s%s",
			 r->kernel->symbols ? r->kernel->symbols : "none",
			 r->kernel->types ? r->kernel->types : "none",
			 notes[0] ? ";" : "");
		wrap(out, r->opts->width, head, 8, notes);
		free(notes);
	}
	else if (r->kernel_why && r->kernel_why[0])
		wrap(out, r->opts->width, "kernel: not read:", 8, r->kernel_why);
	fputc('\n', out);
	print_answer(out, r);
	for (size_t i = 0; i < r->nsmmus; i++) {
		fputc('\n', out);
		if (report_smmu(out, &r->smmus[i], r->opts, err) != SD_OK)
			return err->status;
	}
	fflush(out);
	return SD_OK;
}
