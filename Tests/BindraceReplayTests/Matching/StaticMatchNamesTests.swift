@testable import BindraceReplay
import BindraceTrace
import Testing

/// A device's static match names answer for every driver as the match
/// facts do driver by driver (`StaticMatch(names:driver:module:)`, the
/// contract `MatchFacts.staticMatchNames` states).
@Suite struct StaticMatchNamesTests {
    static let facts = SnapshotMatchFacts(snapshot: Snapshot(matchTables: [SnapshotFile(path: "modules.alias", text: """
        alias pci:v00008086d0000100Esv*sd*bc*sc*i* e1000
        alias pci:v00008086d0000100Esv*sd*bc*sc*i* snd_hda_intel
        alias pci:v000010DEd*sv*sd*bc03sc*i* nouveau
        alias vfio_pci:v*d*sv*sd*bc*sc*i* vfio_pci
        alias vfio_pci:v000010DEd00001DB1sv*sd*bc*sc*i* nvgrace_gpu_vfio_pci
        alias vfio_pci:v00008086d*sv*sd*bc*sc*i* pci_stub

        """)]))

    @Test func namesAgreeWithTheFactsForEveryDriver() throws {
        let idSets: [PCIDeviceIDs] = [.e1000, .v100, PCIDeviceIDs(vendor: 0x1af4, device: 0x1000), PCIDeviceIDs(vendor: 0x10de, device: 0x2204, classCode: 0x030000)]
        let drivers: [(String, String?)] = [
            ("e1000", nil), ("e1000", "e1000"), ("e1000", "e1000e"),
            ("snd_hda_intel", nil), ("snd-hda-intel", "snd-hda-intel"),
            ("nouveau", nil), ("nouveau", "nvidia"),
            ("vfio-pci", nil), ("vfio-pci", "vfio_pci"), ("pci-stub", nil),
            ("nvgrace-gpu-vfio-pci", "nvgrace_gpu_vfio_pci"), ("nvgrace_gpu_vfio_pci", nil), ("mlx5_vfio_pci", nil),
            ("virtio-pci", nil),
        ]
        var seen = Set<StaticMatch>()
        for ids in idSets {
            let names = try #require(Self.facts.staticMatchNames(ids: ids))
            for (driver, module) in drivers {
                let expected = Self.facts.staticMatch(driver: driver, module: module, ids: ids)
                #expect(StaticMatch(names: names, driver: driver, module: module) == expected, "\(driver) \(module ?? "-") \(ids)")
                seen.insert(expected)
            }
        }
        // The grid reaches every answer.
        #expect(seen == [.match, .overrideOnly, .none])
    }
}
