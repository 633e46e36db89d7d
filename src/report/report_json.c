// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * JSON report, schema_version 4 (smmu-strtab-dump(1), JSON OUTPUT).
 * Addresses are lowercase "0x..." strings because JSON readers lose
 * precision above 2^53; counts, sizes and raw field values are numbers.
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "kernel.h"
#include "report.h"
#include "report-priv.h"
#include "queues.h"
#include "sd_cleanup.h"
#include "smmu_fields.h"

/*
 * Strings read from a crashed kernel's memory (device and driver names, the
 * path of the dump) need not be UTF-8, and jansson refuses what is not: such
 * bytes are written as the four characters \xNN, as lsblk -P does.
 */
static json_t *jstr(const char *s)
{
	json_t *j = json_string(s);
	char *esc, *o;

	if (j || !s)
		return j ? j : json_null();
	esc = malloc(strlen(s) * 4 + 1);
	if (!esc)
		return json_null();
	for (o = esc; *s; s++) {
		if ((unsigned char)*s >= 0x80)
			o += sprintf(o, "\\x%02x", (unsigned char)*s);
		else
			*o++ = *s;
	}
	*o = 0;
	j = json_string(esc);
	free(esc);
	return j ? j : json_null();
}

json_t *sd_json_str(const char *s)
{
	return jstr(s);
}

static json_t *hex(uint64_t v)
{
	char b[24];

	snprintf(b, sizeof(b), "0x%" PRIx64, v);
	return jstr(b);
}

static json_t *id_or_null(int64_t v)
{
	return v == SD_NO_ID ? json_null() : json_integer(v);
}

static json_t *raw_dwords(const uint64_t dw[8])
{
	json_t *a = json_array();

	for (int i = 0; i < 8; i++)
		json_array_append_new(a, hex(dw[i]));
	return a;
}

static json_t *ste_json(const struct ste *s)
{
	json_t *o = json_object();

#define NUM(name, field) json_object_set_new(o, name, json_integer(s->field))
	NUM("config", config);
	NUM("s1fmt", s1fmt);
	json_object_set_new(o, "s1_context_ptr", hex(s->s1_context_ptr));
	NUM("s1cdmax", s1cdmax);
	NUM("s1dss", s1dss);
	NUM("s1cir", s1cir);
	NUM("s1cor", s1cor);
	NUM("s1csh", s1csh);
	NUM("s1stalld", s1stalld);
	NUM("eats", eats);
	NUM("strw", strw);
	NUM("shcfg", shcfg);
	NUM("mev", mev);
	NUM("s2fwb", s2fwb);
	NUM("s2vmid", s2vmid);
	NUM("s2t0sz", s2t0sz);
	NUM("s2sl0", s2sl0);
	NUM("s2ir0", s2ir0);
	NUM("s2or0", s2or0);
	NUM("s2sh0", s2sh0);
	NUM("s2tg", s2tg);
	NUM("s2ps", s2ps);
	NUM("s2aa64", s2aa64);
	NUM("s2endi", s2endi);
	NUM("s2affd", s2affd);
	NUM("s2ptw", s2ptw);
	NUM("s2s", s2s);
	NUM("s2r", s2r);
	json_object_set_new(o, "s2ttb", hex(s->s2ttb));
#undef NUM
	return o;
}

static json_t *tristate(int v)
{
	return v < 0 ? json_null() : json_boolean(v);
}

/* schema_version 3: the kernel's is_busmaster and the hardware's
 * PCI_COMMAND bit (null offline); 2 had the kernel's alone, a boolean. */
static json_t *bus_master_json(const struct sd_kdev *d)
{
	return json_pack("{s:o,s:o}", "kernel", tristate(d->bus_master),
			 "hardware", tristate(d->hw_bus_master));
}

/* schema_version 3: every record of the StreamID in the ring, by state (2
 * had "recent_faults", the pending ones alone). */
static json_t *faults_json(const struct sd_event_sid *e)
{
	return json_pack("{s:i,s:i}", "pending", e ? (json_int_t)e->pending : 0,
			 "consumed", e ? (json_int_t)e->consumed : 0);
}

