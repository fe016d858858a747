import Dispatch
import Synchronization

/// Full analyses of cases handed in while they are still being built: one
/// thread (the builder, which alone may touch what the cases come from)
/// adds them in parts and helps whenever too many wait, the other workers
/// take them as they come. Before, the builder built a part while the
/// other thread waited, then both analysed it: on the 100M-event trace the
/// second thread was busy less than half of the final phase.
///
/// Results come back in the order the cases were added, whichever thread
/// analysed them: each case's analysis depends only on the case and on
/// caches that give the same answers on every thread.
final class LifetimeAnalysisPool: @unchecked Sendable {
    private struct State {
        /// Cases added and not yet taken: `cases[head...]`, the first of
        /// them the `base + head`th added. Taken ones are let go in bulk.
        var cases: [LifetimeCase] = []
        var head = 0
        var base = 0
        var added: Int { base + cases.count }
        var waiting: Int { cases.count - head }
        var building = true
        /// Helpers started and not yet gone.
        var busyHelpers = 0
        /// Helpers waiting for cases (each owed one signal).
        var waitingHelpers = 0
        var results: [(Int, DeviceResult)] = []
    }

    /// Cases crossing to the pool's lock: the builder keeps no reference
    /// into them, and only the thread that takes a case reads it.
    private struct Handed: @unchecked Sendable { let cases: [LifetimeCase] }

    private let state = Mutex(State())
    private let arrivals = DispatchSemaphore(value: 0)
    private let helpersGone = DispatchSemaphore(value: 0)
    private let environment: LifetimeEnvironment
    private let workers: [LifetimeAnalysis.Worker]
    /// Cases one take hands over: a case takes tens of microseconds, a take a lock.
    private let takeSize: Int
    /// The builder helps while more than this many cases wait.
    let backlogLimit: Int

    /// `workers[0]` serves the builder, the others one helper thread each.
    init(environment: LifetimeEnvironment, workers: [LifetimeAnalysis.Worker], backlogLimit: Int, takeSize: Int = 4) {
        precondition(!workers.isEmpty)
        self.environment = environment
        self.workers = workers
        self.backlogLimit = max(1, backlogLimit)
        self.takeSize = max(1, takeSize)
    }

    /// Starts the helpers. One that starts only after `finish` finds nothing to do.
    func start() {
        for w in workers.indices.dropFirst() {
            DispatchQueue.global().async { self.help(worker: w) }
        }
    }

    /// Cases to analyse, in order after those added before.
    func add(_ cases: [LifetimeCase]) {
        let handed = Handed(cases: cases)
        let wake = state.withLock { s -> Int in
            s.cases += handed.cases
            let n = s.waitingHelpers
            s.waitingHelpers = 0
            return n
        }
        for _ in 0..<wake { arrivals.signal() }
    }

    /// Cases added and not yet taken.
    var backlog: Int { state.withLock { $0.waiting } }

    /// The builder analyses cases while more than `backlogLimit` wait.
    func helpWhileBacklogged() {
        var mine: [(Int, DeviceResult)] = []
        while let taken = take(ifMoreThan: backlogLimit) { analyze(taken, worker: 0, into: &mine) }
        keep(mine)
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
        var mine: [(Int, DeviceResult)] = []
        while let taken = take(ifMoreThan: 0) { analyze(taken, worker: 0, into: &mine) }
        keep(mine)
        // Only helpers that took cases are waited for.
        let busy = state.withLock { s -> Int in
            let n = s.busyHelpers
            s.busyHelpers = -workers.count
            return n
        }
        for _ in 0..<busy { helpersGone.wait() }
        return state.withLock { s in
            var slots = [DeviceResult?](repeating: nil, count: s.added)
            for (i, r) in s.results { slots[i] = r }
            return slots.map { $0! }
        }
    }

    private func help(worker w: Int) {
        let started = state.withLock { s -> Bool in
            // `finish` has counted the helpers already: too late to join.
            guard s.busyHelpers >= 0 else { return false }
            s.busyHelpers += 1
            return true
        }
        guard started else { return }
        var mine: [(Int, DeviceResult)] = []
        while true {
            if let taken = take(ifMoreThan: 0) {
                analyze(taken, worker: w, into: &mine)
                continue
            }
            let wait = state.withLock { s -> Bool in
                // Looked at again under the lock: a case may have come meanwhile.
                guard s.building, s.waiting == 0 else { return false }
                s.waitingHelpers += 1
                return true
            }
            if wait {
                arrivals.wait()
                continue
            }
            if state.withLock({ !$0.building && $0.waiting == 0 }) { break }
        }
        keep(mine)
        helpersGone.signal()
    }

    /// Up to `takeSize` cases with their positions, if more than `limit` wait.
    private func take(ifMoreThan limit: Int) -> [(Int, LifetimeCase)]? {
        state.withLock { s in
            guard s.waiting > limit else { return nil }
            let end = min(s.head + takeSize, s.cases.count)
            let taken = (s.head..<end).map { (s.base + $0, s.cases[$0]) }
            s.head = end
            if s.head >= 64 && s.head * 2 >= s.cases.count {
                s.cases.removeFirst(s.head)
                s.base += s.head
                s.head = 0
            }
            return taken
        }
    }

    private func analyze(_ taken: [(Int, LifetimeCase)], worker w: Int, into results: inout [(Int, DeviceResult)]) {
        let worker = workers[w]
        var env = environment
        env.memo = worker.memo
        for (i, c) in taken {
            var c = c
            c.context = worker.context.lifetime(of: c.device, info: c.info, outcomes: c.context.outcomes)
            results.append((i, LifetimeAnalysis.analyze(c, environment: env, detail: .full)))
        }
    }

    private func keep(_ results: [(Int, DeviceResult)]) {
        guard !results.isEmpty else { return }
        state.withLock { $0.results += results }
    }
}
