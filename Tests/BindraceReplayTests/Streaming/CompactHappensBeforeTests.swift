@testable import BindraceReplay
import BindraceSynth
import BindraceTrace
import PropertyBased
import Testing

/// The streaming replay's clock core against the baseline tracker on plain
/// vector clocks: every pair of stamped events must compare the same way.
@Suite struct CompactHappensBeforeTests {
    /// A stamp of either store's core: taken before the clocks moved to an
    /// arena, it holds its clock by value.
    struct AnyStamp {
        enum Clock {
            case inline(SIMD16<UInt32>)
            case arena(Int32)
        }

        var slot: Int32
        var count: UInt32
        var clock: Clock

        func precedesOrEquals(_ other: AnyStamp, arena: ClockArena?) -> Bool {
            let seen = switch other.clock {
            case .inline(let value): InlineClocks().entry(value, slot)
            case .arena(let row): arena!.entry(row, slot)
            }
            return seen >= count
        }
    }

    /// The stores a trace's clocks can be in: values (moving to an arena
    /// where a 17th slot could be needed, as the clock stage does), or an
    /// arena from the start.
    enum Stores: CaseIterable {
        case inlineThenArena, arena
    }

    /// Stamps of the events both cores stamp, in order, and the arena the
    /// core ended with (nil: the clocks stayed values).
    static func stamps(_ events: [RawEvent], strings: StringTable, brief: Bool = true, stores: Stores = .inlineThenArena)
        -> (fast: [AnyStamp], slow: [ClockStamp], peakSlots: Int, arena: ClockArena?) {
        var narrow: CompactHappensBefore<InlineClocks>? = stores == .inlineThenArena ? CompactHappensBefore(store: InlineClocks()) : nil
        var wide: CompactHappensBefore<ClockArena>? = stores == .arena ? CompactHappensBefore(store: ClockArena()) : nil
        var slow = HappensBeforeTracker(policy: .plain)
        var clocks = ClockStage()
        var fastStamps: [AnyStamp] = []
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
            if wanted, let n = narrow, n.mayNeedSlotPastLimit(view.tid) {
                wide = ClockStage.widened(n)
                narrow = nil
            }
            if narrow != nil {
                if let f = observe(&narrow!, view, kind: kind, wanted: wanted, strings: strings, brief: brief) {
                    fastStamps.append(AnyStamp(slot: f.slot, count: f.count, clock: .inline(f.clock)))
                    slowStamps.append(s)
                }
            } else if let f = observe(&wide!, view, kind: kind, wanted: wanted, strings: strings, brief: brief) {
                fastStamps.append(AnyStamp(slot: f.slot, count: f.count, clock: .arena(f.clock)))
                slowStamps.append(s)
            }
        }
        return (fastStamps, slowStamps, wide?.peakSlots ?? narrow?.peakSlots ?? 0, wide?.store)
    }

    static func observe<Store: ClockStore>(_ fast: inout CompactHappensBefore<Store>, _ view: RecordView, kind: EventKind, wanted: Bool,
                                           strings: StringTable, brief: Bool) -> CompactHappensBefore<Store>.Stamp? {
        // As the clock stage: a uevent on its own path first, then the others'.
        if brief && kind == .uevent {
            switch fast.observeUevent(view, strings: strings) {
            case .done: return nil
            case .stamped(let task): return fast.heldStamp(ofTask: task)
            case .general: break
            }
        }
        if brief, !wanted, fast.observeQuietly(view, kind: kind) { return nil }
        switch brief ? fast.observeBriefly(view, kind: kind, wanted: wanted, strings: strings) : .general {
        case .done: return nil
        case .stamped(let task): return fast.heldStamp(ofTask: task)
        case .general: return fast.observe(view, kind: kind, wanted: wanted, strings: strings)
        }
    }

    static func check(_ events: [RawEvent], strings: StringTable, seed: UInt64) {
        // The short path and the general one alone, in either store, must each compare as the baseline does.
        for brief in [true, false] {
            for stores in Stores.allCases {
                let (fast, slow, _, arena) = stamps(events, strings: strings, brief: brief, stores: stores)
                #expect(fast.count == slow.count)
                var disagreements = 0
                for i in fast.indices {
                    for j in fast.indices where fast[i].precedesOrEquals(fast[j], arena: arena) != slow[i].precedesOrEquals(slow[j]) {
                        disagreements += 1
                    }
                }
                #expect(disagreements == 0, "seed \(seed), short path \(brief), \(stores)")
            }
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

    /// The short paths keep the task they found last; a task that exits
    /// and whose tid a fork hands to a new task, in its old place, must not
    /// be taken for it: the child's first step follows what its parent
    /// followed. The parent forks as its own first event, so no short path
    /// looks it up (which would have replaced the kept task) in between.
    @Test func aTidGivenToANewTaskIsNotTakenForTheOldOne() {
        var b = TraceBuilder()
        let register = { (driver: String) in Payload.driverRegisterStart(driver: driver, bus: "pci", probeType: .defaultStrategy) }
        b.add(1, "systemd", register("a0"))
        b.add(1, "systemd", register("a1"))
        b.add(1, "systemd", .processFork(childPID: 2, childTID: 2, isThread: false))
        // Task 200's second step takes the short path, which keeps it.
        b.add(200, "worker", register("b0"))
        b.add(200, "worker", register("b1"))
        b.add(200, "worker", .processExit(code: 0))
        b.add(2, "kworker/0:1", .processFork(childPID: 200, childTID: 200, isThread: false))
        b.add(200, "modprobe", register("c"))
        let (events, strings) = Self.read(b)
        let (fast, slow, _, arena) = Self.stamps(events, strings: strings)
        // systemd's second registration comes before the new task's.
        #expect(slow[1].precedesOrEquals(slow[4]))
        #expect(fast[1].precedesOrEquals(fast[4], arena: arena))
        Self.check(events, strings: strings, seed: 0)
    }

    /// Forks, exits and waits by settled tasks take the short path: a
    /// thread's exit (its group's clock kept for the wait, the thread's
    /// task kept), the leader's exit (its task gone, its tid's next task a
    /// new one), and a usermode helper's exit (its requester's next event
    /// after it).
    @Test func processEventsOfSettledTasksCompareLikeTheBaseline() {
        var b = TraceBuilder()
        let register = { (driver: String) in Payload.driverRegisterStart(driver: driver, bus: "pci", probeType: .defaultStrategy) }
        b.add(1, "systemd", register("a"))
        b.add(1, "systemd", .processFork(childPID: 300, childTID: 300, isThread: false))
        b.add(300, "daemon", register("b"))
        b.add(300, "daemon", .processFork(childPID: 300, childTID: 301, isThread: true))
        b.add(300, "daemon", register("c"), tid: 301)
        b.add(300, "daemon", register("d"))
        b.add(300, "daemon", .processExit(code: 0), tid: 301)
        b.add(300, "daemon", register("e"))
        b.add(300, "daemon", .processExit(code: 0))
        b.add(1, "systemd", register("f"))
        b.add(1, "systemd", .processWait(childPID: 300))
        b.add(1, "systemd", register("g"))
        // A module request served by a kworker's modprobe helper.
        b.add(1, "systemd", .moduleRequest(name: "fs-synth", wait: true))
        b.add(2, "kworker/u8:0", register("h"))
        b.add(2, "kworker/u8:0", .processFork(childPID: 400, childTID: 400, isThread: false))
        b.add(400, "kworker/u8:0", .processExec(filename: "/sbin/modprobe"))
        b.add(400, "modprobe", register("i"))
        // The requester's event on the general path in between: the helper's exit still knows whose it is.
        b.add(1, "systemd", .processExec(filename: "/sbin/init"))
        b.add(400, "modprobe", .processExit(code: 0))
        b.add(1, "systemd", register("j"))
        // Tid 300 again: a new task.
        b.add(1, "systemd", .processFork(childPID: 300, childTID: 300, isThread: false))
        b.add(300, "daemon", register("k"))
        b.add(300, "daemon", .processExit(code: 0))
        b.add(2, "kworker/u8:0", .processWait(childPID: 400))
        b.add(2, "kworker/u8:0", register("l"))
        b.add(1, "systemd", .processWait(childPID: 300))
        b.add(1, "systemd", register("m"))
        let (events, strings) = Self.read(b)
        let (fast, slow, _, arena) = Self.stamps(events, strings: strings)
        #expect(fast.count == 13)
        // The thread's registration comes before the waiter's next one, and the helper's before its requester's.
        #expect(slow[2].precedesOrEquals(slow[6]) && fast[2].precedesOrEquals(fast[6], arena: arena))
        #expect(slow[8].precedesOrEquals(slow[9]) && fast[8].precedesOrEquals(fast[9], arena: arena))
        Self.check(events, strings: strings, seed: 0)
    }

    /// The kept task's empty entry names a tid past the pid range; a
    /// foreign trace's task with that very tid is not taken for it.
    @Test func theLargestTidIsNoKeptTask() {
        var b = TraceBuilder()
        let register = { (driver: String) in Payload.driverRegisterStart(driver: driver, bus: "pci", probeType: .defaultStrategy) }
        b.add(1, "systemd", register("a"))
        b.add(1, "systemd", .processFork(childPID: .max, childTID: .max, isThread: false))
        b.add(.max, "modprobe", register("b"))
        b.add(.max, "modprobe", register("c"))
        let (events, strings) = Self.read(b)
        let (fast, _, _, arena) = Self.stamps(events, strings: strings)
        #expect(fast.count == 3)
        #expect(fast[0].precedesOrEquals(fast[2], arena: arena))
        Self.check(events, strings: strings, seed: 0)
    }

    @Test func slotsOfExitedTasksAreReused() {
        let (events, strings) = Self.read(TraceBuilder.forkAndReap(50))
        let (fast, _, peakSlots, arena) = Self.stamps(events, strings: strings)
        #expect(peakSlots <= 2)
        #expect(arena == nil)
        for (x, y) in zip(fast, fast.dropFirst()) { #expect(x.precedesOrEquals(y, arena: arena)) }
    }

    /// Forty tasks alive at once, each stamped while the others hold
    /// uevents, exits and module requests in flight: the clocks move from
    /// values to an arena part way, and every pair must still compare as
    /// the baseline's, stamps from before the move with those after.
    @Test func crowdMovesToAnArenaAndComparesLikeTheBaseline() {
        let (events, strings) = Self.read(TraceBuilder.crowd(40))
        let (_, _, peakSlots, arena) = Self.stamps(events, strings: strings)
        #expect(peakSlots > 16)
        #expect(arena != nil)
        Self.check(events, strings: strings, seed: 0)
    }

    /// A crowd of sixteen fits the values: the clocks never move.
    @Test func sixteenAtOnceStayValues() {
        let (events, strings) = Self.read(TraceBuilder.crowd(15))
        let (_, _, peakSlots, arena) = Self.stamps(events, strings: strings)
        #expect(peakSlots <= 16)
        #expect(arena == nil)
        Self.check(events, strings: strings, seed: 0)
    }
}
