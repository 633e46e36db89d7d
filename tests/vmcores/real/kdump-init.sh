#!/bin/busybox sh
# /init of the real-kdump initramfs, first (to be crashed) kernel; runs in the arm64 guest.
# Runs the generator's workload (guest-init.sh, unchanged: DMA on every device behind the
# SMMU, the edu event, the ground truth between SD-TRUTH-BEGIN/END), then loads the capture
# kernel with `kexec -p`, says SD-KDUMP-ARMED (the host reads the SMMU registers through
# QEMU's monitor then) and crashes with sysrq-c.  Mode from the command line:
# sdkdump=blacklist (capture kernel with initcall_blacklist=arm_smmu_driver_init) or
# sdkdump=driver (arm-smmu-v3 probes in the capture kernel).
/bin/busybox mkdir -p /bin /sbin /usr/bin /usr/sbin /proc /sys /dev /tmp
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
MODE=$(sed -n 's/.*sdkdump=\([a-z]*\).*/\1/p' /proc/cmdline)
echo "SD-KDUMP first kernel $(uname -r) mode=$MODE"

# the workload, its output on the console and in a file we can watch
( /guest-init.sh 2>&1 | tee /tmp/guest-init.log > /dev/console ) &
i=0
while ! grep -q SD-READY /tmp/guest-init.log 2>/dev/null; do
    sleep 1; i=$((i + 1))
    [ $i -lt 240 ] || { echo "SD-KDUMP-FAIL workload did not finish"; break; }
done
grep -q 'crashkernel=' /proc/cmdline || echo "SD-KDUMP-FAIL no crashkernel= on the command line"
grep -i 'crash kernel' /proc/iomem | sed 's/^/SD-KDUMP iomem /'

# Debian 6.1 lacks CONFIG_KALLSYMS_ALL, so /proc/kallsyms has no _text and kexec-tools
# 2.0.25 writes a bogus kernel-text PT_LOAD (the capture kernel then oopses in
# /proc/vmcore).  Present a kallsyms with _text = _stext - 0x10000 to it.
if ! grep -q ' _text$' /proc/kallsyms; then
    stext=$(awk '$3 == "_stext" { print $1; exit }' /proc/kallsyms)
    if [ -n "$stext" ]; then
        cp /proc/kallsyms /tmp/kallsyms
        printf '%016x T _text\n' $((0x$stext - 0x10000)) >> /tmp/kallsyms
        mount --bind /tmp/kallsyms /proc/kallsyms && echo "SD-KDUMP _text = _stext - 0x10000 for kexec"
    fi
fi
APPEND="console=ttyAMA0 rdinit=/init nr_cpus=1 reset_devices pci=nomsi panic=-1 loglevel=6 sdkdump=$MODE"
[ "$MODE" = blacklist ] && APPEND="$APPEND initcall_blacklist=arm_smmu_driver_init"
if kexec -p /Image --initrd=/capture.cpio.gz --append="$APPEND"; then
    echo "SD-KDUMP loaded: $(cat /sys/kernel/kexec_crash_loaded) $(cat /sys/kernel/kexec_crash_size)"
else
    echo "SD-KDUMP-FAIL kexec -p failed"
fi
umount /proc/kallsyms 2>/dev/null
sync
echo "SD-KDUMP-ARMED"
# the host stops the VM, reads the SMMU registers and continues it in this window
sleep 8
echo "SD-KDUMP crashing"
echo c > /proc/sysrq-trigger
sleep 60
echo "SD-KDUMP-FAIL still alive after sysrq-c"
