import BindraceTrace
import CBindracePrefetch

/// The first stage of the streaming replay: happens-before over every
/// event (`CompactHappensBefore`), stamping the events a step can come
/// from or be compared with. It hands the step stage the records as they
/// lie with those stamps (`ClockedBatch`); the step stage finds the
/// unstamped records it acts on by their kinds, so that the clock stage,
/// whose thread bounds the stream, lists only the stamped ones.
public struct ClockStage {
    /// Clocks as values while sixteen slots at once do (every capture and
    /// synthetic trace so far); an arena's shared rows, for good, once a
    /// trace needs more. One of the two is set. Optional so that a batch
    /// can take the one in use out of the stage, not copy it.
    var narrow: CompactHappensBefore<InlineClocks>? = CompactHappensBefore(store: InlineClocks())
    var wide: CompactHappensBefore<ClockArena>?
    private var deferredWork = StringFlagCache()
    /// Per comm: a udev worker's. The stage's own, as the happens-before
    /// state it would otherwise ask changes store when clocks widen.
    private var udevWorkerComm = StringFlagCache()
    /// Strings already passed on (id 0, the empty string, every table has).
    private var stringsSent = 1
    private let kinds = KindTable()

    public init() {}

    /// Clock slots in use at most at once.
    public var peakClockSlots: Int { wide?.peakSlots ?? narrow?.peakSlots ?? 0 }
    /// Rows of the arena held now (live tasks' clocks and pending hand-offs;
    /// 0 while clocks are values), and the arena's bytes.
    public var clockRows: Int { wide?.store.liveRows ?? 0 }
    public var clockBytes: Int { wide?.store.bytes ?? 0 }
    /// Whether the clocks moved to an arena (more than 16 slots at once).
    public var clocksWidened: Bool { wide != nil }
    /// Events consumed so far.
    public private(set) var eventsConsumed = 0

    /// Passes a chunk's records into `batch`; returns their count for the
    /// reader (`TraceReader.visitNext(counting:)`), taken in the same loop:
    /// a pass of the reader's own over every record cost as much again as
    /// the loop's few instructions a record for it.
    @discardableResult
    public mutating func consume(_ records: EventRecords, into batch: inout ClockedBatch) -> ChunkTally {
        let strings = records.strings
        pass(strings, into: &batch)
        let first = batch.records
        // The trace position of the batch's first event (the step stage counts from it).
        if first == 0 { batch.firstIndex = eventsConsumed }
        batch.append(records)
        // Room for every record to be stamped: the loops append unchecked.
        batch.acted.reserve(batch.acted.count + records.count)
        var next = 0
        var unknown = 0
        if var hb = narrow.take() {
            next = consume(records, from: 0, first: first, with: &hb, into: &batch, unknown: &unknown)
            if next < records.count { wide = Self.widened(hb) } else { narrow = consume hb }
        }
        if next < records.count, var hb = wide.take() {
            next = consume(records, from: next, first: first, with: &hb, into: &batch, unknown: &unknown)
            wide = consume hb
        }
        batch.eventsConsumed = eventsConsumed
        // The timestamps compared apart: in the loop, the values they take
        // were spilled at every record (about eight instructions a record
        // against three here).
        return ChunkTally(records: records.base, count: records.count, stride: records.stride, unknown: unknown)
    }

