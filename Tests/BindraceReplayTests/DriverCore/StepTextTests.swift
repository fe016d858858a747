@testable import BindraceReplay
import BindraceTrace
import PropertyBased
import Testing

/// How steps are quoted, against their spelling by interpolation.
@Suite struct StepTextTests {
    private static let names = ["vfio-pci", "", "mlx5_core", "0000:41:00.2", "pilote-é", String(repeating: "n", count: 64)]
    private static let field = Gen.oneOf(Gen.uint32(in: 0...0xFFFF), Gen.always(PCIMatchID.any))

    @Test func dynamicIDs() async {
        await propertyCheck(count: 300, input: Self.field, Self.field, Self.field, Gen.int(in: 0...5)) { vendor, device, sub, n in
            let id = PCIMatchID(vendor: vendor, device: device, subvendor: sub, subdevice: sub)
            let driver = Self.names[n]
            #expect(StepText.addID(driver: driver, id: id, sysfs: true) == "new_id \(PCIIDText.matchID(id)) for \(driver)")
            #expect(StepText.addID(driver: driver, id: id, sysfs: false) == "dynamic id (ids=) \(PCIIDText.matchID(id)) for \(driver)")
        }
    }

    @Test func deviceAdds() async {
        await propertyCheck(count: 300, input: Gen.uint32(in: 0...0xFFFF), Gen.int(in: 0...5), Gen.int(in: 0...7)) { raw, n, flags in
            let ids: PCIDeviceIDs? = flags & 1 == 0 ? PCIDeviceIDs(vendor: UInt16(raw), device: UInt16(raw ^ 0x5A5A)) : nil
            let info = DeviceInfo(name: Self.names[n], ids: ids, isVirtualFunction: flags & 2 != 0, autoprobe: flags & 4 != 0)
            var expected = "device_add \(info.name)"
            if let ids { expected += " [\(PCIIDText.pair(ids))]" }
            if info.isVirtualFunction { expected += info.autoprobe ? " (VF, autoprobe on)" : " (VF, autoprobe off)" }
            #expect(StepText.deviceAdd(info) == expected)
        }
    }
}
