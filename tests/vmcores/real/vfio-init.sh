#!/bin/busybox sh
# /init of the VFIO variant's initramfs (vfio-generate); runs in the arm64 guest.
# Loads vfio, vfio_iommu_type1 and vfio-pci, binds the second edu (its BDF in
# /vfio-bdf) to vfio-pci with driver_override + drivers_probe, starts /vfio-dma
# (a user-space driver: type1 container, a mapping at the IOVA in /vfio-iova,
# bus mastering through the VFIO config region, edu DMA through the SMMU), then
# runs the generator's workload (guest-init.sh, unchanged: DMA on every other
# device, the first edu's events, the ground truth with the device bound to
# vfio-pci), and lets /vfio-dma crash the kernel with sysrq-c while it holds the
# group open.  panic is set to 0 first so that the crashed guest stays put for
# the host's dump (the command line says panic=-1).
/bin/busybox mkdir -p /bin /sbin /usr/bin /usr/sbin /proc /sys /dev /tmp
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
BDF=$(cat /vfio-bdf) IOVA=$(cat /vfio-iova)
echo "SD-VFIO-INIT $(uname -r) device $BDF iova $IOVA"

for m in $(cat /vfio-modules.list); do
    insmod "/lib/modules/$m" 2>/dev/null || echo "SD-VFIO-FAIL insmod $m"
done
d=/sys/bus/pci/devices/$BDF
echo vfio-pci > $d/driver_override
echo "$BDF" > /sys/bus/pci/drivers_probe
drv=-; [ -e $d/driver ] && drv=$(basename "$(readlink $d/driver)")
[ "$drv" = vfio-pci ] || echo "SD-VFIO-FAIL $BDF bound to $drv, not vfio-pci"
echo "SD-VFIO-INIT $BDF driver $drv group $(basename "$(readlink $d/iommu_group)")"

/vfio-dma "$BDF" "$IOVA" > /dev/console 2>&1 &
i=0
while [ ! -e /tmp/vfio-ready ] && [ $i -lt 300 ]; do usleep 100000; i=$((i + 1)); done
[ -e /tmp/vfio-ready ] || echo "SD-VFIO-FAIL vfio-dma not ready"

# the workload, its output on the console and in a file we can watch
( /guest-init.sh 2>&1 | tee /tmp/guest-init.log > /dev/console ) &
i=0
while ! grep -q SD-READY /tmp/guest-init.log 2>/dev/null; do
    sleep 1; i=$((i + 1))
    [ $i -lt 240 ] || { echo "SD-VFIO-FAIL workload did not finish"; break; }
done
echo 0 > /proc/sys/kernel/panic
sync
touch /tmp/vfio-crash
sleep 60
echo "SD-VFIO-FAIL still alive"
while :; do sleep 3600; done
