// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * StreamID -> master -> device (kernel-structures.md, section 4).
 *
 *   5.13 on   smmu->streams, an rb-tree of struct arm_smmu_stream {id,
 *             master, node} keyed by id (cdf315f907d4);
 *   before    no per-SMMU index: every device on devices_kset whose IOMMU
 *             private data is an arm_smmu_master of this SMMU contributes
 *             master->sids[num_sids].
 *
 * A master that cannot be read is not reported as a device (its StreamID
 * shows no device) and a note says which and why; a detail of a device
 * that cannot be read (its group, domain, bus) stays unknown, with a note.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel-priv.h"
#include "smmu_fields.h"

#define DOMAIN_T	"struct arm_smmu_domain:stage"
/* enum arm_smmu_domain_stage (arm-smmu-v3.h): S1 0 and S2 1 in every
 * version; NESTED 2 and BYPASS 3 until 6.8/6.9 removed them. */
#define KSTAGE_S1	0
#define KSTAGE_S2	1
#define KSTAGE_NESTED	2
#define KSTAGE_BYPASS	3

static int cmp_kdev(const void *a, const void *b)
{
	const struct sd_kdev *x = a, *y = b;

	return x->sid < y->sid ? -1 : x->sid > y->sid;
}

static void kdev_unknown(struct sd_kdev *d, uint32_t sid)
{
	memset(d, 0, sizeof(*d));
	d->sid = sid;
	d->iommu_group = -1;
	d->bus_master = -1;
	d->hw_bus_master = -1;
	d->ats_enabled = -1;
	d->domain_type = SD_DOMAIN_NONE;
	d->installed.config = -1;
	d->installed.vmid = -1;
}

/* dev->iommu_group: its id and its domain's type.  iommu_group is private
 * to iommu.c: in DWARF and BTF, but a type source without it leaves both
 * unknown. */
static enum sd_status read_group(struct kctx *kc, uint64_t dev, struct sd_kdev *d,
				 uint64_t *domain, struct sd_error *err)
{
	uint64_t grp, dom, v;
	enum sd_status st;

	*domain = 0;
	if (!sd_kt_has(&kc->kt, "struct device", "iommu_group") ||
	    !sd_kt_has(&kc->kt, "struct iommu_group", "id"))
		return SD_OK;
	if ((st = rd_ptr(kc, dev, "struct device", "iommu_group", &grp, err)))
		return st;
	if (!grp)
		return SD_OK;
	if ((st = rd_member(kc, grp, "struct iommu_group", "id", &v, err)))
		return st;
	d->iommu_group = (int)(uint32_t)v;
	if (!sd_kt_has(&kc->kt, "struct iommu_group", "domain"))
		return SD_OK;
	if ((st = rd_ptr(kc, grp, "struct iommu_group", "domain", &dom, err)))
		return st;
	if (!dom)
		return SD_OK;
	if ((st = rd_member(kc, dom, "struct iommu_domain", "type", &v, err)))
		return st;
	d->domain_type = domain_type_of(v);
	*domain = dom;
	return SD_OK;
}

/* The arm_smmu_domain a master is attached to: master->domain until 6.9,
 * else the group's paging domain (container_of its iommu_domain); 0 when
 * neither is known. */
static enum sd_status master_domain(struct kctx *kc, uint64_t master, const struct sd_kdev *d,
				    uint64_t group_domain, uint64_t *dom, struct sd_error *err)
{
	uint64_t off;
	enum sd_status st;

	*dom = 0;
	if (sd_kt_has(&kc->kt, MASTER_T, "domain"))
		return rd_ptr(kc, master, MASTER_T, "domain", dom, err);
	if (!group_domain || !sd_kt_has(&kc->kt, DOMAIN_T, "domain") ||
	    (d->domain_type != SD_DOMAIN_DMA && d->domain_type != SD_DOMAIN_DMA_FQ &&
	     d->domain_type != SD_DOMAIN_UNMANAGED))
		return SD_OK;
	if ((st = moff(kc, DOMAIN_T, "domain", &off, err)))
		return st;
	*dom = group_domain - off;
	return SD_OK;
}

/* Stage 1: the CD table's DMA address, master->cd_table from 6.7
 * (arm_smmu_write_cd_l1_desc's table), domain->s1_cfg.cdcfg before. */
static enum sd_status installed_s1(struct kctx *kc, uint64_t master, uint64_t dom,
				   struct sd_kinstalled *in, struct sd_error *err)
{
	enum sd_status st;

