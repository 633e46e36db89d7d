// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * smmu.so: the crash extension.  `extend smmu.so` adds the `smmu` command,
 * a thin front end over the libraries the command line uses
 * (libsdtool.a + libsmmu.a): the same session (include/sd/session.h), with
 * the dump's memory from crash's readmem() and the kernel's types and
 * symbols from crash (host.c), and the report on crash's output.  So
 * `smmu -J -a -m` prints what `smmu-strtab-dump -J -a -m DUMP VMLINUX`
 * prints, but for the dump's format (dump.format says "(crash)") and
 * where the types came from (kernel.debuginfo: crash's vmlinux, "crash").
 *
 * crash's extension interface: register_extension() with a struct
 * command_table_entry (defs.h; crash's extensions/echo.c is the model);
 * a command gets its words in argcnt/args and writes to fp.
 */
#include "defs.h"	/* crash's, first: it sets the feature macros */

#include <getopt.h>
#include <sys/ioctl.h>

#include "crash-priv.h"
#include "sd_parse.h"
#include "session.h"

/* As the command line: narrowest terminal the text report adapts to. */
#define MIN_WIDTH	60
#define DEFAULT_WIDTH	80

enum {
	OPT_STRTAB_BASE = 0x100,
	OPT_STRTAB_BASE_CFG,
	OPT_REGS,
	OPT_LIST_COLUMNS,
	OPT_NO_KERNEL,
};

static const struct option long_opts[] = {
	{ "all", no_argument, NULL, 'a' },
	{ "mappings", no_argument, NULL, 'm' },
	{ "sid", required_argument, NULL, 's' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "json", no_argument, NULL, 'J' },
	{ "output", required_argument, NULL, 'o' },
	{ "raw", no_argument, NULL, 'r' },
	{ "noheadings", no_argument, NULL, 'n' },
	{ "regs", required_argument, NULL, OPT_REGS },
	{ "strtab-base", required_argument, NULL, OPT_STRTAB_BASE },
	{ "strtab-base-cfg", required_argument, NULL, OPT_STRTAB_BASE_CFG },
	{ "no-kernel", no_argument, NULL, OPT_NO_KERNEL },
	{ "list-columns", no_argument, NULL, OPT_LIST_COLUMNS },
	{ NULL, 0, NULL, 0 }
};

/* A number option: false (and a message) when it is not one. */
static bool number_opt(struct sd_session *s, const char *name, uint64_t *v, uint64_t max)
{
	struct sd_error err = {0};

	if (sd_parse_u64(optarg, v, &err) != SD_OK) {
		sd_session_msg(s, "%s: %s", name, err.msg);
		return false;
	}
	if (*v > max) {
		sd_session_msg(s, "%s: 0x%llx is wider than the 32-bit register", name,
			       (unsigned long long)*v);
		return false;
	}
	return true;
}

/* One option into @s; false on a usage error (already said). */
static bool one_opt(int c, struct sd_session *s, bool *have_cfg, bool *list_columns)
{
	struct sd_error err = {0};

	switch (c) {
	case 'a': s->ro.all = true; return true;
	case 'm': s->ro.mappings = true; return true;
	case 's': s->sid_list = optarg; return true;
	case 'v': s->ro.verbose++; return true;
	case 'J': s->json = true; return true;
	case 'r': s->ro.raw = true; return true;
	case 'n': s->ro.noheadings = true; return true;
	case 'o':
		if (sd_report_check_columns(optarg, &err) != SD_OK) {
			sd_session_msg(s, "--output: %s", err.msg);
			return false;
		}
		s->ro.columns = optarg;
		return true;
	case OPT_REGS: s->regs_file = optarg; return true;
	case OPT_NO_KERNEL: s->no_kernel = true; return true;
	case OPT_LIST_COLUMNS: *list_columns = true; return true;
	case OPT_STRTAB_BASE:
		s->have_base = true;
		return number_opt(s, "--strtab-base", &s->base, UINT64_MAX);
	case OPT_STRTAB_BASE_CFG:
		*have_cfg = true;
		return number_opt(s, "--strtab-base-cfg", &s->cfg, UINT32_MAX);
	default:
		return false;
	}
}

/* crash's words into @s; false on a usage error. */
static bool parse_args(struct sd_session *s, bool *list_columns)
{
	bool have_cfg = false;
	int c;

	optind = 0;	/* glibc: start over, as crash does between commands */
	opterr = 0;
	while ((c = getopt_long(argcnt, args, "ams:vJo:rn", long_opts, NULL)) != -1) {
		if (c == '?') {
			sd_session_msg(s, "unknown option or missing value: %s", args[optind - 1]);
			return false;
		}
		if (!one_opt(c, s, &have_cfg, list_columns))
			return false;
	}
	if (optind < argcnt) {
		sd_session_msg(s, "unexpected argument: %s (the dump is crash's)", args[optind]);
		return false;
	}
	if (s->have_base != have_cfg) {
		sd_session_msg(s, "--strtab-base and --strtab-base-cfg go together");
		return false;
	}
	return true;
}

/* How crash opened the dump, in the report's words. */
static void describe_dump(struct sd_dump_backend_desc *d)
{
	d->path = pc->dumpfile ? pc->dumpfile : "(live)";
	d->page_size = PAGESIZE();
	d->dump_level = -1;
	d->compression = NULL;
	if (NETDUMP_DUMPFILE() || KDUMP_DUMPFILE()) {
		d->format = "elf (crash)";
		d->compression = "none";
	} else if (DISKDUMP_DUMPFILE()) {
		d->format = "kdump (crash)";
		d->dump_level = get_dump_level();
	} else {
		d->format = "crash";
	}
}

static void run(struct sd_session *s)
{
	struct sd_dump_backend_desc desc;
	struct sd_khost host = { &crash_types, NULL, "dwarf", "dwarf", NULL, pc->namelist };
	struct sd_dump *dump = NULL;
	struct sd_error err = {0};
	char hostdesc[256];

	describe_dump(&desc);
	snprintf(hostdesc, sizeof(hostdesc), "crash's gdb over %s", pc->namelist);
	host.desc = hostdesc;
	s->host = &host;
	s->vmcore = desc.path;
	crash_host_reset();
	sd_alloc_failed_clear();
	if (sd_dump_open_backend(&crash_memory, NULL, &desc, &dump, &err) != SD_OK) {
		sd_session_msg(s, "%s", err.msg);
		return;
	}
	/* The command line's exit status has no place in crash: what it
	 * says is in the report (findings) or in the messages (failures). */
	(void)sd_session_run(s, dump);
	sd_dump_close(dump);
}

static void cmd_smmu(void)
{
	struct sd_session s = {0};
	struct winsize ws;
	bool list_columns = false;

	s.out = fp;
	s.msg = fp;
	s.prog = "smmu";
	s.no_debuginfod = true;	/* the kernel's types are crash's */
	s.ro.width = DEFAULT_WIDTH;
	if (isatty(fileno(fp)) && !ioctl(fileno(fp), TIOCGWINSZ, &ws) && ws.ws_col >= MIN_WIDTH)
		s.ro.width = ws.ws_col;
	if (!parse_args(&s, &list_columns)) {
		cmd_usage(pc->curcmd, SYNOPSIS);
		return;
	}
	if (list_columns)
		sd_report_list_columns(fp);
	else
		run(&s);
	sd_session_free(&s);
	fflush(fp);
}

static char *help_smmu[] = {
	"smmu",
	"Arm SMMUv3 stream tables, context descriptors and IO page tables",
	"[-a] [-m] [-s LIST] [-v[v]] [-J] [-o LIST] [-r] [-n] [--regs=FILE]\n"
	"        [--strtab-base=VALUE --strtab-base-cfg=VALUE] [--no-kernel] [--list-columns]",
	"  Decodes the Arm SMMUv3 state of the crashed kernel from the dump crash",
	"  has open, and reports which devices could master DMA at the crash:",
	"  every SMMU found on the kernel's iommu_device_list, its stream table,",
	"  STEs, context descriptors, IO page tables, event and command queues,",
	"  and a verdict per StreamID.  It is smmu-strtab-dump(1) inside crash:",
	"  the same libraries and the same report, with memory read through",
	"  crash (readmem) and the kernel's types and symbols from crash's",
	"  vmlinux, so it works on any arm64 dump crash can open.",
	"",
	"  Selection and detail:",
	"    -a, --all         list every valid STE, abort ones included",
	"    -m, --mappings    walk the IO page tables; show coalesced IOVA->PA ranges",
	"    -s, --sid LIST    only these StreamIDs, e.g. 0x10,0x100-0x1ff",
	"    -v, --verbose     full field decode; twice (-vv) adds raw dwords",
	"  Output:",
	"    -J, --json        JSON output (schema_version 4), as smmu-strtab-dump -J",
	"    -o, --output LIST columns of the STE table (+LIST appends to the default)",
	"    -r, --raw         raw table output",
	"    -n, --noheadings  no table headings",
	"    --list-columns    list the columns -o accepts",
	"  Registers (by default each SMMU's come from the crashed kernel):",
	"    --regs=FILE       register snapshot of one or more SMMUs, e.g. from",
	"                      smmu-strtab-dump --capture-regs in the capture kernel",
	"    --strtab-base=VALUE --strtab-base-cfg=VALUE",
	"                      SMMU_STRTAB_BASE and _CFG as the hardware holds them",
	"    --no-kernel       do not read the crashed kernel's structures",
	"",
	"  The report is smmu-strtab-dump's: see smmu-strtab-dump(1) for its",
	"  columns, verdicts and JSON schema.  In the JSON, dump.format names",
	"  crash as the reader (\"elf (crash)\", \"kdump (crash)\") and",
	"  kernel.debuginfo crash's vmlinux (\"from\": \"crash\"); everything else",
	"  is what smmu-strtab-dump prints with the same vmlinux.  Messages start",
	"  with \"smmu:\".  If arm-smmu-v3 is a module, load its debuginfo first",
	"  (mod -s arm_smmu_v3).",
	"",
	"EXAMPLES",
	"  Devices that could master DMA, and every valid STE:",
	"    %s> smmu -a",
	"",
	"  The mappings of StreamIDs 0x10 and 0x100, fully decoded:",
	"    %s> smmu -m -v -s 0x10,0x100",
	"",
	"  Everything as JSON, into a file:",
	"    %s> smmu -J -a -m > smmu.json",
	NULL
};

static struct command_table_entry command_table[] = {
	{ "smmu", cmd_smmu, help_smmu, 0 },
	{ NULL, NULL, NULL, 0 }
};

void __attribute__((constructor)) smmu_init(void)
{
	register_extension(command_table);
}

void __attribute__((destructor)) smmu_fini(void)
{
	crash_host_reset();
}
