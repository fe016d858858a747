import BindraceTrace
import CBindracePrefetch

/// The second stage of the streaming replay: events with their stamps
/// (`ClockedBatch`, from `ClockStage`) become steps, probe results and
/// bindings seen; each device lifetime is judged the moment it ends and its
/// steps are let go, keeping per device only its most severe lifetime for
/// the report. Lifetimes are judged through a memo of their shape
/// (`LifetimeShape`), so ten thousand identical VF lifetimes cost one
/// analysis, and the analysis is the baseline's own (`LifetimeAnalysis`).
/// Memory is bounded by what is live (devices, drivers, dynamic ids), not
/// by the trace's length.
public struct StepStage {
    public let name: String
    /// Clocks of the steps kept (copies of the clock stage's stamps).
    var arena = ClockArena()
    /// The trace's strings, as the clock stage passed them on.
    var strings = StringTable()
    /// Kind bytes to kinds, and whether this stage acts on them unstamped.
    let kinds = KindTable()
    /// Steps about no one device, by handle: read field by field in place
    /// (a step is some 130 bytes, and a lifetime's judgement reads a few
    /// fields of each of its global steps several times).
    var globals = PlainBuffer<CompactStep>(capacity: 1024)
    var devices = DeviceColumns()
    var drivers = DriverColumns()
    var modules = SymbolTable()
    var devpaths = SymbolTable()
    /// Comms and work function names steps quote.
    var texts = SymbolTable()
    var matchIDs = Interned<PCIMatchID>()
    var deviceIDs = Interned<PCIDeviceIDs>()
    /// By tid, in pages that follow the live tasks.
    var tasks = PagedTable(defaultValue: TaskSteps())
    var pciBus = StringFlagCache()
    /// Per devpath symbol: a udev worker taking the ADD event of the
    /// device's current lifetime, with a row (`udevAddStamp`) or, while the
    /// clocks are narrow enough, held as a value (`udevAddHeld`); at most one of the two.
    var udevAddStamp = PlainBuffer<CompactStamp?>(capacity: 64)
    var udevAddHeld = PlainBuffer<HeldStamp>(capacity: 64)
    var cookieDevice: [UInt64: Int32] = [:]
    var deviceOrder: [Int32] = []
    var otherBusDevices: Set<String> = []
    var moduleOfDriver: [String: String] = [:]
    var registeredDrivers: [Int32] = []
    var allAddIDs: [Int32] = []
    var removeIDs: [Int32] = []
    var barriers: [Int32] = []
    var retries: [Int32] = []
    var candidates = CandidateIndex()
    var staticCodes: [StaticKey: UInt8] = [:]
    /// Per registration (global handle): the ids last asked about and the answer.
    var lastStaticCode = PlainBuffer<(ids: Int32, code: UInt8)>()

