import BindraceReplay

/// Applies an expectation file's rules to every device of an analysis.
public enum Evaluator {
    public static func check(_ file: ExpectationFile, result: AnalysisResult, devices: [DeviceFacts], notes: [String] = []) -> CheckReport {
        var cases: [CheckReport.Case] = []
        for rule in file.rules {
            let selected = devices.filter { rule.selector.matches($0) }.sorted { $0.name < $1.name }
            if selected.isEmpty {
                var violations: [Violation] = []
                if rule.mustMatch {
                    violations.append(Violation(
                        traces: result.traces, device: "", ids: "", rule: rule.title, expectation: "\(file.path):\(rule.line)",
                        assertion: "select: \(rule.selector.text)",
                        found: "no device in the trace matches (it was not added, or its ids changed)"))
                }
                cases.append(.init(rule: rule, device: nil, violations: violations))
                continue
            }
            for device in selected {
                let violations = rule.assertions.compactMap { located in
                    evaluate(located, device: device, rule: rule, file: file, traces: result.traces)
                }
                cases.append(.init(rule: rule, device: device.name, violations: violations))
            }
        }
        return CheckReport(expectationFile: file.path, traces: result.traces, cases: cases, warnings: result.warnings + notes)
    }

    /// nil when the assertion holds.
    static func evaluate(_ located: LocatedAssertion, device: DeviceFacts, rule: ExpectationRule, file: ExpectationFile,
                         traces: [String]) -> Violation? {
        let r = device.result
        guard let found = problem(located.assertion, r) else { return nil }
        let racing = r.verdict.isRace || r.provenAcrossBoots
        let events = racing ? (r.explanation?.points ?? []).map { RacingEvent(point: $0, trace: traces.count == 1 ? traces[0] : nil) } : []
        return Violation(
            traces: traces, device: r.device, ids: r.ids, rule: rule.title, expectation: "\(file.path):\(located.line)",
            assertion: located.assertion.text, found: found, racingEvents: events, explanation: r.explanation?.summary ?? r.unexplained)
    }

    /// What was found instead, or nil when the assertion holds.
    public static func problem(_ assertion: Assertion, _ r: DeviceResult) -> String? {
        let feasible = r.feasibleWinners
        let feasibleText = "feasible winners: " + feasible.map(DriverPattern.describe).joined(separator: ", ")
        // Ordering-wide assertions cannot be proven when the explorer gave up:
        // fail closed, a gate that passes on "don't know" is no gate.
        let truncated = r.truncated ? "the exploration budget ran out, the feasible winners may be incomplete (\(feasibleText))" : nil
        switch assertion {
        case .winner(let p):
            let observed = r.observedPerTrace.isEmpty ? [r.observedWinner] : Array(r.observedPerTrace.values)
            if observed.allSatisfy(p.matches) { return nil }
            if r.observedPerTrace.count > 1 {
                let per = r.observedPerTrace.sorted { $0.key < $1.key }.map { "\(DriverPattern.describe($0.value)) in \($0.key)" }
                return "observed " + per.joined(separator: ", ")
            }
            return "observed \(DriverPattern.describe(r.observedWinner)) (\(feasibleText))"
        case .deterministic(let wanted):
            let isRace = r.verdict.isRace || r.provenAcrossBoots || feasible.count > 1
            let proven = !isRace && !r.truncated && r.verdict != .incomplete && r.verdict != .unexplained && r.verdict != .boundBeforeCapture
            if wanted {
                if proven { return nil }
                if let truncated { return truncated }
                let boots = r.provenAcrossBoots ? ", different winners in different traces" : ""
                return "verdict \(r.verdict.rawValue)\(boots); \(feasibleText)"
            }
            return isRace ? nil : "no race: verdict \(r.verdict.rawValue); \(feasibleText)"
        case .never(let ps):
            let hits = (feasible + [r.observedWinner]).filter { w in ps.contains { $0.matches(w) } }
            if let hit = hits.first { return "\(DriverPattern.describe(hit)) wins in some ordering (\(feasibleText))" }
            return truncated
        case .feasibleSubsetOf(let ps):
            let outside = feasible.filter { w in !ps.contains { $0.matches(w) } }
            if !outside.isEmpty { return "\(outside.map(DriverPattern.describe).joined(separator: ", ")) can win (\(feasibleText))" }
            return truncated
        case .endsOn(let p):
            let outside = feasible.filter { !p.matches($0) }
            if !outside.isEmpty { return "ends on \(outside.map(DriverPattern.describe).joined(separator: ", ")) in some ordering (\(feasibleText))" }
            return truncated
        case .allowRaces(let allowed):
            guard r.verdict.isRace, !allowed.contains(r.verdict) else { return nil }
            return "verdict \(r.verdict.rawValue); \(feasibleText)"
        case .verdict(let vs):
            return vs.contains(r.verdict) ? nil : "verdict \(r.verdict.rawValue)"
        }
    }
}
