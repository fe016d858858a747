import BindraceReplay
import BindraceTrace

/// Which devices a rule is about. Every key given must match (AND); a rule
/// about "every NVIDIA display controller" is `class: 03` plus `vendor: 10de`.
public struct DeviceSelector: Hashable, Sendable, CustomStringConvertible {
    /// PCI ids with wildcards: nil fields match anything.
    public struct IDPattern: Hashable, Sendable {
        public var vendor: UInt16?
        public var device: UInt16?
        public var subvendor: UInt16?
        public var subdevice: UInt16?

        public init(vendor: UInt16?, device: UInt16?, subvendor: UInt16? = nil, subdevice: UInt16? = nil) {
            self.vendor = vendor
            self.device = device
            self.subvendor = subvendor
            self.subdevice = subdevice
        }

        func matches(_ ids: PCIDeviceIDs) -> Bool {
            (vendor.map { $0 == ids.vendor } ?? true) && (device.map { $0 == ids.device } ?? true)
                && (subvendor.map { $0 == ids.subvendor } ?? true) && (subdevice.map { $0 == ids.subdevice } ?? true)
        }
    }

    /// A class code prefix: `03` is every display controller, `0300` VGA,
    /// `030000` exactly; `VALUE/MASK` gives the mask explicitly.
    public struct ClassPattern: Hashable, Sendable {
        public var value: UInt32
        public var mask: UInt32

        public init(value: UInt32, mask: UInt32) {
            self.value = value & mask
            self.mask = mask
        }

        func matches(_ classCode: UInt32) -> Bool { (classCode & mask) == value }
    }

    /// `0000:00:02.0`, always with the domain (a short form is completed when parsed).
    public var bdf: String?
    public var ids: IDPattern?
    public var vendor: UInt16?
    public var classCode: ClassPattern?
    /// Devices the driver (or driver class) could claim or ends on.
    public var driver: DriverPattern?
    /// `all: true`: every device (a file-wide policy).
    public var all = false
    /// The selector as written, for messages.
    public var text = ""

    public init() {}

    public var isEmpty: Bool { bdf == nil && ids == nil && vendor == nil && classCode == nil && driver == nil && !all }

    public func matches(_ device: DeviceFacts) -> Bool {
        if let bdf, device.name != bdf { return false }
        if ids != nil || vendor != nil || classCode != nil {
            // A selector on ids never matches a device whose ids the trace did not give.
            guard let pci = device.pci else { return false }
            if let ids, !ids.matches(pci) { return false }
            if let vendor, vendor != pci.vendor { return false }
            if let classCode, !classCode.matches(pci.classCode) { return false }
        }
        if let driver {
            let r = device.result
            let claims = r.candidates.contains { driver.matches($0) } || r.feasibleWinners.contains { driver.matches($0) }
                || r.observedPerTrace.values.contains { driver.matches($0) }
            if !claims { return false }
        }
        return true
    }

    public var description: String { text }
}