	if (sd_kt_has(&kc->kt, MASTER_T, "cd_table.cdtab_dma")) {
		st = rd_member(kc, master, MASTER_T, "cd_table.cdtab_dma", &in->s1_ctx, err);
		in->from = "master->cd_table";
	} else if (dom && sd_kt_has(&kc->kt, DOMAIN_T, "s1_cfg.cdcfg.cdtab_dma")) {
		st = rd_member(kc, dom, DOMAIN_T, "s1_cfg.cdcfg.cdtab_dma", &in->s1_ctx, err);
		in->from = "master->domain->s1_cfg";
	} else {
		return SD_OK;
	}
	in->have_ctx = st == SD_OK && in->s1_ctx;
	in->s1_ctx &= STRTAB_STE_0_S1CTXPTR_MASK;
	return st;
}

/* Stage 2: domain->s2_cfg's VMID and VTTBR (arm_smmu_write_strtab_ent,
 * arm_smmu_make_s2_domain_ste: S2TTB = vttbr & STRTAB_STE_3_S2TTB_MASK). */
static enum sd_status installed_s2(struct kctx *kc, uint64_t dom, struct sd_kinstalled *in,
				   struct sd_error *err)
{
	uint64_t v;
	enum sd_status st;

	if (!dom || !sd_kt_has(&kc->kt, DOMAIN_T, "s2_cfg.vmid"))
		return SD_OK;
	if ((st = rd_member(kc, dom, DOMAIN_T, "s2_cfg.vmid", &v, err)))
		return st;
	in->vmid = (int)(uint16_t)v;
	in->from = "domain->s2_cfg";
	if (sd_kt_has(&kc->kt, DOMAIN_T, "s2_cfg.vttbr")) {
		if ((st = rd_member(kc, dom, DOMAIN_T, "s2_cfg.vttbr", &v, err)))
			return st;
		in->s2ttb = v & STRTAB_STE_3_S2TTB_MASK;
		in->have_s2ttb = true;
	}
	return SD_OK;
}

/*
 * What the driver installed in the master's STE (arm_smmu_write_strtab_ent
 * before 6.9, arm_smmu_make_*_ste after): identity domain -> bypass,
 * blocking domain -> abort; a paging domain by its stage (6.9 on: stage 1
 * whenever master->cd_table.in_ste), with its CD table or VMID and
 * S2TTB.  Unknown when the structures say nothing sure.
 */
static enum sd_status read_installed(struct kctx *kc, uint64_t master, struct sd_kdev *d,
				     uint64_t group_domain, struct sd_error *err)
{
	struct sd_kinstalled *in = &d->installed;
	uint64_t dom, stage = ~0ull, v;
	enum sd_status st;

	if (d->domain_type == SD_DOMAIN_IDENTITY || d->domain_type == SD_DOMAIN_BLOCKED) {
		in->config = d->domain_type == SD_DOMAIN_IDENTITY ? STRTAB_STE_0_CFG_BYPASS :
			     STRTAB_STE_0_CFG_ABORT;
		in->from = "the group's domain type";
		return SD_OK;
	}
	if ((st = master_domain(kc, master, d, group_domain, &dom, err)))
		return st;
	if (dom && sd_kt_has(&kc->kt, DOMAIN_T, "stage") &&
	    (st = rd_member(kc, dom, DOMAIN_T, "stage", &stage, err)))
		return st;
	if (!sd_kt_has(&kc->kt, MASTER_T, "domain") &&
	    sd_kt_has(&kc->kt, MASTER_T, "cd_table.in_ste")) {
		if ((st = rd_member(kc, master, MASTER_T, "cd_table.in_ste", &v, err)))
			return st;
		if (v)
			stage = KSTAGE_S1;
	}
	switch (stage) {
	case KSTAGE_BYPASS:
		in->config = STRTAB_STE_0_CFG_BYPASS;
		in->from = "master->domain (bypass stage)";
		return SD_OK;
	case KSTAGE_S1:
		in->config = STRTAB_STE_0_CFG_S1_TRANS;
		return installed_s1(kc, master, dom, in, err);
	case KSTAGE_S2:
	case KSTAGE_NESTED:
		in->config = stage == KSTAGE_S2 ? STRTAB_STE_0_CFG_S2_TRANS : STRTAB_STE_0_CFG_NESTED;
		if (stage == KSTAGE_NESTED && (st = installed_s1(kc, master, dom, in, err)))
			return st;
		return installed_s2(kc, dom, in, err);
	}
	return SD_OK;
}

/* PCI (dev->bus == &pci_bus_type, or a bus named "pci"): is_busmaster of
 * the pci_dev around it (kernel-structures.md section 7); unknown when
 * the member is not there. */
