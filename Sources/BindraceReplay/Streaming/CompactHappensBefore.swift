import BindraceTrace

/// The happens-before core of the streaming replay: the rules of
/// `HappensBeforeTracker` with its compact policy (only stamped events tick,
/// slots of dead tasks are reused), over flat tables instead of per-task
/// clock arrays: tasks indexed by tid, clocks in one store (values, or rows of an arena),
/// hand-offs in bounded tables, udev relations precomputed per devpath, and
/// no text looked at once a string id has been classified. Stamps compare
/// exactly as the baseline's do (the tests check it), whichever store holds
/// the clocks (`ClockStore`).
struct CompactHappensBefore<Store: ClockStore> {
    typealias Clock = Store.Clock

    /// A stamped event: its task's slot, its count there, and the task's
    /// clock after it (a holder of it). `a` happens before (or is) `b` iff
    /// b's clock has seen a's count in a's slot.
    struct Stamp {
        var slot: Int32
        var count: UInt32
        var clock: Clock
    }

    struct Task {
        var slot: Int32 = -1
        var clock: Clock = Store.zero
        /// Head of the task's pending joins in `pending`.
        var pendingHead: Int32 = -1
        var udevDevpath: StringID = 0
        var udevSeqnum: UInt64 = 0
        /// Usermode-helper modprobe: the requester waiting for it.
        var helperFor: UInt32 = 0
        /// Has had an event (else it only exists because a fork named it).
        var born = false
        var inUdevEvent = false
        var isHelper = false
    }

    /// A join owed to a task's next event (fork, helper return).
    struct PendingJoin {
        var row: Clock
        var next: Int32
        var rule: UInt8
    }

    private(set) var store: Store
    private var tasks = PlainBuffer<Task>(capacity: 1024)
    private var freeTasks = PlainBuffer<Int32>()
    private var taskByTid = PagedTable<Int32>(defaultValue: -1)
    private var pending = PlainBuffer<PendingJoin>(capacity: 256)
    private var freePending = PlainBuffer<Int32>()
    /// Joins owed to a tid that forked itself (kept until a new task takes the tid).
    private var unbornPending: [UInt32: [Clock]] = [:]

    private var freeSlots: [(slot: Int32, count: UInt32)] = []
    private(set) var peakSlots = 0

    private var exits = PidRowMap<Clock>(limit: HandOffLimits.exits)
    private var requests: [(row: Clock, requester: UInt32, wait: Bool)] = []
    private var requestHead = 0
    private var asyncScheduled = BoundedRowMap<UInt64, Clock>(limit: HandOffLimits.keyed)
    private var asyncDone = BoundedRowMap<UInt64, Clock>(limit: HandOffLimits.keyed)
    private var workQueued: [UInt64: [Clock]] = [:]
    private var uevents = SeqnumRing<Clock>(empty: Store.zero)
    private var udevFinished = FinishedUdevEvents<Store>()
    private var udev = UdevRelations()
    /// Per comm string id: 0 unknown, 1 other, 2 kworker, 3 udev.
    private var commRole = PlainBuffer<UInt8>(capacity: 256)
    /// Per exec'd file string id: 0 unknown, 1 no, 2 modprobe.
    private var modprobeFile = PlainBuffer<UInt8>(capacity: 256)
    private var currentTid: UInt32 = 0
    private var observing = false
    /// The task `settledTask` found last, while still settled: only the
    /// general path (`observe`) changes whether a task is, or which task a
    /// tid names, and it forgets this first. The tid is past the paged range
    /// when none.
    private var lastSettled: (tid: UInt32, index: Int32) = (.max, -1)

    /// Rules that fired, one bit per `HBRule` case.
    private var rulesFired: UInt32 = 0
    var rulesSeen: Set<HBRule> { Set(HBRule.allCases.enumerated().filter { rulesFired & 1 << $0.offset != 0 }.map(\.element)) }

    init(store: Store) { self.store = store }