/* One StreamID with event records and no decoded stream: who it may be. */
static json_t *unknown_requester_json(const struct sd_event_sid *e)
{
	unsigned bus, dev, fn;
	char b[200];
	json_t *o;

	sd_event_summary(e, b, sizeof(b));
	o = json_pack("{s:i,s:o,s:s}", "sid", (json_int_t)e->sid, "faults", faults_json(e),
		      "summary", b);
	if (!o)
		return NULL;
	if (sd_sid_as_rid(e->sid, &bus, &dev, &fn))
		json_object_set_new(o, "pci_if_identity_map",
				    json_pack("{s:i,s:i,s:i}", "bus", bus, "device", dev,
					      "function", fn));
	else
		json_object_set_new(o, "pci_if_identity_map", json_null());
	return o;
}

static json_t *device_json(const struct sd_kdev *d)
{
	json_t *o;

	if (!d)
		return json_null();
	o = json_object();
	json_object_set_new(o, "name", jstr(d->name));
	json_object_set_new(o, "driver", d->driver[0] ? jstr(d->driver) : json_null());
	json_object_set_new(o, "iommu_group", d->iommu_group < 0 ? json_null() : json_integer(d->iommu_group));
	json_object_set_new(o, "bus_master", bus_master_json(d));
	json_object_set_new(o, "domain_type", d->domain_type != SD_DOMAIN_NONE ?
			    jstr(sd_domain_type_name(d->domain_type)) : json_null());
	json_object_set_new(o, "ats_enabled", tristate(d->ats_enabled));
	return o;
}

static json_t *event_json(const struct sd_event *e)
{
	const char *name = evt_name(e->id);
	json_t *o = json_object();
	char b[16];

	snprintf(b, sizeof(b), "0x%02x", e->id);
	json_object_set_new(o, "type", jstr(name ? name : b));
	json_object_set_new(o, "id", json_integer(e->id));
	json_object_set_new(o, "index", json_integer(e->index));
	json_object_set_new(o, "sid", json_integer(e->sid));
	json_object_set_new(o, "ssid", evt_ssid_valid(e) ? json_integer(e->ssid) : json_null());
	json_object_set_new(o, "address", hex(e->addr));
	json_object_set_new(o, "read", json_boolean(e->rnw));
	json_object_set_new(o, "ipa", evt_has_ipa(e) ? hex(e->ipa) : json_null());
	json_object_set_new(o, "fetch_address", evt_has_fetch_addr(e->id) ? hex(e->fetch_addr) : json_null());
	json_object_set_new(o, "stale", json_boolean(e->stale));
	json_object_set_new(o, "raw", json_pack("[s,s,s,s]", "", "", "", ""));
	for (int w = 0; w < 4; w++)
		json_array_set_new(json_object_get(o, "raw"), w, hex(e->dw[w]));
	return o;
}

static json_t *command_json(const struct sd_command *c)
{
	const char *name = cmd_name(c->op);
	json_t *o = json_object();
	char b[16];

	snprintf(b, sizeof(b), "0x%02x", c->op);
	json_object_set_new(o, "opcode", json_integer(c->op));
	json_object_set_new(o, "name", jstr(name ? name : b));
	json_object_set_new(o, "index", json_integer(c->index));
	json_object_set_new(o, "operands", jstr(c->operands));
	json_object_set_new(o, "raw", json_pack("[o,o]", hex(c->dw[0]), hex(c->dw[1])));
	return o;
}

static json_t *mapping_json(const struct sd_mapping *p)
{
	json_t *e = json_object();

	json_object_set_new(e, "ssid", id_or_null(p->ssid));
	json_object_set_new(e, "iova", hex(p->iova));
	json_object_set_new(e, "pa", hex(p->pa));
	json_object_set_new(e, "size", json_integer((json_int_t)p->size));
	json_object_set_new(e, "read", json_boolean(p->read));
	json_object_set_new(e, "write", json_boolean(p->write));
	json_object_set_new(e, "exec", json_boolean(p->exec));
	return e;
}

