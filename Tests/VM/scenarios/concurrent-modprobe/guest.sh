# vfio-pci with ids= and the native e1000 driver loaded at the same time:
# vfio-pci registers its driver before it adds the dynamic id, so e1000 can
# take the device in between. Either may win.
/sbin/modprobe vfio-pci ids=8086:100e &
/sbin/modprobe e1000 &
wait
