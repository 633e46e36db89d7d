// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * An unrelated module for the "6.12-module-btf" layout: virtio_blk's own
 * structures (drivers/block/virtio_blk.c of Linux 6.12, reduced), whose
 * split BTF sits on btf_modules before arm_smmu_v3's.  A BTF consumer
 * looking for arm-smmu-v3 types must pass over it.
 */
#include "common.h"

struct virtqueue;
struct virtio_device;
struct gendisk;

struct virtio_blk_vq {
	struct virtqueue	*vq;
	spinlock_t		lock;
	char			name[16];
} ____cacheline_aligned_in_smp;

struct virtio_blk {
	struct mutex		vdev_mutex;
	struct virtio_device	*vdev;
	struct gendisk		*disk;
	void			*tag_set;
	void			*config_work;
	int			index;
	int			num_vqs;
	int			io_queues[3];
	struct virtio_blk_vq	*vqs;
	unsigned int		zone_sectors;
};

int virtblk_probe(struct virtio_blk *vblk);
int virtblk_probe(struct virtio_blk *vblk)
{
	return vblk->num_vqs + vblk->vqs[0].name[0];
}
