# driver_override is written before any driver that could match is loaded:
# only vfio-pci can bind, whatever the order of the two loads.
echo vfio-pci > /sys/bus/pci/devices/0000:00:03.0/driver_override
/sbin/modprobe e1000 &
/sbin/modprobe vfio-pci &
wait
