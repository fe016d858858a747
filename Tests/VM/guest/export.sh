#!/bin/sh
# In the guest: end the capture (pid in /run/bindrace/capture.pid), note each
# PCI device's driver, and write both with the trace to the raw output disk
# /dev/vda. Block 0: a header line; the observed table at 4 KiB; the trace
# at 64 KiB. The host side is Tests/VM/run-scenario.
TRACE=${1:-/run/bindrace/trace.brt}
PID=$(cat /run/bindrace/capture.pid 2>/dev/null)
STATUS=255
alive() { [ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status"; }
if [ -n "$PID" ]; then
    kill -INT "$PID"
    # Bounded, so a capture that does not stop is reported with its stacks
    # instead of hanging the guest until the host's timeout.
    n=0
    while alive "$PID" && [ $n -lt 600 ]; do sleep 0.1; n=$((n + 1)); done
    if alive "$PID"; then
        echo "bindrace-vm: capture $PID still running 60 s after SIGINT; its threads' kernel stacks:"
        for t in /proc/"$PID"/task/*; do
            echo "-- ${t##*/} $(cat "$t/comm" 2>/dev/null) $(grep '^State' "$t/status" 2>/dev/null)"
            cat "$t/stack" 2>/dev/null
        done
        kill -KILL "$PID"
    fi
    if [ -n "${CAPTURE_CHILD:-}" ]; then
        wait "$PID"
        STATUS=$?
    else
        # Started in the initramfs, not our job: read how it ended from its log.
        grep -q " events in " /run/bindrace/capture.log 2>/dev/null && STATUS=0
    fi
fi
echo "bindrace-vm: capture exit $STATUS"
cat /run/bindrace/capture.log 2>/dev/null
OBS=/run/bindrace/observed
: > $OBS
for d in /sys/bus/pci/devices/*; do
    drv=-
    [ -e "$d/driver" ] && drv=$(basename "$(readlink "$d/driver")")
    echo "$(basename "$d") $(cat "$d/vendor"):$(cat "$d/device") $drv" >> $OBS
done
cat $OBS
SIZE=$(wc -c < "$TRACE")
OSIZE=$(wc -c < $OBS)
printf 'BINDRACE-VM trace=%s observed=%s status=%s\n' "$SIZE" "$OSIZE" "$STATUS" | dd of=/dev/vda bs=512 count=1 conv=sync 2>/dev/null
dd if=$OBS of=/dev/vda bs=4096 seek=1 conv=notrunc 2>/dev/null
dd if="$TRACE" of=/dev/vda bs=65536 seek=1 conv=notrunc 2>/dev/null
sync
echo "bindrace-vm: done"
