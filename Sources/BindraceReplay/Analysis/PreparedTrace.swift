import BindraceTrace

/// One trace's steps made ready for simulation: failed registrations
/// dropped, each driver's async probing decided (prefer_async, or
/// driver_async_probe= unless it forces sync probing).
public struct PreparedTrace {
    public let facts: TraceFacts
    public let steps: [Step]
    public let context: SimulationContext
    public let asyncDrivers: Set<String>
    public let matchFacts: any MatchFacts
    let index: StepIndex

    public init(facts: TraceFacts, matchFacts: any MatchFacts) {
        self.facts = facts
        self.matchFacts = matchFacts
        var asyncDrivers = Set<String>()
        var steps: [Step] = []
        for var step in facts.steps where !facts.failedRegistrations.contains(step.id) {
            if case .driverRegister(let driver, let module, _) = step.action {
                let type = facts.probeTypes[driver] ?? .defaultStrategy
                let isAsync = type == .preferAsynchronous || (type != .forceSynchronous && matchFacts.asyncProbeForced(driver: driver))
                if isAsync { asyncDrivers.insert(driver) }
                step.action = .driverRegister(driver: driver, module: module, isAsync: isAsync)
            }
            steps.append(step)
        }
        self.steps = steps
        self.asyncDrivers = asyncDrivers
        context = SimulationContext(devices: facts.devices, facts: matchFacts, outcomes: facts.outcomes)
        index = StepIndex(steps: steps, asyncDrivers: asyncDrivers, outcomes: facts.outcomes, facts: matchFacts)
    }

    /// Match facts from the trace's own snapshot (empty tables without one).
    public init(facts: TraceFacts) {
        self.init(facts: facts, matchFacts: SnapshotMatchFacts(snapshot: facts.startSnapshot ?? Snapshot()))
    }

    public func projection(_ device: String) -> DeviceProjection {
        DeviceProjection(device: device, index: index, steps: steps, context: context)
    }

    /// One lifetime of the device (positions in `steps`, see `DeviceProjection`).
    func projection(_ device: String, window: Range<Int>) -> DeviceProjection {
        DeviceProjection(device: device, index: index, steps: steps, context: context, window: window)
    }

    /// Feasible outcomes of one device (the fast analysis).
    public func explore(_ projection: DeviceProjection, budget: Int = 200_000,
                        adjust: (inout OrderingExplorer) -> Void = { _ in }) -> OrderingExplorer.Result? {
        guard projection.steps.count <= 64 else { return nil }
        var explorer = OrderingExplorer(steps: projection.steps, context: context, devices: [projection.device], budget: budget) {
            $0.stamp.precedesOrEquals($1.stamp)
        }
        adjust(&explorer)
        return explorer.explore()
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
