import BindraceTrace

/// PCI ids as text: `8086:100e`, and in a match `*` for PCI_ANY_ID and the
/// subsystem pair only when it is not a wildcard. Written digit by digit
/// into the text's own storage (`TextWriter`), on their own or inside a
/// longer text: the final analysis names the ids of every dynamic-id step
/// of every device, and `String(_:radix:)` with padding and concatenation
/// cost a few thousand instructions an id.
enum PCIIDText {
    /// The longest match: four fields of four digits.
    static let matchIDLength = 19

    /// At least four lowercase hex digits.
    static func hex4(_ v: UInt32) -> String {
        guard v <= 0xFFFF else { return String(v, radix: 16) }
        return TextWriter.text(capacity: 4) { $0.append(hex4: UInt16(v)) }
    }

    static func pair(_ ids: PCIDeviceIDs) -> String {
        TextWriter.text(capacity: 9) { append(ids, to: &$0) }
    }

    static func matchID(_ id: PCIMatchID) -> String {
        TextWriter.text(capacity: matchIDLength) { append(id, to: &$0) }
    }

    static func append(_ ids: PCIDeviceIDs, to text: inout TextWriter) {
        text.append(hex4: ids.vendor)
        text.append(byte: UInt8(ascii: ":"))
        text.append(hex4: ids.device)
    }

    static func append(_ id: PCIMatchID, to text: inout TextWriter) {
        part(id.vendor, to: &text)
        text.append(byte: UInt8(ascii: ":"))
        part(id.device, to: &text)
        if id.subvendor != PCIMatchID.any || id.subdevice != PCIMatchID.any {
            text.append(byte: UInt8(ascii: ":"))
            part(id.subvendor, to: &text)
            text.append(byte: UInt8(ascii: ":"))
            part(id.subdevice, to: &text)
        }
    }

    /// A match field: `*`, or its low 16 bits in four digits.
    private static func part(_ v: UInt32, to text: inout TextWriter) {
        if v == PCIMatchID.any {
            text.append(byte: UInt8(ascii: "*"))
        } else {
            text.append(hex4: UInt16(truncatingIfNeeded: v))
        }
    }
}
