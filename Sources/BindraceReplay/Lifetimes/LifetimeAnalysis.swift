import BindraceTrace

/// Judges one lifetime: the observed replay, every ordering of the
/// projection, the verdict, and (in full) the explanation and fixes.
enum LifetimeAnalysis {
    static func analyze(_ c: LifetimeCase, environment env: LifetimeEnvironment, detail: LifetimeEnvironment.Detail) -> DeviceResult {
        let device = c.device
        let observed = c.observed
        var result = DeviceResult(
            device: device, ids: c.info?.idText ?? "", candidates: [], observedWinner: observed,
            observedPerTrace: [env.traceName: observed], feasibleWinners: [], verdict: .deterministic,
            provenAcrossBoots: false, unexplained: nil, explanation: nil, suggestions: [], assumptions: [], truncated: false)
        if let driver = c.boundBeforeCapture, observed == driver || observed == nil {
            result.observedWinner = driver
            result.observedPerTrace = [env.traceName: driver]
            result.feasibleWinners = [driver]
            result.verdict = .boundBeforeCapture
            result.explanation = Explanation(
                summary: "\(device) was already bound to \(driver) when the capture started: the trace cannot show how \(driver) won.",
                points: [],
                reason: "start the capture earlier (boot-time capture from the initramfs, docs/capture.md) to see the ordering")
            return result
        }
        guard let info = c.info else {
            result.feasibleWinners = [observed]
            result.verdict = .unexplained
            result.unexplained = "the device was bound in the trace but never added (no device_add): it was present before the capture started"
            return result
        }
        let projection = c.projection
        let context = c.context
        result.candidates = projection.candidates + projection.missingOverrideDrivers
        for driver in projection.candidates where !context.outcomes.wasObserved(device: device, driver: driver) {
            result.assumptions.append("a probe of \(device) by \(driver) was never observed: assumed to succeed")
        }

        // With a memo, the exploration's shape is worked out once, and the
        // observed replay and the fixes' re-checks are asked of the memo by it.
        let precedes: (Step, Step) -> Bool = { $0.stamp.precedesOrEquals($1.stamp) }
        let explorer = Explorations.explorer(projection.steps, context, device, Explorations.defaultBudget, precedes) { _ in }
        let shape = env.memo.flatMap { memo in explorer.map { memo.shape(of: $0, device: device) } }

        // The observed order.
        func observedReplay() -> ObservedReplay {
            ObservedReplay(device: device, steps: projection.steps, asyncRuns: c.asyncRuns, context: context)
        }
        let replay = if let memo = env.memo, let shape {
            memo.observed(shape, steps: projection.steps, asyncRuns: c.asyncRuns, device: device, replay: observedReplay)
        } else {
            observedReplay().summary
        }
        if replay.winner != observed {
            result.unexplained = "replaying the observed order gives \(ExplanationBuilder.describe(replay.winner)), the trace shows \(ExplanationBuilder.describe(observed))"
        }

        // Every ordering.
        var winners: Set<String?>
        let explored = explorer.map { e in env.memo.map { $0.explore(e, device: device, shape: shape) } ?? e.explore() }
        if let r = explored {
            winners = r.winners(device)
            result.truncated = r.exhausted
        } else {
            winners = [replay.winner]
            result.truncated = true
        }
        let modelWinners = winners
        if !winners.contains(observed) {
            winners.insert(observed)
            if result.unexplained == nil {
                result.unexplained = "the observed binding (\(ExplanationBuilder.describe(observed))) is not reachable in the model"
            }
        }
        result.feasibleWinners = ReplayAnalyzer.sortWinners(winners, observed: observed)

        // Verdict.
        let deferredAlways = explored.map { r in (r.outcomes[device] ?? [:]).keys.allSatisfy { $0.winner == nil && $0.deferred } } ?? false
        if let race = Verdict.race(modelWinners) {
            result.verdict = race
        } else if !replay.lateOverrides.isEmpty {
            result.verdict = .overrideTooLate
        } else if modelWinners != winners {
            result.verdict = .unexplained
        } else if winners == [nil] && deferredAlways && !(explored?.outcomes[device]?.isEmpty ?? true) {
            result.verdict = .deferredForever
        } else if winners == [nil] && !result.candidates.isEmpty {
            result.verdict = .unboundWithCandidate
        } else {
            result.verdict = .deterministic
        }
        if result.unexplained != nil && (result.verdict == .deterministic) { result.verdict = .unexplained }
        guard detail == .full else { return result }

        // Explanation and fixes.
        let planner = FixPlanner(lifetime: c, environment: env, shape: shape)
        if let r = explored {
            if result.verdict.isRace {
                result.explanation = ExplanationBuilder.race(device: device, result: r, projection: projection)
                // In the report's order (a set's order would vary from run to run).
                let ordered = result.feasibleWinners.compactMap { $0 }
                let vfio = ordered.filter(DriverName.isVFIO)
                let natives = ordered.filter { !DriverName.isVFIO($0) }
                if let wanted = vfio.first, !natives.isEmpty {
                    result.suggestions = planner.suggestions(wanted: wanted, natives: natives)
                }
            } else if let w = winners.first ?? nil, winners.count == 1, DriverName.isVFIO(w) {
                result.explanation = ExplanationBuilder.forced(device: device, winner: w, result: r, projection: projection)
            } else if let w = winners.first ?? nil, winners.count == 1, result.verdict == .deterministic,
                      let vfio = projection.candidates.first(where: { DriverName.isVFIO($0) && projection.configuredDrivers.contains($0) }) {
                // A native driver wins every time although vfio could claim
                // the device: say why, and what would change it.
                result.explanation = ExplanationBuilder.forced(device: device, winner: w, result: r, projection: projection)
                result.suggestions = planner.suggestions(wanted: vfio, natives: [w])
            }
        }
        if result.verdict == .overrideTooLate, let late = replay.lateOverrides.first, case .setOverride(_, let wanted?) = late.step.action {
            result.explanation = Explanation(
                summary: "driver_override=\(wanted) was written while \(device) was already bound to \(late.boundDriver); an override only affects the next probe.",
                points: [.init(event: late.step.event, role: "writes the override too late")],
                reason: "\(late.boundDriver) bound \(device) before the override; nothing unbinds it afterwards")
            result.suggestions = planner.suggestions(wanted: wanted, natives: [late.boundDriver]).filter { $0.kind == "driver-override-at-coldplug" || $0.kind == "blacklist-native" }
        }
        if result.verdict == .unboundWithCandidate, info.isVirtualFunction, !info.autoprobe {
            result.explanation = Explanation(
                summary: "\(device) is an SR-IOV virtual function added while its PF had sriov_drivers_autoprobe=0.",
                points: projection.steps.filter { $0.action == .deviceAdd(device: device) }.map { .init(event: $0.event, role: "adds the VF without autoprobe") },
                reason: "pci_device_can_probe refuses a VF without autoprobe unless driver_override names a driver; none was written")
        }
        if result.verdict == .unboundWithCandidate {
            for missing in projection.missingOverrideDrivers {
                if let fix = planner.loadMissing(missing) { result.suggestions.append(fix) }
            }
        }
        return result
    }

    /// What one thread of the final analyses (`LifetimeAnalysisPool`) keeps
    /// throughout: its memo of explorations, and its match cache (a context
    /// the cases' own contexts derive from). Rebuilt for every part, the
    /// caches cost each thread its alias matching again, so that two threads
    /// took nearly as long as one.
    struct Worker {
        let memo: ExplorationMemo
        let context: SimulationContext

        /// `context`: the matches known so far (copied, not shared);
        /// `memo`: the explorations known so far (a thread's own).
        init(context: SimulationContext, memo: ExplorationMemo = ExplorationMemo()) {
            self.memo = memo
            self.context = context.detached()
        }
    }

    /// The device's result from its lifetimes' verdicts: the most severe,
    /// the latest among equals. Returns the index of the chosen lifetime.
    static func choose(_ verdicts: [Verdict]) -> Int? {
        var best: Int?
        for (i, v) in verdicts.enumerated() where best == nil || v.severity <= verdicts[best!].severity { best = i }
        return best
    }

    /// Events were lost or the trace is damaged: nothing but a race is claimed.
    static func applyIncomplete(_ result: inout DeviceResult) {
        if !result.verdict.isRace { result.verdict = .incomplete }
    }
}
