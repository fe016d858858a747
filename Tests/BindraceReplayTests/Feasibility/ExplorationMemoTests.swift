@testable import BindraceReplay
import BindraceTrace
import Testing

/// The memo's answer, renamed from an exploration of another input of the
/// same shape, must be what exploring this input gives.
@Suite struct ExplorationMemoTests {
    @Test func memoAnswersEqualDirectExplorations() {
        // One memo for every trace: most answers then come from inputs of
        // other traces, with other names, devices and step ids.
        let memo = ExplorationMemo()
        var compared = 0
        for seed in 0..<1500 as Range<UInt64> {
            var random = RandomDriverTrace(seed: seed)
            let (builder, facts) = random.make()
            let prepared = PreparedTrace(facts: builder.facts(), matchFacts: facts)
            for device in prepared.facts.deviceOrder {
                let projection = prepared.projection(device)
                guard let direct = prepared.explore(projection) else { continue }
                let viaMemo = Explorations.run(steps: projection.steps, context: prepared.context, device: device,
                                               budget: Explorations.defaultBudget, memo: memo) { $0.stamp.precedesOrEquals($1.stamp) }
                #expect(viaMemo?.exhausted == direct.exhausted, "seed \(seed) device \(device)")
                #expect(viaMemo?.outcomes == direct.outcomes, "seed \(seed) device \(device)")
                compared += 1
            }
        }
        #expect(compared > 1500)
        // Mostly answered from the memo, or the comparison shows little.
        #expect(memo.hits > compared / 2)
    }

    /// A lifetime's whole analysis through the memo (its observed replay
    /// and its fixes' re-checks answered by shape: from devices of other
    /// traces, and from the same trace with its devices elsewhere) must
    /// equal the analysis without it.
    @Test func analysesThroughTheMemoEqualDirectOnes() {
        let memo = ExplorationMemo()
        var compared = 0, fixes = 0
        for seed in 0..<1000 as Range<UInt64> {
            for devices in [RandomDriverTrace.devices, RandomDriverTrace.movedDevices] {
                var random = RandomDriverTrace(seed: seed)
                random.deviceList = devices
                let (builder, facts) = random.make()
                let prepared = PreparedTrace(facts: builder.facts(), matchFacts: facts)
                let direct = ReplayAnalyzer.environment(prepared, memo: nil)
                let viaMemo = ReplayAnalyzer.environment(prepared, memo: memo)
                for device in prepared.facts.deviceOrder {
                    for lifetime in ReplayAnalyzer.lifetimeCases(device, prepared: prepared) {
                        let expected = LifetimeAnalysis.analyze(lifetime, environment: direct, detail: .full)
                        let result = LifetimeAnalysis.analyze(lifetime, environment: viaMemo, detail: .full)
                        #expect(result == expected, "seed \(seed) device \(device)")
                        compared += 1
                        fixes += expected.suggestions.count
                    }
                }
            }
        }
        #expect(compared > 2000 && fixes > 400)
        // Mostly answered from the memo, or the comparison shows little: the
        // moved trace's answers all are.
        #expect(memo.observedHits > compared / 2)
        #expect(memo.recheckHits > fixes / 2)
    }

    /// The observed replay follows where each step's effect showed, which
    /// the exploration's shape does not say: two lifetimes of one shape,
    /// one whose trace showed e1000's registration first (its replay gives
    /// e1000, as observed) and one that showed it last (its replay gives
    /// vfio-pci), each through a memo that has seen the other first.
    @Test func theObservedReplayTellsApartWhereStepsShowed() {
        let device = "0000:00:02.0"
        let info = DeviceInfo(name: device, ids: .e1000)
        func lifetime(e1000ShowedAt position: Int) -> LifetimeCase {
            var steps = concurrentSteps([
                .driverRegister(driver: "e1000", module: nil, isAsync: false),
                .driverRegister(driver: "vfio-pci", module: nil, isAsync: false),
                .addID(driver: "vfio-pci", id: PCIMatchID(vendor: 0x8086, device: 0x100e)),
                .deviceAdd(device: device),
            ])
            steps[0].endIndex = position
            let context = SimulationContext(devices: [device: info], facts: TableMatchFacts.standard, outcomes: ProbeOutcomes())
            return LifetimeCase(device: device, info: info,
                                projection: DeviceProjection(device: device, steps: steps, candidates: ["e1000", "vfio-pci"],
                                                             missingOverrideDrivers: [], configuredDrivers: ["vfio-pci"]),
                                observed: "e1000", asyncRuns: [], context: context, udevAddStamp: nil, boundBeforeCapture: nil)
        }
        func environment(_ memo: ExplorationMemo?) -> LifetimeEnvironment {
            LifetimeEnvironment(traceName: "t", matchFacts: TableMatchFacts.standard, builtins: [], moduleOfDriver: [:],
                                sameIDDevices: { _, _ in [] }, memo: memo)
        }
        let first = lifetime(e1000ShowedAt: 0), last = lifetime(e1000ShowedAt: 10)
        let direct = [first, last].map { LifetimeAnalysis.analyze($0, environment: environment(nil), detail: .full) }
        #expect(direct[0].unexplained == nil)
        #expect(direct[1].unexplained?.contains("gives vfio-pci") == true)
        for order in [[0, 1], [1, 0]] {
            let memo = ExplorationMemo()
            let cases = [first, last]
            let results = order.map { LifetimeAnalysis.analyze(cases[$0], environment: environment(memo), detail: .full) }
            #expect(results == order.map { direct[$0] })
            #expect(memo.hits > 0)
        }
    }

