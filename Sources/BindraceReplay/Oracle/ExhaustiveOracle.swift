/// The reference the fast analysis is checked against: happens-before as an
/// explicit graph (program order plus every recorded cross-task edge,
/// closed by search, no vector clocks), and one exploration of every ordering
/// of all steps of the trace together, simulating the whole driver core.
/// Exponential: for small traces only.
public struct ExhaustiveOracle {
    public let prepared: PreparedTrace
    /// reach[i] holds every event index reachable from event i.
    private let reach: [Set<Int>]

    /// `prepared.facts` must have been recorded with `recordsEdges: true`.
    public init(prepared: PreparedTrace, tids: [UInt32]) {
        self.prepared = prepared
        let n = tids.count
        var successors = [[Int]](repeating: [], count: n)
        var last: [UInt32: Int] = [:]
        for (i, tid) in tids.enumerated() {
            if let p = last[tid] { successors[p].append(i) }
            last[tid] = i
        }
        for edge in prepared.facts.edges where edge.from < n && edge.to < n { successors[edge.from].append(edge.to) }
        // Only steps' events are ever asked about.
        let stepEvents = Set(prepared.steps.map(\.event.index))
        var reach = [Set<Int>](repeating: [], count: n)
        for start in stepEvents {
            var seen: Set<Int> = [start]
            var stack = [start]
            while let x = stack.popLast() {
                for y in successors[x] where seen.insert(y).inserted { stack.append(y) }
            }
            reach[start] = seen
        }
        self.reach = reach
    }

    public func happensBefore(_ a: Step, _ b: Step) -> Bool {
        reach[a.event.index].contains(b.event.index)
    }

    /// Every device's feasible winners over all orderings of all steps.
    public func feasibleWinners(budget: Int = 2_000_000) -> [String: Set<String?>]? {
        let steps = prepared.effectiveSteps
        guard steps.count <= 64 else { return nil }
        let explorer = OrderingExplorer(steps: steps, context: prepared.context, devices: prepared.facts.deviceOrder, budget: budget) {
            happensBefore($0, $1)
        }
        let r = explorer.explore()
        if r.exhausted { return nil }
        var out: [String: Set<String?>] = [:]
        for device in prepared.facts.deviceOrder { out[device] = r.winners(device) }
        return out
    }
}
