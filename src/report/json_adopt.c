// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The JSON of the kdump adoption check: smmus[].adoption (man page, KDUMP
 * ADOPTION).  Bounded: the check keeps at most SD_ADOPT_PLACEMENT_MAX
 * placement findings and SD_ADOPT_IDS_MAX IDs of each kind.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "adoption.h"
#include "report-priv.h"

static json_t *jhex(uint64_t v)
{
	char b[24];

	snprintf(b, sizeof(b), "0x%" PRIx64, v);
	return json_string(b);
}

/* One inventory: [{<key>, sids, users, <ttbkey>s, more_<ttbkey>s}]. */
static json_t *ids_json(const struct sd_adopt_ids *ids, const char *key, const char *ttbkey)
{
	json_t *arr = json_array();
	char more[32];

	snprintf(more, sizeof(more), "more_%s", ttbkey);
	for (size_t i = 0; i < ids->n; i++) {
		const struct sd_adopt_id *e = &ids->v[i];
		json_t *o = json_object(), *sids = json_array(), *ssids = json_array(), *ttbs = json_array();
		size_t kept = e->nusers < SD_ADOPT_USERS_MAX ? e->nusers : SD_ADOPT_USERS_MAX;

		for (size_t u = 0; u < kept; u++) {
			json_array_append_new(sids, jhex(e->users[u].sid));
			json_array_append_new(ssids, e->users[u].ssid == SD_NO_ID ? json_null() :
					      json_integer(e->users[u].ssid));
		}
		for (size_t t = 0; t < e->nttbs; t++)
			json_array_append_new(ttbs, jhex(e->ttbs[t]));
		json_object_set_new(o, key, json_integer(e->id));
		json_object_set_new(o, "sids", sids);
		if (!strcmp(key, "asid"))
			json_object_set_new(o, "ssids", ssids);
		else
			json_decref(ssids);
		json_object_set_new(o, "users", json_integer((json_int_t)e->nusers));
		json_object_set_new(o, ttbkey, ttbs);
		json_object_set_new(o, more, json_boolean(e->more_ttbs));
		json_array_append_new(arr, o);
	}
	return arr;
}

static void dups_json(json_t *arr, const struct sd_adopt_ids *ids, const char *kind)
{
	for (size_t i = 0; i < ids->n; i++) {
		const struct sd_adopt_id *e = &ids->v[i];
		json_t *o, *ttbs;

		if (e->nttbs < 2 && !e->more_ttbs)
			continue;
		o = json_object();
		ttbs = json_array();
		for (size_t t = 0; t < e->nttbs; t++)
			json_array_append_new(ttbs, jhex(e->ttbs[t]));
		json_object_set_new(o, "kind", json_string(kind));
		json_object_set_new(o, "id", json_integer(e->id));
		json_object_set_new(o, "tables", ttbs);
		json_array_append_new(arr, o);
	}
}

static json_t *place_json(const struct sd_adopt *a)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < a->nplace; i++) {
		const struct sd_adopt_place *p = &a->place[i];
		json_t *o = json_object();

		json_object_set_new(o, "table", json_string(sd_table_kind_name(p->table)));
		json_object_set_new(o, "address", jhex(p->addr));
		json_object_set_new(o, "sid", jhex(p->sid));
		json_object_set_new(o, "problem", json_string(sd_place_problem_name(p->problem)));
		json_array_append_new(arr, o);
	}
	return arr;
}