static enum sd_status read_busmaster(struct kctx *kc, uint64_t dev, uint64_t pci_bus,
				     struct sd_kdev *d, struct sd_error *err)
{
	uint64_t bus, np, off, v;
	bool is_pci;
	enum sd_status st;

	if ((st = rd_ptr(kc, dev, "struct device", "bus", &bus, err)))
		return st;
	if (!bus)
		return SD_OK;
	is_pci = pci_bus && bus == pci_bus;
	if (!is_pci && !pci_bus) {
		char bn[16];

		if ((st = rd_ptr(kc, bus, "struct bus_type", "name", &np, err)) ||
		    (st = read_cstr(kc, np, bn, sizeof(bn), err)))
			return st;
		is_pci = !strcmp(bn, "pci");
	}
	d->pci = is_pci;
	if (!is_pci || !sd_kt_has(&kc->kt, "struct pci_dev", "is_busmaster"))
		return SD_OK;
	if ((st = moff(kc, "struct pci_dev", "dev", &off, err)) ||
	    (st = rd_member(kc, dev - off, "struct pci_dev", "is_busmaster", &v, err)))
		return st;
	d->bus_master = v != 0;
	return SD_OK;
}

/* The device of @master into @d (already kdev_unknown()).  Fails when the
 * master, its device or the device's names cannot be read. */
static enum sd_status read_master(struct kctx *kc, const char *smmu_name, uint64_t master,
				  struct sd_kdev *d, uint64_t pci_bus, struct sd_error *err)
{
	struct sd_error e = { 0 };
	uint64_t dev, v, group_domain = 0;
	enum sd_status st;

	if (sd_kt_has(&kc->kt, MASTER_T, "ats_enabled")) {
		if ((st = rd_member(kc, master, MASTER_T, "ats_enabled", &v, err)))
			return st;
		d->ats_enabled = v != 0;
	}
	if ((st = rd_ptr(kc, master, MASTER_T, "dev", &dev, err)))
		return st;
	if (!dev)
		return sd_error_set(err, SD_ERR_CORRUPT, "arm_smmu_master 0x%" PRIx64 " has no dev",
				    master);
	if ((st = dev_name(kc, dev, d->name, sizeof(d->name), err)) ||
	    (st = dev_driver(kc, dev, d->driver, sizeof(d->driver), err)))
		return st;
	if (read_group(kc, dev, d, &group_domain, &e)) {
		kdiag(kc, "%s: StreamID 0x%x (%s): IOMMU group unknown: %s", smmu_name, d->sid,
		      d->name, e.msg);
		d->iommu_group = -1;
		d->domain_type = SD_DOMAIN_NONE;
	}
	if (read_installed(kc, master, d, group_domain, &e)) {
		kdiag(kc, "%s: StreamID 0x%x (%s): the STE its driver installed is unknown: %s",
		      smmu_name, d->sid, d->name, e.msg);
		d->installed = (struct sd_kinstalled){ .config = -1, .vmid = -1 };
	}
	if (read_busmaster(kc, dev, pci_bus, d, &e)) {
		kdiag(kc, "%s: StreamID 0x%x (%s): bus master bit unknown: %s", smmu_name, d->sid,
		      d->name, e.msg);
		d->bus_master = -1;
	}
	return SD_OK;
}

struct kdevs {
	struct sd_kdev *v;
	size_t n, cap;
};

/* A new entry for @sid, its master read; false only when out of memory.
 * A master that cannot be read leaves no entry, and a note. */
static bool add_master(struct kctx *kc, struct sd_ksmmu *s, struct kdevs *dv, uint32_t sid,
		       uint64_t master, uint64_t pci_bus)
{
	struct sd_error e = { 0 };

	if (dv->n == dv->cap) {
		size_t cap = dv->cap ? dv->cap * 2 : 32;
		struct sd_kdev *nd = realloc(dv->v, cap * sizeof(*nd));

		if (!nd)
			return false;
		dv->v = nd;
		dv->cap = cap;
	}
	kdev_unknown(&dv->v[dv->n], sid);
	if (master && read_master(kc, s->regs.name, master, &dv->v[dv->n], pci_bus, &e)) {
		kdiag(kc, "%s: StreamID 0x%x: device unknown, arm_smmu_master 0x%" PRIx64
		      " not read: %s", s->regs.name, sid, master, e.msg);
		return true;
	}
	dv->n++;
	return true;
}

