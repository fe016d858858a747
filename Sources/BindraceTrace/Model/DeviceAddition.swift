/// What device_add tells about a new device.
public struct DeviceAddition: Hashable, Sendable {
    /// The device's name on its bus, e.g. `0000:01:00.0`.
    public var device: String
    public var bus: String
    /// The sysfs devpath (without `/sys`), which udev uses to serialize events.
    public var devpath: String
    /// Config-space ids, for PCI devices.
    public var pci: PCIDeviceIDs?
    /// An SR-IOV virtual function.
    public var isVirtualFunction: Bool
    /// For a virtual function: its PF's `sriov_drivers_autoprobe` when it was added.
    public var autoprobe: Bool

    public init(
        device: String, bus: String = "pci", devpath: String = "", pci: PCIDeviceIDs? = nil,
        isVirtualFunction: Bool = false, autoprobe: Bool = true
    ) {
        self.device = device
        self.bus = bus
        self.devpath = devpath
        self.pci = pci
        self.isVirtualFunction = isVirtualFunction
        self.autoprobe = autoprobe
    }
}
