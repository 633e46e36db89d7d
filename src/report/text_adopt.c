// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The text of the kdump adoption check (man page, KDUMP ADOPTION): one
 * line per SMMU in the first block, the placement and ID findings in
 * short, the checks one per line under -v (their source under -vv).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "adoption.h"
#include "report-priv.h"
#include "sd_str.h"

#define LINE_MAX_ADOPT	512
/* Placement and ID findings named in the first block; -J has them all. */
#define FINDINGS_SHOWN	3

/* "accepted" / "refused: <check>: <detail>" / "unknown: <check>: <why>". */
static void verdict_line(const struct sd_adopt *a, char *b, size_t n)
{
	int first_unknown = -1, also = 0;

	snprintf(b, n, "%s", sd_adopt_verdict_name(a->verdict));
	for (int c = 0; c < SD_ADOPT_CHECK_COUNT; c++) {
		if (a->c[c].result == SD_CHECK_UNKNOWN && first_unknown < 0)
			first_unknown = c;
		also += a->c[c].result == SD_CHECK_FAIL && a->verdict == SD_ADOPT_REFUSED &&
			c != (int)a->first_fail;
	}
	if (a->verdict == SD_ADOPT_REFUSED)
		sd_appendf(b, n, ": %s: %s", sd_adopt_check_name(a->first_fail), a->c[a->first_fail].detail);
	else if (a->verdict == SD_ADOPT_UNKNOWN && first_unknown >= 0)
		sd_appendf(b, n, ": %s not checkable: %s", sd_adopt_check_name(first_unknown),
			   a->c[first_unknown].detail);
	if (also)
		sd_appendf(b, n, " (%d more check%s fail)", also, also == 1 ? "" : "s");
	if (a->crashk_devices)
		sd_appendf(b, n, "%s %" PRIu64 " device%s could write into the crash-kernel reservation",
			   a->verdict == SD_ADOPT_ACCEPTED ? "," : ";", a->crashk_devices,
			   a->crashk_devices == 1 ? "" : "s");
}

static void placement_line(FILE *out, const struct sd_report *r, const struct sd_adopt *a)
{
	char b[LINE_MAX_ADOPT];
	uint64_t total = a->nplace + a->place_dropped;

	if (!total)
		return;
	snprintf(b, sizeof(b), "%" PRIu64 " table%s misplaced:", total, total == 1 ? "" : "s");
	for (size_t i = 0; i < a->nplace && i < FINDINGS_SHOWN; i++)
		sd_appendf(b, sizeof(b), "%s %s 0x%" PRIx64 " (StreamID 0x%x) %s", i ? ";" : "",
			   sd_table_kind_name(a->place[i].table), a->place[i].addr, a->place[i].sid,
			   sd_place_problem_name(a->place[i].problem));
	if (total > FINDINGS_SHOWN)
		sd_appendf(b, sizeof(b), "; ... (-J lists them)");
	sd_text_wrap(out, r->opts->width, "    placement:", 6, b);
}

static void ids_line(FILE *out, const struct sd_report *r, const struct sd_adopt_ids *ids,
		     const char *kind, const char *table)
{
	char b[LINE_MAX_ADOPT] = "";
	unsigned shown = 0;
	uint64_t dups = 0;

	for (size_t i = 0; i < ids->n; i++) {
		const struct sd_adopt_id *e = &ids->v[i];

		if (e->nttbs < 2 && !e->more_ttbs)
			continue;
		if (dups++ >= FINDINGS_SHOWN)
			continue;
		sd_appendf(b, sizeof(b), "%s%s %u maps %s%zu %ss (StreamIDs", shown++ ? "; " : "",
			   kind, e->id, e->more_ttbs ? "more than " : "", e->nttbs, table);
		for (size_t u = 0; u < e->nusers && u < SD_ADOPT_USERS_MAX; u++)
			sd_appendf(b, sizeof(b), " 0x%x", e->users[u].sid);
		sd_appendf(b, sizeof(b), ")");
	}
	if (!dups)
		return;
	if (dups > FINDINGS_SHOWN)
		sd_appendf(b, sizeof(b), "; ... (-J lists them)");
	sd_text_wrap(out, r->opts->width, "    stale-TLB risk:", 6, b);
}

/* -v: the checks, one per line; -vv: their source in the series. */
static void checks_lines(FILE *out, const struct sd_report *r, const struct sd_adopt *a)
{
	for (int c = 0; c < SD_ADOPT_CHECK_COUNT; c++) {
		char head[64];

		snprintf(head, sizeof(head), "    %-21s %-7s", sd_adopt_check_name(c),
			 sd_check_result_name(a->c[c].result));
		sd_text_wrap(out, r->opts->width, head, 34, a->c[c].detail);
		if (r->opts->verbose > 1)
			sd_text_wrap(out, r->opts->width, "                                  ", 34,
				     sd_adopt_check_source(c));
	}
}

/* One overwritten StreamID: "StreamID 0x8 S1ContextPtr 0x50400000 (the
 * crashed kernel's 0x50300000), inside the crash-kernel reservation". */