    var slotCount: Int { store.width }
    var liveTasks: Int { tasks.count - freeTasks.count }

    // MARK: tasks

    @inline(__always)
    private func taskIndex(_ tid: UInt32) -> Int32 { taskByTid[tid] }

    private mutating func setTaskIndex(_ tid: UInt32, _ index: Int32) { taskByTid.set(tid, index) }

    /// Whether `tid`'s task is settled: born, owed no joins (`settledTask`).
    @inline(__always)
    mutating func isSettled(_ tid: UInt32) -> Bool { settledTask(tid) != nil }

    /// The task of `tid` if it is born and owed no joins: the short paths
    /// take only such tasks' events (nil: the general path must run). A tid
    /// past the paged range takes the general path too: the table's lookup
    /// of those, inlined into the clock stage's loop, cost it about ten
    /// instructions an event in spilled registers.
    @inline(__always)
    private mutating func settledTask(_ tid: UInt32) -> Int? {
        guard tid < PagedTable<Int32>.keyLimit else { return nil }
        // Four events in five are by the task of the event before; the
        // table's lookup is a chain of dependent loads. (After the range
        // check: the empty entry's tid is past the range, and a foreign
        // trace's tid may be too.)
        if tid == lastSettled.tid { return Int(lastSettled.index) }
        let ti = taskByTid[tid]
        guard ti >= 0 else { return nil }
        let i = Int(ti)
        guard tasks.base[i].born, tasks.base[i].pendingHead < 0 else { return nil }
        lastSettled = (tid, ti)
        return i
    }

    /// A new task record for `tid` (replacing none).
    private mutating func newTask(_ tid: UInt32, _ task: Task) -> Int32 {
        let i: Int32
        if let reused = freeTasks.popLast() {
            i = reused
            tasks[Int(i)] = task
        } else {
            tasks.append(task)
            i = Int32(tasks.count - 1)
        }
        setTaskIndex(tid, i)
        return i
    }

    private mutating func drop(_ tid: UInt32, _ i: Int32) {
        tasks[Int(i)] = Task()
        freeTasks.append(i)
        setTaskIndex(tid, -1)
    }

    private mutating func addPending(_ task: inout Task, _ row: Clock, _ rule: HBRule) {
        let join = PendingJoin(row: row, next: task.pendingHead, rule: UInt8(rule.ordinal))
        if let p = freePending.popLast() {
            pending[Int(p)] = join
            task.pendingHead = p
        } else {
            pending.append(join)
            task.pendingHead = Int32(pending.count - 1)
        }
    }

    /// Gives up a task for good: its pending joins and clock, and its slot to the free list.
    private mutating func retire(_ task: Task) {
        var p = task.pendingHead
        while p >= 0 {
            let join = pending[Int(p)]
            store.release(join.row)
            freePending.append(p)
            p = join.next
        }
        if task.slot >= 0 { freeSlots.append((task.slot, store.entry(task.clock, task.slot))) }
        store.release(task.clock)
    }

    private mutating func assignSlot(_ t: Int) {
        let clock = tasks.base[t].clock
        var i = freeSlots.count - 1
        while i >= 0 {
            let free = freeSlots[i]
            if store.entry(clock, free.slot) >= free.count {
                freeSlots.swapAt(i, freeSlots.count - 1)
                freeSlots.removeLast()
                tasks.base[t].slot = free.slot
                peakSlots = max(peakSlots, store.width - freeSlots.count)
                return
            }
            i -= 1
        }
        tasks.base[t].slot = store.addSlot()
        peakSlots = max(peakSlots, store.width - freeSlots.count)
    }

    // MARK: events

    /// The common unstamped event, without the general path's bookkeeping:
    /// a born task owed no joins, and an event that moves no clock (most
    /// device events). False when another path must run; then nothing has
    /// changed. Uevents take `observeUevent` (false here).
    @inline(__always)
    mutating func observeQuietly(_ event: RecordView, kind: EventKind) -> Bool {
        kind != .uevent && settledTask(event.tid) != nil && !Self.generalOnly(kind)
    }

