@testable import BindraceReplay
import BindraceSynth
import BindraceTrace
import Testing

/// A lifetime judged by its repeat key (`StepStage.repeatKey`) must get the
/// verdict judging it in full gives. With `checksRepeats` the step stage
/// does both and counts the disagreements.
@Suite struct RepeatShapesTests {
    struct Checked {
        var hits = 0
        var mismatches = 0
        var judged = 0
    }

    static func checked(_ bytes: [UInt8], encoding: TraceEncoding, facts: (any MatchFacts)? = nil) throws -> Checked {
        // Lifetimes are judged as they end (the full analyses of `finish` have no repeat keys).
        let (replay, _) = try StreamingReplayTests.consumed(bytes, encoding: encoding, name: "repeats", facts: facts, checksRepeats: true)
        return Checked(hits: replay.steps.repeatHits, mismatches: replay.steps.repeatMismatches, judged: replay.steps.lifetimesJudged)
    }

    /// Long churn traces: devices added again and again while every kind
    /// of global change (registrations failing and coming back, dynamic
    /// ids added and removed, barriers, retries) happens between their
    /// lifetimes.
    @Test func repeatKeysAgreeWithFullJudgementsOnChurnTraces() throws {
        var total = Checked()
        for seed in 0..<400 as Range<UInt64> {
            var random = RandomChurnTrace(seed: seed, long: true)
            let generated = random.make()
            let c = try Self.checked(generated.builder.jsonl(), encoding: .jsonl, facts: generated.facts)
            #expect(c.mismatches == 0, "seed \(seed): \(c.mismatches) lifetimes judged differently by their repeat key")
            total.hits += c.hits
            total.judged += c.judged
        }
        // Proof only if keys were asked often.
        #expect(total.hits > 400, "\(total.hits) repeat hits in \(total.judged) lifetimes")
    }

    /// Synthetic traces: SR-IOV churn, racing devices whose binding
    /// alternates, async probes.
    @Test(arguments: FastCoreTests.configurations)
    func repeatKeysAgreeWithFullJudgementsOnSyntheticTraces(_ config: SynthConfiguration) throws {
        let (bytes, _) = try FastCoreTests.synthesize(config)
        let c = try Self.checked(bytes, encoding: .binary)
        #expect(c.mismatches == 0)
        // Most lifetimes of a churned device repeat an earlier one.
        #expect(c.hits * 2 > c.judged, "\(c.hits) repeat hits in \(c.judged) lifetimes")
    }

    static func key(_ words: [UInt64]) -> PlainBuffer<UInt64> {
        var key = PlainBuffer<UInt64>(capacity: RepeatShapes.keyWords)
        for w in words { key.append(w) }
        return key
    }

    @Test func keepsTheLastTwoKeysOfEachDevice() {
        var repeats = RepeatShapes()
        repeats.append()
        repeats.append()
        let a = Self.key([1, 2, 3]), b = Self.key([1, 2, 4]), c = Self.key([9])
        #expect(repeats.severity(0, of: a) == nil)
        // Entries only for a device that has a key.
        #expect(repeats.devicesWithKeys == 0)
        repeats.remember(0, a, severity: 3)
        #expect(repeats.devicesWithKeys == 1)
        repeats.remember(0, b, severity: 0)
        #expect(repeats.severity(0, of: a) == 3)
        #expect(repeats.severity(0, of: b) == 0)
        // Per device.
        #expect(repeats.severity(1, of: a) == nil)
        // A prefix or a longer key is another key.
        #expect(repeats.severity(0, of: Self.key([1, 2])) == nil)
        #expect(repeats.severity(0, of: Self.key([1, 2, 3, 0])) == nil)
        // A third pushes out the oldest.
        repeats.remember(0, c, severity: 10)
        #expect(repeats.severity(0, of: a) == nil)
        #expect(repeats.severity(0, of: b) == 0)
        #expect(repeats.severity(0, of: c) == 10)
        let full = Self.key((0..<UInt64(RepeatShapes.keyWords)).map { $0 * 7 })
        repeats.remember(1, full, severity: 5)
        #expect(repeats.devicesWithKeys == 2)
        #expect(repeats.severity(1, of: full) == 5)
        #expect(repeats.severity(0, of: c) == 10)
    }
}
