// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the hardware bus-master read (src/hw/pcicfg.c) on a fake
 * root directory: ROOT/sys/bus/pci/devices/BDF/config files holding the
 * first bytes of a type-0 configuration header, the Command register at
 * offset 4 (PCI Local Bus 3.0 6.2.2; bit 2 Bus Master Enable).
 * Prints "ok NAME" / "not ok NAME - reason" lines.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel.h"
#include "live.h"
#include "tap.h"

static char tmp[256];

/* A device directory with a config file of @len bytes whose Command
 * register is @cmd (little-endian, as configuration space is). */
static void put_config(const char *bdf, unsigned cmd, size_t len)
{
	unsigned char hdr[64] = { 0x34, 0x12, 0xe8, 0x11 };	/* 1234:11e8, QEMU's edu */
	char p[1024];
	FILE *f;

	hdr[4] = cmd & 0xff;
	hdr[5] = cmd >> 8;
	snprintf(p, sizeof(p), "%s/sys", tmp);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/sys/bus", tmp);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/sys/bus/pci", tmp);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/sys/bus/pci/devices", tmp);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/sys/bus/pci/devices/%s", tmp, bdf);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/sys/bus/pci/devices/%s/config", tmp, bdf);
	f = fopen(p, "w");
	if (!f || fwrite(hdr, 1, len, f) != len) {
		fprintf(stderr, "test_pcicfg: %s: %s\n", p, strerror(errno));
		exit(2);
	}
	fclose(f);
}

static void test_reads(void)
{
	struct sd_error err = {0};
	enum sd_status st;
	int on = 7;

	ok("pcicfg/no-pci-before", !sd_live_pci_available(tmp), "no sys/bus/pci/devices yet");
	put_config("0000:00:06.0", 0x0006, 64);		/* memory space + bus master */
	put_config("0000:00:02.0", 0x0002, 64);		/* memory space only */
	put_config("0000:00:07.0", 0x0400, 64);		/* INTx disable only: bit 10 */
	put_config("0000:00:08.0", 0x0004, 5);		/* cut inside the register */
	ok("pcicfg/available", sd_live_pci_available(tmp), "sys/bus/pci/devices not seen");
	st = sd_live_pci_bus_master(tmp, "0000:00:06.0", &on, &err);
	ok("pcicfg/master-on", st == SD_OK && on == 1, "status %d on %d: %s", st, on, err.msg);
	st = sd_live_pci_bus_master(tmp, "0000:00:02.0", &on, &err);
	ok("pcicfg/master-off", st == SD_OK && on == 0, "status %d on %d: %s", st, on, err.msg);
	st = sd_live_pci_bus_master(tmp, "0000:00:07.0", &on, &err);
	ok("pcicfg/other-bits-not-master", st == SD_OK && on == 0, "status %d on %d", st, on);
	st = sd_live_pci_bus_master(tmp, "0000:00:08.0", &on, &err);
	ok("pcicfg/short-read-fails", st != SD_OK && on == -1, "status %d on %d", st, on);
	st = sd_live_pci_bus_master(tmp, "0000:00:09.0", &on, &err);
	ok("pcicfg/missing-notfound", st == SD_ERR_NOTFOUND && on == -1, "status %d on %d", st, on);
	/* A name from the dump becomes a path: only a BDF is accepted. */
	st = sd_live_pci_bus_master(tmp, "../../../../etc/passwd", &on, &err);
	ok("pcicfg/refuses-non-bdf", st == SD_ERR_USAGE && on == -1, "status %d", st);
	st = sd_live_pci_bus_master(tmp, "0000:00:06.0/../../x", &on, &err);
	ok("pcicfg/refuses-bdf-prefix", st == SD_ERR_USAGE, "status %d", st);
}

/* The capture kernel's fill: hardware bits on PCI devices only, a note for
 * each disagreement and each failure. */
static void test_fill(void)
{
	struct sd_kdev devs[4] = {
		{ .sid = 0x10, .name = "0000:00:02.0", .pci = true, .bus_master = 1 },
		{ .sid = 0x30, .name = "0000:00:06.0", .pci = true, .bus_master = 0 },
		{ .sid = 0x48, .name = "0000:00:09.0", .pci = true, .bus_master = 0 },
		{ .sid = 0x50, .name = "0000:00:06.0", .pci = false, .bus_master = -1 },
	};
	struct sd_ksmmu ks = { .devs = devs, .ndevs = 4 };
	struct sd_kernel_result k = { .smmus = &ks, .nsmmus = 1 };
	bool disagree_06 = false, disagree_02 = false, missing_09 = false;
	size_t n;

	for (int i = 0; i < 4; i++)
		devs[i].hw_bus_master = -1;
	n = sd_live_pci_bus_masters(tmp, &k);
	ok("pcicfg/fill-count", n == 2, "%zu devices read, expected 2", n);
	ok("pcicfg/fill-values", devs[0].hw_bus_master == 0 && devs[1].hw_bus_master == 1 &&
	   devs[2].hw_bus_master == -1 && devs[3].hw_bus_master == -1,
	   "hw %d %d %d %d", devs[0].hw_bus_master, devs[1].hw_bus_master,
	   devs[2].hw_bus_master, devs[3].hw_bus_master);
	for (size_t i = 0; i < k.diags.n; i++) {
		const char *m = k.diags.v[i].msg;

		disagree_06 |= strstr(m, "0000:00:06.0") && strstr(m, "on in the hardware") &&
			       strstr(m, "off in the kernel");
		disagree_02 |= strstr(m, "0000:00:02.0") && strstr(m, "off in the hardware");
		missing_09 |= strstr(m, "0x48") && strstr(m, "not read");
	}
	ok("pcicfg/note-kernel-off-hw-on", disagree_06, "no note for 0000:00:06.0");
	ok("pcicfg/note-kernel-on-hw-off", disagree_02, "no note for 0000:00:02.0");
	ok("pcicfg/note-not-read", missing_09, "no note for the missing device");
	ok("pcicfg/notes-count", k.diags.n == 3, "%zu notes", k.diags.n);
	sd_diags_free(&k.diags);
}

int main(void)
{
	char cmd[300];

	snprintf(tmp, sizeof(tmp), "%s/test_pcicfg.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmp)) {
		perror("test_pcicfg: mkdtemp");
		return 2;
	}
	test_reads();
	test_fill();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	if (system(cmd))
		fprintf(stderr, "test_pcicfg: could not remove %s\n", tmp);
	return 0;
}
