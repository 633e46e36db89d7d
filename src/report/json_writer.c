// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The JSON report's writer (report-priv.h, struct jw): the document laid
 * out as json_dumps(JSON_INDENT(2)) would, one member at a time, and the
 * per-mapping hot path without jansson or printf.
 */
#include <stdlib.h>
#include <string.h>

#include "report-priv.h"

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

static inline char *jw_bool(char *p, bool v)
{
	return v ? PUT(p, "true") : PUT(p, "false");
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
	char *p, *start;

	if (in + 2 > JW_MAX_INDENT) {		/* never: mappings are not that deep */
		w->failed = true;
		return;
	}
	p = start = obuf_room(w->out, JW_MAPPING_MAX);
	/* jw_key(w, NULL) */
	if (!w->first[w->depth])
		*p++ = ',';
	w->first[w->depth] = false;
	p = PUT(jw_nl(p, in), "{");
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
