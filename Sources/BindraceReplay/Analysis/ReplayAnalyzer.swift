import BindraceTrace

/// One trace analysed on its own, ready to be merged with others.
public struct TraceAnalysis: Sendable {
    public var name: String
    public var devices: [DeviceResult]
    public var warnings: [String]
    public var eventCount: Int

    public init(name: String, devices: [DeviceResult], warnings: [String], eventCount: Int) {
        self.name = name
        self.devices = devices
        self.warnings = warnings
        self.eventCount = eventCount
    }
}

/// From recorded traces to per-device results: the fast per-device
/// exploration, the observed replay, verdicts, explanations and fixes, and
/// the merge of several boots of one machine.
public enum ReplayAnalyzer {
    /// Analyses each trace with its own snapshot's match facts (or `facts`
    /// when given) and merges the results.
    public static func analyze(_ traces: [TraceFacts], facts: (any MatchFacts)? = nil) -> AnalysisResult {
        merge(traces.map { analyzeTrace($0, facts: facts, of: traces.count) })
    }

    /// One trace's share of `analyze`, independent of the others: traces can
    /// be analysed in parallel and merged with `merge` (same result as
    /// `analyze` over all of them). `count` is the number of traces analysed
    /// together (warnings name the trace when there are several).
    public static func analyzeTrace(_ trace: TraceFacts, facts: (any MatchFacts)? = nil, of count: Int) -> TraceAnalysis {
        var warnings: [String] = []
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
        warnings += traceWarnings.map { count > 1 ? "\(trace.name): \($0)" : $0 }
        return TraceAnalysis(name: trace.name, devices: devices, warnings: warnings, eventCount: trace.eventCount)
    }

    /// Merges per-trace analyses, in the order given (the traces' order).
    public static func merge(_ parts: [TraceAnalysis]) -> AnalysisResult {
        let merged = merge(parts.map(\.devices), names: parts.map(\.name))
        return AnalysisResult(traces: parts.map(\.name), devices: merged, warnings: parts.flatMap(\.warnings),
                              eventCount: parts.reduce(0) { $0 + $1.eventCount })
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
        // A device bound but never added: a PCI device present before the
        // capture (and absent from its snapshot), or one on another bus.
        for (device, _) in facts.observedBinding.sorted(by: { $0.key < $1.key })
        where facts.devices[device] == nil && !facts.otherBusDevices.contains(device) && PCIAddress.looksLike(device) {
            names.append(device)
        }
        if !facts.otherBusDevices.isEmpty {
            warnings.append("\(facts.otherBusDevices.count) devices on buses other than PCI (e.g. \(facts.otherBusDevices.sorted().prefix(3).joined(separator: ", "))) were recorded but not analysed")
        }
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
        let own = prepared.index.byDevice[device] ?? []
        let removals = own.filter { if case .deviceRemove = prepared.steps[$0].action { true } else { false } }
        guard !removals.isEmpty, facts.devices[device] != nil else {
            return analyzeDevice(device, prepared: prepared, incomplete: incomplete, window: nil)
        }
        // One lifetime per removal (add … up to the removal: the binding the
        // device had while it existed), and the one after the last removal
        // if the device came back. The device's result is its most severe
        // lifetime (the latest among equals).
        let observedAtRemoval = facts.observedAtRemoval[device] ?? []
        var best: DeviceResult?
        var lower = 0
        var lowerEvent = -1
        for (k, cut) in removals.enumerated() {
            let cutEvent = prepared.steps[cut].event.index
            let runs = (facts.asyncRuns[device] ?? []).filter { $0 > lowerEvent && $0 < cutEvent }
            let observed: String? = k < observedAtRemoval.count ? observedAtRemoval[k] : nil
            let r = analyzeDevice(device, prepared: prepared, incomplete: incomplete, window: lower..<cut, observed: .some(observed), asyncRuns: runs)
            if best == nil || r.verdict.severity <= best!.verdict.severity { best = r }
            lower = cut + 1
            lowerEvent = cutEvent
        }
        if own.last! >= lower {
            let runs = (facts.asyncRuns[device] ?? []).filter { $0 > lowerEvent }
            let r = analyzeDevice(device, prepared: prepared, incomplete: incomplete, window: lower..<Int.max,
                                  observed: .some(facts.observedBinding[device] ?? nil), asyncRuns: runs)
            if best == nil || r.verdict.severity <= best!.verdict.severity { best = r }
        }
        return best!
    }

    static func analyzeDevice(_ device: String, prepared: PreparedTrace, incomplete: Bool, window: Range<Int>?,
                              observed observedOverride: String?? = nil, asyncRuns: [Int]? = nil) -> DeviceResult {
        let facts = prepared.facts
        let info = facts.devices[device]
        let observed: String? = observedOverride ?? (facts.observedBinding[device] ?? nil)
        var result = DeviceResult(
            device: device, ids: info?.idText ?? "", candidates: [], observedWinner: observed,
            observedPerTrace: [facts.name: observed], feasibleWinners: [], verdict: .deterministic,
            provenAcrossBoots: false, unexplained: nil, explanation: nil, suggestions: [], assumptions: [], truncated: false)
        if let driver = facts.boundBeforeCapture[device], observed == driver || observed == nil {
            result.observedWinner = driver
            result.feasibleWinners = [driver]
            result.verdict = .boundBeforeCapture
            result.explanation = Explanation(
                summary: "\(device) was already bound to \(driver) when the capture started: the trace cannot show how \(driver) won.",
                points: [],
                reason: "start the capture earlier (boot-time capture from the initramfs, docs/capture.md) to see the ordering")
            return result
        }
        guard info != nil else {
            result.feasibleWinners = [observed]
            result.verdict = .unexplained
            result.unexplained = "the device was bound in the trace but never added (no device_add): it was present before the capture started"
            return result
        }
        let projection = window.map { prepared.projection(device, window: $0) } ?? prepared.projection(device)
        result.candidates = projection.candidates + projection.missingOverrideDrivers
        for driver in projection.candidates where !facts.outcomes.wasObserved(device: device, driver: driver) {
            result.assumptions.append("a probe of \(device) by \(driver) was never observed: assumed to succeed")
        }

        // The observed order.
        let replay = ObservedReplay(device: device, steps: projection.steps, asyncRuns: asyncRuns ?? facts.asyncRuns[device] ?? [], context: prepared.context)
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
        let sameIDs = prepared.index.devicesWithSameIDs(as: device, facts: facts)
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
