/// Replays one device's steps in the order the trace showed their effect on
/// it (a step's first probe of the device, else where the step ended), with
/// async probes run where the trace ran them. Its result must equal the
/// binding the trace showed; otherwise the device is reported unexplained.
public struct ObservedReplay {
    public var winner: String?
    public var deferred: Bool
    /// driver_override steps written while another driver was bound: (step, bound driver).
    public var lateOverrides: [(step: Step, boundDriver: String)] = []
    public var state: DriverCoreState

    /// What a lifetime's analysis reads of the replay.
    public struct Summary {
        public var winner: String?
        public var lateOverrides: [(step: Step, boundDriver: String)]
    }

    public var summary: Summary { Summary(winner: winner, lateOverrides: lateOverrides) }

    public init(device: String, steps: [Step], asyncRuns: [Int], context: SimulationContext) {
        // Steps by where their effect showed, but never against
        // happens-before: a step's effect position can lie after a later
        // step of another task that it precedes (an edge sent from the middle
        // of a driver registration), and the replay must stay one of the
        // orderings the exploration considers. Items name steps by index
        // (-1: an async run): a step is a large value, costly to copy.
        var items: [(position: Int, order: Int, step: Int)] = []
        items.reserveCapacity(steps.count + asyncRuns.count)
        var lastPosition = Int.min
        for k in Self.observedOrderIndices(device: device, steps: steps) {
            lastPosition = max(lastPosition, steps[k].observedPosition(for: device))
            items.append((lastPosition, items.count, k))
        }
        for run in asyncRuns { items.append((run, -1, -1)) }
        items.sort { ($0.position, $0.order) < ($1.position, $1.order) }
        var state = DriverCoreState()
        for item in items {
            guard item.step >= 0 else {
                if let j = state.jobs.firstIndex(where: { $0.device == device }) { state.runJob(j, context: context) }
                continue
            }
            let step = steps[item.step]
            if case .setOverride(_, let driver?) = step.action, let bound = state.devices[device]?.bound, bound != driver,
               state.devices[device]?.present == true {
                lateOverrides.append((step, bound))
            }
            state.apply(step.action, step: step.id, context: context)
        }
        while !state.jobs.isEmpty { state.runJob(0, context: context) }
        self.state = state
        winner = state.winner(device)
        deferred = winner == nil && state.devices[device]?.deferred == true
    }

    /// The steps in observed order, as indices into `steps`: repeatedly, of
    /// the steps no remaining step precedes, the one with the smallest
    /// (observed position, id); the first remaining step if every one is
    /// blocked. Only a step at the same or an earlier event can precede
    /// another (stamps come from one pass in trace order), so a candidate is
    /// checked against those only, which keeps long projections (a VF added
    /// and removed thousands of times) near linear instead of cubic.
    static func observedOrderIndices(device: String, steps: [Step]) -> [Int] {
        let n = steps.count
        guard n > 1 else { return Array(0..<n) }
        let position = steps.map { $0.observedPosition(for: device) }
        let byPriority = (0..<n).sorted { (position[$0], steps[$0].id) < (position[$1], steps[$1].id) }
        let byEvent = (0..<n).sorted { (steps[$0].event.index, $0) < (steps[$1].event.index, $1) }
        var removed = [Bool](repeating: false, count: n)
        var priorityHead = 0, eventHead = 0, arrayHead = 0
        var out: [Int] = []
        out.reserveCapacity(n)
        func blocked(_ k: Int) -> Bool {
            let index = steps[k].event.index, id = steps[k].id
            var e = eventHead
            while e < n {
                let j = byEvent[e]
                e += 1
                if removed[j] { continue }
                if steps[j].event.index > index { break }
                if steps[j].id != id && steps[j].stamp.precedesOrEquals(steps[k].stamp) { return true }
            }
            return false
        }
        for _ in 0..<n {
            while removed[byPriority[priorityHead]] { priorityHead += 1 }
            var chosen = -1
            var p = priorityHead
            while p < n {
                let k = byPriority[p]
                p += 1
                if removed[k] { continue }
                if !blocked(k) { chosen = k; break }
            }
            if chosen < 0 {
                while removed[arrayHead] { arrayHead += 1 }
                chosen = arrayHead
            }
            removed[chosen] = true
            out.append(chosen)
            while eventHead < n && removed[byEvent[eventHead]] { eventHead += 1 }
            while arrayHead < n && removed[arrayHead] { arrayHead += 1 }
            while priorityHead < n && removed[byPriority[priorityHead]] { priorityHead += 1 }
            if priorityHead >= n { break }
        }
        return out
    }
}
