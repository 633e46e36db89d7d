// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The hardware's bus-master bit, on a live system (the kdump capture
 * kernel): PCI_COMMAND read through sysfs config space.
 *
 * Why: pci_dev->is_busmaster is the kernel's belief, updated only by
 * pci_set_master()/pci_clear_master(); a config write from user space
 * (setpci, /sys/bus/pci/devices/BDF/config, vfio-pci passing the command
 * register through) sets the bit behind its back.  The crashed kernel ran
 * no shutdown, so the bit it left survives into the capture kernel (unless
 * the capture kernel's own driver for the device reset it).
 *
 * How: ROOT/sys/bus/pci/devices/DDDD:BB:DD.F/config opened O_RDONLY and
 * two bytes pread at offset 4; nothing is ever written.  The config file
 * reads the first 64 bytes without privilege (drivers/pci/pci-sysfs.c).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel.h"
#include "live.h"
#include "sd_cleanup.h"

/* The Command register: offset 04h of the type 0/1 header (PCI Local Bus
 * 3.0 6.2.2, PCI Express Base 7.5.1.1.3), bit 2 Bus Master Enable;
 * include/uapi/linux/pci_regs.h PCI_COMMAND, PCI_COMMAND_MASTER. */
#define SD_PCI_COMMAND		0x04
#define SD_PCI_COMMAND_MASTER	(1u << 2)

/* "DDDD:BB:DD.F" exactly: the name is from a crashed kernel's memory and
 * becomes part of a path. */
static bool is_bdf(const char *s)
{
	static const char pat[] = "hhhh:hh:hh.h";

	for (size_t i = 0; i < sizeof(pat); i++) {
		if (pat[i] == 'h' ? !isxdigit((unsigned char)s[i]) : s[i] != pat[i])
			return false;
	}
	return true;
}

enum sd_status sd_live_pci_bus_master(const char *root, const char *bdf, int *on,
				      struct sd_error *err)
{
	char path[PATH_MAX];
	unsigned char cmd[2];
	ssize_t n;

	*on = -1;
	if (!is_bdf(bdf))
		return sd_error_set(err, SD_ERR_USAGE, "not a PCI device name");
	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/%s/config",
		 (!root || !strcmp(root, "/")) ? "" : root, bdf);
	int fd sd_autoclose = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return sd_error_set(err, errno == ENOENT ? SD_ERR_NOTFOUND : SD_ERR_IO, "%s: %s",
				    path, strerror(errno));
	n = pread(fd, cmd, sizeof(cmd), SD_PCI_COMMAND);
	if (n < 0)
		return sd_error_set(err, SD_ERR_IO, "%s: %s", path, strerror(errno));
	if (n != sizeof(cmd))
		return sd_error_set(err, SD_ERR_IO, "%s: short read (%zd bytes)", path, n);
	/* Configuration space is little-endian (PCI Local Bus 3.0 6.1). */
	*on = !!((cmd[0] | (unsigned)cmd[1] << 8) & SD_PCI_COMMAND_MASTER);
	return SD_OK;
}

bool sd_live_pci_available(const char *root)
{
	char path[PATH_MAX];
	struct stat sb;

	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices",
		 (!root || !strcmp(root, "/")) ? "" : root);
	return !stat(path, &sb) && S_ISDIR(sb.st_mode);
}

/* One note per device whose bit could not be read, or whose two views
 * disagree; the device's hw_bus_master stays -1 on failure. */
size_t sd_live_pci_bus_masters(const char *root, struct sd_kernel_result *k)
{
	size_t nread = 0;

	for (size_t i = 0; i < k->nsmmus; i++) {
		for (size_t j = 0; j < k->smmus[i].ndevs; j++) {
			struct sd_kdev *d = &k->smmus[i].devs[j];
			struct sd_error e = {0};

			if (!d->pci)
				continue;
			if (sd_live_pci_bus_master(root, d->name, &d->hw_bus_master, &e) != SD_OK) {
				sd_diag_add(&k->diags, SD_DIAG_CAPTURE,
					    "StreamID 0x%x: PCI_COMMAND not read: %s", d->sid, e.msg);
				continue;
			}
			nread++;
			if (d->bus_master >= 0 && d->bus_master != d->hw_bus_master)
				sd_diag_add(&k->diags, SD_DIAG_CAPTURE,
					    "%s (StreamID 0x%x): bus master %s in the hardware "
					    "(PCI_COMMAND), %s in the kernel's is_busmaster%s", d->name,
					    d->sid, d->hw_bus_master ? "on" : "off",
					    d->bus_master ? "on" : "off", d->hw_bus_master ?
					    ": enabled behind the kernel (setpci, sysfs config, "
					    "vfio-pci)" : "");
		}
	}
	return nread;
}
