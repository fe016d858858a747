# vfio-pci with ids= and the native e1000 driver loaded at the same time:
# vfio-pci registers its driver before it adds the dynamic id, so e1000 can
# take the device in between. Either may win.
/sbin/modprobe vfio-pci ids=8086:100e &
/sbin/modprobe e1000 &
wait
# Then sysfs writes, to exercise the store hooks' kprobes (new_id_store and
# remove_id_store exist twice in 6.1: each copy is probed by address). The
# device is bound by now, so these change no binding.
echo "8086 100e" > /sys/bus/pci/drivers/vfio-pci/remove_id
echo "8086 100e" > /sys/bus/pci/drivers/vfio-pci/new_id
echo 0000:00:03.0 > /sys/bus/pci/drivers_probe