    /// The override's re-check depends on when userspace could first write
    /// it (the udev worker's stamp), which the exploration's shape does not
    /// show: two lifetimes of one shape, one where e1000 can still register
    /// after that moment (the override at coldplug fixes the race) and one
    /// where it registers before it (it does not), each through a memo
    /// that has seen the other first.
    @Test func theOverridesRecheckTellsApartWhenTheOverrideCanBeWritten() {
        let device = "0000:00:02.0"
        let steps = concurrentSteps([
            .driverRegister(driver: "e1000", module: nil, isAsync: false),
            .driverRegister(driver: "vfio-pci", module: nil, isAsync: false),
            .addID(driver: "vfio-pci", id: PCIMatchID(vendor: 0x8086, device: 0x100e)),
            .deviceAdd(device: device),
        ])
        let info = DeviceInfo(name: device, ids: .e1000)
        func lifetime(udevAdd: ClockStamp?) -> LifetimeCase {
            let context = SimulationContext(devices: [device: info], facts: TableMatchFacts.standard, outcomes: ProbeOutcomes())
            return LifetimeCase(device: device, info: info,
                                projection: DeviceProjection(device: device, steps: steps, candidates: ["e1000", "vfio-pci"],
                                                             missingOverrideDrivers: [], configuredDrivers: ["vfio-pci"]),
                                observed: "e1000", asyncRuns: [], context: context, udevAddStamp: udevAdd, boundBeforeCapture: nil)
        }
        func environment(_ memo: ExplorationMemo?) -> LifetimeEnvironment {
            LifetimeEnvironment(traceName: "t", matchFacts: TableMatchFacts.standard, builtins: [], moduleOfDriver: [:],
                                sameIDDevices: { _, _ in [] }, memo: memo)
        }
        // At the add itself, or once e1000 has registered as well.
        let early = lifetime(udevAdd: nil)
        let late = lifetime(udevAdd: ClockStamp(slot: 4, clock: VectorClock(entries: [1, 0, 0, 1, 1])))
        let fixes = { (r: DeviceResult) in r.suggestions.map(\.kind) }
        let direct = (early: LifetimeAnalysis.analyze(early, environment: environment(nil), detail: .full),
                      late: LifetimeAnalysis.analyze(late, environment: environment(nil), detail: .full))
        #expect(fixes(direct.early).contains("driver-override-at-coldplug"))
        #expect(!fixes(direct.late).contains("driver-override-at-coldplug"))
        for order in [[early, late], [late, early]] {
            let memo = ExplorationMemo()
            let results = order.map { LifetimeAnalysis.analyze($0, environment: environment(memo), detail: .full) }
            let expected = order[0].udevAddStamp == nil ? [direct.early, direct.late] : [direct.late, direct.early]
            #expect(results == expected)
            #expect(memo.recheckHits > 0)
        }
    }

