import BindraceTrace

/// One trace's steps made ready for simulation: each registration's async
/// probing decided (prefer_async, or driver_async_probe= unless it forces
/// sync probing). Failed registrations stay in `steps` (a lifetime that
/// ended before the failure saw them) and are left out of projections that
/// reach past the failure.
public struct PreparedTrace {
    public let facts: TraceFacts
    /// Every step, at its id.
    public let steps: [Step]
    public let context: SimulationContext
    public let matchFacts: any MatchFacts
    let index: StepIndex

    public init(facts: TraceFacts, matchFacts: any MatchFacts) {
        self.facts = facts
        self.matchFacts = matchFacts
        var steps: [Step] = []
        for var step in facts.steps {
            if case .driverRegister(let driver, let module, let preferAsync) = step.action {
                let isAsync = Self.probesAsync(driver: driver, preferAsync: preferAsync,
                                               forcedSync: facts.forcedSyncRegistrations.contains(step.id), matchFacts: matchFacts)
                step.action = .driverRegister(driver: driver, module: module, isAsync: isAsync)
            }
            steps.append(step)
        }
        self.steps = steps
        context = SimulationContext(devices: facts.devices, facts: matchFacts, outcomes: facts.outcomes)
        index = StepIndex(steps: steps, failedAt: facts.failedRegistrations, facts: matchFacts)
    }

    /// The steps of the whole trace as they stand at its end (failed registrations left out).
    public var effectiveSteps: [Step] { steps.filter { facts.failedRegistrations[$0.id] == nil } }

    /// Match facts from the trace's own snapshot (empty tables without one).
    public init(facts: TraceFacts) {
        self.init(facts: facts, matchFacts: SnapshotMatchFacts(snapshot: facts.startSnapshot ?? Snapshot()))
    }

    /// A registration probes asynchronously when the driver prefers it, or
    /// when driver_async_probe= names it and it does not force sync probing.
    static func probesAsync(driver: String, preferAsync: Bool, forcedSync: Bool, matchFacts: any MatchFacts) -> Bool {
        preferAsync || (!forcedSync && matchFacts.asyncProbeForced(driver: driver))
    }

    public func projection(_ device: String) -> DeviceProjection {
        DeviceProjection(device: device, index: index, steps: steps, context: context)
    }

    /// One lifetime of the device (positions in `steps`, see `DeviceProjection`),
    /// simulated with `context` (that lifetime's device and probe outcomes).
    func projection(_ device: String, window: Range<Int>?, context: SimulationContext) -> DeviceProjection {
        DeviceProjection(device: device, index: index, steps: steps, context: context, window: window)
    }

    /// Feasible outcomes of one device (the fast analysis).
    public func explore(_ projection: DeviceProjection, budget: Int = Explorations.defaultBudget) -> OrderingExplorer.Result? {
        Explorations.run(steps: projection.steps, context: context, device: projection.device, budget: budget, memo: nil) {
            $0.stamp.precedesOrEquals($1.stamp)
        }
    }

    /// Feasible winners of every device, by the fast per-device analysis.
    public func feasibleWinners() -> [String: Set<String?>] {
        var result: [String: Set<String?>] = [:]
        for device in facts.deviceOrder {
            if let r = explore(projection(device)) { result[device] = r.winners(device) }
        }
        return result
    }
}