static json_t *crashk_json(const struct sd_smmu *s, const struct sd_kernel_result *k)
{
	json_t *o, *res, *ov;

	if (!k || (!k->have_crashk && !k->have_crashk_low))
		return json_null();
	o = json_object();
	res = json_array();
	for (int r = 0; r < 2; r++) {
		json_t *e;

		if (!(r ? k->have_crashk_low : k->have_crashk))
			continue;
		e = json_object();
		json_object_set_new(e, "name", jstr(r ? "Crash kernel (low)" : "Crash kernel"));
		json_object_set_new(e, "start", hex(r ? k->crashk_low_start : k->crashk_start));
		json_object_set_new(e, "end", hex(r ? k->crashk_low_end : k->crashk_end));
		json_array_append_new(res, e);
	}
	json_object_set_new(o, "reservations", res);
	ov = json_array();
	for (size_t i = 0; i < s->noverlaps; i++) {
		const struct sd_overlap *x = &s->overlaps[i];
		json_t *e = mapping_json(&x->map);

		json_object_set_new(e, "sid", json_integer(x->sid));
		json_object_set_new(e, "iova_inside", json_boolean(x->iova_inside));
		json_object_set_new(e, "pa_inside", json_boolean(x->pa_inside));
		json_object_set_new(e, "region", jstr(x->region));
		json_array_append_new(ov, e);
	}
	json_object_set_new(o, "overlaps", ov);
	if (s->overlaps_total > s->noverlaps)
		json_object_set_new(o, "overlaps_dropped",
				    json_integer((json_int_t)(s->overlaps_total - s->noverlaps)));
	return o;
}

/* What in-flight DMA meets, and for a live snapshot whose table it is. */
static void live_json(json_t *o, const struct sd_smmu *s)
{
	const char *dma = sd_live_dma_state(&s->regs), *verdict, *from;
	uint64_t crashed;

	json_object_set_new(o, "dma_state", dma ? jstr(dma) : json_null());
	verdict = sd_live_strtab_verdict(s, &crashed, &from);
	if (verdict) {
		json_t *l = json_object();

		json_object_set_new(l, "strtab", jstr(verdict));
		json_object_set_new(l, "crashed_strtab_base", from ? hex(crashed) : json_null());
		json_object_set_new(l, "crashed_from", from ? jstr(from) : json_null());
		sd_json_live_ste(l, sd_smmu_live_ste(s));
		json_object_set_new(o, "live", l);
	}
}

/* ---- the document, written as it is produced (json_writer.c) ---- */

struct json_ctx {
	struct jw *w;
	const struct sd_report *r;
	struct sd_smmu *s;
};

static enum sd_status put_mapping(void *arg, const struct sd_mapping *m)
{
	struct json_ctx *c = arg;

	jw_mapping(c->w, m);
	return jw_status(c->w);
}

/* The members of a stream before its contexts. */
static json_t *stream_head(const struct sd_stream *s, const struct sd_verdict *vd)
{
	json_t *o = json_object();

	json_object_set_new(o, "sid", json_integer(s->sid));
	json_object_set_new(o, "valid", json_boolean(s->ste.v));
	json_object_set_new(o, "config", jstr(ste_config_name(s->ste.config)));
	json_object_set_new(o, "bad_ste", json_boolean(s->bad));
	json_object_set_new(o, "ste", ste_json(&s->ste));
	json_object_set_new(o, "raw", raw_dwords(s->ste.dw));
	if (vd->verdict != SD_VERDICT_NONE) {
		json_t *v = json_object();

		json_object_set_new(v, "class", jstr(sd_verdict_name(vd->verdict)));
		json_object_set_new(v, "reason", jstr(vd->reason));
		json_object_set_new(v, "faults", faults_json(vd->events));
		json_object_set_new(v, "user_space", json_boolean(vd->user_space));
		json_object_set_new(o, "verdict", v);
	}
	json_object_set_new(o, "device", device_json(vd->dev));
	return o;
}

/* A stream's valid CDs (up to SD_MAX_CONTEXTS), written one at a time so
 * that the memory a stream takes does not grow with its CD count. */
