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
        // instructions a modalias, and matching asks for one per driver and
        // device. Through functions that take the index and return it: as
        // nested functions capturing it, each call boxed the index on the
        // heap (about 440 ns a modalias).
        String(unsafeUninitializedCapacity: 80) { out in
            var n = Self.put(vfio ? "vfio_pci:" : "pci:", out, 0)
            n = Self.hex(UInt32(ids.vendor), 8, out, Self.put("v", out, n))
            n = Self.hex(UInt32(ids.device), 8, out, Self.put("d", out, n))
            n = Self.hex(UInt32(ids.subvendor), 8, out, Self.put("sv", out, n))
            n = Self.hex(UInt32(ids.subdevice), 8, out, Self.put("sd", out, n))
            n = Self.hex(ids.classCode >> 16, 2, out, Self.put("bc", out, n))
            n = Self.hex((ids.classCode >> 8) & 0xFF, 2, out, Self.put("sc", out, n))
            return Self.hex(ids.classCode & 0xFF, 2, out, Self.put("i", out, n))
        }
    }

    /// `literal` at `n` of `out`; returns the index past it.
    @inline(__always)
    private static func put(_ literal: StaticString, _ out: UnsafeMutableBufferPointer<UInt8>, _ n: Int) -> Int {
        var i = n
        literal.withUTF8Buffer { for b in $0 { out[i] = b; i += 1 } }
        return i
    }

    /// `value` in upper-case hex, at least `digits` of them, at `n` of `out`;
    /// returns the index past them.
    @inline(__always)
    private static func hex(_ value: UInt32, _ digits: Int, _ out: UnsafeMutableBufferPointer<UInt8>, _ n: Int) -> Int {
        var width = digits
        while width < 8 && value >> (4 * UInt32(width)) != 0 { width += 1 }
        var i = n
        for k in stride(from: width - 1, through: 0, by: -1) {
            let nibble = UInt8(truncatingIfNeeded: value >> (4 * UInt32(k))) & 0xF
            out[i] = nibble < 10 ? 0x30 + nibble : 0x41 + nibble - 10
            i += 1
        }
        return i
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
