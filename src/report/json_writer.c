// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The JSON report's writer (report-priv.h, struct jw): the document laid
 * out as json_dumps(JSON_INDENT(2)) would, one member at a time, and the
 * per-mapping hot path without jansson or printf.
 */
#include <stdlib.h>
#include <string.h>

#include "report-priv.h"
#include "sd_error.h"

/*
 * jansson reports an allocation failure only as a NULL that its setters
 * take silently (json_object_set_new(o, k, NULL) drops the member): every
 * allocation it makes goes through here, so that a failed one makes the
 * report fail instead of coming out with members missing.
 */
void *jw_malloc(size_t n)
{
	void *p = malloc(n);

	if (!p)
		sd_note_alloc_failure();
	return p;
}

/* What the writer met: SD_ERR_IO when the output failed (whose message the
 * session gives), SD_ERR_NOMEM when a value could not be built. */
enum sd_status jw_status(const struct jw *w)
{
	if (w->out->failed || ferror(w->out->f))
		return SD_ERR_IO;
	return w->failed || sd_alloc_failed() ? SD_ERR_NOMEM : SD_OK;
}

static void jw_indent(struct jw *w, int depth)
{
	obuf_spaces(w->out, 2 * (size_t)depth);
}

/* Before a member or element: the separator, the indent, the key. */
static void jw_key(struct jw *w, const char *key)
{
	if (w->depth) {
		obuf_puts(w->out, w->first[w->depth] ? "\n" : ",\n");
		w->first[w->depth] = false;
		jw_indent(w, w->depth);
	}
	if (key) {
		obuf_putc(w->out, '"');
		obuf_puts(w->out, key);
		obuf_write(w->out, "\": ", 3);
	}
}

void jw_open(struct jw *w, const char *key, char bracket)
{
	jw_key(w, key);
	obuf_putc(w->out, bracket);
	if (w->depth + 1 < JW_MAX_DEPTH)
		w->first[++w->depth] = true;
}

void jw_close(struct jw *w, char bracket)
{
	if (!w->first[w->depth]) {
		obuf_putc(w->out, '\n');
		jw_indent(w, w->depth - 1);
	}
	w->depth--;
	obuf_putc(w->out, bracket);
}

/* One member (or element, @key NULL) from a jansson value; takes @v. */
void jw_value(struct jw *w, const char *key, json_t *v)
{
	char *text = v ? json_dumps(v, JW_FLAGS) : NULL;

	json_decref(v);
	jw_key(w, key);
	if (!text) {
		w->failed = true;
		return;
	}
	for (const char *p = text, *nl; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl) {
			obuf_puts(w->out, p);
			break;
		}
		obuf_write(w->out, p, (size_t)(nl + 1 - p));
		jw_indent(w, w->depth);
	}
	free(text);
}

/* Every member of @obj, in order, as members of the open object; takes @obj. */
void jw_members(struct jw *w, json_t *obj)
{
	const char *key;
	json_t *v;

	if (!obj) {
		w->failed = true;
		return;
	}
	json_object_foreach(obj, key, v)
		jw_value(w, key, json_incref(v));
	json_decref(obj);
}

/* Copy the literal @lit (a string constant: the copy's size is known at
 * compile time) to @p; the end of the copy. */
static inline char *jw_put(char *p, const char *lit, size_t n)
{
	memcpy(p, lit, n);
	return p + n;
}
#define PUT(p, lit)	jw_put((p), (lit), sizeof(lit) - 1)

/* A new line indented by @in (at most JW_MAX_INDENT) columns: the spaces
 * are copied as one constant block and the end moved back over the excess,
 * which the next bytes overwrite. */
#define JW_MAX_INDENT	(2 * JW_MAX_DEPTH)
static const char jw_spaces[JW_MAX_INDENT] = {
	[0 ... JW_MAX_INDENT - 1] = ' '
};

static inline char *jw_nl(char *p, size_t in)
{
	*p++ = '\n';
	memcpy(p, jw_spaces, JW_MAX_INDENT);
	return p + in;
}

/* A string that is not a constant (a key from a table), unquoted. */
static inline char *jw_str(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return p + n;
}

static inline char *jw_bool(char *p, bool v)
{
	return v ? PUT(p, "true") : PUT(p, "false");
}

/*
 * An object element of at most @max bytes written in place, its lines
 * indented up to @deeper columns more than the element: room in the
 * buffer (*@start), the separator, the new line and '{' (jw_key(w, NULL),
 * jw_open()); what follows goes at the pointer returned.  NULL (and
 * w->failed) if those lines would be indented past JW_MAX_INDENT: never,
 * the report's elements are not that deep.
 */
static inline char *jw_elem_open(struct jw *w, size_t deeper, size_t max, char **start)
{
	size_t in = 2 * (size_t)w->depth;
	char *p;

	if (in + deeper > JW_MAX_INDENT) {
		w->failed = true;
		return NULL;
	}
	p = *start = obuf_room(w->out, max);
	if (!w->first[w->depth])
		*p++ = ',';
	w->first[w->depth] = false;
	return PUT(jw_nl(p, in), "{");
}

/*
 * The hot path: one mapping, without jansson or printf (10^7 of them on a
 * large server), the same bytes as jw_key() and mapping_json() dumped by
 * jw_value().  The longest: 9 new lines with their indents, the keys and
 * the values.
 */
