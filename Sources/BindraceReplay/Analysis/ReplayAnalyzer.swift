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
        let incomplete = facts.lostEvents > 0 || facts.hasDamage
        var results: [DeviceResult] = []
        var names = facts.deviceOrder
        // A device bound but never added: a PCI device present before the
        // capture (and absent from its snapshot), or one on another bus.
        for (device, _) in facts.observedBinding.sorted(by: { $0.key < $1.key })
        where facts.devices[device] == nil && !facts.otherBusDevices.contains(device) && PCIAddress.looksLike(device) {
            names.append(device)
        }
        let environment = environment(prepared, memo: nil)
        for device in names {
            results.append(analyzeDevice(device, prepared: prepared, environment: environment, incomplete: incomplete))
        }
        let warnings = traceWarnings(lostEvents: facts.lostEvents, damaged: facts.hasDamage, startSnapshot: facts.startSnapshot,
                                     otherBusDevices: facts.otherBusDevices, assumptions: results.reduce(0) { $0 + $1.assumptions.count })
        return (results, warnings)
    }

    /// What a trace's analysis warns about, whichever way it was recorded.
    static func traceWarnings(lostEvents: UInt64, damaged: Bool, startSnapshot: Snapshot?, otherBusDevices: Set<String>,
                              assumptions: Int) -> [String] {
        var warnings: [String] = []
        if lostEvents > 0 {
            warnings.append("\(lostEvents) events were lost during capture: no device is called deterministic (verdict 'incomplete')")
        }
        if damaged {
            warnings.append("the trace is damaged (see the messages on stderr): events in the damaged parts are missing, no device is called deterministic")
        }
        warnings += ProbeCoverage.warnings(for: startSnapshot)
        if !otherBusDevices.isEmpty {
            warnings.append("\(otherBusDevices.count) devices on buses other than PCI (e.g. \(otherBusDevices.sorted().prefix(3).joined(separator: ", "))) were recorded but not analysed")
        }
        if assumptions > 0 {
            warnings.append("probe outcomes never observed are assumed to succeed (\(assumptions) device/driver pair\(assumptions == 1 ? "" : "s"), listed per device)")
        }
        return warnings
    }

    /// What the lifetimes of one trace share, from the whole trace.
    static func environment(_ prepared: PreparedTrace, memo: ExplorationMemo?) -> LifetimeEnvironment {
        let facts = prepared.facts
        let index = prepared.index
        return LifetimeEnvironment(
            traceName: facts.name, matchFacts: prepared.matchFacts,
            builtins: Set((facts.startSnapshot?.builtinModules ?? []).map(DriverName.normalized)),
            moduleOfDriver: facts.moduleOfDriver,
            sameIDDevices: { device, ids in index.devicesWithSameIDs(ids, except: device, facts: facts) },
            memo: memo)
    }

    /// Every lifetime judged in full, the most severe kept (the baseline:
    /// the streaming replay must give the same).
    static func analyzeDevice(_ device: String, prepared: PreparedTrace, environment: LifetimeEnvironment, incomplete: Bool) -> DeviceResult {
        let cases = lifetimeCases(device, prepared: prepared)
        let results = cases.map { LifetimeAnalysis.analyze($0, environment: environment, detail: .full) }
        var result = results[LifetimeAnalysis.choose(results.map(\.verdict))!]
        if incomplete { LifetimeAnalysis.applyIncomplete(&result) }
        return result
    }

    /// The device's lifetimes: one per removal (its add up to the removal,
    /// with everything else before the removal), and the one after the last
    /// removal if the device came back; a device never removed has one,
    /// over the whole trace.
    static func lifetimeCases(_ device: String, prepared: PreparedTrace) -> [LifetimeCase] {
        let facts = prepared.facts
        let own = prepared.index.byDevice[device] ?? []
        let removals = own.filter { if case .deviceRemove = prepared.steps[$0].action { true } else { false } }
        let info = facts.devices[device]
        let current = prepared.context.lifetime(of: device, info: info, outcomes: facts.outcomes)
        func finalCase(window: Range<Int>?, boundBeforeCapture: String?) -> LifetimeCase {
            LifetimeCase(device: device, info: info, projection: prepared.projection(device, window: window, context: current),
                         observed: facts.observedBinding[device] ?? nil, asyncRuns: facts.asyncRuns[device] ?? [], context: current,
                         udevAddStamp: info.flatMap { facts.udevAddStamp[$0.devpath] }, boundBeforeCapture: boundBeforeCapture)
        }
        guard !removals.isEmpty, info != nil else {
            return [finalCase(window: nil, boundBeforeCapture: facts.boundBeforeCapture[device])]
        }
        let ended = facts.lifetimesAtRemoval[device] ?? []
        var cases: [LifetimeCase] = []
        var lower = 0
        for (k, cut) in removals.enumerated() {
            defer { lower = cut + 1 }
            guard k < ended.count else { break }
            let lifetime = ended[k]
            // Removed before any add and never seen bound: nothing to judge.
            if lifetime.info == nil && lifetime.observed == nil { continue }
            let context = prepared.context.lifetime(of: device, info: lifetime.info, outcomes: lifetime.outcomes)
            cases.append(LifetimeCase(
                device: device, info: lifetime.info, projection: prepared.projection(device, window: lower..<cut, context: context),
                observed: lifetime.observed, asyncRuns: lifetime.asyncRuns, context: context, udevAddStamp: lifetime.udevAddStamp,
                boundBeforeCapture: k == 0 ? facts.boundBeforeCapture[device] : nil))
        }
        if own.last! >= lower || cases.isEmpty {
            cases.append(finalCase(window: lower..<Int.max, boundBeforeCapture: nil))
        }
        return cases
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
