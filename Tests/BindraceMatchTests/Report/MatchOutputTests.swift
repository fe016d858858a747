import Foundation
import Testing
import BindraceTrace
@testable import BindraceMatch

/// The three output forms of `bindrace match`, by content.
@Suite struct MatchOutputTests {
    static func context(modaliases: [String] = [], devices: [PCIDeviceSnapshot] = [], config: String = "") throws -> MatchContext {
        let tables = try ModuleTables(directory: "/lib/modules/t", files: [
            "modules.alias": Array("""
                alias pci:v00008086d0000100Esv*sd*bc*sc*i* e1000
                alias pci:v*d*sv*sd*bc02sc00i* netclass
                alias pci:v00008086d0000100Esv*sd*bc*sc*i* e1000
                alias vfio_pci:v*d*sv*sd*bc*sc*i* vfio_pci
                alias vfio_pci:v00008086d0000100Esv*sd*bc*sc*i* e1000_vfio_pci

                """.utf8),
            "modules.order": Array("kernel/e1000.ko\nkernel/netclass.ko\n".utf8),
        ])
        let parsed = try ModprobeConfigParser.parse(config, file: "/etc/modprobe.d/t.conf")
        return MatchContext(
            resolver: KmodResolver(tables: tables, config: parsed), commandLine: nil, devices: devices,
            modaliases: modaliases, sourceDescription: "test", moduleDirectoryForPaths: "/lib/modules/t")
    }

    static let nic = "pci:v00008086d0000100Esv00008086sd0000001Ebc02sc00i00"

    @Test func tsvContract() throws {
        let c = try Self.context(modaliases: [Self.nic, "pci:v00001234d00005678sv00000000sd00000000bc03sc00i00", "e-1000"])
        let reports = c.inputs.map { c.report(for: $0) }
        #expect(MatchTSV.render(reports) == """
            \(Self.nic)\te1000,netclass
            pci:v00001234d00005678sv00000000sd00000000bc03sc00i00\t
            e-1000\t

            """)
        #expect(MatchTSV.render(reports, keepDuplicates: true).hasPrefix("\(Self.nic)\te1000,e1000,netclass\n"))
    }

    @Test func jsonCarriesCandidatesBlocksVariantAndDynamicIDs() throws {
        let c = try Self.context(modaliases: [Self.nic], config: "blacklist netclass\noptions vfio-pci ids=8086:100e\nweakdep e1000 crc32c\n")
        let document = MatchDocument(source: c.sourceDescription, devices: c.inputs.map { MatchDocument.Device(c.report(for: $0)) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let object = try JSONSerialization.jsonObject(with: try encoder.encode(document)) as! [String: Any]
        let device = (object["devices"] as! [[String: Any]])[0]
        #expect(device["modules"] as? [String] == ["e1000", "netclass"])
        #expect(device["modulesWithDuplicates"] as? [String] == ["e1000", "e1000", "netclass"])
        #expect(device["resolvedBy"] as? String == "modules.alias")
        let candidates = device["candidates"] as! [[String: Any]]
        #expect((candidates[1]["blocked"] as! [[String: Any]])[0]["kind"] as? String == "blacklist")
        #expect((candidates[1]["blocked"] as! [[String: Any]])[0]["origin"] as? String == "/etc/modprobe.d/t.conf:1")
        #expect((candidates[0]["weakdeps"] as? [String]) == ["crc32c (/etc/modprobe.d/t.conf:3)"])
        #expect((device["vfioVariant"] as! [String: Any])["module"] as? String == "e1000_vfio_pci")
        let dynamic = (device["dynamicIDs"] as! [[String: Any]])[0]
        #expect(dynamic["driver"] as? String == "vfio_pci" && dynamic["matchesThisDevice"] as? Bool == true)
        #expect(dynamic["source"] as? String == "modprobe.d /etc/modprobe.d/t.conf:2")
        let vfio = (device["pciMatch"] as! [[String: Any]]).first { $0["driver"] as? String == "vfio-pci" }
        #expect(vfio?["matches"] as? Bool == true)
    }

    @Test func tableShowsDevicesCandidatesAndNotes() throws {
        let device = PCIDeviceSnapshot(
            address: "0000:00:03.0", ids: PCIDeviceIDs(vendor: 0x8086, device: 0x100E, subvendor: 0x8086, subdevice: 0x1E, classCode: 0x020000),
            modalias: Self.nic, driverOverride: nil, driver: "vfio-pci", iommuGroup: 3, physicalFunction: nil,
            sriovTotalVFs: nil, sriovNumVFs: nil, sriovDriversAutoprobe: nil)
        var c = try Self.context(devices: [device], config: "softdep e1000 pre: crc32c\n")
        c.newIDsUnknowable = true
        c.driverModules = ["vfio-pci": "vfio_pci"]
        let text = MatchTable.render(c.inputs.map { c.report(for: $0) }, source: c.sourceDescription)
        #expect(text.contains("Source: test\n"))
        #expect(text.contains("0000:00:03.0  \(Self.nic)\n  bound: vfio-pci\n"))
        #expect(text.contains("  1. e1000 (matched by 2 aliases)\n       softdep: pre: crc32c post:  (/etc/modprobe.d/t.conf:1)\n  2. netclass\n"))
        #expect(text.contains("  vfio variant: e1000_vfio_pci (alias vfio_pci:v00008086d0000100Esv*sd*bc*sc*i*, 5 wildcards)\n"))
        #expect(text.contains("  note: bound to vfio-pci, which no alias, ids= entry or driver_override explains: most likely a dynamic id written to /sys/bus/pci/drivers/vfio-pci/new_id"))
        // A known new_id write explains the binding.
        c.newIDs = DynamicID.newIDsInForce([.sysfsNewID(driver: "vfio-pci", id: PCIMatchID(vendor: 0x8086, device: 0x100E))])
        let explained = MatchTable.render(c.inputs.map { c.report(for: $0) }, source: c.sourceDescription)
        #expect(!explained.contains("note: bound"))
        #expect(explained.contains("  dynamic id: vfio_pci 8086:100e:*:* from sysfs new_id — matches\n"))
    }

    @Test func newIDsInForceFollowRemoveID() {
        let id = PCIMatchID(vendor: 0x10DE, device: 0x1B80)
        let other = PCIMatchID(vendor: 0x10DE, device: 0x10F0)
        let ids = DynamicID.newIDsInForce([
            .sysfsNewID(driver: "vfio-pci", id: id), .sysfsNewID(driver: "vfio-pci", id: other),
            .sysfsRemoveID(driver: "vfio-pci", id: PCIMatchID(vendor: 0x10DE, device: 0x1B80)),
            .sysfsNewID(driver: "pci-stub", id: id),
        ])
        #expect(ids.map(\.driver) == ["vfio_pci", "pci_stub"])
        #expect(ids.map(\.id) == [other, id])
    }
}
