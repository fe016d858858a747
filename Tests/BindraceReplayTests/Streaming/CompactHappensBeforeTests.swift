@testable import BindraceReplay
import BindraceSynth
import BindraceTrace
import PropertyBased
import Testing

/// The streaming replay's clock core against the baseline tracker on plain
/// vector clocks: every pair of stamped events must compare the same way.
@Suite struct CompactHappensBeforeTests {
    /// Stamps of the events both cores stamp, in order.
    static func stamps(_ events: [RawEvent], strings: StringTable, brief: Bool = true) -> (fast: [CompactStamp], fastCore: CompactHappensBefore, slow: [ClockStamp]) {
        var fast = CompactHappensBefore()
        var slow = HappensBeforeTracker(policy: .plain)
        var clocks = ClockStage()
        var fastStamps: [CompactStamp] = []
        var slowStamps: [ClockStamp] = []
        let record = UnsafeMutableRawPointer.allocate(byteCount: RawEvent.size, alignment: 8)
        defer { record.deallocate() }
        for (i, event) in events.enumerated() {
            guard let kind = event.kind else { continue }
            // As the clock stage does: the short paths first (unless `brief` is off), from the stored record.
            event.store(to: record)
            let view = RecordView(record)
            let wanted = clocks.needsStamp(view, ClockStage.stampRule(kind), strings)
            let s = slow.observe(event, index: i, strings: strings)
            if brief, !wanted, fast.observeQuietly(view, kind: kind, strings: strings) { continue }
            let f: CompactStamp?
            switch brief ? fast.observeBriefly(view, kind: kind, wanted: wanted, strings: strings) : .general {
            case .done: f = nil
            case .stamped(let stamp): f = stamp
            case .general: f = fast.observe(view, kind: kind, wanted: wanted, strings: strings)
            }
            if let f {
                fastStamps.append(f)
                slowStamps.append(s)
            }
        }
        return (fastStamps, fast, slowStamps)
    }

    static func check(_ events: [RawEvent], strings: StringTable, seed: UInt64) {
        // The short path and the general one alone must each compare as the baseline does.
        for brief in [true, false] {
            let (fast, core, slow) = stamps(events, strings: strings, brief: brief)
            #expect(fast.count == slow.count)
            var disagreements = 0
            for i in fast.indices {
                for j in fast.indices where fast[i].precedesOrEquals(fast[j], in: core.arena) != slow[i].precedesOrEquals(slow[j]) {
                    disagreements += 1
                }
            }
            #expect(disagreements == 0, "seed \(seed), short path \(brief)")
        }
    }

    static func read(_ builder: TraceBuilder) -> ([RawEvent], StringTable) {
        var input = try! TraceInput(source: MemoryByteSource(builder.jsonl()), encoding: .jsonl)
        var events: [RawEvent] = []
        while let item = try! input.next() { if case .events(let chunk) = item { events += chunk.events } }
        return (events, input.strings)
    }

    @Test func randomTracesCompareLikeTheBaseline() async {
        await propertyCheck(count: 600, input: Gen.uint64()) { seed in
            var random = RandomDriverTrace(seed: seed)
            let (builder, _) = random.make()
            let (events, strings) = Self.read(builder)
            Self.check(events, strings: strings, seed: seed)
        }
    }

    @Test func syntheticBootComparesLikeTheBaseline() throws {
        let (bytes, _) = try FastCoreTests.synthesize(SynthConfiguration(seed: 4, targetEvents: 6_000, raceEvery: 2, processesPerRound: 6))
        var input = try TraceInput(source: MemoryByteSource(bytes), encoding: .binary)
        var events: [RawEvent] = []
        while let item = try input.next() { if case .events(let chunk) = item { events += chunk.events } }
        Self.check(events, strings: input.strings, seed: 4)
    }

    /// A foreign trace's tids past the kernel's pid range (the tid tables
    /// hold those apart): half the tasks moved there must compare as before.
    @Test func tidsPastThePidRangeCompareLikeTheBaseline() throws {
        let (bytes, _) = try FastCoreTests.synthesize(SynthConfiguration(seed: 5, targetEvents: 6_000, raceEvery: 2, processesPerRound: 6))
        var input = try TraceInput(source: MemoryByteSource(bytes), encoding: .binary)
        var events: [RawEvent] = []
        while let item = try input.next() { if case .events(let chunk) = item { events += chunk.events } }
        // Odd ids move past the range; one to one, so the story is the same.
        func moved(_ id: UInt32) -> UInt32 { id & 1 == 1 ? id + (1 << 23) : id }
        var far = 0
        for i in events.indices {
            events[i].pid = moved(events[i].pid)
            events[i].tid = moved(events[i].tid)
            switch events[i].kind {
            case .processFork?:
                events[i].a0 = moved(events[i].a0)
                events[i].a1 = moved(events[i].a1)
            case .processWait?:
                events[i].a0 = moved(events[i].a0)
            default:
                break
            }
            if events[i].tid >= PagedTable<Int32>.keyLimit { far += 1 }
        }
        #expect(far > events.count / 4, "\(far) of \(events.count) events by far tids")
        Self.check(events, strings: input.strings, seed: 5)
    }

    @Test func slotsOfExitedTasksAreReused() {
        let (events, strings) = Self.read(TraceBuilder.forkAndReap(50))
        let (fast, core, _) = Self.stamps(events, strings: strings)
        #expect(core.peakSlots <= 2)
        for (x, y) in zip(fast, fast.dropFirst()) { #expect(x.precedesOrEquals(y, in: core.arena)) }
    }
}
