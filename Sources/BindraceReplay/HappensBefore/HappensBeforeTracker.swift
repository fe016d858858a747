import BindraceTrace

/// How task slots of the vector clocks are handed out (docs/performance.md).
public enum ClockPolicy: String, CaseIterable, Hashable, Sendable {
    /// The fast core: a task gets a slot only when one of its events is
    /// stamped (a step, or an event a step is compared with), only stamped
    /// events tick, and the slot of a dead task is reused by a later task
    /// that already knows the dead task's last stamped event. Exact: the same
    /// stamps compare the same way as with `plain`.
    case compact
    /// The reference: one slot per distinct task ever seen, every event
    /// ticks. Clock width grows with the number of tasks in the trace.
    case plain
}

/// Builds happens-before over a trace in one pass, with vector clocks.
///
/// Feed every event in trace order to `observe`; it returns the event's stamp.
/// Memory is held per live task and per pending hand-off (forks not yet
/// started, work queued and not run, async entries, uevents in flight), not
/// per event. Each rule lives in its own extension (Rule*.swift).
///
/// With `recordsEdges` the tracker also lists every cross-task edge it used,
/// so that the oracle can rebuild happens-before as an explicit graph and the
/// two can be compared.
public struct HappensBeforeTracker {
    /// A clock with the event that produced it.
    struct Source {
        var clock: VectorClock
        var index: Int
    }

    struct Task {
        /// -1: no slot yet (compact policy: nothing of the task was stamped).
        var slot: Int = -1
        var clock: VectorClock
        var lastIndex: Int = -1
        /// Joins owed to this task's next event (fork, helper return).
        var pending: [(Source, HBRule)] = []
        /// udev worker: the event it is handling (seqnum, devpath id).
        var udevEvent: (seqnum: UInt64, devpath: StringID)?
        /// Usermode-helper modprobe: the task that waits for it.
        var helperFor: UInt32?
    }

    var tasks = TaskTable()
    var nextSlot = 0
    /// compact: slots of dead tasks with their last count, for reuse.
    var freeSlots: [(slot: Int, count: UInt32)] = []
    var classifier = TaskClassifier()
    /// Joins owed to a task that has not appeared yet (fork child).
    var unbornPending: [UInt32: [(Source, HBRule)]] = [:]
    var exits: [UInt32: Source] = [:]
    var moduleRequests: [(source: Source, requester: UInt32, wait: Bool)] = []
    var asyncScheduled: [UInt64: Source] = [:]
    var asyncDone: [UInt64: Source] = [:]
    var workQueued: [UInt64: [Source]] = [:]
    var ueventsEmitted: [UInt64: Source] = [:]
    /// Finished udev events per devpath id: the latest few (seqnum, end).
    var udevFinished: [StringID: [(seqnum: UInt64, source: Source)]] = [:]
    /// Finished udev events per devpath id, all of them: the join of their
    /// ends, the highest seqnum, and (with `recordsEdges`) where each ended.
    var udevFinishedAll: [StringID: FinishedJoin] = [:]

    struct FinishedJoin {
        var maxSeqnum: UInt64 = 0
        var clock = VectorClock()
        var indices: [Int] = []
    }
    var udevIndex = UdevPathIndex()
    /// The task `observe` is working on (taken out of `tasks` meanwhile).
    var currentTid: UInt32?

    public let recordsEdges: Bool
    public let policy: ClockPolicy
    public internal(set) var edges: [HBEdge] = []
    /// Rules that fired at least once (explanations say which were available).
    public internal(set) var rulesSeen: Set<HBRule> = []
    /// Largest number of slots in use at once (compact) or ever (plain).
    public private(set) var peakSlots = 0

    public init(recordsEdges: Bool = false, policy: ClockPolicy = .compact) {
        self.recordsEdges = recordsEdges
        self.policy = policy
    }

    /// Number of task slots handed out so far (the clocks' width).
    public var slotCount: Int { nextSlot }

    /// Live tasks (tid → task state) held now.
    public var liveTasks: Int { tasks.count }

    /// Processes one event; `index` is its position in the trace. Every
    /// event is stamped.
    public mutating func observe(_ event: RawEvent, index: Int, strings: StringTable) -> ClockStamp {
        observe(event, index: index, strings: strings, stamp: true)!
    }

