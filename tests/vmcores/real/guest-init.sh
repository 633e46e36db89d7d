#!/bin/busybox sh
# /init of the generator's busybox initramfs (runs in the arm64 guest).
# Loads the modules listed in /modules.list (modules.dep order), makes real DMA
# on every device behind the SMMU, prints the ground truth between markers on
# the serial console, then holds still until the host dumps memory.
/bin/busybox mkdir -p /bin /sbin /usr/bin /usr/sbin /proc /sys /dev /tmp
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
echo "SD-INIT start $(uname -r)"

for m in $(cat /modules.list); do
    insmod "/lib/modules/$m" 2>/dev/null || echo "SD-INIT insmod failed: $m"
done

waitfor() { # PATH SECONDS
    i=0
    while [ ! -e "$1" ] && [ $i -lt $(($2 * 10)) ]; do usleep 100000; i=$((i + 1)); done
    [ -e "$1" ] || echo "SD-INIT missing: $1"
}
waitfor /dev/vda 30
waitfor /dev/nvme0n1 30

# --- block DMA: write then read back, through the page cache and around it
for d in /dev/vda /dev/nvme0n1; do
    [ -b $d ] || continue
    dd if=/dev/urandom of=/tmp/pattern bs=64k count=16 2>/dev/null
    dd if=/tmp/pattern of=$d bs=64k count=16 conv=fsync 2>/dev/null
    sync
    echo 3 > /proc/sys/vm/drop_caches
    dd if=$d of=/tmp/back bs=64k count=16 2>/dev/null
    if cmp -s /tmp/pattern /tmp/back; then echo "SD-DMA $d rw ok"; else echo "SD-DMA $d rw MISMATCH"; fi
    dd if=$d of=/dev/null bs=4k count=64 skip=1000 2>/dev/null
done

# --- network DMA: one QEMU user-mode (restrict=on) netdev per NIC, own subnet,
# ping its virtual gateway.  Nothing leaves the host.
ifconfig lo 127.0.0.1 up
for n in /sys/class/net/*; do
    i=${n##*/}
    [ -e $n/device/driver ] || continue
    drv=$(basename "$(readlink $n/device/driver)")
    case $drv in
        virtio_net) net=10.0.2 ;;
        e1000e) net=10.0.3 ;;
        *) continue ;;
    esac
    ifconfig "$i" "$net.15" netmask 255.255.255.0 up
    j=0
    while [ "$(cat $n/carrier 2>/dev/null)" != 1 ] && [ $j -lt 50 ]; do usleep 100000; j=$((j + 1)); done
    if ping -c 4 -s 1200 -W 2 "$net.2" >/dev/null 2>&1; then echo "SD-DMA $i $drv ping ok"
    else echo "SD-DMA $i $drv ping FAILED"; fi
done

# --- edu: bound once to pci-stub, unbound, then its DMA engine reads an
# unmapped IOVA -> the SMMU records F_TRANSLATION
EDU=
for d in /sys/bus/pci/devices/*; do
    [ "$(cat $d/vendor):$(cat $d/device)" = "0x1234:0x11e8" ] && EDU=${d##*/}
done
if [ -n "$EDU" ] && [ -d /sys/bus/pci/drivers/pci-stub ]; then
    d=/sys/bus/pci/devices/$EDU
    echo "1234 11e8" > /sys/bus/pci/drivers/pci-stub/new_id
    usleep 200000
    [ -e $d/driver ] || echo "$EDU" > /sys/bus/pci/drivers/pci-stub/bind 2>/dev/null
    echo "$EDU" > /sys/bus/pci/drivers/pci-stub/unbind
    printf '\006\000' | dd of=$d/config bs=1 seek=4 count=2 conv=notrunc 2>/dev/null
    bar0=$(head -n 1 $d/resource | cut -d' ' -f1)
    bar0=$((bar0))
    EDU_IOVA=0x1000
    devmem $((bar0 + 0x80)) 32 $EDU_IOVA  # source: IOVA (not mapped)
    devmem $((bar0 + 0x88)) 32 0x40000    # destination: edu's buffer
    devmem $((bar0 + 0x90)) 32 8          # count
    devmem $((bar0 + 0x98)) 32 1          # start, RAM -> device (a read)
    sleep 1
    echo "SD-EDU $EDU iova=$EDU_IOVA dir=read status=$(devmem $((bar0 + 0x98)) 32)"
fi
sleep 1

# --- ground truth
echo "SD-TRUTH-BEGIN"
echo "SD-UNAME $(uname -r)"
echo "SD-CMDLINE $(cat /proc/cmdline)"
for d in /sys/bus/pci/devices/*; do
    b=${d##*/}
    drv=-; [ -e $d/driver ] && drv=$(basename "$(readlink $d/driver)")
    grp=-; gtype=-
    if [ -e $d/iommu_group ]; then
        grp=$(basename "$(readlink $d/iommu_group)")
        gtype=$(cat /sys/kernel/iommu_groups/$grp/type 2>/dev/null || echo -)
    fi
    echo "SD-PCI $b $(cat $d/vendor) $(cat $d/device) $(cat $d/class) $drv $grp $gtype"
done
grep -i smmu /proc/iomem | sed 's/^/SD-IOMEM /'
dmesg | grep -iE 'smmu|iommu' | sed 's/^/SD-DMESG /'
echo "SD-TRUTH-END"
echo "SD-READY"
while :; do sleep 3600; done
