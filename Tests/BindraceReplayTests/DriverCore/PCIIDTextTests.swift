@testable import BindraceReplay
import BindraceTrace
import PropertyBased
import Testing

/// Against the spelling built from `String(_:radix:)`, padding and joins.
@Suite struct PCIIDTextTests {
    private static func padded(_ v: UInt32) -> String {
        let digits = String(v, radix: 16)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    private static func field(_ v: UInt32) -> String { v == PCIMatchID.any ? "*" : padded(v & 0xFFFF) }

    /// Mostly ordinary 16-bit ids, sometimes PCI_ANY_ID or a wider value.
    private static let value = Gen.oneOf(Gen.uint32(in: 0...0xFFFF), Gen.always(PCIMatchID.any), Gen.uint32(in: 0...UInt32.max))

    @Test func matchIDsAsBeforeForAnyFields() async {
        await propertyCheck(count: 500, input: Self.value, Self.value, Self.value, Self.value) { vendor, device, subvendor, subdevice in
            let id = PCIMatchID(vendor: vendor, device: device, subvendor: subvendor, subdevice: subdevice)
            var expected = Self.field(vendor) + ":" + Self.field(device)
            if subvendor != PCIMatchID.any || subdevice != PCIMatchID.any {
                expected += ":" + Self.field(subvendor) + ":" + Self.field(subdevice)
            }
            #expect(PCIIDText.matchID(id) == expected)
        }
    }

    @Test func pairsAndPaddedDigits() async {
        await propertyCheck(count: 500, input: Gen.uint32(in: 0...0xFFFF), Gen.uint32(in: 0...UInt32.max)) { short, wide in
            let ids = PCIDeviceIDs(vendor: UInt16(short), device: UInt16(short ^ 0x5A5A))
            #expect(PCIIDText.pair(ids) == Self.padded(short) + ":" + Self.padded(short ^ 0x5A5A))
            #expect(PCIIDText.hex4(short) == Self.padded(short))
            #expect(PCIIDText.hex4(wide) == Self.padded(wide))
        }
    }

    @Test func knownSpellings() {
        #expect(PCIIDText.pair(PCIDeviceIDs(vendor: 0x8086, device: 0x100E)) == "8086:100e")
        #expect(PCIIDText.matchID(PCIMatchID(vendor: 0x10DE, device: PCIMatchID.any)) == "10de:*")
        #expect(PCIIDText.matchID(PCIMatchID(vendor: 0x15B3, device: 0x101E, subvendor: 0x15B3, subdevice: 0x0042)) == "15b3:101e:15b3:0042")
    }
}