    /// Processes one event; returns its stamp only when `stamp` is true
    /// (compact policy: only stamped events tick their task's slot).
    public mutating func observe(_ event: RawEvent, index: Int, strings: StringTable, stamp wanted: Bool) -> ClockStamp? {
        let tid = event.tid
        var task = tasks.take(tid) ?? newTask(tid)
        currentTid = tid
        // Joins owed from earlier events (fork, helper return).
        if !task.pending.isEmpty {
            for (source, rule) in task.pending { join(&task, source, rule: rule, to: index) }
            task.pending.removeAll()
        }

        let kind = event.kind
        switch kind {
        case .processExec: ruleExec(event, task: &task, index: index, strings: strings)
        case .processWait: ruleWait(event, task: &task, index: index)
        case .asyncRunStart: ruleAsyncRun(event, task: &task, index: index)
        case .asyncSynchronize: ruleAsyncSynchronize(event, task: &task, index: index)
        case .workStart: ruleWorkStart(event, task: &task, index: index)
        case .uevent: ruleUeventReceive(event, task: &task, index: index, strings: strings)
        case .processExit: ruleUdevFinish(task: &task, strings: strings)
        default: break
        }

        // Program order: the task's own count.
        var stamp: ClockStamp?
        if policy == .plain || wanted {
            if task.slot < 0 { assignSlot(&task) }
            task.clock.tick(task.slot)
            if wanted { stamp = ClockStamp(slot: task.slot, clock: task.clock) }
        }
        task.lastIndex = index

        switch kind {
        case .processFork, .processExit, .moduleRequest, .asyncScheduled, .asyncRunEnd, .workQueued, .uevent:
            let source = Source(clock: task.clock, index: index)
            switch kind {
            case .processFork: ruleFork(event, source: source)
            case .processExit: ruleExit(event, task: &task, source: source)
            case .moduleRequest: ruleModuleRequest(event, source: source)
            case .asyncScheduled: asyncScheduled[event.a4] = source
            case .asyncRunEnd: asyncDone[event.a4] = source
            case .workQueued: workQueued[event.a4, default: []].append(source)
            case .uevent: ruleUeventEmit(event, task: task, source: source, strings: strings)
            default: break
            }
        default: break
        }
        currentTid = nil
        if kind == .processExit && event.pid == event.tid {
            // The task is gone; a later task with this tid is a new task.
            retire(task)
        } else {
            tasks.put(tid, task)
        }
        return stamp
    }

    mutating func newTask(_ tid: UInt32) -> Task {
        var task = Task(clock: VectorClock())
        if policy == .plain { assignSlot(&task) }
        if let owed = unbornPending.removeValue(forKey: tid) { task.pending = owed }
        rulesSeen.insert(.programOrder)
        return task
    }

    /// A slot for a task's first stamped event (plain: at its first event).
    /// compact reuses a dead task's slot when this task already knows that
    /// task's last stamped event: its count then continues from there, and
    /// any clock that knows one of the new owner's events knows all of the
    /// old owner's, so comparisons stay exact.
    mutating func assignSlot(_ task: inout Task) {
        if policy == .compact {
            var i = freeSlots.count - 1
            while i >= 0 {
                let free = freeSlots[i]
                if task.clock[free.slot] >= free.count {
                    freeSlots.swapAt(i, freeSlots.count - 1)
                    freeSlots.removeLast()
                    task.slot = free.slot
                    peakSlots = max(peakSlots, nextSlot - freeSlots.count)
                    return
                }
                i -= 1
            }
        }
        task.slot = nextSlot
        nextSlot += 1
        peakSlots = max(peakSlots, nextSlot - freeSlots.count)
    }

    /// A task that will never run again: its slot becomes reusable.
    mutating func retire(_ task: Task) {
        guard policy == .compact, task.slot >= 0 else { return }
        freeSlots.append((task.slot, task.clock[task.slot]))
    }

    /// Forgets the task with this tid (a fork reusing the tid).
    mutating func removeTask(_ tid: UInt32) {
        if tid == currentTid { return }  // the task being observed is stored back anyway
        if let task = tasks.take(tid) { retire(task) }
    }

    mutating func join(_ task: inout Task, _ source: Source, rule: HBRule, to index: Int) {
        task.clock.join(source.clock)
        rulesSeen.insert(rule)
        if recordsEdges { edges.append(HBEdge(from: source.index, to: index, rule: rule)) }
    }
}

/// Live tasks by tid: a flat table for the usual tid range, a dictionary
/// beyond it. `take` moves a task out so that its clock is uniquely
/// referenced while it is updated (no copy on write).
struct TaskTable {
    static let flatLimit: UInt32 = 1 << 22
    private var index: [Int32] = []
    private var far: [UInt32: Int32] = [:]
    private var store: [HappensBeforeTracker.Task] = []
    private var freeStore: [Int32] = []
    private(set) var count = 0

    private func position(_ tid: UInt32) -> Int32 {
        if tid < Self.flatLimit { return Int(tid) < index.count ? index[Int(tid)] : 0 }
        return far[tid] ?? 0
    }

    private mutating func setPosition(_ tid: UInt32, _ p: Int32) {
        if tid < Self.flatLimit {
            let i = Int(tid)
            if i >= index.count {
                index.append(contentsOf: repeatElement(0, count: max(i + 1, index.count * 2, 1024) - index.count))
            }
            index[i] = p
        } else if p == 0 {
            far[tid] = nil
        } else {
            far[tid] = p
        }
    }

    subscript(tid: UInt32) -> HappensBeforeTracker.Task? {
        let p = position(tid)
        return p == 0 ? nil : store[Int(p - 1)]
    }

    /// Removes and returns the task with this tid.
    mutating func take(_ tid: UInt32) -> HappensBeforeTracker.Task? {
        let p = position(tid)
        guard p != 0 else { return nil }
        setPosition(tid, 0)
        var task = HappensBeforeTracker.Task(clock: VectorClock())
        swap(&task, &store[Int(p - 1)])
        freeStore.append(p)
        count -= 1
        return task
    }

    mutating func put(_ tid: UInt32, _ task: HappensBeforeTracker.Task) {
        let p: Int32
        if let reused = freeStore.popLast() {
            p = reused
            store[Int(p - 1)] = task
        } else {
            store.append(task)
            p = Int32(store.count)
        }
        setPosition(tid, p)
        count += 1
    }

    /// Runs `body` on the stored task with this tid, in place.
    mutating func modify(_ tid: UInt32, _ body: (inout HappensBeforeTracker.Task) -> Void) {
        let p = position(tid)
        guard p != 0 else { return }
        body(&store[Int(p - 1)])
    }
}
