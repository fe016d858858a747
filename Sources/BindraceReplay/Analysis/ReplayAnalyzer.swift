import BindraceTrace

/// From recorded traces to per-device results: the fast per-device
/// exploration, the observed replay, verdicts, explanations and fixes, and
/// the merge of several boots of one machine.
public enum ReplayAnalyzer {
    /// Analyses each trace with its own snapshot's match facts (or `facts`
    /// when given) and merges the results.
    public static func analyze(_ traces: [TraceFacts], facts: (any MatchFacts)? = nil) -> AnalysisResult {
        var perTrace: [[DeviceResult]] = []
        var warnings: [String] = []
        var events = 0
        for trace in traces {
            let matchFacts: any MatchFacts
            if let facts {
                matchFacts = facts
            } else {
                let snapshotFacts = SnapshotMatchFacts(snapshot: trace.startSnapshot ?? Snapshot())
                warnings += snapshotFacts.problems.map { "\(trace.name): match tables: \($0)" }
                if trace.startSnapshot == nil || trace.startSnapshot!.matchTables.isEmpty {
                    warnings.append("\(trace.name): the trace carries no match tables (modules.alias lines): static matches are unknown, only dynamic ids and overrides match")
                }
                matchFacts = snapshotFacts
            }
            let prepared = PreparedTrace(facts: trace, matchFacts: matchFacts)
            let (devices, traceWarnings) = analyze(prepared)
            perTrace.append(devices)
            warnings += traceWarnings.map { traces.count > 1 ? "\(trace.name): \($0)" : $0 }
            events += trace.eventCount
        }
        let merged = merge(perTrace, names: traces.map(\.name))
        return AnalysisResult(traces: traces.map(\.name), devices: merged, warnings: warnings, eventCount: events)
    }

    /// One trace.
    public static func analyze(_ prepared: PreparedTrace) -> ([DeviceResult], [String]) {
        let facts = prepared.facts
        var warnings: [String] = []
        let incomplete = facts.lostEvents > 0 || facts.hasDamage
        if facts.lostEvents > 0 {
            warnings.append("\(facts.lostEvents) events were lost during capture: no device is called deterministic (verdict 'incomplete')")
        }
        if facts.hasDamage {
            warnings.append("the trace is damaged (see the messages on stderr): events in the damaged parts are missing, no device is called deterministic")
        }
        warnings += ProbeCoverage.warnings(for: facts.startSnapshot)
        var results: [DeviceResult] = []
        var names = facts.deviceOrder
        for (device, _) in facts.observedBinding where facts.devices[device] == nil { names.append(device) }
        for device in names {
            results.append(analyzeDevice(device, prepared: prepared, incomplete: incomplete))
        }
        let assumed = results.flatMap(\.assumptions)
        if !assumed.isEmpty {
            warnings.append("probe outcomes never observed are assumed to succeed (\(assumed.count) device/driver pair\(assumed.count == 1 ? "" : "s"), listed per device)")
        }
        return (results, warnings)
    }

