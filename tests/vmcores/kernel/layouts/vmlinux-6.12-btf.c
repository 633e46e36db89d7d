// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The vmlinux of the "6.12-module-btf" layout: Linux 6.12 arm64 with
 * CONFIG_ARM_SMMU_V3=m, CONFIG_KALLSYMS_ALL=y, CONFIG_DEBUG_INFO_BTF=y and
 * CONFIG_DEBUG_INFO_BTF_MODULES=y.  No arm-smmu-v3 type here (those live in
 * the module's split BTF, built from linux-6.12.c); only the generic
 * structures of common.h plus what a BTF consumer needs to find module BTF
 * in a dump:
 *
 *   struct task_struct      include/linux/sched.h (reduced; a vmlinux BTF
 *                           is told from a module's by it and list_head)
 *   struct module           include/linux/module.h: state, list, name first;
 *                           notes_attrs (CONFIG_KALLSYMS, CONFIG_SYSFS)
 *   struct bin_attribute    include/linux/sysfs.h (6.12 member order, exact)
 *   struct module_notes_attrs  kernel/module/sysfs.c (6.12, exact)
 *   struct btf              kernel/bpf/btf.c (6.12 member order, exact)
 *   struct btf_module       kernel/bpf/btf.c (CONFIG_DEBUG_INFO_BTF_MODULES)
 *   btf_modules, modules    static LIST_HEADs of kernel/bpf/btf.c and
 *                           kernel/module/main.c (kallsyms type 'd')
 *   btf_vmlinux             kernel/bpf/verifier.c
 *   init_task               init/init_task.c
 *
 * gen_kernel.py compiles this with -g -gdwarf-4, links it the way
 * scripts/link-vmlinux.sh does (kallsyms passes, pahole -J for .BTF) and
 * reads the offsets below from .sd_offsets, never from DWARF or BTF.
 */
#include "common.h"

/* include/linux/types.h: struct rcu_head is struct callback_head */
struct callback_head {
	struct callback_head *next;
	void (*func)(struct callback_head *head);
} __attribute__((aligned(sizeof(void *))));
#define rcu_head callback_head

/* arch/arm64/include/asm/thread_info.h (reduced) */
struct thread_info {
	unsigned long		flags;
	u64			ttbr0;
	union {
		u64		preempt_count;
		struct { u32 count; u32 need_resched; } preempt;
	};
	u32			cpu;
};

/* include/linux/sched.h (reduced, relative order kept) */
struct mm_struct;
struct task_struct {
	struct thread_info		thread_info;
	unsigned int			__state;
	unsigned int			saved_state;
	void				*stack;
	refcount_t			usage;
	unsigned int			flags;
	unsigned int			ptrace;
	int				on_cpu;
	int				prio;
	int				static_prio;
	int				normal_prio;
	unsigned int			rt_priority;
	struct list_head		tasks;
	struct mm_struct		*mm;
	struct mm_struct		*active_mm;
	int				exit_state;
	int				exit_code;
	int				pid;
	int				tgid;
	struct task_struct		*real_parent;
	struct task_struct		*parent;
	struct list_head		children;
	struct list_head		sibling;
	struct task_struct		*group_leader;
	u64				utime;
	u64				stime;
	char				comm[16];
	void				*files;
	void				*nsproxy;
	void				*signal;
};
#define PF_KTHREAD	0x00200000

/* include/uapi/linux/btf.h */
struct btf_header {
	u16	magic;
	u8	version;
	u8	flags;
	u32	hdr_len;
	u32	type_off;
	u32	type_len;
	u32	str_off;
	u32	str_len;
};

/* include/linux/sysfs.h, Linux 6.12 (CONFIG_DEBUG_LOCK_ALLOC=n) */
typedef unsigned short umode_t;
typedef long ssize_t;
typedef long long loff_t;
struct file;
struct address_space;
struct vm_area_struct;
struct attribute {
	const char		*name;
	umode_t			mode;
};
struct bin_attribute {
	struct attribute	attr;
	size_t			size;
	void			*private;
	struct address_space *(*f_mapping)(void);
	ssize_t (*read)(struct file *, struct kobject *, struct bin_attribute *,
			char *, loff_t, size_t);
	ssize_t (*write)(struct file *, struct kobject *, struct bin_attribute *,
			 char *, loff_t, size_t);
	loff_t (*llseek)(struct file *, struct kobject *, struct bin_attribute *,
			 loff_t, int);
	int (*mmap)(struct file *, struct kobject *, struct bin_attribute *attr,
		    struct vm_area_struct *vma);
};

/* kernel/module/sysfs.c, Linux 6.12: one bin_attribute per SHF_ALLOC
 * SHT_NOTE section (add_notes_attrs), .private its address, .size its
 * size: /sys/module/NAME/notes */
struct module_sect_attrs;
struct module_notes_attrs {
	struct kobject		*dir;
	unsigned int		notes;
	struct bin_attribute	attrs[];
};

/* include/linux/module.h (reduced; state, list and name exact) */
#define MODULE_NAME_LEN (64 - sizeof(unsigned long))
enum module_state {
	MODULE_STATE_LIVE,
	MODULE_STATE_COMING,
	MODULE_STATE_GOING,
	MODULE_STATE_UNFORMED,
};
struct module;
struct module_kobject {
	struct kobject		kobj;
	struct module		*mod;
	struct kobject		*drivers_dir;
	void			*mp;
	void			*kobj_completion;
};
struct module {
	enum module_state	state;
	struct list_head	list;
	char			name[MODULE_NAME_LEN];
	unsigned char		build_id[20];
	struct module_kobject	mkobj;
	void			*modinfo_attrs;
	const char		*version;
	const char		*srcversion;
	struct kobject		*holders_dir;
	const void		*syms;
	const int		*crcs;
	unsigned int		num_syms;
	unsigned int		num_kp;
	void			*kp;
	unsigned int		num_gpl_syms;
	const void		*gpl_syms;
	const int		*gpl_crcs;
	bool			using_gplonly_symbols;
	bool			async_probe_requested;
	unsigned int		num_exentries;
	void			*extable;
	int			(*init)(void);
	unsigned int		btf_data_size;
	unsigned int		btf_base_data_size;
	void			*btf_data;
	void			*btf_base_data;
	struct module_sect_attrs *sect_attrs;
	struct module_notes_attrs *notes_attrs;
	struct list_head	source_list;
	struct list_head	target_list;
	void			(*exit)(void);
	atomic_t		refcnt;
};

/* kernel/bpf/btf.c, Linux 6.12 (CONFIG_BPF_SYSCALL=y) */
struct btf_type;
struct btf_kfunc_set_tab;
struct btf_id_dtor_kfunc_tab;
struct btf_struct_metas;
struct btf_struct_ops_tab;
struct btf {
	void *data;
	struct btf_type **types;
	u32 *resolved_ids;
	u32 *resolved_sizes;
	const char *strings;
	void *nohdr_data;
	struct btf_header hdr;
	u32 nr_types; /* includes VOID for base BTF */
	u32 types_size;
	u32 data_size;
	refcount_t refcnt;
	u32 id;
	struct rcu_head rcu;
	struct btf_kfunc_set_tab *kfunc_set_tab;
	struct btf_id_dtor_kfunc_tab *dtor_kfunc_tab;
	struct btf_struct_metas *struct_meta_tab;
	struct btf_struct_ops_tab *struct_ops_tab;

	/* split BTF support */
	struct btf *base_btf;
	u32 start_id; /* first type ID in this BTF (0 for base BTF) */
	u32 start_str_off; /* first string offset (0 for base BTF) */
	char name[MODULE_NAME_LEN];
	bool kernel_btf;
	u32 *base_id_map; /* map from distilled base BTF -> vmlinux BTF ids */
};

enum {
	BTF_MODULE_F_LIVE = (1 << 0),
};

struct btf_module {
	struct list_head list;
	struct module *module;
	struct btf *btf;
	struct bin_attribute *sysfs_attr;
	int flags;
};

/* arch/arm64/kernel/head.S: the image starts with .head.text (_text) */
__attribute__((section(".head.text"), used)) void primary_entry(void)
{
}

struct task_struct init_task = {
	.__state	= 0,
	.flags		= PF_KTHREAD,
	.prio		= 120,
	.static_prio	= 120,
	.normal_prio	= 120,
	.tasks		= { &init_task.tasks, &init_task.tasks },
	.children	= { &init_task.children, &init_task.children },
	.sibling	= { &init_task.sibling, &init_task.sibling },
	.real_parent	= &init_task,
	.parent		= &init_task,
	.group_leader	= &init_task,
	.comm		= "swapper/0",
};
__attribute__((used)) static struct list_head modules = { &modules, &modules };
__attribute__((used)) static struct list_head btf_modules = { &btf_modules, &btf_modules };
struct btf *btf_vmlinux;

__attribute__((section(".sd_offsets"), used))
static const struct sd_off sd_offsets[] = {
	COMMON_OFFSETS,
	SIZE(task_struct), SIZE(module), SIZE(btf), SIZE(btf_module), SIZE(btf_header),
	SIZE(bin_attribute), SIZE(module_notes_attrs),
	OFF(module, state), OFF(module, list), OFF(module, name), OFF(module, notes_attrs),
	OFF(module_notes_attrs, notes),
	/* attrs[] is a flexible array: its offset, size 0 */
	{ "module_notes_attrs.attrs", __builtin_offsetof(struct module_notes_attrs, attrs), 0 },
	OFF(bin_attribute, attr.name), OFF(bin_attribute, size), OFF(bin_attribute, private),
	OFF(module, btf_data_size), OFF(module, btf_data), OFF(module, refcnt),
	OFF(btf, data), OFF(btf, strings), OFF(btf, nohdr_data), OFF(btf, hdr),
	OFF(btf, nr_types), OFF(btf, types_size), OFF(btf, data_size), OFF(btf, refcnt),
	OFF(btf, id), OFF(btf, base_btf), OFF(btf, start_id), OFF(btf, start_str_off),
	OFF(btf, name), OFF(btf, kernel_btf),
	OFF(btf_module, list), OFF(btf_module, module), OFF(btf_module, btf),
	OFF(btf_module, sysfs_attr), OFF(btf_module, flags),
};