static void overwrite_phrase(char *b, size_t n, const struct sd_live_overwrite *v)
{
	static const struct { const char *field, *name; } names[] = {
		{ "valid", "no valid STE" }, { "config", "Config" },
		{ "s1_context_ptr", "S1ContextPtr" }, { "s2_vmid", "S2VMID" }, { "s2ttb", "S2TTB" },
	};
	const char *name = v->field;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(names[i].field, v->field))
			name = names[i].name;
	if (!strcmp(v->field, "valid"))
		sd_appendf(b, n, "StreamID 0x%x %s", v->sid, name);
	else if (!strcmp(v->field, "config"))
		sd_appendf(b, n, "StreamID 0x%x %s %s (the crashed kernel's %s)", v->sid, name,
			   ste_config_name((unsigned)v->found), ste_config_name((unsigned)v->expected));
	else
		sd_appendf(b, n, "StreamID 0x%x %s 0x%" PRIx64 " (the crashed kernel's 0x%" PRIx64 ")",
			   v->sid, name, v->found, v->expected);
	if (v->in_crashk)
		sd_appendf(b, n, ", inside the crash-kernel reservation: written by the capture kernel");
}

/* The STEs now against what the crashed kernel installed: a count in the
 * first block (the first StreamIDs named), every one under -v. */
static void live_ste_lines(FILE *out, const struct sd_report *r, const struct sd_live_ste *ls)
{
	char b[LINE_MAX_ADOPT];

	snprintf(b, sizeof(b), "%" PRIu64 " StreamID%s the crashed kernel configured checked against "
		 "its structures: ", ls->checked, ls->checked == 1 ? "" : "s");
	if (!ls->total)
		sd_appendf(b, sizeof(b), "none overwritten");
	else
		sd_appendf(b, sizeof(b), "%" PRIu64 " overwritten since the crash", ls->total);
	if (ls->in_crashk)
		sd_appendf(b, sizeof(b), " (%" PRIu64 " pointing into the crash-kernel reservation)",
			   ls->in_crashk);
	if (ls->unknown)
		sd_appendf(b, sizeof(b), "; %" PRIu64 " not known from the structures", ls->unknown);
	if (ls->partial)
		sd_appendf(b, sizeof(b), "; partial: %s", ls->partial);
	for (size_t i = 0; i < ls->n && (r->opts->verbose || i < FINDINGS_SHOWN); i++) {
		sd_appendf(b, sizeof(b), i ? "; " : ": ");
		overwrite_phrase(b, sizeof(b), &ls->v[i]);
	}
	if (ls->total > ls->n || (!r->opts->verbose && ls->n > FINDINGS_SHOWN))
		sd_appendf(b, sizeof(b), "; ... (-v, -J list them)");
	sd_text_wrap(out, r->opts->width, "    live STEs:", 6, b);
}

/* The capture kernel: whose table the SMMU walks now. */
static void live_line(FILE *out, const struct sd_report *r, const struct sd_smmu *s)
{
	uint64_t crashed;
	const char *from, *v = sd_live_strtab_verdict(s, &crashed, &from);
	const struct sd_live_ste *ls = sd_smmu_live_ste(s);
	char b[LINE_MAX_ADOPT];

	if (!v)
		return;
	if (ls && ls->owner && ls->owner->driver[0]) {
		snprintf(b, sizeof(b), "the capture kernel's driver '%s' owns the SMMU (no live "
			 "registers); %s", ls->owner->driver, ls->owner->reset_logged ?
			 "it reset the SMMU, so the table the SMMU walks now is the capture kernel's, "
			 "not this dump's: " : "whether it adopted the crashed kernel's table or "
			 "replaced it is not known: ");
		sd_appendf(b, sizeof(b), "%s", ls->owner->evidence);
		sd_text_wrap(out, r->opts->width, "    live:", 6, b);
		return;
	}
	if (strcmp(v, "crashed-kernel"))
		return;
	sd_text_wrap(out, r->opts->width, "    live:", 6,
		     "STRTAB_BASE still points at the crashed kernel's table: adopted or never reset; "
		     "what is read from it now (and a dump saved from it) may contain the capture kernel's writes");
	if (ls && ls->compared)
		live_ste_lines(out, r, ls);
}

void sd_text_adoption(FILE *out, const struct sd_report *r)
{
	for (size_t i = 0; i < r->nsmmus; i++) {
		const struct sd_smmu *s = &r->smmus[i];
		const struct sd_adopt *a = sd_smmu_adoption(s);
		char head[160], b[LINE_MAX_ADOPT], name[SD_ESCAPED_SIZE(sizeof(s->regs.name))];

		if (!a)
			continue;
		if (r->nsmmus > 1)
			snprintf(head, sizeof(head), "  kdump adoption (%s):",
				 sd_escape_ctl(name, sizeof(name), s->regs.name));
		else
			snprintf(head, sizeof(head), "  kdump adoption:");
		verdict_line(a, b, sizeof(b));
		sd_text_wrap(out, r->opts->width, head, 6, b);
		placement_line(out, r, a);
		ids_line(out, r, &a->asids, "ASID", "TTB0");
		ids_line(out, r, &a->vmids, "VMID", "S2TTB");
		live_line(out, r, s);
		if (r->opts->verbose)
			checks_lines(out, r, a);
	}
}
