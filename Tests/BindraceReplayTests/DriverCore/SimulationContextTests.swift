@testable import BindraceReplay
import BindraceTrace
import Synchronization
import Testing

/// The match cache a context shares with the contexts derived from it, and
/// copies for another thread.
@Suite struct SimulationContextTests {
    /// Match facts that count the questions they are asked.
    struct CountingFacts: MatchFacts {
        final class Counter: Sendable {
            let asked = Atomic<Int>(0)
        }
        let counter = Counter()
        let facts = TableMatchFacts.standard

        func staticMatch(driver: String, module: String?, ids: PCIDeviceIDs) -> StaticMatch {
            counter.asked.add(1, ordering: .relaxed)
            return facts.staticMatch(driver: driver, module: module, ids: ids)
        }
        func asyncProbeForced(driver: String) -> Bool { facts.asyncProbeForced(driver: driver) }
        func modulesForDevice(ids: PCIDeviceIDs) -> [String] { facts.modulesForDevice(ids: ids) }
        func vfioVariant(ids: PCIDeviceIDs) -> String? { facts.vfioVariant(ids: ids) }
        var asked: Int { counter.asked.load(ordering: .relaxed) }
    }

    @Test func derivedContextsShareTheCache() {
        let facts = CountingFacts()
        let base = SimulationContext(devices: [:], facts: facts, outcomes: ProbeOutcomes())
        #expect(base.staticMatch(driver: "e1000", module: nil, ids: .e1000) == .match)
        let lifetime = base.lifetime(of: "0000:00:02.0", info: nil, outcomes: ProbeOutcomes())
        #expect(lifetime.staticMatch(driver: "e1000", module: nil, ids: .e1000) == .match)
        #expect(facts.asked == 1)
    }

    /// A detached context starts with what its origin knew, and from then
    /// on neither sees what the other learns.
    @Test func detachedContextCopiesTheMatchesKnown() {
        let facts = CountingFacts()
        let base = SimulationContext(devices: [:], facts: facts, outcomes: ProbeOutcomes())
        _ = base.staticMatch(driver: "e1000", module: nil, ids: .e1000)
        let worker = base.detached()
        #expect(worker.staticMatch(driver: "e1000", module: nil, ids: .e1000) == .match)
        #expect(facts.asked == 1, "known before the copy")
        #expect(worker.staticMatch(driver: "vfio-pci", module: nil, ids: .e1000) == base.staticMatch(driver: "vfio-pci", module: nil, ids: .e1000))
        #expect(facts.asked == 3, "learned by each on its own")
    }