    /// A uevent by a settled task, the task and its comm's role looked at
    /// once: a send (its task's clock handed to the worker that will take
    /// it) inline, a udev worker's receipt out of line, stamped when it
    /// takes an ADD event. `.general` when another path must run, with
    /// nothing changed: a task not settled, a send from within the task's
    /// own udev event of that seqnum, a stamp that could need a slot past
    /// the store's limit (the caller's general path widens first). Through
    /// `observeQuietly` and then `observeBriefly`, as before, a receipt
    /// looked up its task and its comm's role twice, and paid the stamp
    /// rule's checks: 8.5% of the clock stage's instructions on the
    /// synthetic 10M trace.
    @inline(__always)
    mutating func observeUevent(_ event: RecordView, strings: StringTable) -> Brief {
        guard let i = settledTask(event.tid) else { return .general }
        if role(event.comm, strings) != 3 {
            guard !(tasks.base[i].inUdevEvent && tasks.base[i].udevSeqnum == event.a4) else { return .general }
            sendUevent(event.a4, task: i)
            return .done
        }
        return receiveUevent(event, task: i, strings: strings)
    }

    /// A udev worker's receipt by settled task `i`: stamped when it takes
    /// an ADD event (`ClockStage.needsStamp`'s rule, the worker's comm
    /// being a udev one).
    @inline(never)
    private mutating func receiveUevent(_ event: RecordView, task i: Int, strings: StringTable) -> Brief {
        let wanted = event.a1 == UeventAction.add.rawValue
        if wanted && mayNeedSlotPastLimit(event.tid) { return .general }
        ueventReceive(event, task: i, strings: strings)
        guard wanted else { return .done }
        _ = tick(task: i)
        return .stamped(task: i)
    }

    /// The kinds `observe`'s two switches act on besides uevents: only the
    /// general path handles them.
    @inline(__always)
    static func generalOnly(_ kind: EventKind) -> Bool {
        switch kind {
        case .processFork, .processExec, .processExit, .processWait, .moduleRequest,
             .asyncScheduled, .asyncRunStart, .asyncRunEnd, .asyncSynchronize, .workQueued, .workStart:
            return true
        default:
            return false
        }
    }

    /// The process events `observeBriefly` takes from a settled task as
    /// the general path would: a fork, a wait, an exit. A boot's every
    /// helper, script and modprobe is a fork, an exec, an exit and a wait;
    /// on the general path each cost its bookkeeping again (about 160
    /// instructions before its own work). An exec stays on the general
    /// path: the task exec'ing is the child, which owes its fork's join.
    @inline(__always)
    static func briefProcess(_ kind: EventKind) -> Bool {
        kind == .processFork || kind == .processWait || kind == .processExit
    }

    /// What `observeBriefly` did with an event.
    enum Brief {
        /// Not one of its events: `observe` must run (nothing has changed).
        case general
        case done
        /// Done and stamped: the task's clock is the stamp's until the
        /// task's next event (`stampSlot(ofTask:)`, `copyClock(ofTask:into:)`).
        /// Not a `Stamp`: its 64-byte clock was copied three times on its
        /// way to the batch, where one copy from the task serves.
        case stamped(task: Int)
    }

