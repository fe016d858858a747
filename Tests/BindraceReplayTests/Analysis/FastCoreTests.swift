@testable import BindraceReplay
import BindraceSynth
import BindraceTrace
import Testing

/// The fast core (compact clocks, slot reuse, indexed projections) against
/// the reference vector-clock core on synthetic traces, and the planted
/// outcomes of `bindrace synth` found with the right verdict and winners.
@Suite struct FastCoreTests {
    static func synthesize(_ config: SynthConfiguration) throws -> ([UInt8], [PlantedOutcome]) {
        var boot = SyntheticBoot(config)
        var writer = try TraceWriter(sink: MemoryByteSink())
        try writer.write(boot.snapshot())
        let planted = try boot.generate { try writer.append($0) }
        try writer.finish()
        return (writer.sink.bytes, planted)
    }

    static func record(_ bytes: [UInt8], clocks: ClockPolicy) throws -> TraceFacts {
        var input = try TraceInput(source: MemoryByteSource(bytes), encoding: .binary)
        let (facts, error) = TraceRecorder.record(name: "synth.brt", input: &input, clocks: clocks)
        #expect(error == nil)
        return facts
    }

    static let configurations: [SynthConfiguration] = [
        SynthConfiguration(seed: 1, targetEvents: 20_000),
        SynthConfiguration(seed: 2, targetEvents: 15_000, sriovNICs: 2, vfsPerNIC: 4, gpus: 1, raceEvery: 3, processesPerRound: 40),
        SynthConfiguration(seed: 3, targetEvents: 20_000, gpus: 0, udevWorkers: 2, raceEvery: 2, processesPerRound: 0, taskPool: 3),
    ]

    @Test(arguments: configurations)
    func compactClocksGiveTheBaselineResults(_ config: SynthConfiguration) throws {
        let (bytes, _) = try Self.synthesize(config)
        let fast = try Self.record(bytes, clocks: .compact)
        let plain = try Self.record(bytes, clocks: .plain)
        #expect(fast.steps.count == plain.steps.count)
        // Same happens-before between every pair of steps of a window.
        let n = min(fast.steps.count, 300)
        var disagreements = 0
        for i in 0..<n {
            for j in 0..<n where fast.steps[i].stamp.precedesOrEquals(fast.steps[j].stamp) != plain.steps[i].stamp.precedesOrEquals(plain.steps[j].stamp) {
                disagreements += 1
            }
        }
        #expect(disagreements == 0)
        #expect(ReplayAnalyzer.analyze([fast]) == ReplayAnalyzer.analyze([plain]))
        // Slot reuse keeps the clocks narrow; the plain core has one slot per task.
        #expect(fast.taskSlots < plain.taskSlots)
    }

    @Test(arguments: configurations.filter { $0.taskPool == 0 })
    func plantedOutcomesAreFound(_ config: SynthConfiguration) throws {
        let (bytes, planted) = try Self.synthesize(config)
        let result = ReplayAnalyzer.analyze([try Self.record(bytes, clocks: .compact)])
        #expect(planted.contains { $0.expectation == .raceVfioVsNative })
        for outcome in planted {
            let found = result.devices.first { $0.device == outcome.device }
            #expect(found != nil, "\(outcome.device) not reported")
            guard let found else { continue }
            let verdict: Verdict = outcome.expectation == .raceVfioVsNative ? .raceVFIOVsNative : .deterministic
            #expect(found.verdict == verdict, "\(outcome.device): \(found.verdict)")
            #expect(Set(found.feasibleWinners.map { $0 ?? "" }) == Set(outcome.feasibleWinners), "\(outcome.device)")
            #expect((found.observedWinner ?? "") == outcome.observedWinner, "\(outcome.device)")
        }
    }

    @Test func parallelMergeEqualsTheSequentialAnalysis() throws {
        let traces = try Self.configurations.prefix(2).enumerated().map { i, config in
            var facts = try Self.record(try Self.synthesize(config).0, clocks: .compact)
            facts.name = "boot\(i).brt"
            return facts
        }
        let parts = traces.map { ReplayAnalyzer.analyzeTrace($0, of: traces.count) }
        #expect(ReplayAnalyzer.merge(parts) == ReplayAnalyzer.analyze(traces))
    }

    @Test func slotsOfExitedTasksAreReused() {
        let facts = TraceBuilder.forkAndReap(50).facts()
        #expect(facts.taskSlots <= 2)
        for (x, y) in zip(facts.steps, facts.steps.dropFirst()) { #expect(x.stamp.precedesOrEquals(y.stamp)) }
    }
}

extension SynthConfiguration: CustomTestStringConvertible {
    public var testDescription: String { "seed \(seed), \(targetEvents) events, pool \(taskPool)" }
}
