// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The text report's first block: which devices could master DMA, most
 * dangerous first.  The first pass offers every stream; only the best
 * ANSWER_MAX (ANSWER_ALL_MAX with -a) are kept, in a heap whose root is the
 * least dangerous kept, so that memory does not grow with the streams.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "report-priv.h"
#include "sd_str.h"

struct ranked {
	size_t smmu;
	uint32_t sid;
	int rank;
	enum sd_verdict_class verdict;
	const struct sd_kdev *dev;
	char *reason;
};

struct answer {
	struct ranked *v;
	size_t n, cap;
	size_t offered;		/* non-blocked streams seen */
	bool failed;		/* out of memory: say so */
};

/* The order of the block: rank down, then StreamID, then SMMU. */
static int cmp_rank(const struct ranked *x, const struct ranked *y)
{
	if (x->rank != y->rank)
		return y->rank - x->rank;
	if (x->sid != y->sid)
		return x->sid < y->sid ? -1 : 1;
	return x->smmu < y->smmu ? -1 : x->smmu > y->smmu;
}

static int cmp_rank_q(const void *a, const void *b)
{
	return cmp_rank(a, b);
}

struct answer *answer_new(bool all)
{
	struct answer *a = calloc(1, sizeof(*a));

	if (a)
		a->cap = all ? ANSWER_ALL_MAX : ANSWER_MAX;
	return a;
}

/* Heap order: a parent comes after its children in the block. */
static void sift_down(struct answer *a, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, w = i;
		struct ranked t;

		if (l < a->n && cmp_rank(&a->v[l], &a->v[w]) > 0)
			w = l;
		if (r < a->n && cmp_rank(&a->v[r], &a->v[w]) > 0)
			w = r;
		if (w == i)
			return;
		t = a->v[i];
		a->v[i] = a->v[w];
		a->v[w] = t;
		i = w;
	}
}

static void sift_up(struct answer *a, size_t i)
{
	while (i) {
		size_t p = (i - 1) / 2;
		struct ranked t;

		if (cmp_rank(&a->v[i], &a->v[p]) <= 0)
			return;
		t = a->v[i];
		a->v[i] = a->v[p];
		a->v[p] = t;
		i = p;
	}
}

void answer_add(struct answer *a, size_t smmu, const struct sd_stream *st,
		const struct sd_verdict *v)
{
	struct ranked r = { smmu, st->sid, v->rank, v->verdict, v->dev, NULL };

	if (!a || v->verdict == SD_VERDICT_NONE || v->verdict == SD_VERDICT_BLOCKED)
		return;
	a->offered++;
	if (a->n == a->cap && cmp_rank(&r, &a->v[0]) >= 0)
		return;		/* no better than the least kept */
	if (!(r.reason = strdup(v->reason))) {
		a->failed = true;
		sd_note_alloc_failure();
		return;
	}
	if (a->n == a->cap) {
		free(a->v[0].reason);
		a->v[0] = r;
		sift_down(a, 0);
		return;
	}
	if (!a->v && !(a->v = malloc(a->cap * sizeof(*a->v)))) {
		free(r.reason);
		a->failed = true;
		sd_note_alloc_failure();
		return;
	}
	a->v[a->n++] = r;
	sift_up(a, a->n - 1);
}

/*
 * Event records from StreamIDs no decoded stream has: requesters the
 * tables do not know (no valid STE: C_BAD_STREAMID, or a stream the kernel
 * never set up), named by the PCI function the StreamID would be.  The
 * ring bounds them; without -a the first ANSWER_MAX are listed.
 */