static void put_contexts(struct jw *w, const struct sd_stream *s)
{
	jw_open(w, "contexts", '[');
	for (size_t i = 0; i < s->nctx; i++)
		jw_cd(w, &s->ctx[i]);
	jw_close(w, ']');
}

/* One stream: analysed (one walk of its mappings), then written, its
 * mappings walked again and written as they come. */
static enum sd_status put_stream(void *arg, const struct sd_stream *st)
{
	struct json_ctx *c = arg;
	struct jw *w = c->w;
	struct sd_verdict v;
	enum sd_status rc;
	bool walked;

	rc = sd_analyse_stream(c->s, st, SD_WALK_REPLAY, NULL, NULL, &v);
	if (rc != SD_OK)
		return rc;
	jw_open(w, NULL, '{');
	jw_members(w, stream_head(st, &v));
	put_contexts(w, st);
	if (c->r->opts->mappings) {
		jw_open(w, "mappings", '[');
		rc = sd_stream_walk_mappings(c->s, st, SD_WALK_REPLAY, put_mapping, c, &walked);
		jw_close(w, ']');
		jw_value(w, "mapped_bytes", json_integer((json_int_t)v.mapped_bytes));
	}
	jw_close(w, '}');
	return rc != SD_OK ? rc : jw_status(w);
}

/* The members of an SMMU before its streams. */
static json_t *smmu_head(const struct sd_smmu *s)
{
	json_t *o = json_object(), *st = json_object(), *regs = json_object();
	json_t *counts = json_object();
	static const char *const cfgs[] = { "abort", "bypass", "s1-trans", "s2-trans",
					    "nested", "reserved" };

	json_object_set_new(o, "name", jstr(s->regs.name));
	json_object_set_new(o, "source", jstr(sd_reg_source_name(s->source)));
	json_object_set_new(o, "found_by", s->kernel && s->kernel->how[0] ?
			    jstr(s->kernel->how) : json_null());
	json_object_set_new(o, "discovery", s->kernel && s->kernel->found_by[0] ?
			    jstr(s->kernel->found_by) : json_null());
	if (s->kernel) {
		json_t *f = json_array(), *op = json_array();

		for (unsigned i = 0; i < s->kernel->nfeature_names; i++)
			json_array_append_new(f, jstr(s->kernel->feature_names[i]));
		for (unsigned i = 0; i < s->kernel->noption_names; i++)
			json_array_append_new(op, jstr(s->kernel->option_names[i]));
		json_object_set_new(o, "features", f);
		json_object_set_new(o, "options", op);
	} else {
		json_object_set_new(o, "features", json_null());
		json_object_set_new(o, "options", json_null());
	}
	json_object_set_new(o, "strtab_base", hex(s->st.base_reg));
	json_object_set_new(o, "strtab_base_cfg", hex(s->st.cfg_reg));
	json_object_set_new(st, "address", hex(s->st.addr));
	json_object_set_new(st, "format", jstr(
		s->st.fmt == STRTAB_BASE_CFG_FMT_LINEAR ? "linear" :
		s->st.fmt == STRTAB_BASE_CFG_FMT_2LVL ? "2-level" : "reserved"));
	json_object_set_new(st, "log2size", json_integer(s->st.log2size));
	json_object_set_new(st, "split", s->st.fmt == STRTAB_BASE_CFG_FMT_2LVL ?
			    json_integer(s->st.split) : json_null());
	json_object_set_new(st, "ra", json_boolean(s->st.ra));
	json_object_set_new(st, "l1_entries", s->st.fmt == STRTAB_BASE_CFG_FMT_2LVL ?
			    json_integer((json_int_t)s->st.l1_entries) : json_null());
	json_object_set_new(st, "max_sids", json_integer((json_int_t)s->st.num_sids));
	json_object_set_new(o, "strtab", st);
	for (int i = 0; i < SD_REG_COUNT; i++)
		if (s->regs.have[i])
			json_object_set_new(regs, sd_reg_name(i), hex(s->regs.val[i]));
	json_object_set_new(o, "registers", regs);
	live_json(o, s);
	json_object_set_new(counts, "valid", json_integer((json_int_t)s->count_valid));
	for (size_t i = 0; i < sizeof(cfgs) / sizeof(cfgs[0]); i++)
		json_object_set_new(counts, cfgs[i], json_integer((json_int_t)sd_smmu_count(s, cfgs[i])));
	json_object_set_new(o, "counts", counts);
	return o;
}

