import BindraceTrace

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
        var slot: Int
        var clock: VectorClock
        var lastIndex: Int = -1
        /// Joins owed to this task's next event (fork, helper return).
        var pending: [(Source, HBRule)] = []
        /// udev worker: the event it is handling (seqnum, devpath id).
        var udevEvent: (seqnum: UInt64, devpath: StringID)?
        /// Usermode-helper modprobe: the task that waits for it.
        var helperFor: UInt32?
    }

    var tasks: [UInt32: Task] = [:]
    var nextSlot = 0
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
    var devpathText: [StringID: String] = [:]

    public let recordsEdges: Bool
    public internal(set) var edges: [HBEdge] = []
    /// Rules that fired at least once (explanations say which were available).
    public internal(set) var rulesSeen: Set<HBRule> = []

    public init(recordsEdges: Bool = false) {
        self.recordsEdges = recordsEdges
    }

    /// Number of task slots handed out so far.
    public var slotCount: Int { nextSlot }

    /// Processes one event; `index` is its position in the trace.
    public mutating func observe(_ event: RawEvent, index: Int, strings: StringTable) -> ClockStamp {
        let tid = event.tid
        var task = tasks[tid] ?? newTask(tid)
        // Joins owed from earlier events (fork, helper return).
        for (source, rule) in task.pending { join(&task, source, rule: rule, to: index) }
        task.pending.removeAll()

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
        task.clock.tick(task.slot)
        task.lastIndex = index
        let stamp = ClockStamp(slot: task.slot, clock: task.clock)
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
        if kind == .processExit && event.pid == event.tid {
            // The task is gone; a later task with this tid is a new task.
            tasks[tid] = nil
        } else {
            tasks[tid] = task
        }
        return stamp
    }

    mutating func newTask(_ tid: UInt32) -> Task {
        var task = Task(slot: nextSlot, clock: VectorClock())
        nextSlot += 1
        if let owed = unbornPending.removeValue(forKey: tid) { task.pending = owed }
        rulesSeen.insert(.programOrder)
        return task
    }

    mutating func join(_ task: inout Task, _ source: Source, rule: HBRule, to index: Int) {
        task.clock.join(source.clock)
        rulesSeen.insert(rule)
        if recordsEdges { edges.append(HBEdge(from: source.index, to: index, rule: rule)) }
    }
}
