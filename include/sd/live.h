/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Live SMMU registers, on a running system (normally the kdump capture
 * kernel): MMIO bases from the ACPI IORT or the device tree, registers read
 * read-only through /dev/mem with accesses of the right width.
 */
#ifndef SD_LIVE_H
#define SD_LIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sd_error.h"
#include "smmu_regs.h"

/* Read every SMMUv3's registers.  *out is malloc'd.  Refuses (SD_ERR_USAGE
 * or SD_ERR_IO, with advice in the message) when the SMMU is claimed by a
 * driver or /dev/mem is not permitted. */
enum sd_status sd_live_capture(struct sd_regs **out, size_t *count,
			       struct sd_error *err);

/* The same under another root directory ("" or "/" is the running system):
 * ROOT/sys/firmware/acpi/tables/IORT, ROOT/proc/device-tree,
 * ROOT/sys/bus/platform/devices, ROOT/proc/iomem and ROOT/dev/mem.  For tests. */
enum sd_status sd_live_capture_at(const char *root, struct sd_regs **out,
				  size_t *count, struct sd_error *err);

/* One SMMUv3 the firmware describes. */
struct sd_live_smmu {
	uint64_t base;		/* MMIO base of register page 0 */
	uint64_t size;		/* from DT reg; 0 when unknown (IORT) */
	bool page0_only;	/* Cavium CN99xx: page-1 registers mirrored in page 0 */
	char from[256];		/* "IORT node at 0x30" or the DT node path */
	char devname[96];	/* platform device name a DT node gets, or "" */
};

/* The SMMUv3s of the ACPI IORT or, when there is none, of the device tree.
 * *out is malloc'd (NULL when *n is 0).  SD_ERR_NOTFOUND: neither exists. */
enum sd_status sd_live_find(const char *root, struct sd_live_smmu **out, size_t *n,
			    struct sd_error *err);

/* Parse an IORT image / walk a device-tree directory (for the unit test). */
enum sd_status sd_live_parse_iort(const unsigned char *buf, size_t len,
				  struct sd_live_smmu **out, size_t *n, struct sd_error *err);
enum sd_status sd_live_parse_dt(const char *dtdir, struct sd_live_smmu **out, size_t *n,
				struct sd_error *err);

/* Name of the driver bound to this SMMU's platform device, or false. */
bool sd_live_driver(const char *root, const struct sd_live_smmu *s, char *drv, size_t len);

/*
 * PCI bus mastering as the hardware has it (pcicfg.c): PCI_COMMAND's Bus
 * Master Enable bit of the device named @bdf ("DDDD:BB:DD.F"), read-only
 * from ROOT/sys/bus/pci/devices/BDF/config ("" or "/" is the running
 * system).  *@on is 1 or 0, or -1 with an error.
 */
enum sd_status sd_live_pci_bus_master(const char *root, const char *bdf, int *on,
				      struct sd_error *err) SD_MUST_CHECK;
/* ROOT/sys/bus/pci/devices exists: a live system with PCI. */
bool sd_live_pci_available(const char *root);
/* Every PCI device of @k: hw_bus_master from the hardware, a note (origin
 * capture) for each one not read and each one whose kernel and hardware
 * views disagree.  Returns the number read. */
struct sd_kernel_result;
size_t sd_live_pci_bus_masters(const char *root, struct sd_kernel_result *k);

/*
 * The driver that owns the SMMU at @base on the running system (ROOT as
 * above), and whether its log (ROOT/dev/kmsg) says it reset the SMMU
 * (owner.c).  False when no driver is bound or no firmware description
 * names the SMMU; nothing is written anywhere.
 */
struct sd_live_owner;
bool sd_live_owner_find(const char *root, uint64_t base, struct sd_live_owner *o);

#endif
