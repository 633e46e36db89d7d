// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Text report: a block per SMMU, then a table of the STEs that do anything
 * other than abort (all of them with -a), in the util-linux style (lsblk,
 * findmnt): libsmartcols, -o columns, -r raw, -n no headings.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "analysis.h"
#include "kernel.h"
#include "report-priv.h"
#include "sd_cleanup.h"
#include "sd_str.h"
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
	bool right;
	const char *help;
} cols[COL_COUNT] = {
	[COL_SID] = { "SID", 6, true, "StreamID" },
	[COL_CONFIG] = { "CONFIG", 8, false, "STE.CONFIG: abort, bypass, s1-trans, s2-trans, nested" },
	[COL_CDS] = { "CDS", 3, true, "valid context descriptors" },
	[COL_ASID] = { "ASID", 5, true, "ASID of the first valid CD" },
	[COL_VMID] = { "VMID", 5, true, "STE.S2VMID (stage 2 and nested)" },
	[COL_TTB] = { "TTB", 12, false, "stage-1 TTB0 of the first CD, else S2TTB" },
	[COL_GRAN] = { "GRAN", 4, true, "translation granule" },
	[COL_IAS] = { "IAS", 3, true, "input address bits" },
	[COL_MAPPED] = { "MAPPED", 8, true, "bytes mapped by live translations" },
	[COL_RANGES] = { "RANGES", 6, true, "coalesced IOVA ranges" },
	[COL_S1FMT] = { "S1FMT", 5, true, "STE.S1FMT" },
	[COL_CDMAX] = { "CDMAX", 5, true, "STE.S1CDMAX" },
	[COL_CTXPTR] = { "CTXPTR", 12, false, "STE.S1ContextPtr" },
	[COL_S2TTB] = { "S2TTB", 12, false, "STE.S2TTB" },
	[COL_BAD] = { "BAD", 3, false, "the SMMU would reject the STE (C_BAD_STE)" },
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
void sd_text_wrap(FILE *out, unsigned width, const char *first, unsigned indent,
		 const char *text)
{
	/* The text holds names from the dump: control bytes are escaped. */
	size_t n = SD_ESCAPED_SIZE(strlen(text));
	char small[1024], *esc = n <= sizeof(small) ? small : malloc(n);
	unsigned col = fprintf(out, "%s", first);
	bool need_space = col > 0 && first[col - 1] != ' ';

	if (esc)
		text = sd_escape_ctl(esc, n, text);
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
	if (esc != small)
		free(esc);
}

static void cell(char *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void cell(char *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b, TBL_CELL, fmt, ap);
	va_end(ap);
}

/* The cell of column @id for stream @s (empty when it does not apply). */
static void fill(char *b, enum col_id id, const struct sd_stream *s, const struct sd_verdict *v)
{
	const struct ste *e = &s->ste;
	bool s1 = ste_config_has_s1(e->config), s2 = ste_config_has_s2(e->config);
	const struct cd *cd = s->nctx ? &s->ctx[0].cd : NULL;
	bool walked = v && v->walked && (s1 || s2);
	char h[32];

	b[0] = 0;
	switch (id) {
	case COL_SID: cell(b, "0x%x", s->sid); break;
	case COL_CONFIG: cell(b, "%s", ste_config_name(e->config)); break;
	case COL_CDS: if (s1) cell(b, "%zu", s->nctx); break;
	case COL_ASID: if (cd) cell(b, "%u", cd->asid); break;
	case COL_VMID: if (s2) cell(b, "%u", e->s2vmid); break;
	case COL_TTB:
		if (s1 && cd)
			cell(b, "0x%" PRIx64, cd->ttb0);
		else if (s2)
			cell(b, "0x%" PRIx64, e->s2ttb);
		break;
	case COL_GRAN:
		if (s1 && cd)
			cell(b, "%s", sd_text_gran_name(cd->tg0));
		else if (s2)
			cell(b, "%s", sd_text_gran_name(e->s2tg));
		break;
	case COL_IAS:
		if (s1 && cd)
			cell(b, "%u", 64 - cd->t0sz);
		else if (s2)
			cell(b, "%u", 64 - e->s2t0sz);
		break;
	case COL_MAPPED:
		if (walked) {
			human(h, sizeof(h), v->mapped_bytes);
			cell(b, "%s", h);
		}
		break;
	case COL_RANGES: if (walked) cell(b, "%zu", v->nmaps); break;
	case COL_S1FMT: if (s1) cell(b, "%u", e->s1fmt); break;
	case COL_CDMAX: if (s1) cell(b, "%u", e->s1cdmax); break;
	case COL_CTXPTR: if (s1) cell(b, "0x%" PRIx64, e->s1_context_ptr); break;
	case COL_S2TTB: if (s2) cell(b, "0x%" PRIx64, e->s2ttb); break;
	case COL_BAD: cell(b, "%s", s->bad ? "yes" : "no"); break;
	case COL_COUNT: break;
	}
}

/* ---- what the first pass keeps of each SMMU for its block ---- */

#define ABORT_RANGES_SHOWN	6

struct text_smmu {
	struct tbl ste;			/* the STE table's widths */
	size_t listed;
	struct tbl map;			/* the mapping table's widths */
	size_t maprows;
	uint64_t last_size;		/* the SIZE cell last measured */
	bool size_measured;
	/* SID ranges of abort STEs: the first few, and how many */
	bool open;
	uint32_t lo, prev;
	size_t runs;
	uint32_t rlo[ABORT_RANGES_SHOWN], rhi[ABORT_RANGES_SHOWN];
};

struct text_ctx {
	FILE *out;
	struct obuf *ob;		/* the tables' rows, flushed after each table */
	const struct sd_report *r;
	enum col_id ids[TBL_MAX_COLS];
	int ncols;
	bool need_verdict;		/* MAPPED or RANGES shown */
	struct text_smmu *ts;		/* per SMMU */
	size_t cur;			/* the SMMU of the pass */
	struct answer *ans;
	const struct sd_stream *st;	/* the stream of the pass */
	uint64_t hsize;			/* the SIZE cell last printed, */
	char hcell[TBL_CELL];		/* ... as human() wrote it */
};

static const char *const map_names[] = { "SID", "SSID", "IOVA", "PA", "SIZE", "PERM" };

static void text_smmu_init(struct text_ctx *c, struct text_smmu *t)
{
	tbl_init(&t->ste, c->ob, c->r->opts);
	for (int i = 0; i < c->ncols; i++)
		tbl_add_col(&t->ste, cols[c->ids[i]].name, cols[c->ids[i]].whint,
			    cols[c->ids[i]].right);
	tbl_init(&t->map, c->ob, c->r->opts);
	for (size_t i = 0; i < sizeof(map_names) / sizeof(map_names[0]); i++)
		tbl_add_col(&t->map, map_names[i], 0, i == 0 || i == 1 || i == 4);
}

/* One step of the abort-range runs over the streams in SID order; a
 * final step with @ab false closes the last run. */
static void abort_step(struct text_smmu *t, bool ab, uint32_t sid)
{
	if (t->open && (!ab || sid != t->prev + 1)) {
		if (t->runs < ABORT_RANGES_SHOWN) {
			t->rlo[t->runs] = t->lo;
			t->rhi[t->runs] = t->prev;
		}
		t->runs++;
		t->open = false;
	}
	if (ab && !t->open) {
		t->open = true;
		t->lo = sid;
	}
	t->prev = sid;
}

/* The cells of a mapping row and their lengths, without printf (this runs
 * once per mapping): the SIZE cell is @size's, formatted by the caller. */
static void map_row(tbl_row_t row, size_t *len, uint32_t sid, const struct sd_mapping *m,
		    const char *size)
{
	len[0] = fmt_hex(row[0], sid);
	if (m->ssid == SD_NO_ID)
		len[1] = 1, row[1][0] = '-';
	else
		len[1] = fmt_i64(row[1], m->ssid);
	len[2] = fmt_hex(row[2], m->iova);
	len[3] = fmt_hex(row[3], m->pa);
	len[4] = strlen(size);
	memcpy(row[4], size, len[4]);
	row[5][0] = m->read ? 'r' : '-';
	row[5][1] = m->write ? 'w' : '-';
	row[5][2] = m->exec ? 'x' : '-';
	len[5] = 3;
	for (int i = 0; i < 6; i++)
		row[i][len[i]] = 0;
}

static bool listed(const struct sd_report_opts *o, const struct sd_stream *st)
{
	return o->all || st->ste.config != STRTAB_STE_0_CFG_ABORT;
}

static void widen(struct tbl_col *c, size_t w)
{
	if (w > c->maxw)
		c->maxw = w;
}

/* Characters of "0x%" PRIx64 and of "%" PRIu64. */
static size_t hex_width(uint64_t v)
{
	return 2 + (v ? (64 - __builtin_clzll(v) + 3) / 4 : 1);
}

static size_t dec_width(uint64_t v)
{
	size_t n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

static enum sd_status first_mapping(void *arg, const struct sd_mapping *m)
{
	struct text_ctx *c = arg;
	struct text_smmu *t = &c->ts[c->cur];

	if (!c->r->opts->mappings)
		return SD_OK;
	t->maprows++;
	/* Widths by arithmetic, not by formatting a million rows twice; the
	 * SID cell is measured with the stream (first_stream), SIZE only when
	 * it changes. */
	widen(&t->map.col[1], m->ssid == SD_NO_ID ? 1 : dec_width((uint64_t)m->ssid));
	widen(&t->map.col[2], hex_width(m->iova));
	widen(&t->map.col[3], hex_width(m->pa));
	widen(&t->map.col[5], 3);
	if (m->size != t->last_size || !t->size_measured) {
		char b[32];

		human(b, sizeof(b), m->size);
		widen(&t->map.col[4], strlen(b));
		t->last_size = m->size;
		t->size_measured = true;
	}
	return SD_OK;
}

static enum sd_status first_stream(void *arg, const struct sd_smmu *s,
				   const struct sd_stream *st, const struct sd_verdict *v)
{
	struct text_ctx *c = arg;
	struct text_smmu *t = &c->ts[c->cur];
	tbl_row_t row;

	(void)s;
	answer_add(c->ans, c->cur, st, v);
	abort_step(t, st->ste.config == STRTAB_STE_0_CFG_ABORT, st->sid);
	if (c->r->opts->mappings && v->nmaps) {
		struct sd_mapping none = { .ssid = SD_NO_ID };

		size_t len[TBL_MAX_COLS];

		map_row(row, len, st->sid, &none, "");
		row[1][0] = row[2][0] = row[3][0] = row[4][0] = row[5][0] = 0;
		tbl_measure(&t->map, row);
	}
	if (!listed(c->r->opts, st))
		return SD_OK;
	for (int i = 0; i < c->ncols; i++)
		fill(row[i], c->ids[i], st, v);
	tbl_measure(&t->ste, row);
	t->listed++;
	return SD_OK;
}

	/* SID ranges of abort STEs, as "0x0-0xf, 0x11-0xff". */
static void abort_ranges(FILE *out, struct text_smmu *t)
{
	size_t shown = t->runs < ABORT_RANGES_SHOWN ? t->runs : ABORT_RANGES_SHOWN;

	for (size_t i = 0; i < shown; i++) {
		fprintf(out, "%s0x%x", i ? ", " : "", t->rlo[i]);
		if (t->rhi[i] != t->rlo[i])
			fprintf(out, "-0x%x", t->rhi[i]);
	}
	if (t->runs > shown)
		fprintf(out, ", ... (%zu more ranges; -a lists every STE)", t->runs - shown);
}

/* ---- the passes that print, after the first ---- */

static enum sd_status print_map_row(void *arg, const struct sd_mapping *m)
{
	struct text_ctx *c = arg;
	size_t len[TBL_MAX_COLS];
	tbl_row_t row;

	/* mappings mostly share a size: human() once per change */
	if (m->size != c->hsize || !c->hcell[0]) {
		human(c->hcell, sizeof(c->hcell), m->size);
		c->hsize = m->size;
	}
	map_row(row, len, c->st->sid, m, c->hcell);
	tbl_print_len(&c->ts[c->cur].map, row, len);
	return SD_OK;
}

static enum sd_status print_stream_maps(void *arg, const struct sd_stream *st)
{
	struct text_ctx *c = arg;
	bool walked;

	c->st = st;
	return sd_stream_walk_mappings(&c->r->smmus[c->cur], st, SD_WALK_REPLAY,
				       print_map_row, c, &walked);
}

static enum sd_status print_ste_row(void *arg, const struct sd_stream *st)
{
	struct text_ctx *c = arg;
	struct sd_verdict v, *vp = NULL;
	tbl_row_t row;

	if (!listed(c->r->opts, st))
		return SD_OK;
	if (c->need_verdict) {
		enum sd_status rc = sd_analyse_stream(&c->r->smmus[c->cur], st, SD_WALK_REPLAY,
						      NULL, NULL, &v);

		if (rc != SD_OK)
			return rc;
		vp = &v;
	}
	for (int i = 0; i < c->ncols; i++)
		fill(row[i], c->ids[i], st, vp);
	tbl_print(&c->ts[c->cur].ste, row);
	return SD_OK;
}

static enum sd_status print_stream_verbose(void *arg, const struct sd_stream *st)
{
	struct text_ctx *c = arg;

	if (listed(c->r->opts, st))
		sd_text_verbose(c->out, st, c->r->opts->verbose);
	return SD_OK;
}

/* The SMMU's identity, registers and STE counts. */
static void report_smmu_head(FILE *out, const struct sd_smmu *s, const struct sd_report_opts *o,
			     struct text_smmu *t)
{
	/* Only the configurations present, so the line fits 80 columns. */
	static const char *const cfgs[] = { "abort", "bypass", "s1-trans", "s2-trans",
					    "nested", "reserved" };
	char name[SD_ESCAPED_SIZE(sizeof(s->regs.name))], line[256];
	bool paren = false;

	fprintf(out, "%s: registers from %s\n", sd_escape_ctl(name, sizeof(name), s->regs.name),
		sd_reg_source_name(s->source));
	if (s->kernel && s->kernel->how[0])
		sd_text_wrap(out, o->width, "  found by        ", 19, s->kernel->how);
	if (s->kernel) {
		char fl[800] = "";

		for (unsigned i = 0; i < s->kernel->nfeature_names; i++)
			sd_appendf(fl, sizeof(fl), "%s%s", i ? " " : "", s->kernel->feature_names[i]);
		sd_text_wrap(out, o->width, "  features        ", 19, fl[0] ? fl : "none");
		fl[0] = 0;
		for (unsigned i = 0; i < s->kernel->noption_names; i++)
			sd_appendf(fl, sizeof(fl), "%s%s", i ? " " : "", s->kernel->option_names[i]);
		sd_text_wrap(out, o->width, "  options         ", 19, fl[0] ? fl : "none");
	}
	sd_text_regs(out, s);
	snprintf(line, sizeof(line), "valid STEs: %" PRIu64, s->count_valid);
	for (size_t i = 0; i < sizeof(cfgs) / sizeof(cfgs[0]); i++) {
		if (!sd_smmu_count(s, cfgs[i]))
			continue;
		sd_appendf(line, sizeof(line), "%s%" PRIu64 " %s", paren ? ", " : " (",
			   sd_smmu_count(s, cfgs[i]), cfgs[i]);
		paren = true;
	}
	if (paren)
		sd_appendf(line, sizeof(line), ")");
	sd_text_wrap(out, o->width, "  ", 4, line);
	if (!o->all && sd_smmu_count(s, "abort")) {
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);

		if (m) {
			abort_ranges(m, t);
			fclose(m);
			sd_text_wrap(out, o->width, "  abort STEs at SIDs", 4, buf);
			free(buf);
		}
	}
}

static void print_gerror(FILE *out, const struct sd_smmu *s)
{
	uint64_t act;

	if (!smmu_gerror_active(&s->regs, &act))
		return;
	fprintf(out, "\nGlobal errors (GERROR ^ GERRORN): %s%s%s%s%s%s\n", act ? "" : "none",
		(act & GERROR_CMDQ_ERR) ? " CMDQ_ERR" : "", (act & GERROR_EVTQ_ABT) ? " EVTQ_ABT" : "",
		(act & GERROR_PRIQ_ABT) ? " PRIQ_ABT" : "", (act & GERROR_SFM_ERR) ? " SFM_ERR" : "",
		(act & (GERROR_MSI_CMDQ_ABT | GERROR_MSI_EVTQ_ABT | GERROR_MSI_PRIQ_ABT |
			GERROR_MSI_GERROR_ABT)) ? " MSI_ABT" : "");
}

static void print_overlaps(FILE *out, const struct sd_smmu *s)
{
	if (!s->overlaps_total)
		return;
	fprintf(out, "\nMappings overlapping the crash-kernel reservation: %" PRIu64 "\n",
		s->overlaps_total);
	for (size_t i = 0; i < s->noverlaps; i++) {
		const struct sd_overlap *x = &s->overlaps[i];

		fprintf(out, "  SID 0x%x IOVA 0x%" PRIx64 " -> PA 0x%" PRIx64 " size 0x%" PRIx64 "%s%s (%s)\n",
			x->sid, x->map.iova, x->map.pa, x->map.size,
			x->iova_inside ? " IOVA inside" : "", x->pa_inside ? " PA inside" : "", x->region);
	}
	if (s->overlaps_total > s->noverlaps)
		fprintf(out, "  ... and %" PRIu64 " more (the first %zu are listed)\n",
			s->overlaps_total - s->noverlaps, s->noverlaps);
}

static void print_problems(FILE *out, const struct sd_smmu *s, const struct sd_report_opts *o)
{
	if (!s->nprobs)
		return;
	fprintf(out, "\nProblems (%zu):\n", s->nprobs);
	for (size_t i = 0; i < s->nprobs; i++) {
		const struct sd_problem_rec *p = &s->probs[i];
		char head[96];

		snprintf(head, sizeof(head), "  %s", sd_problem_kind_name(p->kind));
		if (p->sid != SD_NO_ID)
			sd_appendf(head, sizeof(head), " SID 0x%" PRIx64, (uint64_t)p->sid);
		if (p->ssid != SD_NO_ID)
			sd_appendf(head, sizeof(head), " SSID %" PRId64, p->ssid);
		if (p->level >= 0)
			sd_appendf(head, sizeof(head), " L%d", p->level);
		sd_appendf(head, sizeof(head), ":");
		sd_text_wrap(out, o->width, head, 4, p->msg);
	}
	if (s->probs_dropped)
		fprintf(out, "  ... and %" PRIu64 " more problems not kept (the first %d are listed)\n",
			s->probs_dropped, SD_MAX_PROBLEMS);
}

/* The block of one SMMU: its head, then the passes over its streams. */
static enum sd_status report_smmu(struct text_ctx *c)
{
	FILE *out = c->out;
	struct sd_smmu *s = &c->r->smmus[c->cur];
	const struct sd_report_opts *o = c->r->opts;
	struct text_smmu *t = &c->ts[c->cur];
	enum sd_status rc = SD_OK;

	report_smmu_head(out, s, o, t);
	if (t->listed) {
		fputc('\n', out);
		rc = sd_smmu_walk_streams(s, SD_WALK_REPLAY, print_ste_row, c);
		obuf_flush(c->ob);
	}
	if (rc == SD_OK && o->verbose)
		rc = sd_smmu_walk_streams(s, SD_WALK_REPLAY, print_stream_verbose, c);
	if (rc != SD_OK)
		return rc;
	if (s->have_evtq)
		sd_text_events(out, s, o->all);
	if (s->have_cmdq)
		sd_text_commands(out, s, o->all);
	print_gerror(out, s);
	print_overlaps(out, s);
	if (o->mappings && t->maprows) {
		fprintf(out, "\nMappings (IOVA -> PA, coalesced):\n");
		rc = sd_smmu_walk_streams(s, SD_WALK_REPLAY, print_stream_maps, c);
		obuf_flush(c->ob);
		if (rc != SD_OK)
			return rc;
	}
	print_problems(out, s, o);
	return SD_OK;
}

/* The first pass over every SMMU: what the answer and the tables need. */
static enum sd_status first_pass(struct text_ctx *c)
{
	struct sd_analysis_hooks hooks = { first_stream, first_mapping, c };

	for (c->cur = 0; c->cur < c->r->nsmmus; c->cur++) {
		struct text_smmu *t = &c->ts[c->cur];
		enum sd_status rc;

		text_smmu_init(c, t);
		rc = sd_analyse(&c->r->smmus[c->cur], &hooks);
		if (rc != SD_OK)
			return rc;
		abort_step(t, false, 0);
	}
	return SD_OK;
}

enum sd_status sd_report_text(FILE *out, const struct sd_report *r, struct sd_error *err)
{
	struct obuf *ob sd_autofree = malloc(sizeof(*ob));
	struct text_ctx c = { .out = out, .ob = ob, .r = r };
	enum sd_status rc;

	if (r->opts->columns) {
		c.ncols = parse_columns(r->opts->columns, c.ids, TBL_MAX_COLS, err);
		if (c.ncols < 0)
			return SD_ERR_USAGE;
	} else {
		for (size_t i = 0; i < sizeof(default_cols) / sizeof(default_cols[0]); i++)
			c.ids[c.ncols++] = default_cols[i];
	}
	for (int i = 0; i < c.ncols; i++)
		c.need_verdict |= c.ids[i] == COL_MAPPED || c.ids[i] == COL_RANGES;
	c.ts = calloc(r->nsmmus ? r->nsmmus : 1, sizeof(*c.ts));
	c.ans = answer_new(r->opts->all);
	if (!ob || !c.ts || !c.ans) {
		free(c.ts);
		answer_free(c.ans);
		return sd_error_set(err, SD_ERR_NOMEM, "text report: %s",
				    sd_status_name(SD_ERR_NOMEM));
	}
	obuf_init(ob, out);
	/* The answer first; what it was read from after it. */
	rc = first_pass(&c);
	if (rc == SD_OK) {
		answer_print(out, c.ans, r);
		/* The kdump adoption verdict is part of the answer. */
		sd_text_adoption(out, r);
		sd_text_head(out, r);
	}
	for (c.cur = 0; rc == SD_OK && c.cur < r->nsmmus; c.cur++) {
		fputc('\n', out);
		rc = report_smmu(&c);
	}
	free(c.ts);
	answer_free(c.ans);
	if (rc != SD_OK)
		return sd_error_set(err, rc, "text report: %s", sd_status_name(rc));
	return obuf_finish(ob, err);
}