    var lostEvents: UInt64 = 0
    var index = 0
    var nextStepID = 0
    var snapshots: [Snapshot] = []
    var givenFacts: (any MatchFacts)?
    /// The match facts, decided once (`decideFacts`): before that, empty ones.
    var matchFacts: any MatchFacts = TableMatchFacts()
    var baseContext = SimulationContext(devices: [:], facts: TableMatchFacts(), outcomes: ProbeOutcomes())
    var builtins: Set<String> = []
    var factWarnings: [String] = []
    var factsDecided = false
    /// Registrations that failed so far (a projection's cached part checks it).
    var registrationFailures = 0
    /// Ended lifetimes waiting for the match facts (no start snapshot yet).
    var waiting: [(device: Int32, lifetime: StreamLifetime)] = []
    var shapes = ShapeTable()
    var scratch = ProjectionScratch()
    var explorationMemo = ExplorationMemo()
    /// While the final cases are built: the events of global steps, named
    /// once a chunk of cases.
    var finalEventRefs = NamedGlobalEvents()
    /// Devices whose final cases are held at once (smaller in tests).
    var finalChunk = 1024
    /// The final analyses' threads and their caches (`LifetimeAnalysisPool`),
    /// kept once the results are out: letting go of their matches took
    /// about 8 ms at the very end of the 100M-event trace's final phase,
    /// on one thread with the other done. They go with the stage (which
    /// `bindrace` lets go of on a thread of its own).
    var finalPool: LifetimeAnalysisPool?
    /// Whether a device's add is held as a value while it is its lifetime's
    /// only step (`HeldAdd`), and a udev worker's take of its ADD event too
    /// (`HeldStamp`); off in tests, to compare.
    var holdsStamps = true
    public internal(set) var lifetimesJudged = 0
    /// Lifetimes whose projection's global part came from the device's cache.
    public internal(set) var projectionCacheHits = 0
    public internal(set) var lifetimeAnalyses = 0
    /// Lifetimes judged by their repeat key alone (`repeatKey`).
    public internal(set) var repeatHits = 0
    /// Devices' adds held as values (`HeldAdd`).
    public internal(set) var addsHeld = 0
    /// Udev workers' takes of ADD events held as values (`HeldStamp`).
    public internal(set) var udevStampsHeld = 0
    /// For tests: a lifetime judged by its repeat key is judged in full as
    /// well, and a different verdict counted in `repeatMismatches`; so is
    /// any lifetime whose repeat key an earlier one of the device had with
    /// another shape (`repeatShapesSeen`).
    var checksRepeats = false
    var repeatMismatches = 0
    /// For tests, with `checksRepeats`: churned lifetimes' keys written by
    /// `churnedKey`, and those that differed from `repeatKey`'s.
    var churnedKeys = 0
    var churnedKeyMismatches = 0
    var repeatShapesSeen: [[UInt64]: [UInt64]] = [:]

    struct StaticKey: Hashable {
        var driver: Int32
        var module: Int32
        var ids: Int32
    }


    /// `matchFacts`: the tables to match with; nil takes them from the
    /// trace's start snapshot, as `ReplayAnalyzer.analyzeTrace` does.
    public init(name: String, matchFacts: (any MatchFacts)? = nil) {
        self.name = name
        givenFacts = matchFacts
    }

    public var eventsConsumed: Int { index }
    /// Explorations run for lifetimes no earlier lifetime had the shape of.
    public var explorationsRun: Int { explorationMemo.misses }

    // MARK: input

    /// How far ahead of the record at hand the batch loop asks for the
    /// records' lines. The clock stage's thread read them last, on the
    /// other core: perf put a third of the loop's own samples on the load
    /// of each record's kind, waiting for its line. 4 KB ahead did no better.
    static let recordsAhead = 2048

    /// The events of a batch, in order, with the snapshots between them:
    /// the stamped records the clock stage listed, and the unstamped ones
    /// of the kinds this stage acts on (`actsOn`), found by their kind
    /// bytes; the rest only moved clocks and are not read further.
    public mutating func consume(_ batch: ClockedBatch) {
        for text in batch.newStrings { strings.append(text) }
        arena.widen(to: batch.width)
        let stride = batch.clockStride, lanes = stride / 8
        var snapshot = 0
        // The record before which the next snapshot lies.
        var snapshotAt = batch.snapshots.isEmpty ? Int.max : batch.snapshots[0].before
        var position = batch.firstIndex
        var stamped = 0
        var stampedAt = batch.acted.isEmpty ? Int.max : Int(batch.acted.base[0].record)
        var runStart = 0
        for run in 0..<batch.runs.count {
            let span = batch.runs[run]
            var address = span.base
            var i = 0
            while i < span.count {
                bindrace_prefetch_read_soon(address + Self.recordsAhead)
                let record = RecordView(address)
                let r = runStart &+ i
                address += span.stride
                i &+= 1
                if r >= snapshotAt {
                    snapshot = consumeSnapshots(batch, from: snapshot, before: r + 1)
                    snapshotAt = snapshot < batch.snapshots.count ? batch.snapshots[snapshot].before : Int.max
                }
                let entry = kinds.entry(record.kindByte)
                // A kind this version does not know takes no position.
                guard let kind = entry.kind else { continue }
                let at = position
                position &+= 1
                if r == stampedAt {
                    // Stamped: a device's add, a step, a udev worker taking an add (out of line).
                    index = at
                    let acted = batch.acted.base[stamped]
                    assert(acted.index == index, "the clock stage's position of a stamped event")
                    consumeStamped(record, kind: kind, clock: batch.clocks.base + Int(acted.stamp) &* stride, lanes: lanes,
                                   slot: acted.slot, location: span.location(of: i &- 1))
                    stamped &+= 1
                    stampedAt = stamped < batch.acted.count ? Int(batch.acted.base[stamped].record) : Int.max
                    continue
                }
                // The position is stored only for the records acted on (the others, about half, only count).
                if entry.actedOn {
                    index = at
                    consume(record, kind: kind, stamp: nil, location: span.location(of: i &- 1))
                }
            }
            runStart &+= span.count
        }
        _ = consumeSnapshots(batch, from: snapshot, before: .max)
        index = batch.eventsConsumed
    }