static void kdevs_done(struct kdevs *dv, struct sd_ksmmu *s)
{
	qsort(dv->v, dv->n, sizeof(*dv->v), cmp_kdev);
	s->devs = dv->v;
	s->ndevs = dv->n;
}

/* In-order walk of smmu->streams (rb-tree keyed by StreamID), bounded in
 * depth and size; a loop shows as a StreamID out of order. */
static enum sd_status walk_streams(struct kctx *kc, uint64_t smmu, struct sd_ksmmu *s,
				   struct kdevs *dv, struct sd_error *err)
{
	uint64_t node, node_off, stack[MAX_RB_DEPTH], pci_bus = 0, n = 0, prev = 0;
	size_t sp = 0;
	enum sd_status st;

	if ((st = moff(kc, STREAM_T, "node", &node_off, err)) ||
	    (st = rd_ptr(kc, smmu, SMMU_T, "streams.rb_node", &node, err)))
		return st;
	ksym(kc, "pci_bus_type", &pci_bus);
	while (node || sp) {
		uint64_t sid, master, left;

		while (node) {
			if (sp == MAX_RB_DEPTH)
				return sd_error_set(err, SD_ERR_CORRUPT,
						    "smmu->streams of arm_smmu_device 0x%" PRIx64
						    " is deeper than %d (loop?)", smmu, MAX_RB_DEPTH);
			stack[sp++] = node;
			if ((st = rd_ptr(kc, node, "struct rb_node", "rb_left", &left, err)))
				return st;
			node = left;
		}
		node = stack[--sp];
		if (sd_timed_out)
			return sd_error_set(err, SD_ERR_TIMEOUT, "--timeout expired walking smmu->streams"
					    " of arm_smmu_device 0x%" PRIx64 " after %" PRIu64 " nodes",
					    smmu, n);
		if (n >= MAX_STREAMS)
			return sd_error_set(err, SD_ERR_CORRUPT,
					    "smmu->streams of arm_smmu_device 0x%" PRIx64
					    " has more than %u nodes (loop?)", smmu, MAX_STREAMS);
		if ((st = rd_member(kc, node - node_off, STREAM_T, "id", &sid, err)) ||
		    (st = rd_ptr(kc, node - node_off, STREAM_T, "master", &master, err)))
			return st;
		if (n && sid <= prev)
			return sd_error_set(err, SD_ERR_CORRUPT,
					    "smmu->streams of arm_smmu_device 0x%" PRIx64
					    " is not sorted at arm_smmu_stream 0x%" PRIx64 " (sid 0x%" PRIx64
					    " after 0x%" PRIx64 "): corrupt or looping", smmu,
					    node - node_off, sid, prev);
		prev = sid;
		n++;
		if (!add_master(kc, s, dv, (uint32_t)sid, master, pci_bus))
			return sd_error_set(err, SD_ERR_NOMEM, "out of memory");
		if ((st = rd_ptr(kc, node, "struct rb_node", "rb_right", &node, err)))
			return st;
	}
	return SD_OK;
}

/* The IOMMU private data of @dev: dev->iommu->priv since about 5.8,
 * dev->iommu_fwspec->iommu_priv before; 0 when it has none. */
static enum sd_status dev_iommu_priv(struct kctx *kc, uint64_t dev, uint64_t *priv,
				     struct sd_error *err)
{
	uint64_t p;
	enum sd_status st;

	*priv = 0;
	if (sd_kt_has(&kc->kt, "struct device", "iommu")) {
		if ((st = rd_ptr(kc, dev, "struct device", "iommu", &p, err)))
			return st;
		return p ? rd_ptr(kc, p, "struct dev_iommu", "priv", priv, err) : SD_OK;
	}
	if ((st = rd_ptr(kc, dev, "struct device", "iommu_fwspec", &p, err)))
		return st;
	return p ? rd_ptr(kc, p, "struct iommu_fwspec", "iommu_priv", priv, err) : SD_OK;
}

/* master->sids[num_sids] of the devices_kset entry @dev when its master
 * belongs to @smmu. */
static enum sd_status master_sids(struct kctx *kc, uint64_t smmu, uint64_t dev,
				  struct sd_ksmmu *s, struct kdevs *dv, uint64_t pci_bus,
				  struct sd_error *err)
{
	uint64_t priv, msmmu, mdev, sids, nsids;
	enum sd_status st;