json_t *sd_json_adoption(const struct sd_smmu *s)
{
	const struct sd_adopt *a = sd_smmu_adoption(s);
	json_t *o, *checks, *ids, *dups, *pc;

	if (!a)
		return json_null();
	o = json_object();
	checks = json_array();
	json_object_set_new(o, "verdict", json_string(sd_adopt_verdict_name(a->verdict)));
	json_object_set_new(o, "first_failure", a->verdict == SD_ADOPT_REFUSED ?
			    json_string(sd_adopt_check_name(a->first_fail)) : json_null());
	for (int c = 0; c < SD_ADOPT_CHECK_COUNT; c++) {
		json_t *e = json_object();

		json_object_set_new(e, "name", json_string(sd_adopt_check_name(c)));
		json_object_set_new(e, "result", json_string(sd_check_result_name(a->c[c].result)));
		json_object_set_new(e, "detail", json_string(a->c[c].detail));
		json_object_set_new(e, "source", json_string(sd_adopt_check_source(c)));
		json_array_append_new(checks, e);
	}
	json_object_set_new(o, "checks", checks);
	json_object_set_new(o, "placement", place_json(a));
	json_object_set_new(o, "placement_dropped", json_integer((json_int_t)a->place_dropped));
	pc = json_object();
	json_object_set_new(pc, "tables", json_integer((json_int_t)a->tables_checked));
	json_object_set_new(pc, "ram_from", a->ram_known ? json_string(a->map->ram_from) : json_null());
	json_object_set_new(pc, "crashkernel", json_boolean(a->crashk_known));
	json_object_set_new(pc, "in_dump", json_boolean(a->dump_known));
	json_object_set_new(o, "placement_checked", pc);
	ids = json_object();
	dups = json_array();
	json_object_set_new(ids, "asids", ids_json(&a->asids, "asid", "ttb0s"));
	json_object_set_new(ids, "vmids", ids_json(&a->vmids, "vmid", "s2ttbs"));
	dups_json(dups, &a->asids, "asid");
	dups_json(dups, &a->vmids, "vmid");
	json_object_set_new(ids, "duplicates", dups);
	json_object_set_new(ids, "asids_dropped", json_integer((json_int_t)a->asids.dropped));
	json_object_set_new(ids, "vmids_dropped", json_integer((json_int_t)a->vmids.dropped));
	json_object_set_new(o, "ids", ids);
	json_object_set_new(o, "crash_kernel_writers", json_integer((json_int_t)a->crashk_devices));
	return o;
}

/* "expected"/"found" of an overwritten STE field: Config by name, the
 * valid bit as a boolean, pointers in hex, a VMID as a number. */
static json_t *ste_field_value(const char *field, uint64_t v)
{
	if (!strcmp(field, "config"))
		return sd_json_str(ste_config_name((unsigned)v));
	if (!strcmp(field, "valid"))
		return json_boolean(v);
	if (!strcmp(field, "s2_vmid"))
		return json_integer((json_int_t)v);
	return jhex(v);
}

/* The capture kernel's STE comparison and the driver that owns the SMMU
 * (smmus[].live; man page, --capture-regs and KDUMP ADOPTION). */
void sd_json_live_ste(json_t *l, const struct sd_live_ste *ls)
{
	json_t *ow;

	if (ls && ls->owner && ls->owner->driver[0])
		json_object_set_new(l, "owner", json_pack("{s:o, s:b, s:o}", "driver",
							  sd_json_str(ls->owner->driver),
							  "reset_logged", ls->owner->reset_logged,
							  "evidence", sd_json_str(ls->owner->evidence)));
	if (!ls || !ls->compared) {
		json_object_set_new(l, "checked", json_null());
		json_object_set_new(l, "overwritten", json_null());
		return;
	}
	ow = json_array();
	for (size_t i = 0; i < ls->n; i++) {
		const struct sd_live_overwrite *v = &ls->v[i];

		json_array_append_new(ow, json_pack("{s:o, s:s, s:o, s:o, s:b}", "sid", json_integer(v->sid),
						    "field", v->field, "expected",
						    ste_field_value(v->field, v->expected), "found",
						    ste_field_value(v->field, v->found),
						    "in_crash_kernel", v->in_crashk));
	}
	json_object_set_new(l, "checked", json_integer((json_int_t)ls->checked));
	json_object_set_new(l, "unknown", json_integer((json_int_t)ls->unknown));
	json_object_set_new(l, "overwritten", ow);
	json_object_set_new(l, "overwritten_total", json_integer((json_int_t)ls->total));
	json_object_set_new(l, "overwritten_in_crash_kernel", json_integer((json_int_t)ls->in_crashk));
	json_object_set_new(l, "partial", ls->partial ? sd_json_str(ls->partial) : json_null());
}
