/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Generic kernel structures for the synthetic-layout tests
 * (tests/vmcores/kernel/gen_kernel.py).  Each layout-*.c declares one
 * kernel version's arm-smmu-v3 structures with that version's exact member
 * order and includes this file for the rest.  The generic structures here
 * are reduced: the members smmu-strtab-dump reads, in the kernel's relative
 * order, with filler members where the kernel has many more; their offsets
 * differ from a real kernel's, which is the point (nothing may be
 * hard-coded).  Compiled with aarch64-linux-gnu-gcc -g -c; never run.
 */
#ifndef LAYOUT_COMMON_H
#define LAYOUT_COMMON_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef u64 __le64;
typedef u64 dma_addr_t;
typedef u64 phys_addr_t;
typedef u64 resource_size_t;
typedef unsigned long size_t;
typedef _Bool bool;
typedef struct { int counter; } atomic_t;
typedef struct { long counter; } atomic_long_t;
typedef struct { unsigned int val; } spinlock_t;
typedef struct { int refs; } refcount_t;
typedef long long ktime_t;

#define SMP_CACHE_BYTES 64
#define ____cacheline_aligned_in_smp __attribute__((aligned(SMP_CACHE_BYTES)))
#define DECLARE_BITMAP(name, bits) unsigned long name[((bits) + 63) / 64]

struct list_head { struct list_head *next, *prev; };
struct rb_node {
	unsigned long __rb_parent_color;
	struct rb_node *rb_right;
	struct rb_node *rb_left;
} __attribute__((aligned(sizeof(long))));
struct rb_root { struct rb_node *rb_node; };
struct mutex { atomic_long_t owner; spinlock_t wait_lock; struct list_head wait_list; };
struct kref { refcount_t refcount; };

struct kobject {
	const char *name;
	struct list_head entry;
	struct kobject *parent;
	struct kset *kset;
	const void *ktype;
	void *sd;
	struct kref kref;
	unsigned int state_initialized:1;
	unsigned int state_in_sysfs:1;
};

struct kset {
	struct list_head list;
	spinlock_t list_lock;
	struct kobject kobj;
	const void *uevent_ops;
};

struct bus_type {
	const char *name;
	const char *dev_name;
	void *dev_root;
	const void *bus_groups;
	void *p;
};

struct device_driver {
	const char *name;
	struct bus_type *bus;
	void *owner;
	const char *mod_name;
	bool suppress_bind_attrs;
	void *p;
};

struct iommu_fwspec;
struct iommu_device;
struct iommu_group;

struct dev_iommu {
	struct mutex lock;
	void *fault_param;
	struct iommu_fwspec *fwspec;
	struct iommu_device *iommu_dev;
	void *priv;
};

struct device {
	struct kobject kobj;
	struct device *parent;
	void *p;
	const char *init_name;
	const void *type;
	struct bus_type *bus;
	struct device_driver *driver;
	void *platform_data;
	void *driver_data;
	struct mutex mutex;
	u64 *dma_mask;
	u64 coherent_dma_mask;
	u64 bus_dma_limit;
	void *of_node;
	void *fwnode;
	u32 id;
	struct iommu_group *iommu_group;
	struct dev_iommu *iommu;
	bool offline_disabled:1;
	bool offline:1;
};

struct iommu_device {
	struct list_head list;
	const void *ops;
	void *fwnode;
	struct device *dev;
};

struct iommu_domain {
	unsigned type;
	const void *ops;
	unsigned long pgsize_bitmap;
	void *handler;
	void *handler_token;
	struct { u64 aperture_start, aperture_end; bool force_aperture; } geometry;
	void *iova_cookie;
};

/* A layout that declares its version's own struct iommu_group defines
 * LAYOUT_IOMMU_GROUP before including this file. */
