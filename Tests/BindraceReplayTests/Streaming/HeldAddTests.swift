@testable import BindraceReplay
import BindraceSynth
import BindraceTrace
import Testing

/// A device's add held as a value (`HeldAdd`) must give what recording it
/// as a step gives: the same comparisons with other steps' stamps, the same
/// step once made one, and the same results.
@Suite struct HeldAddTests {
    static func analysis(_ bytes: [UInt8], encoding: TraceEncoding, facts: (any MatchFacts)? = nil,
                         holding: Bool) throws -> (TraceAnalysis, held: Int) {
        let (analysis, replay) = try StreamingReplayTests.streamed(bytes, encoding: encoding, name: "held", facts: facts, holdsAdds: holding)
        return (analysis, replay.steps.addsHeld)
    }

    /// Devices added again and again among every kind of global change,
    /// with lifetimes judged by their repeat keys, in full, or kept for the
    /// end: the same analysis, held or not.
    @Test func holdingAddsChangesNoResultOnChurnTraces() throws {
        var held = 0
        for seed in 0..<40 as Range<UInt64> {
            var random = RandomChurnTrace(seed: seed, long: seed % 2 == 0)
            let generated = random.make()
            let bytes = generated.builder.jsonl()
            let (on, count) = try Self.analysis(bytes, encoding: .jsonl, facts: generated.facts, holding: true)
            let (off, none) = try Self.analysis(bytes, encoding: .jsonl, facts: generated.facts, holding: false)
            #expect(none == 0)
            #expect(on.devices == off.devices, "seed \(seed): devices differ")
            #expect(on.warnings == off.warnings, "seed \(seed): warnings differ")
            held += count
        }
        // Proof only if adds were held.
        #expect(held > 300, "\(held) adds held")
    }

    @Test(arguments: FastCoreTests.configurations)
    func holdingAddsChangesNoResultOnSyntheticTraces(_ config: SynthConfiguration) throws {
        let (bytes, _) = try FastCoreTests.synthesize(config)
        let (on, count) = try Self.analysis(bytes, encoding: .binary, holding: true)
        let (off, _) = try Self.analysis(bytes, encoding: .binary, holding: false)
        #expect(on.devices == off.devices)
        #expect(on.warnings == off.warnings)
        // The configuration that needs more than sixteen slots at once holds adds only until then.
        #expect(count > 0)
    }

    /// The held clock answers "does this stamp happen before the add" as
    /// the arena's row of the add would: past the arena's width too.
    @Test func heldClocksCompareAsArenaRows() {
        var random = SplitMix64(seed: 7)
        for width in [1, 5, 8, 11, 16] {
            var arena = ClockArena()
            arena.widen(to: width)
            for _ in 0..<200 {
                var clock = SIMD16<UInt32>(repeating: 0)
                for k in 0..<width { clock[k] = UInt32(random.next() % 6) }
                let row = withUnsafePointer(to: &clock) {
                    arena.allocate(copyingVectors: UnsafeRawPointer($0).assumingMemoryBound(to: UInt32.self), lanes: 2)
                }
                let added = CompactStamp(slot: Int32(random.next() % UInt64(width)), count: 3, row: row)
                var held = HeldAdd()
                held.clock = clock
                for _ in 0..<20 {
                    let other = CompactStamp(slot: Int32(random.next() % 20), count: UInt32(random.next() % 7), row: -1)
                    #expect(held.isPreceded(by: other) == other.precedesOrEquals(added, in: arena),
                            "width \(width), slot \(other.slot), count \(other.count)")
                }
                arena.release(row)
            }
        }
    }

    /// Made a step, a held add is the step the recording makes of a device's
    /// add, with a row holding its clock, even once the arena has widened.
    @Test func aHeldAddMadeAStepIsTheRecordedStep() {
        var arena = ClockArena()
        arena.widen(to: 11)
        var held = HeldAdd(id: 42, eventIndex: 900, location: 4096, timestamp: 77, pid: 12, tid: 13, comm: 5,
                           detail: 3 | 1 << 40, firstProbe: 905, slot: 2, count: 9)
        for k in 0..<11 { held.clock[k] = UInt32(k + 1) }
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
