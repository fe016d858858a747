import BindraceTrace

/// PCI ids as text: `8086:100e`, and in a match `*` for PCI_ANY_ID and the
/// subsystem pair only when it is not a wildcard. Written digit by digit
/// into the string's own storage: the final analysis names the ids of
/// every dynamic-id step of every device, and `String(_:radix:)` with
/// padding and concatenation cost a few thousand instructions an id.
enum PCIIDText {
    /// At least four lowercase hex digits.
    static func hex4(_ v: UInt32) -> String {
        guard v <= 0xFFFF else { return String(v, radix: 16) }
        return String(unsafeUninitializedCapacity: 4) { write(UInt16(v), into: $0, at: 0) }
    }

    static func pair(_ ids: PCIDeviceIDs) -> String {
        String(unsafeUninitializedCapacity: 9) { text in
            var end = write(ids.vendor, into: text, at: 0)
            text[end] = UInt8(ascii: ":")
            end = write(ids.device, into: text, at: end + 1)
            return end
        }
    }

    static func matchID(_ id: PCIMatchID) -> String {
        String(unsafeUninitializedCapacity: 19) { text in
            var end = part(id.vendor, into: text, at: 0)
            text[end] = UInt8(ascii: ":")
            end = part(id.device, into: text, at: end + 1)
            if id.subvendor != PCIMatchID.any || id.subdevice != PCIMatchID.any {
                text[end] = UInt8(ascii: ":")
                end = part(id.subvendor, into: text, at: end + 1)
                text[end] = UInt8(ascii: ":")
                end = part(id.subdevice, into: text, at: end + 1)
            }
            return end
        }
    }

    /// A match field: `*`, or its low 16 bits in four digits. Returns the end.
    private static func part(_ v: UInt32, into text: UnsafeMutableBufferPointer<UInt8>, at start: Int) -> Int {
        guard v != PCIMatchID.any else {
            text[start] = UInt8(ascii: "*")
            return start + 1
        }
        return write(UInt16(truncatingIfNeeded: v), into: text, at: start)
    }

    /// Four lowercase hex digits. Returns the end.
    @inline(__always)
    private static func write(_ v: UInt16, into text: UnsafeMutableBufferPointer<UInt8>, at start: Int) -> Int {
        for k in 0..<4 {
            let nibble = UInt8(truncatingIfNeeded: v >> (12 - 4 * k)) & 0xF
            text[start + k] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
        }
        return start + 4
    }
}