    /// A fix's re-check for one native driver of two must not answer for
    /// the other: its description names the driver, which the shape
    /// cannot, both re-checks being of one lifetime. e1000 can take the
    /// device at its add, before vfio-pci has its id; e1000e registers
    /// only after that id, and wins only by a bind written after e1000 is
    /// unbound. Keeping e1000 out, or giving vfio-pci its id before e1000
    /// registers, fixes the race; the same for e1000e does not.
    @Test func theNativesRechecksTellApartWhichNativeTheyChange() {
        let device = "0000:00:02.0"
        let facts = TableMatchFacts(entries: [
            .init(driver: "e1000", id: PCIMatchID(vendor: 0x8086, device: 0x100e)),
            .init(driver: "e1000e", id: PCIMatchID(vendor: 0x8086, device: 0x100e)),
            .init(driver: "vfio-pci", id: PCIMatchID(vendor: PCIMatchID.any, device: PCIMatchID.any), overrideOnly: true),
        ])
        var steps = concurrentSteps([
            .driverRegister(driver: "e1000", module: nil, isAsync: false),
            .driverRegister(driver: "vfio-pci", module: nil, isAsync: false),
            .addID(driver: "vfio-pci", id: PCIMatchID(vendor: 0x8086, device: 0x100e)),
            .deviceAdd(device: device),
            .unbind(device: device, driver: "e1000"),
            .bind(device: device, driver: "e1000e"),
            .driverRegister(driver: "e1000e", module: nil, isAsync: false),
        ])
        // One task: vfio-pci's registration, its id, e1000e's registration,
        // the unbind of e1000, the bind to e1000e.
        for (step, entries) in [(2, [0, 1, 1, 0, 0, 0, 0]), (6, [0, 1, 1, 0, 0, 0, 1]),
                                (4, [0, 1, 1, 0, 1, 0, 1]), (5, [0, 1, 1, 0, 1, 1, 1])] as [(Int, [UInt32])] {
            steps[step].stamp = ClockStamp(slot: step, clock: VectorClock(entries: entries))
        }
        let info = DeviceInfo(name: device, ids: .e1000)
        let context = SimulationContext(devices: [device: info], facts: facts, outcomes: ProbeOutcomes())
        let lifetime = LifetimeCase(device: device, info: info,
                                    projection: DeviceProjection(device: device, steps: steps, candidates: ["e1000", "e1000e", "vfio-pci"],
                                                                 missingOverrideDrivers: [], configuredDrivers: ["vfio-pci"]),
                                    observed: "e1000", asyncRuns: [], context: context, udevAddStamp: nil, boundBeforeCapture: nil)
        func environment(_ memo: ExplorationMemo?) -> LifetimeEnvironment {
            LifetimeEnvironment(traceName: "t", matchFacts: facts, builtins: [], moduleOfDriver: [:],
                                sameIDDevices: { _, _ in [] }, memo: memo)
        }
        let direct = LifetimeAnalysis.analyze(lifetime, environment: environment(nil), detail: .full)
        #expect(Set(direct.feasibleWinners) == ["e1000", "e1000e", "vfio-pci"])
        func fixed(_ kind: String, _ text: String) -> Bool { direct.suggestions.contains { $0.kind == kind && $0.text.contains(text) } }
        #expect(fixed("blacklist-native", "keep e1000 from"))
        #expect(!fixed("blacklist-native", "keep e1000e from"))
        #expect(fixed("vfio-ids-before-native", "before e1000:"))
        #expect(!fixed("vfio-ids-before-native", "before e1000e:"))
        let memo = ExplorationMemo()
        #expect(LifetimeAnalysis.analyze(lifetime, environment: environment(memo), detail: .full) == direct)
        // Both natives' re-checks went through the memo.
        #expect(memo.recheckAnswers.count >= 5)
    }

    let device = "0000:00:02.0"

    func explorer(_ actions: [StepAction]) -> OrderingExplorer {
        let steps = concurrentSteps(actions)
        let context = SimulationContext(devices: [device: DeviceInfo(name: device, ids: .e1000, isVirtualFunction: false, autoprobe: true)],
                                        facts: TableMatchFacts.standard, outcomes: ProbeOutcomes())
        return OrderingExplorer(steps: steps, context: context, devices: [device]) { $0.stamp.precedesOrEquals($1.stamp) }
    }

    func key(_ actions: [StepAction]) -> [UInt64] { ExplorationMemo.shape(explorer(actions), device: device).0 }

    /// A shape names drivers and other devices by first appearance: which
    /// steps name the same one must show, whatever the names.
    @Test func shapesTellApartWhichStepsNameTheSameDriverOrDevice() {
        let register: (String) -> StepAction = { .driverRegister(driver: $0, module: nil, isAsync: false) }
        // The override cleared, then set to the registered driver, or the other way round.
        #expect(key([register("a"), .setOverride(device: device, driver: nil), .setOverride(device: device, driver: "a")])
                != key([register("a"), .setOverride(device: device, driver: "a"), .setOverride(device: device, driver: nil)]))
        // One other device bound twice, or two other devices.
        #expect(key([.bind(device: "x", driver: "a"), .bind(device: "x", driver: "a")])
                != key([.bind(device: "x", driver: "a"), .bind(device: "y", driver: "a")]))
        // One driver registered twice, or two drivers.
        #expect(key([register("a"), register("a"), register("b")]) != key([register("a"), register("b"), register("b")]))
        // The same up to names: one shape, its drivers in order of appearance.
        let (first, drivers) = ExplorationMemo.shape(explorer([register("a"), register("b"), .setOverride(device: device, driver: "a")]), device: device)
        let (second, renamed) = ExplorationMemo.shape(explorer([register("c"), register("d"), .setOverride(device: device, driver: "c")]), device: device)
        #expect(first == second)
        #expect(drivers == ["a", "b"] && renamed == ["c", "d"])
    }
}
