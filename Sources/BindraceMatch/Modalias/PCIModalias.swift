import BindraceTrace

/// A PCI device's modalias as the kernel formats it (drivers/pci/pci-driver.c
/// pci_uevent, and modalias_show): `pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X`.
/// With `vfio` set it is the `vfio_pci:` form userspace matches against the
/// aliases modpost emits for override_only id table entries.
public struct PCIModalias: Hashable, Sendable, ModaliasBusForm {
    public static let prefixes = ["pci:", "vfio_pci:"]

    public var ids: PCIDeviceIDs
    public var vfio: Bool

    public init(ids: PCIDeviceIDs, vfio: Bool = false) {
        self.ids = ids
        self.vfio = vfio
    }

    public var text: String {
        // Written byte by byte: joining per-field strings cost some 20k
        // instructions a modalias, and matching asks for one per driver and device.
        String(unsafeUninitializedCapacity: 80) { out in
            var n = 0
            func put(_ literal: StaticString) {
                literal.withUTF8Buffer { for b in $0 { out[n] = b; n += 1 } }
            }
            func hex(_ value: UInt32, _ digits: Int) {
                var width = digits
                while width < 8 && value >> (4 * UInt32(width)) != 0 { width += 1 }
                for k in stride(from: width - 1, through: 0, by: -1) {
                    let nibble = UInt8(truncatingIfNeeded: value >> (4 * UInt32(k))) & 0xF
                    out[n] = nibble < 10 ? 0x30 + nibble : 0x41 + nibble - 10
                    n += 1
                }
            }
            put(vfio ? "vfio_pci:" : "pci:")
            put("v"); hex(UInt32(ids.vendor), 8)
            put("d"); hex(UInt32(ids.device), 8)
            put("sv"); hex(UInt32(ids.subvendor), 8)
            put("sd"); hex(UInt32(ids.subdevice), 8)
            put("bc"); hex(ids.classCode >> 16, 2)
            put("sc"); hex((ids.classCode >> 8) & 0xFF, 2)
            put("i"); hex(ids.classCode & 0xFF, 2)
            return n
        }
    }

    /// The `vfio_pci:` twin of a `pci:` modalias (libvirt's lookup key).
    public var vfioForm: PCIModalias { PCIModalias(ids: ids, vfio: true) }

    /// Parses a device modalias (no wildcards); hex digits of either case.
    public init?(parsing text: String) {
        var rest = Substring(text)
        if rest.hasPrefix("vfio_pci:") { vfio = true; rest = rest.dropFirst(9) }
        else if rest.hasPrefix("pci:") { vfio = false; rest = rest.dropFirst(4) }
        else { return nil }
        func field(_ tag: String, _ digits: Int) -> UInt32? {
            guard rest.hasPrefix(tag) else { return nil }
            rest = rest.dropFirst(tag.count)
            let value = rest.prefix(digits)
            guard value.count == digits, let n = UInt32(value, radix: 16) else { return nil }
            rest = rest.dropFirst(digits)
            return n
        }
        guard let v = field("v", 8), let d = field("d", 8), let sv = field("sv", 8), let sd = field("sd", 8),
              let bc = field("bc", 2), let sc = field("sc", 2), let i = field("i", 2), rest.isEmpty,
              v <= 0xFFFF, d <= 0xFFFF, sv <= 0xFFFF, sd <= 0xFFFF else { return nil }
        ids = PCIDeviceIDs(vendor: UInt16(v), device: UInt16(d), subvendor: UInt16(sv), subdevice: UInt16(sd), classCode: bc << 16 | sc << 8 | i)
    }

    static func hex(_ value: UInt32, _ digits: Int) -> String {
        let s = String(value, radix: 16, uppercase: true)
        return s.count >= digits ? s : String(repeating: "0", count: digits - s.count) + s
    }
}
