#!/bin/bash
# mkinitrd.sh KERNEL_DEB BUSYBOX_DEB WORKDIR
# Unpacks the kernel .deb, runs depmod, and builds WORKDIR/initrd.cpio.gz: busybox-static
# (arm64), guest-init.sh as /init, and the modules the guest needs in modules.dep order
# (.ko.xz/.ko.zst decompressed: busybox insmod reads plain .ko only).
# Leaves WORKDIR/Image (uncompressed), WORKDIR/config, WORKDIR/System.map, WORKDIR/release.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
KDEB=$1 BBDEB=$2 W=$3
MODS="virtio_pci virtio_blk virtio_net nvme e1000e qemu_fw_cfg pci_stub"
rm -rf "$W/root" "$W/initrd" && mkdir -p "$W/root" "$W/initrd/bin" "$W/initrd/lib/modules"
dpkg-deb -x "$KDEB" "$W/root"
[ -d "$W/root/lib/modules" ] || ln -s usr/lib "$W/root/lib"   # trixie is usr-merged
V=$(ls "$W/root/lib/modules")
depmod -b "$W/root" "$V"
cp "$W/root/boot/config-$V" "$W/config"; cp "$W/root/boot/System.map-$V" "$W/System.map"; echo "$V" > "$W/release"
vmlinuz="$W/root/boot/vmlinuz-$V"
if gzip -t "$vmlinuz" 2>/dev/null; then gzip -dc "$vmlinuz" > "$W/Image"; else cp "$vmlinuz" "$W/Image"; fi
: > "$W/initrd/modules.list"
for m in $MODS; do modprobe -d "$W/root" -S "$V" --show-depends "$m"; done | awk '$1=="insmod"{print $2}' |
while read -r ko; do
    rel=${ko#"$W/root/lib/modules/$V/"}; base=$(basename "$rel"); base=${base%.xz}; base=${base%.zst}
    grep -qx "$base" "$W/initrd/modules.list" && continue
    case $ko in
        *.xz) xz -dc "$ko" > "$W/initrd/lib/modules/$base" ;;
        *.zst) zstd -qdc "$ko" > "$W/initrd/lib/modules/$base" ;;
        *) cp "$ko" "$W/initrd/lib/modules/$base" ;;
    esac
    echo "$base" >> "$W/initrd/modules.list"
done
mkdir -p "$W/bb" && dpkg-deb -x "$BBDEB" "$W/bb"
cp "$W/bb/bin/busybox" "$W/initrd/bin/busybox"
cp "$HERE/guest-init.sh" "$W/initrd/init"; chmod 755 "$W/initrd/init"
(cd "$W/initrd" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) > "$W/initrd.cpio.gz"
rm -rf "$W/bb"
