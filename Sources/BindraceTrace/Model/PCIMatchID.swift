/// One `struct pci_device_id` as a driver's table, `new_id` or `ids=` states it.
public struct PCIMatchID: Hashable, Sendable, Codable {
    /// The kernel's PCI_ANY_ID.
    public static let any: UInt32 = 0xFFFF_FFFF

    public var vendor: UInt32
    public var device: UInt32
    public var subvendor: UInt32
    public var subdevice: UInt32
    public var classCode: UInt32
    public var classMask: UInt32

    /// Defaults follow `new_id`: unspecified subsystem ids match anything,
    /// class and mask 0 ignore the class.
    public init(
        vendor: UInt32, device: UInt32, subvendor: UInt32 = PCIMatchID.any, subdevice: UInt32 = PCIMatchID.any,
        classCode: UInt32 = 0, classMask: UInt32 = 0
    ) {
        self.vendor = vendor
        self.device = device
        self.subvendor = subvendor
        self.subdevice = subdevice
        self.classCode = classCode
        self.classMask = classMask
    }

    /// pci_match_one_device.
    public func matches(_ ids: PCIDeviceIDs) -> Bool {
        (vendor == PCIMatchID.any || vendor == UInt32(ids.vendor))
            && (device == PCIMatchID.any || device == UInt32(ids.device))
            && (subvendor == PCIMatchID.any || subvendor == UInt32(ids.subvendor))
            && (subdevice == PCIMatchID.any || subdevice == UInt32(ids.subdevice))
            && ((classCode ^ ids.classCode) & classMask) == 0
    }
}
