@testable import BindraceReplay
import BindraceSynth
import BindraceTrace
import Testing

/// A device's add held as a value (`HeldAdd`) must give what recording it
/// as a step gives: the same comparisons with other steps' stamps, the same
/// step once made one, and the same results.
@Suite struct HeldAddTests {
    static func analysis(_ bytes: [UInt8], encoding: TraceEncoding, facts: (any MatchFacts)? = nil,
                         holding: Bool) throws -> (TraceAnalysis, held: Int, udevHeld: Int) {
        let (analysis, replay) = try StreamingReplayTests.streamed(bytes, encoding: encoding, name: "held", facts: facts, holdsStamps: holding)
        return (analysis, replay.steps.addsHeld, replay.steps.udevStampsHeld)
    }

    /// Devices added again and again among every kind of global change,
    /// with lifetimes judged by their repeat keys, in full, or kept for the
    /// end: the same analysis, adds and udev workers' takes held or not.
    @Test func holdingAddsChangesNoResultOnChurnTraces() throws {
        var held = 0, udevHeld = 0
        for seed in 0..<40 as Range<UInt64> {
            var random = RandomChurnTrace(seed: seed, long: seed % 2 == 0)
            let generated = random.make()
            let bytes = generated.builder.jsonl()
            let (on, count, udevCount) = try Self.analysis(bytes, encoding: .jsonl, facts: generated.facts, holding: true)
            let (off, none, udevNone) = try Self.analysis(bytes, encoding: .jsonl, facts: generated.facts, holding: false)
            #expect(none == 0 && udevNone == 0)
            #expect(on.devices == off.devices, "seed \(seed): devices differ")
            #expect(on.warnings == off.warnings, "seed \(seed): warnings differ")
            held += count
            udevHeld += udevCount
        }
        // Proof only if adds and takes were held.
        #expect(held > 300, "\(held) adds held")
        #expect(udevHeld > 100, "\(udevHeld) udev takes held")
    }

    @Test(arguments: FastCoreTests.configurations)
    func holdingAddsChangesNoResultOnSyntheticTraces(_ config: SynthConfiguration) throws {
        let (bytes, _) = try FastCoreTests.synthesize(config)
        let (on, count, udevCount) = try Self.analysis(bytes, encoding: .binary, holding: true)
        let (off, _, _) = try Self.analysis(bytes, encoding: .binary, holding: false)
        #expect(on.devices == off.devices)
        #expect(on.warnings == off.warnings)
        // The configuration that needs more than sixteen slots at once holds them only until then.
        #expect(count > 0 && udevCount > 0)
    }

    /// Made a step, a held add is the step the recording makes of a device's
    /// add, with a row holding its clock, even once the arena has widened.
    @Test func aHeldAddMadeAStepIsTheRecordedStep() {
        var arena = ClockArena()
        arena.widen(to: 11)
        var held = HeldAdd(id: 42, eventIndex: 900, location: 4096, timestamp: 77, pid: 12, tid: 13, comm: 5,
                           detail: 3 | 1 << 40, firstProbe: 905, stamp: HeldStamp(slot: 2, count: 9, clock: SIMD16(repeating: 0)))
        for k in 0..<11 { held.stamp.clock[k] = UInt32(k + 1) }
        var lifetime = StreamLifetime()
        lifetime.holdsAdd = true
        arena.widen(to: 20)
        withUnsafeMutablePointer(to: &held) { lifetime.makeHeldAddStep(device: 6, from: $0, in: &arena) }
        #expect(!lifetime.holdsAdd)
        #expect(lifetime.own.count == 1)
        let step = lifetime.own[0]
        #expect(step.id == 42)
        #expect(step.kind == .deviceAdd)
        #expect(step.eventKind == .deviceAdd)
        #expect(step.device == 6)
        #expect(step.eventIndex == 900)
        #expect(step.endIndex == 900)
        #expect(step.location == 4096)
        #expect(step.firstProbe == 905)
        #expect(step.timestamp == 77)
        #expect(step.pid == 12)
        #expect(step.tid == 13)
        #expect(step.comm == 5)
        #expect(step.detail == 3 | 1 << 40)
        #expect(step.driver == -1)
        #expect(step.module == -1)
        #expect(step.matchID == -1)
        #expect(!step.closed)
        #expect(step.failedAt == -1)
        #expect(step.stamp.slot == 2)
        #expect(step.stamp.count == 9)
        let expected: [UInt32] = (0..<20).map { $0 < 11 ? UInt32($0 + 1) : 0 }
        #expect(arena.entries(step.stamp.row) == expected)
        // Made once: a second call changes nothing.
        withUnsafeMutablePointer(to: &held) { lifetime.makeHeldAddStep(device: 6, from: $0, in: &arena) }
        #expect(lifetime.own.count == 1)
    }
}