#ifndef LAYOUT_IOMMU_GROUP
struct iommu_group {
	struct kobject kobj;
	struct kobject *devices_kobj;
	struct list_head devices;
	struct mutex mutex;
	void *iommu_data;
	void (*iommu_data_release)(void *iommu_data);
	char *name;
	int id;
	struct iommu_domain *default_domain;
	struct iommu_domain *domain;
	struct list_head entry;
};
#endif

struct resource {
	resource_size_t start;
	resource_size_t end;
	const char *name;
	unsigned long flags;
	unsigned long desc;
	struct resource *parent, *sibling, *child;
};

struct pci_dev {
	struct list_head bus_list;
	void *bus;
	void *subordinate;
	void *sysdata;
	void *procent;
	void *slot;
	unsigned int devfn;
	unsigned short vendor;
	unsigned short device;
	unsigned int class;
	u8 revision;
	u8 hdr_type;
	struct device dev;
	int cfg_size;
	unsigned int irq;
	/* the bit-field word that holds is_busmaster, as in include/linux/pci.h */
	unsigned int __busmaster_word[0];
	unsigned int transparent:1;
	unsigned int io_window:1;
	unsigned int pref_window:1;
	unsigned int pref_64_window:1;
	unsigned int multifunction:1;
	unsigned int is_busmaster:1;
	unsigned int no_msi:1;
	unsigned int no_64bit_msi:1;
	unsigned int block_cfg_access:1;
	u32 saved_config_space[16];
};
#define PCI_BUSMASTER_BIT 5

/* The globals the tool looks up in .symtab (drivers/iommu/iommu.c,
 * kernel/crash_core.c, drivers/base/core.c, drivers/pci/pci-driver.c). */
struct list_head iommu_device_list;
struct resource crashk_res;
struct resource crashk_low_res;
struct kset *devices_kset;
struct bus_type pci_bus_type;
struct bus_type platform_bus_type;

/* Offsets for the generator, from the compiler (not from any DWARF
 * reader): "type.member" -> byte offset and size; "type" -> size. */
struct sd_off { char name[88]; unsigned long off, size; };
#define OFF(T, M) { #T "." #M, __builtin_offsetof(struct T, M), sizeof(((struct T *)0)->M) }
#define SIZE(T) { #T, 0, sizeof(struct T) }
#define BITOFF(T, M, MARK, BIT) { #T "." #M "@bit", __builtin_offsetof(struct T, MARK) * 8 + (BIT), 1 }

#define COMMON_OFFSETS \
	SIZE(list_head), SIZE(rb_node), SIZE(kobject), SIZE(kset), SIZE(device), \
	SIZE(device_driver), SIZE(bus_type), SIZE(dev_iommu), SIZE(iommu_group), \
	SIZE(iommu_domain), SIZE(resource), SIZE(pci_dev), SIZE(iommu_device), \
	OFF(list_head, next), OFF(list_head, prev), \
	OFF(rb_node, __rb_parent_color), OFF(rb_node, rb_left), OFF(rb_node, rb_right), \
	OFF(kobject, name), OFF(kobject, entry), OFF(kset, list), \
	OFF(device, kobj), OFF(device, init_name), OFF(device, bus), OFF(device, driver), \
	OFF(device, driver_data), OFF(device, iommu_group), OFF(device, iommu), \
	OFF(device_driver, name), OFF(bus_type, name), OFF(dev_iommu, priv), \
	OFF(dev_iommu, iommu_dev), \
	OFF(iommu_group, id), OFF(iommu_group, domain), OFF(iommu_group, default_domain), \
	OFF(iommu_domain, type), OFF(resource, start), OFF(resource, end), OFF(resource, name), \
	OFF(pci_dev, dev), OFF(pci_dev, devfn), BITOFF(pci_dev, is_busmaster, __busmaster_word, PCI_BUSMASTER_BIT), \
	OFF(iommu_device, list), OFF(iommu_device, ops), OFF(iommu_device, dev)

#endif