static void answer_unknown(FILE *out, const struct sd_report *r)
{
	size_t n = 0, limit = r->opts->all ? SIZE_MAX : ANSWER_MAX;

	for (size_t i = 0; i < r->nsmmus; i++) {
		const struct sd_smmu *s = &r->smmus[i];
		char n1[SD_ESCAPED_SIZE(sizeof(s->regs.name))];

		for (size_t j = 0; j < s->nevsids; j++) {
			const struct sd_event_sid *e = &s->evsids[j];
			unsigned bus, dev, fn;
			char line[256], first[96];

			if (!sd_event_sid_unknown(s, e))
				continue;
			if (n++ == 0)
				sd_text_wrap(out, r->opts->width, "", 2, "Unknown requesters (event "
					     "records for StreamIDs with no valid STE; PCI function "
					     "if StreamID = Requester ID, the IORT/DT identity map):");
			if (n > limit)
				continue;
			if (sd_sid_as_rid(e->sid, &bus, &dev, &fn))
				snprintf(line, sizeof(line), "PCI %02x:%02x.%u: ", bus, dev, fn);
			else
				snprintf(line, sizeof(line), "not a PCI Requester ID: ");
			sd_event_summary(e, line + strlen(line), sizeof(line) - strlen(line));
			snprintf(first, sizeof(first), "  %s%s0x%-5x",
				 r->nsmmus > 1 ? sd_escape_ctl(n1, sizeof(n1), s->regs.name) : "",
				 r->nsmmus > 1 ? " " : "", e->sid);
			sd_text_wrap(out, r->opts->width, first, 11, line);
		}
	}
	if (n > limit)
		fprintf(out, "  ... %zu more (-a lists them all)\n", n - limit);
}

void answer_print(FILE *out, struct answer *a, const struct sd_report *r)
{
	size_t idle = 0, blocked = 0, tried = 0, n = a ? a->offered : 0;
	char head[240];

	for (size_t i = 0; i < r->nsmmus; i++) {
		idle += r->smmus[i].nclass[SD_VERDICT_IDLE];
		blocked += r->smmus[i].nclass[SD_VERDICT_BLOCKED];
		tried += r->smmus[i].nclass[SD_VERDICT_ATTEMPTED];
	}
	snprintf(head, sizeof(head), "DMA at the crash: %zu StreamID%s could master DMA",
		 n - idle - tried, n - idle - tried == 1 ? "" : "s");
	if (tried)
		sd_appendf(head, sizeof(head), ", %zu tried and faulted (the SMMU's event "
			   "records)", tried);
	if (idle)
		sd_appendf(head, sizeof(head), ", %zu translate%s with no live mapping", idle,
			   idle == 1 ? "s" : "");
	sd_appendf(head, sizeof(head), ", %zu blocked", blocked);
	sd_text_wrap(out, r->opts->width, "", 2, head);
	if (!a) {
		answer_unknown(out, r);
		return;
	}
	qsort(a->v, a->n, sizeof(*a->v), cmp_rank_q);
	for (size_t i = 0; i < a->n; i++) {
		const struct ranked *x = &a->v[i];
		const struct sd_kdev *d = x->dev;
		const char *sname = r->smmus[x->smmu].regs.name;
		char n1[SD_ESCAPED_SIZE(sizeof(r->smmus[0].regs.name))];
		char n2[SD_ESCAPED_SIZE(sizeof(d->name))], n3[SD_ESCAPED_SIZE(sizeof(d->driver))];

		fprintf(out, "  %s%s0x%-5x %-13s %-12s %s\n",
			r->nsmmus > 1 ? sd_escape_ctl(n1, sizeof(n1), sname) : "",
			r->nsmmus > 1 ? " " : "", x->sid,
			d ? sd_escape_ctl(n2, sizeof(n2), d->name) : "(no device)",
			d && d->driver[0] ? sd_escape_ctl(n3, sizeof(n3), d->driver) : "-",
			sd_verdict_name(x->verdict));
		sd_text_wrap(out, r->opts->width, "           ", 11, x->reason);
	}
	if (a->n < n && a->cap == ANSWER_MAX)
		fprintf(out, "  ... %zu more (-a lists them all)\n", n - a->n);
	else if (a->n < n)
		fprintf(out, "  ... and %zu more (the answer keeps the first %zu; the tables below list every one)\n",
			n - a->n, a->n);
	answer_unknown(out, r);
}

void answer_free(struct answer *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->n; i++)
		free(a->v[i].reason);
	free(a->v);
	free(a);
}
