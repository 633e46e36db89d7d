#!/bin/busybox sh
# /init of the capture kernel's initramfs (real kdump test; runs in the arm64 guest).
# Mimics Debian's kdump-tools-dump.service: the ExecStartPre= of
# contrib/kdump-tools/smmu-strtab-dump.conf (contrib/kdump-tools/smmu-strtab-dump-pre,
# unchanged, with the cross-built tool), then the dump itself -- here /proc/vmcore
# copied raw to the output disk (virtio-blk 00:07.0 without iommu_platform, so that its
# DMA does not depend on the SMMU; pci=nomsi for the same reason).  Disk layout: a tar of
# /var/crash at offset 0, the vmcore at 64 MiB.  Then SD-CAPTURE-DONE and the host reads
# the SMMU registers again through QEMU's monitor.
/bin/busybox mkdir -p /bin /sbin /usr/bin /usr/sbin /proc /sys /dev /tmp /var/crash
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
MODE=$(sed -n 's/.*sdkdump=\([a-z]*\).*/\1/p' /proc/cmdline)
echo "SD-CAPTURE start $(uname -r) mode=$MODE vmcore=$(stat -c %s /proc/vmcore 2>/dev/null)"
for d in /sys/bus/platform/devices/*; do
    [ -e "$d/driver" ] || continue
    case ${d##*/} in *smmu*) echo "SD-CAPTURE smmu device ${d##*/} driver $(basename "$(readlink "$d/driver")")" ;; esac
done
B=0x09050000
for r in STRTAB_BASE:0x80:64 STRTAB_BASE_CFG:0x88:32 CR0:0x20:32 GBPA:0x44:32; do
    n=${r%%:*}; o=${r#*:}; w=${o#*:}; o=${o%:*}
    echo "SD-CAPTURE devmem $n $(devmem $((B + o)) $w 2>&1)"
done

# --- kdump-tools-dump.service, ExecStartPre=-/usr/lib/smmu-strtab-dump/smmu-strtab-dump-pre
export KDUMP_COREDIR=/var/crash
export SMMU_STRTAB_DUMP=/usr/bin/smmu-strtab-dump-measured
/usr/lib/smmu-strtab-dump/smmu-strtab-dump-pre
echo "SD-CAPTURE hook exit $?"
# the live capture alone, for its run time
/usr/bin/smmu-strtab-dump-measured --capture-regs=/tmp/capture-only.regs > /dev/null 2>&1
for f in /var/crash/*/*; do echo "SD-CAPTURE file $f $(stat -c %s "$f")"; done
sed 's/^/SD-CAPTURE log /' /var/crash/*/smmu-strtab-dump.log
cat /var/crash/*/smmu-strtab-dump.time 2>/dev/null | sed 's/^/SD-CAPTURE time /'

# --- ExecStart: save the dump (raw copy to the output disk)
# Only the dump disk gets a driver: the other devices would do DMA through an SMMU that
# still holds the crashed kernel's tables.  virtio_pci is a module in 6.1, built in in 6.12.
echo 0 > /sys/bus/pci/drivers_autoprobe
[ -e /sys/bus/virtio/drivers_autoprobe ] && echo 0 > /sys/bus/virtio/drivers_autoprobe
for m in $(cat /modules.list); do
    case $m in virtio_net*) ;; virtio*) insmod "/lib/modules/$m" 2>/dev/null ;; esac
    [ -e /sys/bus/virtio/drivers_autoprobe ] && echo 0 > /sys/bus/virtio/drivers_autoprobe
done
# With arm-smmu-v3 kept from probing, a device behind the SMMU defers its probe (EAGAIN)
# until the driver core's deferred-probe timeout (10 s after boot) gives up on the IOMMU.
P=/sys/bus/pci/devices/0000:00:07.0
i=0
while [ ! -e $P/driver ] && [ $i -lt 60 ]; do
    echo 0000:00:07.0 > /sys/bus/pci/drivers/virtio-pci/bind 2>/dev/null || sleep 1
    i=$((i + 1))
done
for v in $P/virtio*; do [ -e "$v/driver" ] || echo "${v##*/}" > /sys/bus/virtio/drivers/virtio_blk/bind; done
i=0
while [ ! -b /dev/vda ] && [ $i -lt 300 ]; do usleep 100000; i=$((i + 1)); done
if [ -b /dev/vda ]; then
    tar -cf /tmp/crash.tar -C /var/crash .
    dd if=/tmp/crash.tar of=/dev/vda bs=64k conv=fsync 2>/dev/null
    t0=$(date +%s)
    dd if=/proc/vmcore of=/dev/vda bs=1M seek=64 conv=fsync 2>&1 | tail -n 1 | sed 's/^/SD-CAPTURE dd /'
    echo "SD-CAPTURE saved in $(( $(date +%s) - t0 ))s"
else
    echo "SD-CAPTURE-FAIL no output disk"
fi
sync
echo "SD-CAPTURE-DONE"
while :; do sleep 3600; done