    /// The records from `start` on, through `hb`, counting in `unknown`
    /// those of kinds this version does not know; returns where it stopped:
    /// the count, or an event whose stamp could need a slot `hb` lacks.
    private mutating func consume<Store: ClockStore>(_ records: EventRecords, from start: Int, first: Int,
                                                      with hb: inout CompactHappensBefore<Store>, into batch: inout ClockedBatch,
                                                      unknown: inout Int) -> Int {
        let strings = records.strings
        // The count kept in a register for the loop: as the stage's stored
        // property it was loaded, checked and stored back at every event.
        var consumed = eventsConsumed
        defer { eventsConsumed = consumed }
        // Walked by address, and counted by a plain loop: indexing
        // multiplied by the stride and checked the index at every record,
        // and a range's loop checked it twice.
        let stride = records.stride
        let count = records.count
        var address = records.base + start &* stride
        var next = start
        // The next chunk lies after this one, in a mapped trace always and
        // in the reader's buffer often: brought into the caches while this
        // one is worked on, its checksum, reading it first, runs from them
        // instead of waiting on memory (with its pages mapped ahead, as
        // `bindrace` does, `PagesAhead`).
        let nextChunk = count &* stride &+ 64
        while next < count {
            let i = next
            next &+= 1
            bindrace_prefetch_read_soon(address + nextChunk)
            // Read in place: most records need a field or two, and none needs all.
            let record = RecordView(address)
            address += stride
            let entry = kinds.entry(record.kindByte)
            guard let kind = entry.kind else {
                unknown &+= 1
                continue
            }
            // Most events: a kind that is never stamped and moves no clock,
            // by a settled task (what `observeQuietly` answers for it).
            if entry.quiet && hb.isSettled(record.tid) {
                consumed &+= 1
                continue
            }
            // A uevent (nearly half of a synthetic trace's events) on a path of its own.
            if kind == .uevent {
                switch hb.observeUevent(record, strings: strings) {
                case .done:
                    consumed &+= 1
                    continue
                case .stamped(let task):
                    addStamp(ofTask: task, of: &hb, record: first &+ i, index: consumed, to: &batch)
                    consumed &+= 1
                    continue
                case .general:
                    break
                }
            }
            let wanted = needsStamp(record, entry.stamp, strings)
            if !wanted, hb.observeQuietly(record, kind: kind) {
                consumed &+= 1
                continue
            }
            if wanted && hb.mayNeedSlotPastLimit(record.tid) { return i }
            switch entry.brief ? hb.observeBriefly(record, kind: kind, wanted: wanted, strings: strings) : .general {
            case .done:
                break
            case .stamped(let task):
                addStamp(ofTask: task, of: &hb, record: first &+ i, index: consumed, to: &batch)
            case .general:
                if let stamp = hb.observe(record, kind: kind, wanted: wanted, strings: strings) {
                    add(stamp, of: &hb, record: first &+ i, index: consumed, to: &batch)
                }
            }
            consumed &+= 1
        }
        return records.count
    }

    /// The clocks moved to an arena, each held clock a row of its own.
    static func widened(_ hb: CompactHappensBefore<InlineClocks>) -> CompactHappensBefore<ClockArena> {
        var arena = ClockArena(stride: 32)
        arena.widen(to: hb.store.width)
        return hb.moved(to: arena) { arena, clock in
            withUnsafeBytes(of: clock) { arena.allocate(copyingVectors: $0.baseAddress!.assumingMemoryBound(to: UInt32.self), lanes: 2) }
        }
    }

    public mutating func consume(snapshot: Snapshot, into batch: inout ClockedBatch) {
        batch.snapshots.append((batch.records, eventsConsumed, snapshot))
        batch.eventsConsumed = eventsConsumed
    }

    /// The strings defined since the last batch.
    private mutating func pass(_ strings: StringTable, into batch: inout ClockedBatch) {
        guard strings.count > stringsSent else { return }
        batch.newStrings.append(contentsOf: strings.strings[stringsSent...])
        stringsSent = strings.count
    }

    /// A stamp of the general path with a copy of its clock (the task's
    /// clock changes later). Out of line, as `addStamp(ofTask:)`.
    @inline(never)
    private mutating func add<Store: ClockStore>(_ stamp: CompactHappensBefore<Store>.Stamp, of hb: inout CompactHappensBefore<Store>,
                                                 record: Int, index: Int, to batch: inout ClockedBatch) {
        batch.act(record, index: index, stamp: batch.stamps, slot: stamp.slot)
        roomForStamp(width: hb.store.width, in: &batch)
        hb.store.copyVectors(stamp.clock, into: &batch.clocks)
        hb.release(stamp)
    }