	if ((st = dev_iommu_priv(kc, dev, &priv, err)))
		return st;
	/* Another IOMMU driver's private data is not an arm_smmu_master:
	 * only one whose smmu and dev point back is taken (raw values: in
	 * another struct they need not be pointers). */
	if (!priv)
		return SD_OK;
	if ((st = rd_member(kc, priv, MASTER_T, "smmu", &msmmu, err)) ||
	    (st = rd_member(kc, priv, MASTER_T, "dev", &mdev, err)))
		return st;
	if (msmmu != smmu || mdev != dev)
		return SD_OK;
	if ((st = rd_ptr(kc, priv, MASTER_T, "sids", &sids, err)) ||
	    (st = rd_member(kc, priv, MASTER_T, "num_sids", &nsids, err)))
		return st;
	if (nsids > MAX_MASTER_SIDS) {
		kdiag(kc, "%s: master 0x%" PRIx64 " claims %" PRIu64 " StreamIDs; ignored",
		      s->regs.name, priv, nsids);
		return SD_OK;
	}
	for (uint64_t i = 0; sids && i < nsids; i++) {
		uint32_t sid;

		if ((st = sd_kmem_u32(&kc->km, sids + 4 * i, &sid, err)))
			return sd_error_prefix(err, "master 0x%" PRIx64 " sids[%" PRIu64 "]", priv, i);
		if (!add_master(kc, s, dv, sid, priv, pci_bus))
			return sd_error_set(err, SD_ERR_NOMEM, "out of memory");
	}
	return SD_OK;
}

/*
 * Before 5.13 (cdf315f907d4): every device on devices_kset
 * (drivers/base/core.c; kset->list linked through kobject.entry).
 */
static enum sd_status walk_devices(struct kctx *kc, uint64_t smmu, struct sd_ksmmu *s,
				   struct kdevs *dv, struct sd_error *err)
{
	uint64_t kset_p, kset, head, entry_off, kobj_off, pci_bus = 0;
	struct sd_klist l;
	enum sd_status st;

	if (!sd_kt_has(&kc->kt, MASTER_T, "sids"))
		return sd_error_set(err, SD_ERR_UNSUPPORTED,
				    "struct arm_smmu_master has neither streams nor sids");
	if (!ksym(kc, "devices_kset", &kset_p))
		return sd_error_set(err, SD_ERR_NOTFOUND,
				    "kernel before 5.13 (master->sids) and devices_kset is not among the "
				    "symbols: masters cannot be enumerated");
	if ((st = sd_kmem_u64(&kc->km, kset_p, &kset, err)))
		return sd_error_prefix(err, "devices_kset");
	if (!kset || !sd_kmem_is_kva(&kc->km, kset))
		return sd_error_set(err, SD_ERR_CORRUPT, "devices_kset is 0x%" PRIx64, kset);
	if ((st = moff(kc, "struct kset", "list", &head, err)) ||
	    (st = moff(kc, "struct kobject", "entry", &entry_off, err)) ||
	    (st = moff(kc, "struct device", "kobj", &kobj_off, err)))
		return st;
	ksym(kc, "pci_bus_type", &pci_bus);
	st = sd_klist_start(&kc->km, &l, "devices_kset->list", kset + head, MAX_DEVICES, err);
	for (; st == SD_OK && sd_klist_more(&l); st = sd_klist_next(&kc->km, &l, err)) {
		uint64_t dev = l.pos - entry_off - kobj_off;
		struct sd_error e = { 0 };
		enum sd_status mst = master_sids(kc, smmu, dev, s, dv, pci_bus, &e);

		if (mst == SD_ERR_NOMEM)
			return sd_error_set(err, mst, "%s", e.msg);
		if (mst)
			kdiag(kc, "%s: device 0x%" PRIx64 " on devices_kset skipped: %s",
			      s->regs.name, dev, e.msg);
	}
	if (st)
		return st;
	/* A StreamID claimed by two masters (aliases): one is kept. */
	qsort(dv->v, dv->n, sizeof(*dv->v), cmp_kdev);
	{
		size_t j = 0;

		for (size_t i = 0; i < dv->n; i++)
			if (!j || dv->v[i].sid != dv->v[j - 1].sid)
				dv->v[j++] = dv->v[i];
		dv->n = j;
	}
	return SD_OK;
}

enum sd_status read_streams(struct kctx *kc, uint64_t smmu, struct sd_ksmmu *s,
			    struct sd_error *err)
{
	struct kdevs dv = { 0 };
	enum sd_status st;

	if (sd_kt_has(&kc->kt, SMMU_T, "streams"))
		st = walk_streams(kc, smmu, s, &dv, err);
	else
		st = walk_devices(kc, smmu, s, &dv, err);
	if (st) {
		free(dv.v);
		return st;
	}
	kdevs_done(&dv, s);
	return SD_OK;
}
