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

    public init(device: String, steps: [Step], asyncRuns: [Int], context: SimulationContext) {
        enum Item { case step(Step), asyncRun }
        // Steps by where their effect showed, but never against
        // happens-before: a step's effect position can lie after a later
        // step of another task that it precedes (an edge sent from the middle
        // of a driver registration), and the replay must stay one of the
        // orderings the exploration considers.
        var remaining = steps
        var ordered: [(Int, Int, Item)] = []
        var lastPosition = Int.min
        while !remaining.isEmpty {
            var best: Int?
            for (i, s) in remaining.enumerated() {
                let blocked = remaining.contains { $0.id != s.id && $0.stamp.precedesOrEquals(s.stamp) }
                if blocked { continue }
                if best == nil || (s.observedPosition(for: device), s.id) < (remaining[best!].observedPosition(for: device), remaining[best!].id) {
                    best = i
                }
            }
            let s = remaining.remove(at: best ?? 0)
            lastPosition = max(lastPosition, s.observedPosition(for: device))
            ordered.append((lastPosition, ordered.count, .step(s)))
        }
        var items = ordered
        items += asyncRuns.map { ($0, -1, .asyncRun) }
        items.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        var state = DriverCoreState()
        for (_, _, item) in items {
            switch item {
            case .step(let step):
                if case .setOverride(_, let driver?) = step.action, let bound = state.devices[device]?.bound, bound != driver,
                   state.devices[device]?.present == true {
                    lateOverrides.append((step, bound))
                }
                state.apply(step.action, step: step.id, context: context)
            case .asyncRun:
                if let j = state.jobs.firstIndex(where: { $0.device == device }) { state.runJob(j, context: context) }
            }
        }
        while !state.jobs.isEmpty { state.runJob(0, context: context) }
        self.state = state
        winner = state.winner(device)
        deferred = winner == nil && state.devices[device]?.deferred == true
    }
}
