#!/bin/bash
# dracut module: boot-time capture from the initramfs through the real root.
#
# With systemd in the initrd, bindrace-initrd.service starts the capture
# before systemd-udevd; the process marks itself (argv[0] '@', --boot) so the
# switch-root leaves it running. Without systemd, a pre-udev hook starts it.

check() {
    require_binaries bindrace || return 1
    return 255
}

depends() {
    return 0
}

install() {
    inst_binary bindrace
    if dracut_module_included "systemd"; then
        inst_simple "$moddir/bindrace-initrd.service" "$systemdsystemunitdir/bindrace-initrd.service"
        $SYSTEMCTL -q --root "$initdir" enable bindrace-initrd.service
    else
        inst_hook pre-udev 00 "$moddir/bindrace-start.sh"
    fi
}