    /// The next most common events, by a born task owed no joins, without
    /// the general path's bookkeeping: a step (a device event that ticks),
    /// a fork, a wait, an exit (uevents take `observeUevent`, `.general`
    /// here). Out of line, as `observe` is:
    /// inlined into the clock stage's loop, it cost the quiet events more
    /// in spilled registers than it saved these.
    @inline(never)
    mutating func observeBriefly(_ event: RecordView, kind: EventKind, wanted: Bool, strings: StringTable) -> Brief {
        guard let i = settledTask(event.tid) else { return .general }
        switch kind {
        case .uevent:
            // Taken by `observeUevent`, before.
            return .general
        case .processFork:
            let child = event.a1 != 0 ? event.a1 : event.a0
            // A task forking its own tid: the general path keeps the join for its next task.
            guard child != event.tid else { return .general }
            // The task found last is the parent's (`settledTask`), whatever
            // becomes of the child's tid.
            fork(child: child, row: store.retain(tasks.base[i].clock))
            return .done
        case .processWait:
            waited(i, event)
            return .done
        case .processExit:
            // As the general path: a helper's requester is another task.
            currentTid = event.tid
            udevFinish(i, strings: strings)
            exited(i, event)
            // A leader's task is gone.
            if event.pid == event.tid { lastSettled = (.max, -1) }
            return .done
        default:
            if Self.generalOnly(kind) { return .general }
        }
        guard wanted else { return .done }
        _ = tick(task: i)
        return .stamped(task: i)
    }

    /// A tick of task `i`'s clock: the slot and the count of that event.
    @inline(__always)
    private mutating func tick(task i: Int) -> (slot: Int32, count: UInt32) {
        if tasks.base[i].slot < 0 { assignSlot(i) }
        let slot = tasks.base[i].slot
        return (slot, store.tick(&tasks.base[i].clock, slot: slot))
    }

    /// A tick of task `i`'s clock, and the stamp of that event.
    @inline(__always)
    private mutating func stamp(task i: Int) -> Stamp {
        let (slot, count) = tick(task: i)
        return Stamp(slot: slot, count: count, clock: store.retain(tasks.base[i].clock))
    }

    /// The slot of a task `observeBriefly` stamped.
    @inline(__always)
    func stampSlot(ofTask i: Int) -> Int32 { tasks.base[i].slot }

    /// Appends the clock of a task `observeBriefly` stamped (its stamp's
    /// clock, as the task has had no event since) to `out` in whole
    /// vectors (room reserved).
    @inline(__always)
    func copyClock(ofTask i: Int, into out: inout PlainBuffer<UInt32>) { store.copyVectors(tasks.base[i].clock, into: &out) }

    /// The stamp of a task `observeBriefly` stamped, as `observe` returns one (a clock the caller holds).
    mutating func heldStamp(ofTask i: Int) -> Stamp {
        let slot = tasks.base[i].slot
        return Stamp(slot: slot, count: store.entry(tasks.base[i].clock, slot), clock: store.retain(tasks.base[i].clock))
    }