    /// A stamp of the brief path, its clock copied from its task's. Out of
    /// line: inlined, it costs the common unstamped event's loop more in
    /// spilled registers than the call costs a stamp. `hb` in place: taken
    /// by value (even borrowed) the whole state was copied at every stamp.
    @inline(never)
    private func addStamp<Store: ClockStore>(ofTask task: Int, of hb: inout CompactHappensBefore<Store>,
                                             record: Int, index: Int, to batch: inout ClockedBatch) {
        batch.act(record, index: index, stamp: batch.stamps, slot: hb.stampSlot(ofTask: task))
        roomForStamp(width: hb.store.width, in: &batch)
        hb.copyClock(ofTask: task, into: &batch.clocks)
    }

    /// Counts a stamp and reserves its clock's room, widening the batch's
    /// stamps first if the clocks have widened.
    @inline(__always)
    private func roomForStamp(width: Int, in batch: inout ClockedBatch) {
        batch.stamps &+= 1
        if batch.width != width {
            // Wider clocks from here on: widen the stamps already in the batch.
            let old = batch.clockStride
            batch.width = width
            rewiden(&batch.clocks, from: old, to: batch.clockStride)
        }
        // The stride (`clockStride`) by a mask: the width is never negative.
        batch.clocks.reserve(batch.clocks.count &+ ((width &+ 7) & ~7))
    }

    /// Stamps of `old` entries each become stamps of `new` (zero-filled).
    private func rewiden(_ clocks: inout PlainBuffer<UInt32>, from old: Int, to new: Int) {
        guard old > 0, old != new, clocks.count > 0 else { return }
        let stamps = clocks.count / old
        var out = PlainBuffer<UInt32>(capacity: max(stamps * new, 16384))
        for s in 0..<stamps {
            for k in 0..<old { out.append(clocks.base[s * old + k]) }
            for _ in old..<new { out.append(0) }
        }
        clocks = out
    }

    /// When a kind is stamped: the events that can become a step or be
    /// compared with one; other events only move clocks
    /// (`TraceRecorder.needsStamp`). A removal is not stamped here: it only
    /// ends the device's lifetime, and no lifetime's analysis compares with
    /// it (the baseline's removal step lies outside every lifetime's
    /// window), so it need not tick.
    enum StampRule: UInt8 {
        case never, always
        /// A work item that runs deferred probes.
        case ifDeferredWork
        /// A udev worker taking an ADD event.
        case ifUdevAdd
    }

    static func stampRule(_ kind: EventKind) -> StampRule {
        switch kind {
        case .driverRegisterStart, .dynamicIDAdded, .sysfsNewID, .sysfsRemoveID, .deviceAdd,
             .driverOverrideWritten, .sysfsBind, .sysfsUnbind, .sysfsDriversProbe, .asyncSynchronize:
            return .always
        case .workStart: return .ifDeferredWork
        case .uevent: return .ifUdevAdd
        default: return .never
        }
    }

    /// The rule decided by comparisons, from the kind's table entry: a
    /// `switch` on the kind here was an indirect jump on every event.
    @inline(__always)
    mutating func needsStamp(_ event: RecordView, _ rule: StampRule, _ strings: StringTable) -> Bool {
        if rule == .never { return false }
        if rule == .always { return true }
        if rule == .ifDeferredWork {
            return deferredWork.value(event.a2) { TraceRecorder.isDeferredProbe(function: strings[event.a2]) }
        }
        guard event.a1 == UeventAction.add.rawValue else { return false }
        return udevWorkerComm.value(event.comm) { TaskClassifier.role(ofComm: strings[event.comm]) == .udev }
    }
}
