/// Enumerates every way a set of steps can run that is consistent with a
/// precedence relation, with the async probes they schedule free to run at
/// any point after being scheduled (and before the next async_synchronize),
/// and collects each device's final driver. States already reached with the
/// same steps done are not explored again, so the cost is bounded by the
/// number of distinct (steps done, driver-core state) pairs, not orderings.
public struct OrderingExplorer {
    /// One move of an ordering: a step, or a pending async probe of a device.
    public enum Move: Hashable, Sendable {
        case step(Int)
        case asyncProbe(device: String)
    }

    /// How one outcome can come about.
    public struct Witness: Hashable, Sendable {
        public var moves: [Move]
        /// The step that bound the device (nil when unbound).
        public var boundBy: Int?
    }

    public struct Outcome: Hashable, Sendable {
        public var winner: String?
        /// Unbound and still on the deferred list.
        public var deferred: Bool
    }

    public struct Result {
        /// Per device: each reachable outcome with one ordering reaching it.
        public var outcomes: [String: [Outcome: Witness]] = [:]
        /// The state budget ran out: the sets may be incomplete.
        public var exhausted = false
        public var statesVisited = 0

        public func winners(_ device: String) -> Set<String?> {
            Set((outcomes[device] ?? [:]).keys.map(\.winner))
        }
    }

    let steps: [Step]
    /// predecessors[i]: bit j set when step j must run before step i.
    var predecessors: [UInt64]
    let context: SimulationContext
    let devices: [String]
    let budget: Int

    /// `steps` (at most 64) in any order; `precedes(a, b)` says step a must
    /// run before step b.
    public init(steps: [Step], context: SimulationContext, devices: [String], budget: Int = 200_000,
                precedes: (Step, Step) -> Bool) {
        precondition(steps.count <= 64)
        self.steps = steps
        self.context = context
        self.devices = devices
        self.budget = budget
        // Steps that precede each other carry the same stamp (e.g. the device
        // and override the start snapshot shows, before every event): they
        // keep their recorded order instead of forming a cycle.
        predecessors = steps.map { b in
            var mask: UInt64 = 0
            for (j, a) in steps.enumerated() where a.id != b.id && precedes(a, b) && (a.id < b.id || !precedes(b, a)) {
                mask |= 1 << UInt64(j)
            }
            return mask
        }
    }

    /// Adds "step with id `first` runs before step with id `second`" (fix re-checks).
    public mutating func require(_ first: Int, before second: Int) {
        guard let a = steps.firstIndex(where: { $0.id == first }), let b = steps.firstIndex(where: { $0.id == second }) else { return }
        predecessors[b] |= 1 << UInt64(a)
    }

    private struct Node: Hashable {
        var done: UInt64
        var state: DriverCoreState
    }

    public func explore(from initial: DriverCoreState = DriverCoreState()) -> Result {
        var result = Result()
        var seen = Set<Node>()
        var path: [Move] = []
        let all: UInt64 = steps.count == 64 ? .max : (1 << UInt64(steps.count)) - 1

        func visit(_ done: UInt64, _ state: DriverCoreState) {
            if result.exhausted { return }
            guard seen.insert(Node(done: done, state: state)).inserted else { return }
            result.statesVisited += 1
            if result.statesVisited > budget {
                result.exhausted = true
                return
            }
            if done == all && state.jobs.isEmpty {
                for device in devices {
                    let dev = state.devices[device]
                    let outcome = Outcome(winner: state.winner(device), deferred: state.winner(device) == nil && dev?.deferred == true)
                    if result.outcomes[device]?[outcome] == nil {
                        result.outcomes[device, default: [:]][outcome] = Witness(moves: path, boundBy: dev?.boundBy)
                    }
                }
                return
            }
            // A pending async probe may run now.
            var tried = Set<StateJobKey>()
            for (j, job) in state.jobs.enumerated() {
                guard tried.insert(StateJobKey(job: job)).inserted else { continue }
                var next = state
                next.runJob(j, context: context)
                path.append(.asyncProbe(device: job.device))
                visit(done, next)
                path.removeLast()
            }
            // Or any step whose predecessors have all run.
            for (i, step) in steps.enumerated() {
                let bit: UInt64 = 1 << UInt64(i)
                guard done & bit == 0, predecessors[i] & ~done == 0 else { continue }
                // async_synchronize waits for every pending async probe.
                if case .asyncBarrier = step.action, !state.jobs.isEmpty { continue }
                var next = state
                next.apply(step.action, step: step.id, context: context)
                path.append(.step(step.id))
                visit(done | bit, next)
                path.removeLast()
            }
        }
        visit(0, initial)
        return result
    }

    private struct StateJobKey: Hashable {
        var job: DriverCoreState.Job
    }
}