    /// Processes one event (its kind known); returns its stamp (a clock the
    /// caller holds) when `wanted`.
    mutating func observe(_ event: RecordView, kind: EventKind, wanted: Bool, strings: StringTable) -> Stamp? {
        let tid = event.tid
        lastSettled = (.max, -1)
        var ti = taskIndex(tid)
        if ti < 0 {
            var fresh = Task()
            if !unbornPending.isEmpty, let owed = unbornPending.removeValue(forKey: tid) {
                for row in owed { addPending(&fresh, row, .fork) }
            }
            ti = newTask(tid, fresh)
        }
        let i = Int(ti)
        if !tasks.base[i].born {
            tasks.base[i].born = true
            rulesFired |= 1 << UInt32(HBRule.programOrder.ordinal)
        }
        currentTid = tid
        observing = true
        // Joins owed from earlier events (fork, helper return).
        var p = tasks.base[i].pendingHead
        if p >= 0 {
            while p >= 0 {
                let owed = pending.base[Int(p)]
                store.join(&tasks.base[i].clock, owed.row)
                rulesFired |= 1 << UInt32(owed.rule)
                store.release(owed.row)
                freePending.append(p)
                p = owed.next
            }
            tasks.base[i].pendingHead = -1
        }

        switch kind {
        case .uevent:
            if role(event.comm, strings) == 3 { ueventReceive(event, task: i, strings: strings) }
        case .processExec:
            rulesFired |= 1 << UInt32(HBRule.exec.ordinal)
            if requestHead < requests.count { helperExec(event, task: i, strings: strings) }
        case .processWait:
            waited(i, event)
        case .asyncRunStart:
            if let row = asyncScheduled.remove(event.a4) {
                join(i, row, .asyncRun)
                store.release(row)
            }
        case .asyncSynchronize:
            let limit = event.a4
            // Entries stay: every later synchronize waits for them too.
            for (cookie, row) in asyncDone.rows where limit == 0 || cookie < limit { join(i, row, .asyncSynchronize) }
        case .workStart:
            if !workQueued.isEmpty, let queued = workQueued.removeValue(forKey: event.a4) {
                for row in queued {
                    join(i, row, .workqueue)
                    store.release(row)
                }
            }
        case .processExit:
            udevFinish(i, strings: strings)
        default:
            break
        }

        let stamp = wanted ? stamp(task: i) : nil

        switch kind {
        case .uevent:
            // A worker's receipt is not a new uevent.
            if !(tasks.base[i].inUdevEvent && tasks.base[i].udevSeqnum == event.a4) {
                sendUevent(event.a4, task: i)
            }
        case .processFork:
            let child = event.a1 != 0 ? event.a1 : event.a0
            fork(child: child, row: store.retain(tasks.base[i].clock))
        case .processExit:
            exited(i, event)
            observing = false
            return stamp
        case .moduleRequest:
            requests.append((store.retain(tasks.base[i].clock), tid, event.flags & RawFlags.wait != 0))
        case .asyncScheduled:
            for r in asyncScheduled.insert(event.a4, store.retain(tasks.base[i].clock)) { store.release(r) }
        case .asyncRunEnd:
            for r in asyncDone.insert(event.a4, store.retain(tasks.base[i].clock)) { store.release(r) }
        case .workQueued:
            if workQueued.count < HandOffLimits.keyed || workQueued[event.a4] != nil {
                workQueued[event.a4, default: []].append(store.retain(tasks.base[i].clock))
            }
        default:
            break
        }
        observing = false
        return stamp
    }

    /// Task `i` reaped a child: it follows the child's exit (its group's, joined).
    @inline(__always)
    private mutating func waited(_ i: Int, _ event: RecordView) {
        guard let row = exits.remove(event.a0) else { return }
        join(i, row, .exitWait)
        store.release(row)
    }

    /// Task `i`'s exit (after its udev event finished): its clock waits
    /// for a `wait` (a thread group's exits joined until one reaps it), a
    /// usermode helper's requester is owed its return, and the task is gone
    /// if it was the group's leader (a later task with its tid is a new one).
    private mutating func exited(_ i: Int, _ event: RecordView) {
        var row = store.retain(tasks.base[i].clock)
        if let known = exits.remove(event.pid) {
            var joined = known
            store.join(&joined, row)
            store.release(row)
            row = joined
        }
        let dropped = exits.insert(event.pid, row)
        if let r = dropped.first { store.release(r) }
        if let r = dropped.second { store.release(r) }
        guard event.pid == event.tid else { return }
        if tasks.base[i].isHelper { helperExit(tasks.base[i]) }
        retire(tasks.base[i])
        drop(event.tid, Int32(i))
    }

    @inline(__always)
    private mutating func join(_ i: Int, _ row: Clock, _ rule: HBRule) {
        store.join(&tasks.base[i].clock, row)
        rulesFired |= 1 << UInt32(rule.ordinal)
    }

    /// The comm's role: 1 other, 2 kworker, 3 udev (`TaskClassifier.Role`'s raw values).
    @inline(__always)
    private mutating func role(_ comm: StringID, _ strings: StringTable) -> UInt8 {
        let c = Int(comm)
        if c < commRole.count, commRole.base[c] != 0 { return commRole.base[c] }
        if c >= commRole.count { commRole.extend(to: max(c + 1, commRole.count * 2), with: 0) }
        let r = TaskClassifier.role(ofComm: strings[comm]).rawValue
        commRole.base[c] = r
        return r
    }

