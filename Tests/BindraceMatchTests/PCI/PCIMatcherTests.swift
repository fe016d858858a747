import Testing
import BindraceTrace
@testable import BindraceMatch

@Suite struct PCIMatcherTests {
    let nic = PCIDeviceIDs(vendor: 0x8086, device: 0x100e, subvendor: 0x8086, subdevice: 0x001e, classCode: 0x020000)
    var e1000: PCIMatcher.Driver { .init(name: "e1000", staticIDs: [PCIStaticID(id: PCIMatchID(vendor: 0x8086, device: 0x100e))]) }

    @Test func overrideGateDynamicFirstOverrideOnly() throws {
        #expect(PCIMatcher.match(driver: e1000, device: .init(ids: nic)).matches)
        #expect(PCIMatcher.match(driver: e1000, device: .init(ids: nic, driverOverride: "vfio-pci")) == .excludedByOverride("vfio-pci"))
        #expect(PCIMatcher.match(driver: .vfioPCI(), device: .init(ids: nic)) == .noMatch)
        if case .staticID(_, let entry) = PCIMatcher.match(driver: .vfioPCI(), device: .init(ids: nic, driverOverride: "vfio-pci")) {
            #expect(entry.overrideOnly)
        } else {
            Issue.record("override_only entry should match under driver_override")
        }
        let ids = try DynamicID.parseIDs("8086:100e", driver: "vfio_pci", source: .newID, file: "f", line: 1)
        if case .dynamicID = PCIMatcher.match(driver: .vfioPCI(dynamicIDs: ids), device: .init(ids: nic)) {} else {
            Issue.record("dynamic id should match before the table")
        }
        #expect(PCIMatcher.match(driver: .init(name: "x"), device: .init(ids: nic, driverOverride: "x")) == .overrideDummy)
    }

    @Test func sriovAutoprobe() {
        #expect(!PCIMatcher.canProbe(.init(ids: nic, isVirtualFunction: true, physicalFunctionAutoprobe: false)))
        #expect(PCIMatcher.canProbe(.init(ids: nic, driverOverride: "vfio-pci", isVirtualFunction: true, physicalFunctionAutoprobe: false)))
    }

    @Test func idsParameter() throws {
        let ids = try DynamicID.parseIDs("10de:1b80:ffffffff:ffffffff:030000:ff0000", driver: "vfio_pci", source: .newID, file: "f", line: 1)
        #expect(ids.first?.id.classMask == 0xff0000)
        #expect(throws: MatchInputError.self) { try DynamicID.parseIDs("10de", driver: "vfio_pci", source: .newID, file: "f", line: 4) }
    }

    @Test func modaliasRoundTripAndVariantPick() throws {
        let m = PCIModalias(ids: nic)
        #expect(m.text == "pci:v00008086d0000100Esv00008086sd0000001Ebc02sc00i00")
        #expect(PCIModalias(parsing: m.text) == m)
        #expect(Modalias(m.vfioForm.text).bus == "vfio_pci")
        let t = try ModuleTables(directory: "d", files: ["modules.alias": Array("""
            alias vfio_pci:v*d*sv*sd*bc*sc*i* vfio_pci
            alias vfio_pci:v00008086d0000100Esv*sd*bc*sc*i* e1000_vfio_pci

            """.utf8)])
        #expect(VFIOVariantPicker.pick(for: m, in: t)?.module == "e1000_vfio_pci")
    }
}