    static func analyzeDevice(_ device: String, prepared: PreparedTrace, incomplete: Bool) -> DeviceResult {
        let facts = prepared.facts
        let info = facts.devices[device]
        let observed: String? = facts.observedBinding[device] ?? nil
        var result = DeviceResult(
            device: device, ids: info?.idText ?? "", candidates: [], observedWinner: observed,
            observedPerTrace: [facts.name: observed], feasibleWinners: [], verdict: .deterministic,
            provenAcrossBoots: false, unexplained: nil, explanation: nil, suggestions: [], assumptions: [], truncated: false)
        guard info != nil else {
            result.feasibleWinners = [observed]
            result.verdict = .unexplained
            result.unexplained = "the device was bound in the trace but never added (no device_add): it was present before the capture started"
            return result
        }
        let projection = prepared.projection(device)
        result.candidates = projection.candidates + projection.missingOverrideDrivers
        for driver in projection.candidates where !facts.outcomes.wasObserved(device: device, driver: driver) {
            result.assumptions.append("a probe of \(device) by \(driver) was never observed: assumed to succeed")
        }

        // The observed order.
        let replay = ObservedReplay(device: device, steps: projection.steps, asyncRuns: facts.asyncRuns[device] ?? [], context: prepared.context)
        if replay.winner != observed {
            result.unexplained = "replaying the observed order gives \(ExplanationBuilder.describe(replay.winner)), the trace shows \(ExplanationBuilder.describe(observed))"
        }

        // Every ordering.
        var winners: Set<String?>
        var explored: OrderingExplorer.Result?
        if let r = prepared.explore(projection) {
            explored = r
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
        result.feasibleWinners = sortWinners(winners, observed: observed)

        // Verdict.
        let deferredAlways = explored.map { r in (r.outcomes[device] ?? [:]).keys.allSatisfy { $0.winner == nil && $0.deferred } } ?? false
        if let race = Verdict.race(modelWinners) {
            result.verdict = race
        } else if let late = replay.lateOverrides.first {
            result.verdict = .overrideTooLate
            _ = late
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
        if incomplete && !result.verdict.isRace { result.verdict = .incomplete }

        // Explanation and fixes.
        let sameIDs = facts.deviceOrder.filter { $0 != device && facts.devices[$0]?.ids != nil && facts.devices[$0]?.ids == info?.ids }
        let planner = FixPlanner(prepared: prepared, projection: projection, device: device, sameIDDevices: sameIDs)
        if let r = explored {
            if result.verdict.isRace {
                result.explanation = ExplanationBuilder.race(device: device, result: r, projection: projection)
                let vfio = winners.compactMap { $0 }.filter(DriverName.isVFIO)
                let natives = winners.compactMap { $0 }.filter { !DriverName.isVFIO($0) }
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
        if result.verdict == .unboundWithCandidate, let info, info.isVirtualFunction, !info.autoprobe {
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

    static func sortWinners(_ winners: Set<String?>, observed: String?) -> [String?] {
        winners.sorted { a, b in
            if a == observed && b != observed { return true }
            if b == observed && a != observed { return false }
            return (a ?? "~") < (b ?? "~")
        }
    }

    /// Several boots: a device whose observed winner differs is proven
    /// nondeterministic whatever the model says.
    static func merge(_ perTrace: [[DeviceResult]], names: [String]) -> [DeviceResult] {
        var byDevice: [String: DeviceResult] = [:]
        var order: [String] = []
        for results in perTrace {
            for r in results {
                guard var m = byDevice[r.device] else {
                    byDevice[r.device] = r
                    order.append(r.device)
                    continue
                }
                for (k, v) in r.observedPerTrace { m.observedPerTrace[k] = v }
                var winners = Set(m.feasibleWinners).union(r.feasibleWinners)
                let observedSet = Set(m.observedPerTrace.values)
                winners.formUnion(observedSet)
                m.feasibleWinners = sortWinners(winners, observed: m.observedWinner)
                m.candidates += r.candidates.filter { !m.candidates.contains($0) }
                if observedSet.count > 1 { m.provenAcrossBoots = true }
                if r.verdict.severity < m.verdict.severity {
                    let keep = m
                    m = r
                    m.observedPerTrace = keep.observedPerTrace
                    m.feasibleWinners = keep.feasibleWinners
                    m.candidates = keep.candidates
                    m.provenAcrossBoots = keep.provenAcrossBoots
                    m.observedWinner = keep.observedWinner
                }
                m.suggestions += r.suggestions.filter { s in !m.suggestions.contains { $0.kind == s.kind } }
                if m.unexplained == nil, let u = r.unexplained { m.unexplained = u }
                m.assumptions = m.assumptions.filter { r.assumptions.contains($0) }
                if let race = Verdict.race(Set(m.feasibleWinners)), race.severity < m.verdict.severity || m.provenAcrossBoots {
                    m.verdict = race
                }
                byDevice[r.device] = m
            }
        }
        return order.compactMap { byDevice[$0] }.sorted {
            ($0.verdict.severity, $0.device) < ($1.verdict.severity, $1.device)
        }
    }
}
