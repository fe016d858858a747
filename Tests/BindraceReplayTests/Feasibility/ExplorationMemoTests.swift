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