    /// The last answers are searched before the dictionary: asked in turn
    /// about more keys than that front holds, and about keys that differ in
    /// one part only, every answer is still the facts' own, and each key is
    /// asked of the facts once.
    @Test func recentAnswersAgreeWithTheFacts() {
        let facts = CountingFacts()
        let context = SimulationContext(devices: [:], facts: facts, outcomes: ProbeOutcomes())
        let drivers = ["e1000", "vfio-pci", "nouveau", "ixgbe", "ixgbevf", "mlx5_core", "amdgpu", "igb", "virtio-pci", "pci-stub"]
        let idSets: [PCIDeviceIDs] = [.e1000, .v100, PCIDeviceIDs(vendor: 0x8086, device: 0x100E, subvendor: 1)]
        var keys: [(String, String?, PCIDeviceIDs)] = []
        for driver in drivers {
            for ids in idSets {
                keys.append((driver, nil, ids))
                keys.append((driver, driver.replacingOccurrences(of: "-", with: "_"), ids))
            }
        }
        for round in 0..<3 {
            for (driver, module, ids) in keys.shuffled() {
                #expect(context.staticMatch(driver: driver, module: module, ids: ids)
                    == facts.facts.staticMatch(driver: driver, module: module, ids: ids), "round \(round): \(driver) \(module ?? "-")")
            }
        }
        #expect(facts.asked == keys.count)
    }

    /// Match facts that describe a device's matches by names, counting the
    /// questions of each kind.
    struct NamingFacts: MatchFacts {
        final class Counter: Sendable {
            let names = Atomic<Int>(0)
            let overrideOnlyNames = Atomic<Int>(0)
            let drivers = Atomic<Int>(0)
        }
        let counter = Counter()
        let facts = SnapshotMatchFacts(snapshot: Snapshot(matchTables: [SnapshotFile(path: "modules.alias", text: """
            alias pci:v00008086d0000100Esv*sd*bc*sc*i* e1000
            alias vfio_pci:v*d*sv*sd*bc*sc*i* vfio_pci

            """)]))

        func staticMatch(driver: String, module: String?, ids: PCIDeviceIDs) -> StaticMatch {
            counter.drivers.add(1, ordering: .relaxed)
            return facts.staticMatch(driver: driver, module: module, ids: ids)
        }
        func staticPlainNames(ids: PCIDeviceIDs) -> Set<String>? {
            counter.names.add(1, ordering: .relaxed)
            return facts.staticPlainNames(ids: ids)
        }
        func staticOverrideOnlyNames(ids: PCIDeviceIDs) -> Set<String> {
            counter.overrideOnlyNames.add(1, ordering: .relaxed)
            return facts.staticOverrideOnlyNames(ids: ids)
        }
        func asyncProbeForced(driver: String) -> Bool { false }
        func modulesForDevice(ids: PCIDeviceIDs) -> [String] { facts.modulesForDevice(ids: ids) }
        func vfioVariant(ids: PCIDeviceIDs) -> String? { nil }
    }

    /// With facts that describe matches by names, a device's names are
    /// found once and answer for every driver, in the context and in those
    /// derived or detached from it; its override-only names are looked up
    /// only for a driver its plain names and vfio-pci's rule do not settle.
    @Test func namesAnswerForEveryDriverOfADevice() {
        let facts = NamingFacts()
        let base = SimulationContext(devices: [:], facts: facts, outcomes: ProbeOutcomes())
        for driver in ["e1000", "vfio-pci"] {
            #expect(base.staticMatch(driver: driver, module: nil, ids: .e1000) == facts.facts.staticMatch(driver: driver, module: nil, ids: .e1000))
        }
        #expect(facts.counter.names.load(ordering: .relaxed) == 1)
        #expect(facts.counter.overrideOnlyNames.load(ordering: .relaxed) == 0, "a plain match and vfio-pci need none")
        for driver in ["nouveau", "igb", "vfio_pci"] {
            #expect(base.staticMatch(driver: driver, module: nil, ids: .e1000) == facts.facts.staticMatch(driver: driver, module: nil, ids: .e1000))
        }
        #expect(facts.counter.names.load(ordering: .relaxed) == 1)
        #expect(facts.counter.overrideOnlyNames.load(ordering: .relaxed) == 1)
        #expect(facts.counter.drivers.load(ordering: .relaxed) == 0)
        let worker = base.detached()
        #expect(worker.staticMatch(driver: "ixgbe", module: nil, ids: .e1000) == StaticMatch.none)
        #expect(worker.staticMatchNames(ids: .e1000)?.plain == ["e1000"])
        #expect(facts.counter.names.load(ordering: .relaxed) == 1, "the worker's copy knows the device's names")
        #expect(facts.counter.overrideOnlyNames.load(ordering: .relaxed) == 1)
        #expect(base.staticPlainNames(ids: .v100) != nil)
        #expect(facts.counter.names.load(ordering: .relaxed) == 2, "another device's are found once more")
        #expect(facts.counter.overrideOnlyNames.load(ordering: .relaxed) == 1, "its candidates need only its plain names")
    }

    /// Facts that answer only driver by driver are asked so, once per key.
    @Test func factsWithoutNamesAreAskedDriverByDriver() {
        let facts = CountingFacts()
        let base = SimulationContext(devices: [:], facts: facts, outcomes: ProbeOutcomes())
        #expect(base.staticMatchNames(ids: .e1000) == nil)
        for driver in ["e1000", "vfio-pci", "e1000"] { _ = base.staticMatch(driver: driver, module: nil, ids: .e1000) }
        #expect(facts.asked == 2)
    }

    /// Probe results are remembered per context for the first pairs asked
    /// about: past that limit, for pairs never probed, and for a lifetime
    /// derived with other outcomes, every answer is still the outcomes' own.
    @Test func probeResultsAgreeWithTheOutcomes() {
        var pairs: [ProbeOutcomes.Pair: [Int32]] = [:]
        for d in 0..<5 {
            for (k, driver) in ["e1000", "vfio-pci", "igb", "ixgbevf"].enumerated() where (d + k) % 3 != 0 {
                pairs[ProbeOutcomes.Pair(device: "0000:00:0\(d).0", driver: driver)] = [Int32(-d), Int32(k)]
            }
        }
        let outcomes = ProbeOutcomes(results: pairs)
        let base = SimulationContext(devices: [:], facts: TableMatchFacts.standard, outcomes: outcomes)
        let other = base.lifetime(of: "0000:00:01.0", info: nil, outcomes: ProbeOutcomes(results: [ProbeOutcomes.Pair(device: "0000:00:01.0", driver: "igb"): [517]]))
        for _ in 0..<2 {
            for d in 0..<5 {
                for driver in ["e1000", "vfio-pci", "igb", "ixgbevf", "nouveau"] {
                    let device = "0000:00:0\(d).0"
                    #expect(base.probeResults(device: device, driver: driver) == outcomes.results(device: device, driver: driver), "\(device) \(driver)")
                    #expect(other.probeResults(device: device, driver: driver) == other.outcomes.results(device: device, driver: driver), "\(device) \(driver)")
                }
            }
        }
        #expect(other.probeResults(device: "0000:00:01.0", driver: "igb") == [517])
    }
}
