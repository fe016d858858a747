import BindraceTrace

/// The first stage of the streaming replay: happens-before over every
/// event (`CompactHappensBefore`), stamping the events a step can come
/// from or be compared with. It hands the step stage the records as they
/// lie with those stamps (`ClockedBatch`), and which of them the step stage
/// acts on: it never reads the events that only move clocks (forks, execs,
/// waits, uevents nobody stamps...).
public struct ClockStage {
    var hb = CompactHappensBefore()
    private var deferredWork = StringFlagCache()
    /// Strings already passed on (id 0, the empty string, every table has).
    private var stringsSent = 1
    private let kinds = KindTable()

    public init() {}

    /// Clock slots in use at most at once.
    public var peakClockSlots: Int { hb.peakSlots }
    /// Clock rows held now (live tasks' clocks and pending hand-offs), and the arena's bytes.
    public var clockRows: Int { hb.arena.liveRows }
    public var clockBytes: Int { hb.arena.bytes }
    /// Events consumed so far.
    public private(set) var eventsConsumed = 0

    public mutating func consume(_ records: EventRecords, into batch: inout ClockedBatch) {
        let strings = records.strings
        pass(strings, into: &batch)
        let first = batch.records
        batch.append(records)
        // Room for every record to be acted on: the loop appends unchecked.
        batch.acted.reserve(batch.acted.count + records.count)
        for i in 0..<records.count {
            // Read in place: most records need a field or two, and none needs all.
            let record = records.view(at: i)
            let entry = kinds.entry(record.kindByte)
            guard let kind = entry.kind else { continue }
            let wanted = needsStamp(record, entry.stamp, strings)
            if !wanted, hb.observeQuietly(record, kind: kind, strings: strings) {
                if entry.actedOn {
                    batch.act(first &+ i, index: eventsConsumed, kind: kind)
                }
                eventsConsumed += 1
                continue
            }
            let stamp: CompactStamp?
            switch entry.brief ? hb.observeBriefly(record, kind: kind, wanted: wanted, strings: strings) : .general {
            case .done: stamp = nil
            case .stamped(let brief): stamp = brief
            case .general: stamp = hb.observe(record, kind: kind, wanted: wanted, strings: strings)
            }
            if let stamp {
                add(stamp, record: first + i, index: eventsConsumed, kind: kind, to: &batch)
            } else if entry.actedOn {
                batch.act(first &+ i, index: eventsConsumed, kind: kind)
            }
            eventsConsumed += 1
        }
        batch.eventsConsumed = eventsConsumed
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

    /// A stamp with a copy of its clock (the task's row changes later).
    /// Out of line: inlined, it costs the common unstamped event's loop
    /// more in spilled registers than the call costs a stamp.
    @inline(never)
    private mutating func add(_ stamp: CompactStamp, record: Int, index: Int, kind: EventKind, to batch: inout ClockedBatch) {
        batch.act(record, index: index, kind: kind, stamp: batch.stamps, slot: stamp.slot)
        batch.stamps += 1
        if batch.width != hb.arena.width {
            // Wider clocks from here on: widen the stamps already in the batch.
            let old = batch.clockStride
            batch.width = hb.arena.width
            rewiden(&batch.clocks, from: old, to: batch.clockStride)
        }
        batch.clocks.reserve(batch.clocks.count + batch.clockStride)
        hb.arena.copyVectors(stamp.row, into: &batch.clocks)
        hb.release(stamp)
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
        return hb.isUdevWorker(event.comm, strings)
    }
}