#define JW_MAPPING_MAX	(9 * (1 + JW_MAX_INDENT) + 64 + 4 * FMT_U64_MAX + 16)
_Static_assert(JW_MAPPING_MAX <= OBUF_ROOM_MAX, "a mapping fits obuf_room()");

void jw_mapping(struct jw *w, const struct sd_mapping *m)
{
	size_t in = 2 * (size_t)w->depth;	/* the element's indent */
	char *start, *p = jw_elem_open(w, 2, JW_MAPPING_MAX, &start);

	if (!p)
		return;
	p = PUT(jw_nl(p, in + 2), "\"ssid\": ");
	if (m->ssid == SD_NO_ID)
		p = PUT(p, "null");
	else
		p += fmt_i64(p, m->ssid);
	p = PUT(jw_nl(PUT(p, ","), in + 2), "\"iova\": \"");
	p += fmt_hex(p, m->iova);
	p = PUT(jw_nl(PUT(p, "\","), in + 2), "\"pa\": \"");
	p += fmt_hex(p, m->pa);
	p = PUT(jw_nl(PUT(p, "\","), in + 2), "\"size\": ");
	/* json_integer((json_int_t)size), as mapping_json() */
	p += fmt_i64(p, (int64_t)m->size);
	p = jw_bool(PUT(jw_nl(PUT(p, ","), in + 2), "\"read\": "), m->read);
	p = jw_bool(PUT(jw_nl(PUT(p, ","), in + 2), "\"write\": "), m->write);
	p = jw_bool(PUT(jw_nl(PUT(p, ","), in + 2), "\"exec\": "), m->exec);
	p = PUT(jw_nl(p, in), "}");
	obuf_commit(w->out, (size_t)(p - start));
}

/*
 * The other hot path (a CD table shared by many streams: up to 16,384 CDs
 * per stream): one CD without jansson or printf, the bytes jw_key() and
 * json_dumps(JSON_INDENT(2)) give an object of its "ssid", the fields in
 * this order, "ttb0", "ttb1", "mair" and "raw" (8 dwords).  The longest:
 * 37 new lines with their indents, the keys (about 90 characters, 5 more
 * each for quotes, colon and comma) and 33 numbers (4 more each for
 * quotes and comma).
 */
static const char *const jw_cd_names[] = {
	"t0sz", "tg0", "irgn0", "orgn0", "sh0", "epd0", "endi", "t1sz", "tg1",
	"epd1", "v", "ips", "tbi0", "aa64", "hd", "ha", "s", "r", "a", "aset", "asid",
};
#define JW_CD_NFIELDS	(sizeof(jw_cd_names) / sizeof(jw_cd_names[0]))
#define JW_CD_MAX	(37 * (1 + JW_MAX_INDENT) + 256 + 33 * (FMT_U64_MAX + 4))
_Static_assert(JW_CD_MAX <= OBUF_ROOM_MAX, "a CD fits obuf_room()");

void jw_cd(struct jw *w, const struct sd_context *c)
{
	const struct cd *d = &c->cd;
	const unsigned vals[] = {
		d->t0sz, d->tg0, d->irgn0, d->orgn0, d->sh0, d->epd0, d->endi, d->t1sz, d->tg1,
		d->epd1, d->v, d->ips, d->tbi0, d->aa64, d->hd, d->ha, d->s, d->r, d->a, d->aset,
		d->asid,
	};
	const uint64_t hexes[] = { d->ttb0, d->ttb1, d->mair };
	static const char *const hex_keys[] = { "\"ttb0\": \"", "\"ttb1\": \"", "\"mair\": \"" };
	size_t in = 2 * (size_t)w->depth;	/* the element's indent */
	char *start, *p;

	_Static_assert(sizeof(vals) / sizeof(vals[0]) == JW_CD_NFIELDS, "one name per CD field");
	p = jw_elem_open(w, 4, JW_CD_MAX, &start);
	if (!p)
		return;
	p = PUT(jw_nl(p, in + 2), "\"ssid\": ");
	p += fmt_u64(p, c->ssid);
	for (size_t i = 0; i < JW_CD_NFIELDS; i++) {
		p = PUT(jw_nl(PUT(p, ","), in + 2), "\"");
		p = PUT(jw_str(p, jw_cd_names[i]), "\": ");
		p += fmt_u64(p, vals[i]);
	}
	for (size_t i = 0; i < sizeof(hexes) / sizeof(hexes[0]); i++) {
		p = jw_str(jw_nl(PUT(p, ","), in + 2), hex_keys[i]);
		p += fmt_hex(p, hexes[i]);
		p = PUT(p, "\"");
	}
	p = PUT(jw_nl(PUT(p, ","), in + 2), "\"raw\": [");
	for (int k = 0; k < 8; k++) {
		if (k)
			p = PUT(p, ",");
		p = PUT(jw_nl(p, in + 4), "\"");
		p += fmt_hex(p, d->dw[k]);
		p = PUT(p, "\"");
	}
	p = PUT(jw_nl(p, in + 2), "]");
	p = PUT(jw_nl(p, in), "}");
	obuf_commit(w->out, (size_t)(p - start));
}
