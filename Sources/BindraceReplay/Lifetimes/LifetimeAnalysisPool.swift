import Dispatch
import Synchronization

/// Full analyses of cases handed in while they are still being built: one
/// thread (the builder, which alone may touch what the cases come from)
/// adds them in parts and helps whenever too many wait, the other workers
/// take them as they come. Before, the builder built a part while the
/// other thread waited, then both analysed it: on the 100M-event trace the
/// second thread was busy less than half of the final phase.
///
/// Results come back in the order the cases were added (or in the places
/// given with them), whichever thread
/// analysed them: each case's analysis depends only on the case and on
/// caches that give the same answers on every thread.
///
/// The lock is held only to move indices and whole parts (a part's cases
/// are copied and let go outside it): held while cases and results were
/// copied, it was contended often enough to cost a few percent of the
/// phase in the kernel's priority-inheritance futex path.
final class LifetimeAnalysisPool: @unchecked Sendable {
    private struct Part {
        /// Position of the part's first case among all added.
        var base: Int
        var cases: [LifetimeCase]
        /// Each case's place among the results, when given (`add(_:at:)`).
        var positions: [Int]?

        func position(_ i: Int) -> Int { positions?[i] ?? base + i }
    }

    private struct State {
        /// Parts not yet wholly taken; `taken` cases of the first are.
        var parts: [Part] = []
        var taken = 0
        /// Cases added and not yet taken, and their steps.
        var waiting = 0
        var waitingSteps = 0
        var added = 0
        var building = true
        /// Helpers started and not yet gone; negative once `finish` has counted them.
        var busyHelpers = 0
        /// Helpers waiting for cases (each owed one signal).
        var waitingHelpers = 0
        /// Parts helpers are done with, for the builder to let go of.
        var spent: [Part] = []
    }

    /// What crosses the lock: parts whose cases only the taker reads, and
    /// the builder keeps no reference into. A taker's copy of the part
    /// keeps its cases alive until the taker is done, outside the lock.
    private struct Handed: @unchecked Sendable {
        var part: Part?
        var range: Range<Int> = 0..<0
    }

    private let state = Mutex(State())
    private let arrivals = DispatchSemaphore(value: 0)
    private let helpersGone = DispatchSemaphore(value: 0)
    private let environment: LifetimeEnvironment
    private let workers: [LifetimeAnalysis.Worker]
    /// Each worker's results, with their positions.
    private final class Results {
        var list: [(Int, DeviceResult)] = []
    }

    /// One per worker, written by its thread only and read once every
    /// helper is gone (`helpersGone` orders them).
    private let results: [Results]
    /// Cases one take hands over: a case takes tens of microseconds, a take a lock.
    private let takeSize: Int
    /// The builder helps while more than this many cases wait (0: it
    /// analyses every case it adds, as it must with no helper), or while
    /// the cases waiting hold more than `backlogStepLimit` steps (a case of
    /// a device present all along holds tens of thousands: the count of
    /// cases alone does not bound their memory).
    let backlogLimit: Int
    let backlogStepLimit: Int

    /// `workers[0]` serves the builder, the others one helper thread each.
    init(environment: LifetimeEnvironment, workers: [LifetimeAnalysis.Worker], backlogLimit: Int, backlogStepLimit: Int = .max,
         takeSize: Int = 8) {
        precondition(!workers.isEmpty)
        self.environment = environment
        self.workers = workers
        self.backlogLimit = max(0, backlogLimit)
        self.backlogStepLimit = max(0, backlogStepLimit)
        self.takeSize = max(1, takeSize)
        results = workers.map { _ in Results() }
    }

    /// Starts the helpers. One that starts only after `finish` finds nothing to do.
    func start() {
        for w in workers.indices.dropFirst() {
            DispatchQueue.global().async { self.help(worker: w) }
        }
    }

    /// Cases to analyse, their results placed after those added before, or
    /// at `positions` (one per case; across all that are added, the
    /// positions must be `0..<count` once each).
    func add(_ cases: [LifetimeCase], at positions: [Int]? = nil) {
        guard !cases.isEmpty else { return }
        precondition(positions.map { $0.count == cases.count } ?? true)
        let handed = Handed(part: Part(base: 0, cases: cases, positions: positions))
        let added = cases.reduce(0) { $0 + $1.projection.steps.count }
        let (wake, spent) = state.withLock { s -> (Int, SpentParts) in
            var part = handed.part!
            part.base = s.added
            s.added += part.cases.count
            s.waiting += part.cases.count
            s.waitingSteps += added
            s.parts.append(part)
            let n = s.waitingHelpers
            s.waitingHelpers = 0
            var spent = SpentParts()
            swap(&spent.parts, &s.spent)
            return (n, spent)
        }
        for _ in 0..<wake { arrivals.signal() }
        // Let go of here, outside the lock: see `SpentParts`.
        _ = consume spent
    }

