@testable import BindraceReplay
import BindraceTrace
import PropertyBased
import Testing

/// The fast analysis (per-device projection, vector clocks) against the
/// exhaustive oracle (whole-trace orderings, happens-before as a searched
/// graph) on random small traces.
@Suite struct OracleAgreementTests {
    @Test func fastFeasibleWinnersEqualTheOracle() async {
        await propertyCheck(count: 2500, input: Gen.uint64()) { seed in
            var random = RandomDriverTrace(seed: seed)
            let (builder, facts) = random.make()
            let trace = builder.facts(recordsEdges: true)
            let prepared = PreparedTrace(facts: trace, matchFacts: facts)
            let oracle = ExhaustiveOracle(prepared: prepared, tids: builder.events.map(\.tid))
            guard let expected = oracle.feasibleWinners() else { return }
            let fast = prepared.feasibleWinners()
            #expect(fast == expected, "seed \(seed)")
        }
    }

    @Test func vectorClocksEqualTheSearchedGraph() async {
        await propertyCheck(count: 1000, input: Gen.uint64()) { seed in
            var random = RandomDriverTrace(seed: seed)
            let (builder, facts) = random.make()
            let trace = builder.facts(recordsEdges: true)
            let prepared = PreparedTrace(facts: trace, matchFacts: facts)
            let oracle = ExhaustiveOracle(prepared: prepared, tids: builder.events.map(\.tid))
            for a in prepared.steps {
                for b in prepared.steps {
                    #expect(a.stamp.precedesOrEquals(b.stamp) == oracle.happensBefore(a, b), "seed \(seed): \(a.event.what) vs \(b.event.what)")
                }
            }
        }
    }

    @Test func observedReplayIsOneOfTheFeasibleOrderings() async {
        await propertyCheck(count: 1000, input: Gen.uint64()) { seed in
            var random = RandomDriverTrace(seed: seed)
            let (builder, facts) = random.make()
            let prepared = PreparedTrace(facts: builder.facts(), matchFacts: facts)
            for device in prepared.facts.deviceOrder {
                let projection = prepared.projection(device)
                let replay = ObservedReplay(device: device, steps: projection.steps, asyncRuns: prepared.facts.asyncRuns[device] ?? [],
                                            context: prepared.context)
                guard let r = prepared.explore(projection), !r.exhausted else { continue }
                #expect(r.winners(device).contains(replay.winner), "seed \(seed) device \(device)")
            }
        }
    }

    /// The generator must produce races, or agreement proves little.
    @Test func generatorProducesRacesAndDeterministicDevices() {
        var races = 0, deterministic = 0
        for seed in 0..<300 as Range<UInt64> {
            var random = RandomDriverTrace(seed: seed)
            let (builder, facts) = random.make()
            let prepared = PreparedTrace(facts: builder.facts(), matchFacts: facts)
            for (_, winners) in prepared.feasibleWinners() {
                if winners.count > 1 { races += 1 } else { deterministic += 1 }
            }
        }
        #expect(races > 30)
        #expect(deterministic > 30)
    }
}