    /// The batch's snapshots from number `first` that lie before record
    /// `record`; returns the number of the next. Out of line: the batch
    /// loop is at the inliner's limit of blocks, past which it inlines
    /// nothing into it, and snapshots are rare.
    @inline(never)
    private mutating func consumeSnapshots(_ batch: ClockedBatch, from first: Int, before record: Int) -> Int {
        var snapshot = first
        while snapshot < batch.snapshots.count && batch.snapshots[snapshot].before < record {
            index = batch.snapshots[snapshot].index
            consume(snapshot: batch.snapshots[snapshot].snapshot)
            snapshot += 1
        }
        return snapshot
    }

    /// Kinds this stage acts on even when not stamped (probe results,
    /// bindings seen, a task moving on, module inits, async runs, removals,
    /// losses).
    @inline(__always)
    static func actsOn(_ kind: EventKind) -> Bool {
        switch kind {
        case .probeStart, .probeEnd, .bound, .unbound, .processExit, .moduleLoad, .moduleInitDone,
             .driverRegisterEnd, .asyncScheduled, .asyncRunStart, .deviceRemove, .lost:
            return true
        default:
            return false
        }
    }

    mutating func consume(snapshot: Snapshot) {
        snapshots.append(snapshot)
        if index == 0 && snapshot.phase == .start && snapshots.count == 1 { seedDevices(from: snapshot) }
        if snapshot.phase == .start && !factsDecided { decideFacts() }
    }

    // MARK: tasks

    @inline(__always)
    func taskSteps(_ tid: UInt32) -> TaskSteps { tasks[tid] }

    @inline(__always)
    mutating func setTaskSteps(_ tid: UInt32, _ value: TaskSteps) { tasks.set(tid, value) }

    // MARK: symbols

    /// The device named by string `id` (its text is read the first time only).
    @inline(__always)
    mutating func device(_ id: StringID) -> Int32 { devices.symbol(id, in: strings) }

    mutating func device(named name: String) -> Int32 { devices.symbol(named: name) }

    /// The driver named by string `id`.
    @inline(__always)
    mutating func driver(_ id: StringID) -> Int32 { drivers.symbol(id, in: strings) }

    mutating func driver(named name: String) -> Int32 { drivers.symbol(named: name) }

    /// A text symbol (comms, work functions) for string `id`.
    @inline(__always)
    mutating func text(_ id: StringID) -> Int32 { texts.symbol(id, in: strings) }

    @inline(__always)
    mutating func devpath(_ id: StringID) -> Int32 {
        let s = devpaths.cached(id)
        if s >= 0 { return s }
        let path = devpaths.remember(id, text: strings[id])
        ensureDevpath(path)
        return path
    }

    // MARK: stamps

    @inline(__always)
    mutating func precedesOrEquals(_ a: CompactStamp, _ b: CompactStamp) -> Bool { a.precedesOrEquals(b, in: arena) }

    @inline(__always)
    mutating func release(_ stamp: CompactStamp) { arena.release(stamp.row) }

    mutating func retain(_ stamp: CompactStamp) -> CompactStamp {
        _ = arena.retain(stamp.row)
        return stamp
    }

    /// The stamp as the rich analysis compares it.
    mutating func clockStamp(_ s: CompactStamp) -> ClockStamp {
        ClockStamp(slot: Int(s.slot), clock: VectorClock(entries: arena.entries(s.row)))
    }
}
