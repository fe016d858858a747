/// The identity a PCI device presents to driver matching (config space ids).
public struct PCIDeviceIDs: Hashable, Sendable, Codable {
    public var vendor: UInt16
    public var device: UInt16
    public var subvendor: UInt16
    public var subdevice: UInt16
    /// 24-bit class code: base class, subclass, programming interface.
    public var classCode: UInt32

    public init(vendor: UInt16, device: UInt16, subvendor: UInt16 = 0, subdevice: UInt16 = 0, classCode: UInt32 = 0) {
        self.vendor = vendor
        self.device = device
        self.subvendor = subvendor
        self.subdevice = subdevice
        self.classCode = classCode & 0xFF_FFFF
    }
}