/*
 * The members of an SMMU after its streams that grow with the queues: the
 * event records (at most SD_MAX_EVENTS; schema_version 4: events_dropped
 * counts the older ones), the StreamIDs no stream has (one per StreamID in
 * the ring), the pending commands (at most SD_MAX_COMMANDS; 4:
 * commands_dropped), written one at a time.
 */
static json_t *event_item(const struct sd_smmu *s, size_t i)
{
	return event_json(&s->events[i]);
}

static json_t *command_item(const struct sd_smmu *s, size_t i)
{
	return command_json(&s->commands[i]);
}

/* A queue's kept entries as KEY (null without the queue's registers), and
 * KEY_dropped: @total - @n, the entries not kept. */
static void put_queue(struct jw *w, const char *key, const char *dropped_key,
		      const struct sd_smmu *s, bool have, size_t n, uint64_t total,
		      json_t *(*item)(const struct sd_smmu *, size_t))
{
	if (!have) {
		jw_value(w, key, json_null());
	} else {
		jw_open(w, key, '[');
		for (size_t i = 0; i < n && !w->failed; i++)
			jw_value(w, NULL, item(s, i));
		jw_close(w, ']');
	}
	jw_value(w, dropped_key, have ? json_integer((json_int_t)(total - n)) : json_null());
}

static void put_queues(struct jw *w, const struct sd_smmu *s)
{
	put_queue(w, "events", "events_dropped", s, s->have_evtq, s->nevents, s->events_total,
		  event_item);
	jw_open(w, "unknown_requesters", '[');
	for (size_t i = 0; i < s->nevsids && !w->failed; i++)
		if (sd_event_sid_unknown(s, &s->evsids[i]))
			jw_value(w, NULL, unknown_requester_json(&s->evsids[i]));
	jw_close(w, ']');
	put_queue(w, "commands", "commands_dropped", s, s->have_cmdq, s->ncommands,
		  s->commands_total, command_item);
}

/* The other members of an SMMU after its streams. */
static json_t *smmu_tail(const struct sd_smmu *s, const struct sd_report *r)
{
	json_t *o = json_object(), *probs = json_array();
	uint64_t act;

	json_object_set_new(o, "crashkernel", crashk_json(s, r->kernel));
	json_object_set_new(o, "gerror_active", smmu_gerror_active(&s->regs, &act) ?
			    hex(act) : json_null());
	for (size_t i = 0; i < s->nprobs; i++) {
		const struct sd_problem_rec *p = &s->probs[i];
		json_t *e = json_object();

		json_object_set_new(e, "kind", jstr(sd_problem_kind_name(p->kind)));
		json_object_set_new(e, "sid", id_or_null(p->sid));
		json_object_set_new(e, "ssid", id_or_null(p->ssid));
		json_object_set_new(e, "level", p->level < 0 ? json_null() : json_integer(p->level));
		json_object_set_new(e, "address", p->has_addr ? hex(p->addr) : json_null());
		json_object_set_new(e, "message", jstr(p->msg));
		json_array_append_new(probs, e);
	}
	json_object_set_new(o, "problems", probs);
	json_object_set_new(o, "problems_dropped", json_integer((json_int_t)s->probs_dropped));
	json_object_set_new(o, "adoption", sd_json_adoption(s));
	return o;
}

/* kernel.debuginfo: where the DWARF types came from, null when they are
 * not DWARF; module: arm-smmu-v3's own debug file, or null. */
static json_t *debuginfo_json(const struct sd_kernel_result *k)
{
	const struct sd_kdebuginfo *v = &k->debuginfo, *m = &k->module_debuginfo;
	json_t *o;

	if (!v->from)
		return json_null();
	o = json_pack("{s:o, s:s}", "path", jstr(v->path), "from", v->from);
	json_object_set_new(o, "module", m->from ? json_pack("{s:o, s:s}", "path", jstr(m->path),
							     "from", m->from) : json_null());
	return o;
}