    /// Cases a helper has analysed, let go of by the builder, which
    /// allocated them. Freed by the helper, their memory went back to the
    /// builder's malloc arena under its lock while the builder allocated
    /// the next cases from it: in a profile of the 100M-event trace's final
    /// phase the builder, which bounds it, spent about 8% of its time waking
    /// the helper from that lock.
    private struct SpentParts: @unchecked Sendable {
        var parts: [Part] = []
    }

    /// Parts helpers have handed back that the builder has not let go of yet (for tests).
    var spentParts: Int { state.withLock { $0.spent.count } }

    /// Cases added and not yet taken, and their steps.
    var backlog: Int { state.withLock { $0.waiting } }
    var backlogSteps: Int { state.withLock { $0.waitingSteps } }

    /// The builder analyses cases while more than `backlogLimit` wait, or
    /// more than `backlogStepLimit` steps in them.
    func helpWhileBacklogged() {
        while analyzeTaken(ifMoreThan: backlogLimit, orSteps: backlogStepLimit, worker: 0) {}
    }

    /// Every case analysed (the builder takes what is left), in the order added.
    func finish() -> [DeviceResult] {
        let wake = state.withLock { s -> Int in
            s.building = false
            let n = s.waitingHelpers
            s.waitingHelpers = 0
            return n
        }
        for _ in 0..<wake { arrivals.signal() }
        while analyzeTaken(ifMoreThan: 0, worker: 0) {}
        // Only helpers that took part are waited for.
        let (busy, added) = state.withLock { s -> (Int, Int) in
            let n = s.busyHelpers
            s.busyHelpers = -workers.count
            return (n, s.added)
        }
        for _ in 0..<busy { helpersGone.wait() }
        // Results moved, not copied: copying tens of thousands of them (each
        // a few strings and arrays) retained and released every part, on
        // this thread alone while the others were done.
        var slots = [DeviceResult?](repeating: nil, count: added)
        for worker in results {
            while let (i, r) = worker.list.popLast() { slots[i] = consume r }
        }
        return Array(unsafeUninitializedCapacity: added) { buffer, initialized in
            for i in 0..<added { (buffer.baseAddress! + i).initialize(to: slots[i].take()!) }
            initialized = added
        }
    }

    /// A helper's loop on worker `w` until the pool is finished (`start`
    /// runs one per helper; tests may run it on a thread of their own).
    func help(worker w: Int) {
        let started = state.withLock { s -> Bool in
            // `finish` has counted the helpers already: too late to join.
            guard s.busyHelpers >= 0 else { return false }
            s.busyHelpers += 1
            return true
        }
        guard started else { return }
        while true {
            if analyzeTaken(ifMoreThan: 0, worker: w) { continue }
            // Looked at again under the lock: a case may have come meanwhile.
            let (retry, wait) = state.withLock { s -> (Bool, Bool) in
                if s.waiting > 0 { return (true, false) }
                guard s.building else { return (false, false) }
                s.waitingHelpers += 1
                return (true, true)
            }
            guard retry else { break }
            if wait { arrivals.wait() }
        }
        helpersGone.signal()
    }

    /// Takes up to `takeSize` cases, if more than `limit` wait (or more
    /// than `stepLimit` steps in them), and analyses them on worker `w`'s
    /// caches; false when none were taken.
    private func analyzeTaken(ifMoreThan limit: Int, orSteps stepLimit: Int = .max, worker w: Int) -> Bool {
        let handed = state.withLock { s -> Handed in
            guard s.waiting > limit || s.waitingSteps > stepLimit, let first = s.parts.first else { return Handed() }
            let end = min(s.taken + takeSize, first.cases.count)
            let handed = Handed(part: first, range: s.taken..<end)
            s.waiting -= end - s.taken
            for i in s.taken..<end { s.waitingSteps -= first.cases[i].projection.steps.count }
            if end == first.cases.count {
                s.parts.removeFirst()
                s.taken = 0
            } else {
                s.taken = end
            }
            return handed
        }
        guard let part = handed.part else { return false }
        let worker = workers[w]
        var env = environment
        env.memo = worker.memo
        for i in handed.range {
            var c = part.cases[i]
            c.context = worker.context.lifetime(of: c.device, info: c.info, outcomes: c.context.outcomes)
            results[w].list.append((part.position(i), LifetimeAnalysis.analyze(c, environment: env, detail: .full)))
        }
        // A helper hands the part back for the builder to let go of, with
        // its own references, so that the builder's is the last.
        if w != 0 {
            _ = consume part
            let spent = consume handed
            state.withLock { $0.spent.append(spent.part!) }
        }
        return true
    }
}
