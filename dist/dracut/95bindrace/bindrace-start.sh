#!/bin/sh
# dracut pre-udev hook (initrds without systemd): start the boot capture.
grep -qw 'bindrace.capture=0' /proc/cmdline && return 0 2>/dev/null
mkdir -p /run/bindrace
setsid /usr/bin/bindrace capture --boot --force -o /run/bindrace/boot.brt \
    --pid-file /run/bindrace/capture.pid 2>/run/bindrace/capture.log &
n=0
while [ ! -s /run/bindrace/boot.brt ] && [ $n -lt 300 ]; do sleep 0.1; n=$((n + 1)); done
