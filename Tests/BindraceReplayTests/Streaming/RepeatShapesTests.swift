@testable import BindraceReplay
import BindraceSynth
import BindraceTrace
import Testing

/// A lifetime judged by its repeat key (`StepStage.repeatKey`) must get the
/// verdict judging it in full gives. With `checksRepeats` the step stage
/// does both and counts the disagreements.
@Suite struct RepeatShapesTests {
    /// Long churn traces (`RepeatChecks.overChurnTraces`): every kind of
    /// global change happens between a device's lifetimes.
    @Test func repeatKeysAgreeWithFullJudgementsOnChurnTraces() throws {
        let total = try RepeatChecks.overChurnTraces(0..<400) { seed, c in
            #expect(c.repeatMismatches == 0, "seed \(seed): \(c.repeatMismatches) lifetimes judged differently by their repeat key")
        }
        // Proof only if keys were asked often.
        #expect(total.repeatHits > 400, "\(total.repeatHits) repeat hits in \(total.judged) lifetimes")
    }

    /// Synthetic traces: SR-IOV churn, racing devices whose binding
    /// alternates, async probes.
    @Test(arguments: FastCoreTests.configurations)
    func repeatKeysAgreeWithFullJudgementsOnSyntheticTraces(_ config: SynthConfiguration) throws {
        let (bytes, _) = try FastCoreTests.synthesize(config)
        let c = try RepeatChecks(bytes, encoding: .binary)
        #expect(c.repeatMismatches == 0)
        // Most lifetimes of a churned device repeat an earlier one.
        #expect(c.repeatHits * 2 > c.judged, "\(c.repeatHits) repeat hits in \(c.judged) lifetimes")
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