    private mutating func isModprobe(_ file: StringID, _ strings: StringTable) -> Bool {
        let f = Int(file)
        if f < modprobeFile.count, modprobeFile.base[f] != 0 { return modprobeFile.base[f] == 2 }
        if f >= modprobeFile.count { modprobeFile.extend(to: max(f + 1, modprobeFile.count * 2), with: 0) }
        let yes = TaskClassifier.isModprobe(file: strings[file])
        modprobeFile.base[f] = yes ? 2 : 1
        return yes
    }

    // MARK: rules

    /// fork/clone: the child's first event follows the parent's fork. A
    /// child tid seen before is a reused tid: a new task.
    private mutating func fork(child: UInt32, row: Clock) {
        if child == currentTid && observing {
            unbornPending[child, default: []].append(row)
            return
        }
        let i = taskIndex(child)
        var task = Task()
        if i >= 0 {
            let old = tasks[Int(i)]
            if old.born { retire(old) } else { task = old }
        } else if !unbornPending.isEmpty, let owed = unbornPending.removeValue(forKey: child) {
            for r in owed { addPending(&task, r, .fork) }
        }
        addPending(&task, row, .fork)
        if i >= 0 { tasks[Int(i)] = task } else { _ = newTask(child, task) }
    }

    /// A kworker's child exec'ing modprobe serves the oldest module request.
    private mutating func helperExec(_ event: RecordView, task i: Int, strings: StringTable) {
        guard role(event.comm, strings) == 2, isModprobe(event.a0, strings) else { return }
        let request = requests[requestHead]
        requestHead += 1
        if requestHead > 1024 && requestHead * 2 > requests.count {
            requests.removeFirst(requestHead)
            requestHead = 0
        }
        join(i, request.row, .moduleRequest)
        store.release(request.row)
        if request.wait {
            tasks.base[i].helperFor = request.requester
            tasks.base[i].isHelper = true
        }
    }

    /// The waiting requester's next event follows the helper's exit.
    private mutating func helperExit(_ task: Task) {
        let requester = task.helperFor
        guard requester != currentTid else { return }
        let i = taskIndex(requester)
        guard i >= 0, tasks[Int(i)].born else { return }
        var r = tasks[Int(i)]
        addPending(&r, store.retain(task.clock), .moduleRequestReturn)
        tasks[Int(i)] = r
    }

    /// A udev worker takes a uevent (its comm is a udev one).
    @inline(__always)
    private mutating func ueventReceive(_ event: RecordView, task i: Int, strings: StringTable) {
        udevFinish(i, strings: strings)
        let seqnum = event.a4
        if let sent = uevents.remove(seqnum) {
            join(i, sent, .udevDelivery)
            store.release(sent)
        }
        let devpath = event.a0
        for k in 0..<udev.finishedRelatedCount(to: devpath, strings: strings) {
            let d = Int(udev.finishedRelated(to: devpath, k))
            if let all = udevFinished.joinedBefore(d, seqnum) {
                join(i, all, .udevSerialization)
                continue
            }
            for k in 0..<udevFinished.count(d) where udevFinished.seqnum(d, k) < seqnum {
                join(i, udevFinished.clock(d, k), .udevSerialization)
            }
        }
        tasks.base[i].udevSeqnum = seqnum
        tasks.base[i].udevDevpath = event.a0
        tasks.base[i].inUdevEvent = true
    }

    /// A uevent in flight until a worker takes it. A shared row a later send
    /// will drop is asked for now: the ring held it for tens of thousands of
    /// uevents, and once dropped it is the next row allocated.
    @inline(__always)
    private mutating func sendUevent(_ seqnum: UInt64, task i: Int) {
        if Store.sharesRows, let upcoming = uevents.upcomingDrop(after: seqnum, ahead: 8) { store.prefetch(upcoming) }
        if let dropped = uevents.insert(seqnum, store.retain(tasks.base[i].clock)) { store.release(dropped) }
    }

