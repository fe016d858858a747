/// PCI device names on the bus: `DDDD:BB:DD.F` (domain, bus, device, function).
enum PCIAddress {
    static func looksLike(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard bytes.count == 12, bytes[4] == UInt8(ascii: ":"), bytes[7] == UInt8(ascii: ":"), bytes[10] == UInt8(ascii: ".") else { return false }
        return bytes.enumerated().allSatisfy { i, b in
            [4, 7, 10].contains(i) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "f"))
        }
    }
}
