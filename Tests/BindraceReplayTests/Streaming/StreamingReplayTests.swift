@testable import BindraceReplay
import BindraceSynth
import BindraceTrace
import PropertyBased
import Testing

/// The streaming replay (compact clocks, lifetimes judged as they end
/// through the shape memo) against the baseline (the whole trace recorded
/// on plain vector clocks, every lifetime analysed in full).
@Suite struct StreamingReplayTests {
    static func streamed(_ bytes: [UInt8], encoding: TraceEncoding = .binary, name: String = "synth.brt",
                         facts: (any MatchFacts)? = nil, finalChunk: Int? = nil,
                         workers: Int = 1, holdsStamps: Bool = true) throws -> (TraceAnalysis, StreamingReplay) {
        var (replay, diagnostics) = try consumed(bytes, encoding: encoding, name: name, facts: facts, finalChunk: finalChunk,
                                                 holdsStamps: holdsStamps)
        return (replay.finish(diagnostics: diagnostics, workers: workers), replay)
    }

    /// The trace consumed, not yet finished (lifetimes are judged as they
    /// end), with the reader's diagnostics; `checksRepeats` as the stage's.
    static func consumed(_ bytes: [UInt8], encoding: TraceEncoding = .binary, name: String = "synth.brt",
                         facts: (any MatchFacts)? = nil, finalChunk: Int? = nil, holdsStamps: Bool = true,
                         checksRepeats: Bool = false) throws -> (StreamingReplay, [TraceDiagnostic]) {
        var input = try TraceInput(source: MemoryByteSource(bytes), encoding: encoding)
        var replay = StreamingReplay(name: name, matchFacts: facts)
        if let finalChunk { replay.finalChunk = finalChunk }
        replay.holdsStamps = holdsStamps
        replay.checksRepeats = checksRepeats
        // Records read in place, as `bindrace report` reads them.
        while try input.visitNext({ visit in
            switch visit {
            case .events(let records): replay.consume(records)
            case .snapshot(let snapshot, _, _): replay.consume(snapshot: snapshot)
            }
        }) {}
        return (replay, input.diagnostics)
    }

    static func baseline(_ bytes: [UInt8], encoding: TraceEncoding = .binary, name: String = "synth.brt",
                         facts: (any MatchFacts)? = nil) throws -> TraceAnalysis {
        var input = try TraceInput(source: MemoryByteSource(bytes), encoding: encoding)
        let (trace, _) = TraceRecorder.record(name: name, input: &input, clocks: .plain)
        return ReplayAnalyzer.analyzeTrace(trace, facts: facts, of: 1)
    }

    /// The fast core's configurations, one of many tasks long enough for
    /// the clock arena to grow many times under way, and one whose 24 udev
    /// workers need more slots at once than clocks held as values have.
    static let configurations = FastCoreTests.configurations + [
        SynthConfiguration(seed: 5, targetEvents: 60_000, sriovNICs: 2, vfsPerNIC: 8, gpus: 1, raceEvery: 4, processesPerRound: 40),
        widening,
    ]

    static let widening = SynthConfiguration(seed: 6, targetEvents: 60_000, sriovNICs: 2, vfsPerNIC: 8, gpus: 1, udevWorkers: 24, raceEvery: 4)

    /// Clocks move from values to an arena part way through a batch (the
    /// equality with the baseline is checked with the configurations above);
    /// the default synthetic trace never needs to.
    @Test func clocksMoveToAnArenaOnlyWhenSixteenSlotsDoNotDo() throws {
        let (wide, _) = try FastCoreTests.synthesize(Self.widening)
        let (_, wideReplay) = try Self.streamed(wide)
        #expect(wideReplay.clocks.clocksWidened)
        #expect(wideReplay.clocks.peakClockSlots > 16)
        #expect(wideReplay.clocks.clockRows > 0)
        let (narrow, _) = try FastCoreTests.synthesize(SynthConfiguration(seed: 6, targetEvents: 60_000))
        let (_, narrowReplay) = try Self.streamed(narrow)
        #expect(!narrowReplay.clocks.clocksWidened)
        #expect(narrowReplay.clocks.peakClockSlots <= 16)
    }

    @Test(arguments: configurations)
    func syntheticTracesGiveTheBaselineResults(_ config: SynthConfiguration) throws {
        let (bytes, _) = try FastCoreTests.synthesize(config)
        let (fast, replay) = try Self.streamed(bytes)
        let slow = try Self.baseline(bytes)
        #expect(fast.warnings == slow.warnings)
        #expect(fast.eventCount == slow.eventCount)
        #expect(fast.devices.count == slow.devices.count)
        for (a, b) in zip(fast.devices, slow.devices) { #expect(a == b, "\(a.device)") }
        // Most lifetimes are judged by their shape, not analysed.
        #expect(replay.steps.lifetimeAnalyses * 10 < replay.steps.lifetimesJudged)
        // Devices of one shape share their observed replays and their fixes' re-checks.
        let memo = replay.steps.explorationMemo
        #expect(memo.observedHits * 2 > fast.devices.count)
        #expect(memo.recheckHits > 0 || fast.devices.filter { !$0.suggestions.isEmpty }.count < 2)
    }

    /// The final analyses a few devices at a time, on two threads whose
    /// memos and match caches carry over from one part to the next: the same results, in
    /// the same order, as the baseline's.
    @Test(arguments: configurations)
    func finalAnalysesInPartsGiveTheBaselineResults(_ config: SynthConfiguration) throws {
        let (bytes, _) = try FastCoreTests.synthesize(config)
        let (fast, replay) = try Self.streamed(bytes, finalChunk: 3, workers: 2)
        let slow = try Self.baseline(bytes)
        #expect(fast.devices.count > 3 * 2, "more than two parts")
        // Devices never removed and devices removed: the cases are built out of order.
        let devices = replay.steps.devices
        let kept = (0..<devices.count).filter { devices.listed[$0] && devices.info[$0] != nil }
        #expect(kept.contains { devices.ended[$0] == 0 } && kept.contains { devices.ended[$0] > 0 })
        #expect(fast.warnings == slow.warnings)
        #expect(fast.devices.count == slow.devices.count)
        for (a, b) in zip(fast.devices, slow.devices) { #expect(a == b, "\(a.device)") }
    }
}