    /// Ends the udev event the worker was handling, if any.
    @inline(__always)
    private mutating func udevFinish(_ i: Int, strings: StringTable) {
        guard tasks.base[i].inUdevEvent else { return }
        tasks.base[i].inUdevEvent = false
        let devpath = tasks.base[i].udevDevpath
        let clock = tasks.base[i].clock
        if udevFinished.finish(Int(devpath), tasks.base[i].udevSeqnum, held: store.retain(clock), clock, store: &store) {
            udev.noteFinished(devpath, strings: strings)
        }
        udevFinished.trim(store: &store)
    }

    // MARK: stamps

    /// Gives back a stamp's clock.
    mutating func release(_ stamp: Stamp) { store.release(stamp.clock) }

    /// Whether stamp `a` happens before (or is) stamp `b`.
    func precedesOrEquals(_ a: Stamp, _ b: Stamp) -> Bool { store.entry(b.clock, a.slot) >= a.count }

    // MARK: widening

    /// Whether a stamp of the next event of `tid` could need a slot past
    /// what the store holds: its slots all handed out, the task without
    /// one, and no free one it could take now (its clock only grows within
    /// the event, so one it could take now it can then). Then the clocks
    /// move to a store without that bound first.
    @inline(__always)
    func mayNeedSlotPastLimit(_ tid: UInt32) -> Bool {
        guard let limit = Store.slotLimit, store.width >= limit else { return false }
        let ti = taskIndex(tid)
        guard ti >= 0 else { return true }
        let task = tasks.base[Int(ti)]
        guard task.slot < 0 else { return false }
        return !freeSlots.contains { store.entry(task.clock, $0.slot) >= $0.count }
    }

    /// The same state with every clock held moved to `store` (as wide as
    /// this one's already); `convert` makes one of its clocks (held once)
    /// from one of these.
    func moved<Other: ClockStore>(to store: Other, _ convert: (inout Other, Clock) -> Other.Clock) -> CompactHappensBefore<Other> {
        var target = store
        func move(_ clock: Clock) -> Other.Clock { clock == Store.zero ? Other.zero : convert(&target, clock) }
        var out = CompactHappensBefore<Other>(store: store)
        for i in 0..<tasks.count {
            let t = tasks.base[i]
            out.tasks.append(.init(slot: t.slot, clock: move(t.clock), pendingHead: t.pendingHead, udevDevpath: t.udevDevpath,
                                   udevSeqnum: t.udevSeqnum, helperFor: t.helperFor, born: t.born, inUdevEvent: t.inUdevEvent,
                                   isHelper: t.isHelper))
        }
        var freePendingSet = Set<Int32>()
        for k in 0..<freePending.count { freePendingSet.insert(freePending.base[k]) }
        for p in 0..<pending.count {
            let join = pending.base[p]
            // A free entry's clock was given back already.
            let row = freePendingSet.contains(Int32(p)) ? Other.zero : move(join.row)
            out.pending.append(.init(row: row, next: join.next, rule: join.rule))
        }
        out.freeTasks = freeTasks
        out.taskByTid = taskByTid
        out.freePending = freePending
        out.unbornPending = unbornPending.mapValues { $0.map(move) }
        out.freeSlots = freeSlots
        out.peakSlots = peakSlots
        out.exits = exits.mapped(empty: Other.zero, move)
        out.requests = requests[requestHead...].map { (row: move($0.row), requester: $0.requester, wait: $0.wait) }
        out.asyncScheduled = asyncScheduled.mapped(move)
        out.asyncDone = asyncDone.mapped(move)
        out.workQueued = workQueued.mapValues { $0.map(move) }
        out.uevents = uevents.mapped(empty: Other.zero, move)
        out.udevFinished = udevFinished.mapped(move)
        out.udev = udev
        out.commRole = commRole
        out.modprobeFile = modprobeFile
        out.currentTid = currentTid
        out.observing = observing
        out.rulesFired = rulesFired
        out.store = target
        return out
    }
}
