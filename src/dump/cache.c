// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The page cache of the dump layer and the reads through it.
 *
 * Physical reads go through a fixed-size cache (CACHE_PAGES pages of the
 * dump's page size, hashed, clock replacement) that also remembers pages
 * the dump does not hold, so that a table walk asking again and again for
 * a filtered page costs one lookup.  ELF coverage (elf.c) is decided here,
 * before libkdumpfile is asked: it would read a truncated file's missing
 * tail as zeros.  Kernel-virtual reads go to libkdumpfile uncached (its
 * own translation cache is in front of them).
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump-priv.h"

enum sd_status dump_cache_init(struct sd_dump *d, struct sd_error *err)
{
	int i;

	d->cdata = malloc((size_t)CACHE_PAGES * d->ps);
	if (!d->cdata)
		return sd_error_set(err, SD_ERR_NOMEM, "%s: no memory for the page cache", d->path);
	for (i = 0; i < HASH_BUCKETS; i++)
		d->bucket[i] = -1;
	for (i = 0; i < CACHE_PAGES; i++)
		d->ent[i].next = -1;
	d->nused = 0;
	d->hand = 0;
	return SD_OK;
}

static unsigned hash_pfn(uint64_t pfn)
{
	return (unsigned)((pfn * 0x9e3779b97f4a7c15ull) >> 32) & (HASH_BUCKETS - 1);
}

static int32_t cache_find(struct sd_dump *d, uint64_t pfn)
{
	int32_t i;

	for (i = d->bucket[hash_pfn(pfn)]; i >= 0; i = d->ent[i].next)
		if (d->ent[i].pfn == pfn)
			return i;
	return -1;
}

static void cache_unlink(struct sd_dump *d, int32_t idx)
{
	int32_t *pp = &d->bucket[hash_pfn(d->ent[idx].pfn)];

	while (*pp >= 0) {
		if (*pp == idx) {
			*pp = d->ent[idx].next;
			break;
		}
		pp = &d->ent[*pp].next;
	}
	d->ent[idx].state = PG_EMPTY;
}

static int32_t cache_victim(struct sd_dump *d)
{
	int32_t idx;

	if (d->nused < CACHE_PAGES)
		return d->nused++;
	for (;;) {
		idx = (int32_t)d->hand;
		d->hand = (d->hand + 1) % CACHE_PAGES;
		if (d->ent[idx].ref) {
			d->ent[idx].ref = 0;
			continue;
		}
		cache_unlink(d, idx);
		return idx;
	}
}

static void cache_insert(struct sd_dump *d, int32_t idx, uint64_t pfn,
			 enum page_state st, enum nodata_why why)
{
	unsigned b = hash_pfn(pfn);

	d->ent[idx].pfn = pfn;
	d->ent[idx].state = (uint8_t)st;
	d->ent[idx].why = (uint8_t)why;
	d->ent[idx].ref = 1;
	d->ent[idx].next = d->bucket[b];
	d->bucket[b] = idx;
}

static enum sd_status nodata_err(struct sd_dump *d, uint64_t addr,
				 enum nodata_why why, struct sd_error *err)
{
	uint64_t page = addr & ~(d->ps - 1);

	switch (why) {
	case WHY_NO_LOAD:
		return sd_error_set(err, SD_ERR_NODATA,
				    "physical page 0x%" PRIx64 " is not in the dump (address 0x%" PRIx64
				    " is in no PT_LOAD segment)", page, addr);
	case WHY_PAST_EOF:
		return sd_error_set(err, SD_ERR_NODATA,
				    "physical page 0x%" PRIx64 " is not in the dump (address 0x%" PRIx64
				    " lies past the end of the truncated file %s)", page, addr, d->path);
	case WHY_NOT_STORED:
		return sd_error_set(err, SD_ERR_NODATA,
				    "physical page 0x%" PRIx64 " is not in the dump (address 0x%" PRIx64
				    " is beyond its PT_LOAD's file data: filtered)", page, addr);
	case WHY_EXCLUDED:
	default:
		if (d->info.dump_level > 0)
			return sd_error_set(err, SD_ERR_NODATA,
					    "physical page 0x%" PRIx64 " is not in the dump (excluded by"
					    " makedumpfile -d %d%s)", page, d->info.dump_level,
					    d->info.zero_pages_excluded ? ", possibly all-zero" : "");
		return sd_error_set(err, SD_ERR_NODATA,
				    "physical page 0x%" PRIx64 " is not in the dump", page);
	}
}

/* Read one page from libkdumpfile into @buf; NODATA is reported through
 * *why (and SD_ERR_NODATA). */
static enum sd_status fetch_page(struct sd_dump *d, uint64_t pfn, void *buf,
				 enum nodata_why *why, struct sd_error *err)
{
	uint64_t pa = pfn << d->ps_shift;
	size_t len = d->ps;
	kdump_status ks;
	enum sd_status st;

	if (d->be) {
		st = d->be->read_phys(d->be_ctx, pa, buf, len, err);
		if (st == SD_ERR_NODATA)
			*why = WHY_EXCLUDED;
		return st;
	}
	ks = kdump_read(d->ctx, d->phys_as, pa, buf, &len);
	if (ks == KDUMP_OK && len == d->ps)
		return SD_OK;
	if (ks == KDUMP_ERR_NODATA) {
		*why = WHY_EXCLUDED;
		return SD_ERR_NODATA;
	}
	if (ks == KDUMP_OK)
		return sd_error_set(err, SD_ERR_IO,
				    "%s: short read of physical page 0x%" PRIx64 " (%zu of %" PRIu64 " bytes)",
				    d->path, pa, len, d->ps);
	return sd_error_set(err, dump_kstatus(ks),
			    "%s: cannot read physical page 0x%" PRIx64 ": %s",
			    d->path, pa, dump_kerr(d->ctx, ks));
}


static enum sd_status read_uncached(struct sd_dump *d, uint64_t pa, void *buf,
				    size_t len, struct sd_error *err)
{
	size_t got = len;
	kdump_status ks = kdump_read(d->ctx, d->phys_as, pa, buf, &got);

	if (ks == KDUMP_OK && got == len)
		return SD_OK;
	if (ks == KDUMP_ERR_NODATA)
		return sd_error_set(err, SD_ERR_NODATA,
				    "physical page 0x%" PRIx64 " is not in the dump (%s)",
				    (pa + got) & ~(d->ps - 1), dump_kerr(d->ctx, ks));
	return sd_error_set(err, ks == KDUMP_OK ? SD_ERR_IO : dump_kstatus(ks),
			    "%s: cannot read physical 0x%" PRIx64 "+0x%zx: %s",
			    d->path, pa, len, ks == KDUMP_OK ? "short read" : dump_kerr(d->ctx, ks));
}

enum sd_status sd_dump_read_phys(struct sd_dump *d, uint64_t pa,
				 void *buf, size_t len, struct sd_error *err)
{
	unsigned char *out = buf;
	enum sd_status st;

	if (!d || (!buf && len))
		return sd_error_set(err, SD_ERR_USAGE, "sd_dump_read_phys: bad arguments");
	d->stats.reads++;
	if (d->trace && len)
		fprintf(d->trace, "%" PRIx64 " %zx\n", pa, len);
	if (len && pa + len - 1 < pa)
		return sd_error_set(err, SD_ERR_USAGE,
				    "physical range 0x%" PRIx64 "+0x%zx wraps around", pa, len);

	while (len) {
		uint64_t pfn = pa >> d->ps_shift;
		size_t in = (size_t)(pa & (d->ps - 1));
		size_t chunk = d->ps - in;
		int32_t idx;

		if (chunk > len)
			chunk = len;

		idx = cache_find(d, pfn);
		if (idx >= 0) {
			d->stats.hits++;
			d->ent[idx].ref = 1;
			if (d->ent[idx].state == PG_NODATA) {
				d->stats.nodata++;
				return nodata_err(d, pa, (enum nodata_why)d->ent[idx].why, err);
			}
		} else {
			enum nodata_why why = WHY_EXCLUDED;
			uint64_t page = pfn << d->ps_shift, bad;

			d->stats.misses++;
			if (d->is_elf && d->loads &&
			    !dump_elf_covered(d, page, d->ps, &bad, &why)) {
				if (dump_elf_covered(d, pa, chunk, &bad, &why)) {
					/* A partly covered page: read just the
					 * covered range asked for, uncached. */
					st = read_uncached(d, pa, out, chunk, err);
					if (st != SD_OK)
						return st;
					goto next;
				}
				if (!dump_elf_overlaps(d, page, d->ps)) {
					idx = cache_victim(d);
					cache_insert(d, idx, pfn, PG_NODATA, why);
				}
				d->stats.nodata++;
				return nodata_err(d, bad, why, err);
			}
			idx = cache_victim(d);
			st = fetch_page(d, pfn, d->cdata + (size_t)idx * d->ps, &why, err);
			if (st == SD_ERR_NODATA) {
				cache_insert(d, idx, pfn, PG_NODATA, why);
				d->stats.nodata++;
				return nodata_err(d, pa, why, err);
			}
			if (st != SD_OK) {
				/* the slot stays empty and out of the hash */
				d->ent[idx].state = PG_EMPTY;
				d->ent[idx].ref = 0;
				return st;
			}
			cache_insert(d, idx, pfn, PG_DATA, WHY_EXCLUDED);
		}
		memcpy(out, d->cdata + (size_t)idx * d->ps + in, chunk);
next:
		out += chunk;
		pa += chunk;
		len -= chunk;
	}
	return SD_OK;
}

enum sd_status sd_dump_read_kv(struct sd_dump *d, uint64_t va,
			       void *buf, size_t len, struct sd_error *err)
{
	size_t got = len;
	kdump_status ks;

	if (!d || (!buf && len))
		return sd_error_set(err, SD_ERR_USAGE, "sd_dump_read_kv: bad arguments");
	if (d->trace && len)
		fprintf(d->trace, "v %" PRIx64 " %zx\n", va, len);
	if (!len)
		return SD_OK;
	if (d->be)
		return d->be->read_kv(d->be_ctx, va, buf, len, err);
	ks = kdump_read(d->ctx, KDUMP_KVADDR, va, buf, &got);
	if (ks == KDUMP_OK && got == len)
		return SD_OK;
	if (ks == KDUMP_OK)
		return sd_error_set(err, SD_ERR_IO,
				    "%s: short read at kernel VA 0x%" PRIx64 " (%zu of %zu bytes)",
				    d->path, va, got, len);
	if (ks == KDUMP_ERR_NODATA || ks == KDUMP_ERR_ADDRXLAT)
		return sd_error_set(err, SD_ERR_NODATA,
				    "kernel VA 0x%" PRIx64 " (byte %zu of %zu) is not in the dump: %s",
				    va + got, got, len, dump_kerr(d->ctx, ks));
	return sd_error_set(err, dump_kstatus(ks),
			    "%s: cannot read kernel VA 0x%" PRIx64 ": %s",
			    d->path, va + got, dump_kerr(d->ctx, ks));
}

void sd_dump_set_trace(struct sd_dump *dump, FILE *f)
{
	dump->trace = f;
}

void sd_dump_stats(const struct sd_dump *dump, struct sd_dump_stats *st)
{
	if (!st)
		return;
	if (!dump) {
		memset(st, 0, sizeof(*st));
		return;
	}
	*st = dump->stats;
}