static enum sd_status put_smmu(struct jw *w, struct sd_smmu *s, const struct sd_report *r)
{
	struct json_ctx c = { w, r, s };
	enum sd_status rc;

	/* The first pass: counts, problems and overlaps before the streams. */
	rc = sd_analyse(s, NULL);
	if (rc != SD_OK)
		return rc;
	jw_open(w, NULL, '{');
	jw_members(w, smmu_head(s));
	jw_open(w, "streams", '[');
	rc = sd_smmu_walk_streams(s, SD_WALK_REPLAY, put_stream, &c);
	if (rc != SD_OK)
		return rc;
	jw_close(w, ']');
	put_queues(w, s);
	jw_members(w, smmu_tail(s, r));
	jw_close(w, '}');
	return jw_status(w);
}

static json_t *dump_json(const struct sd_report *r)
{
	json_t *dump = json_object();

	json_object_set_new(dump, "path", jstr(r->path));
	if (r->dump) {
		const struct sd_dump_info *d = r->dump;

		json_object_set_new(dump, "format", d->format ? jstr(d->format) : json_null());
		json_object_set_new(dump, "compression",
				    d->compression ? jstr(d->compression) : json_null());
		json_object_set_new(dump, "page_size", json_integer((json_int_t)d->page_size));
		json_object_set_new(dump, "dump_level",
				    d->dump_level < 0 ? json_null() : json_integer(d->dump_level));
		json_object_set_new(dump, "osrelease",
				    d->osrelease ? jstr(d->osrelease) : json_null());
	}
	return dump;
}

static json_t *kernel_json(const struct sd_report *r)
{
	json_t *k = json_object();

	if (r->kernel) {
		json_object_set_new(k, "symbols", jstr(r->kernel->symbols ? r->kernel->symbols : "none"));
		json_object_set_new(k, "types", jstr(r->kernel->types ? r->kernel->types : "none"));
		json_object_set_new(k, "debuginfo", debuginfo_json(r->kernel));
		json_t *notes = json_array();

		/* schema_version 2: one string per note (1: one joined string) */
		for (size_t i = 0; i < r->kernel->diags.n; i++)
			json_array_append_new(notes, jstr(r->kernel->diags.v[i].msg));
		json_object_set_new(k, "notes", notes);
		json_object_set_new(k, "notes_dropped",
				    json_integer((json_int_t)r->kernel->diags.dropped));
	} else {
		json_object_set_new(k, "error", jstr(r->kernel_why ? r->kernel_why : ""));
	}
	return k;
}

enum sd_status sd_report_json(FILE *out, const struct sd_report *r, struct sd_error *err)
{
	struct obuf *ob sd_autofree = malloc(sizeof(*ob));
	struct jw w = { .out = ob };
	enum sd_status rc = SD_OK;

	if (!ob)
		return sd_error_set(err, SD_ERR_NOMEM, "JSON report: %s", sd_status_name(SD_ERR_NOMEM));
	obuf_init(ob, out);
	json_set_alloc_funcs(jw_malloc, free);
	jw_open(&w, NULL, '{');
	jw_value(&w, "schema_version", json_integer(4));
	jw_value(&w, "dump", dump_json(r));
	jw_value(&w, "kernel", kernel_json(r));
	jw_open(&w, "smmus", '[');
	for (size_t i = 0; rc == SD_OK && i < r->nsmmus; i++)
		rc = put_smmu(&w, &r->smmus[i], r);
	if (rc == SD_ERR_IO)
		return obuf_finish(ob, err);
	if (rc != SD_OK) {
		/* what was written before the failure, as stdio would have */
		obuf_flush(ob);
		return sd_error_set(err, rc, "JSON report: %s", sd_status_name(rc));
	}
	jw_close(&w, ']');
	jw_close(&w, '}');
	obuf_putc(ob, '\n');
	rc = jw_status(&w);
	if (rc == SD_OK || rc == SD_ERR_IO)
		return obuf_finish(ob, err);
	obuf_flush(ob);
	return sd_error_set(err, rc, "JSON report: %s", sd_status_name(rc));
}
