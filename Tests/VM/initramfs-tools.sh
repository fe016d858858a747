# Sourced by run-scenario for scenarios whose `mode` is initramfs-tools: the
# guest boots Debian's own initramfs (mkinitramfs, its init, systemd-udevd
# coldplug) with bindrace's hook and init-top script from dist/ installed,
# then switches to a small real root whose /sbin/init ends the capture and
# exports the trace.
#
# Scenario extras: initramfs-modules (lines for the initramfs's modules file:
# loaded by init's load_modules while udev coldplugs).

build_initramfs_tools_guest() {
    need_packages initramfs-tools udev e2fsprogs busybox-static
    CONF=$WORK/initramfs-tools
    mkdir -p "$CONF/hooks" "$CONF/scripts/init-top" "$CONF/conf.d" "$CONF/modprobe.d"
    cat > "$CONF/initramfs.conf" <<CONFEOF
MODULES=list
BUSYBOX=y
COMPRESS=gzip
COMPRESSLEVEL=1
RUNSIZE=10%
CONFEOF
    : > "$CONF/modules"
    [ -f "$SCENARIO/initramfs-modules" ] && cat "$SCENARIO/initramfs-modules" >> "$CONF/modules"
    cp "$REPO/dist/initramfs-tools/hooks/bindrace" "$CONF/hooks/bindrace"
    cp "$REPO/dist/initramfs-tools/scripts/init-top/bindrace" "$CONF/scripts/init-top/bindrace"
    [ -d "$SCENARIO/modprobe.d" ] && cp "$SCENARIO"/modprobe.d/* "$CONF/modprobe.d/" 2>/dev/null
    # The test's own hook: the drivers udev will load (copied, not listed in
    # modules, so udev's coldplug loads them), the root disk's modules, and
    # the scenario's modprobe.d.
    cat > "$CONF/hooks/zz-bindrace-vm" <<HOOKEOF
#!/bin/sh
PREREQ=""
prereqs() { echo "\$PREREQ"; }
case "\$1" in prereqs) prereqs; exit 0 ;; esac
. /usr/share/initramfs-tools/hook-functions
manual_add_modules e1000 vfio-pci virtio_pci virtio_blk ext4 $(cat "$SCENARIO/modules" 2>/dev/null | tr '\n' ' ')
mkdir -p "\${DESTDIR}/etc/modprobe.d"
cp $CONF/modprobe.d/* "\${DESTDIR}/etc/modprobe.d/" 2>/dev/null || true
HOOKEOF
    chmod +x "$CONF"/hooks/* "$CONF"/scripts/init-top/*
    # mkinitramfs reads /lib/modules/VERSION: give it the guest's tree in a
    # private mount namespace (the host's own /lib/modules stays as it is).
    # (/boot likewise, for the kernel's config.)
    created=""
    [ -d /lib/modules ] || { mkdir -p /lib/modules; created="$created /lib/modules"; }
    [ -d /boot ] || { mkdir -p /boot; created="$created /boot"; }
    INITRD=$WORK/initrd.img
    BINDRACE_BINARY=$BIN unshare -m sh -c "
        mount --make-rprivate / &&
        mount --bind '$KROOT/root/lib/modules' /lib/modules &&
        mount --bind '$KROOT/root/boot' /boot &&
        mkinitramfs -d '$CONF' -o '$INITRD' '$KVER'" >&2 || die "mkinitramfs failed"
    for d in $created; do rmdir "$d" 2>/dev/null; done
    # The real root: busybox and an init that ends the capture and exports.
    ROOTDIR=$WORK/rootfs
    mkdir -p "$ROOTDIR"/bin "$ROOTDIR"/sbin "$ROOTDIR"/proc "$ROOTDIR"/sys "$ROOTDIR"/dev "$ROOTDIR"/run "$ROOTDIR"/scenario
    cp /bin/busybox "$ROOTDIR/bin/busybox"
    for applet in sh mount sleep cat grep basename readlink wc dd printf kill sync poweroff echo ls; do
        ln -sf busybox "$ROOTDIR/bin/$applet"
    done
    cp "$VM_DIR/guest/export.sh" "$ROOTDIR/scenario/export.sh"
    [ -f "$SCENARIO/guest.sh" ] && cp "$SCENARIO/guest.sh" "$ROOTDIR/scenario/guest.sh"
    cat > "$ROOTDIR/sbin/init" <<'INIT'
#!/bin/sh
export PATH=/bin:/sbin
echo "bindrace-vm: real root"
mount -t proc proc /proc 2>/dev/null
mount -t sysfs sysfs /sys 2>/dev/null
[ -f /scenario/guest.sh ] && sh /scenario/guest.sh
sleep 1
. /scenario/export.sh /run/bindrace/boot.brt
poweroff -f
INIT
    chmod +x "$ROOTDIR/sbin/init"
    ROOTIMG=$WORK/root.img
    mkfs.ext4 -q -L bindrace-root -d "$ROOTDIR" "$ROOTIMG" 32M || die "mkfs.ext4 failed"
    APPEND="console=ttyS0 intel_iommu=on root=/dev/vdb rw rootwait panic=-1 init=/sbin/init"
    MODE_QEMU_ARGS="-drive file=$ROOTIMG,format=raw,if=none,id=root -device virtio-blk-pci,drive=root"
}
