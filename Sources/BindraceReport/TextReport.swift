import BindraceReplay
import BindraceTrace

/// The readable report: one block per device that matters, most severe
/// first, then warnings and a one-line summary. Every string that came from
/// a trace goes through `terminalSafe`.
public enum TextReport {
    public static func render(_ result: AnalysisResult, options: ReportOptions = ReportOptions()) -> String {
        var out = ""
        let shown = result.devices.filter { d in
            d.matters && (options.showAll || d.verdict != .deterministic || d.feasibleWinners.contains { $0.map(DriverName.isVFIO) == true } || d.explanation != nil)
        }
        for d in shown { out += block(d, color: options.color) + "\n" }
        if !result.warnings.isEmpty {
            out += "warnings:\n"
            for w in result.warnings { out += "  - " + w.terminalSafe + "\n" }
            out += "\n"
        }
        out += summary(result) + "\n"
        return out
    }

    static func name(_ w: String?) -> String { (w ?? "(unbound)").terminalSafe }

    static func title(_ v: Verdict) -> String {
        switch v {
        case .raceVFIOVsNative: "RACE vfio vs native"
        case .raceVFIOVsVFIO: "RACE vfio-pci vs variant driver"
        case .raceNativeVsNative: "RACE native vs native"
        case .raceBoundVsUnbound: "RACE bound vs unbound"
        case .overrideTooLate: "OVERRIDE TOO LATE"
        case .unboundWithCandidate: "UNBOUND although a driver could claim it"
        case .deferredForever: "DEFERRED FOREVER"
        case .unexplained: "UNEXPLAINED"
        case .incomplete: "INCOMPLETE (events missing: no determinism claimed)"
        case .boundBeforeCapture: "bound before the capture started"
        case .deterministic: "deterministic"
        }
    }

    static func block(_ d: DeviceResult, color: Bool = false) -> String {
        var lines: [String] = []
        let ids = d.ids.isEmpty ? "" : " [\(d.ids)]"
        lines.append("\(TerminalColors.paint(d.device.terminalSafe, TerminalColors.bold, when: color))\(ids): \(TerminalColors.paint(title(d.verdict), TerminalColors.code(for: d.verdict), when: color))\(d.provenAcrossBoots ? " — proven: boots disagree" : "")")
        if !d.candidates.isEmpty { lines.append("  candidates:       \(d.candidates.map { $0.terminalSafe }.joined(separator: ", "))") }
        if d.observedPerTrace.count > 1 {
            let per = d.observedPerTrace.sorted { $0.key < $1.key }.map { "\($0.key.terminalSafe): \(name($0.value))" }
            lines.append("  observed:         \(per.joined(separator: "; "))")
        } else {
            lines.append("  observed winner:  \(name(d.observedWinner))")
        }
        lines.append("  feasible winners: \(d.feasibleWinners.map(name).joined(separator: ", "))")
        if let u = d.unexplained { lines.append("  unexplained:      \(u.terminalSafe)") }
        if d.truncated { lines.append("  note:             exploration budget ran out; the winner set may be incomplete") }
        if let e = d.explanation {
            lines.append("  why: \(e.summary.terminalSafe)")
            for p in e.points {
                lines.append("    t=\(p.event.timeText) \(p.event.taskText.terminalSafe): \(p.event.what.terminalSafe)")
                lines.append("      → \(p.role.terminalSafe)")
            }
            lines.append("    \(e.reason.terminalSafe)")
        }
        if !d.suggestions.isEmpty {
            lines.append("  fixes (each re-checked by replaying every ordering with the change applied):")
            for s in d.suggestions {
                lines.append("    - \(s.text.terminalSafe)")
                lines.append("      ⇒ re-checked: \(s.recheckedWinners.map(name).joined(separator: ", ")) in every ordering")
            }
        }
        for a in d.assumptions { lines.append("  assumed: \(a.terminalSafe)") }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func summary(_ result: AnalysisResult) -> String {
        let races = result.devices.filter { $0.verdict == .raceVFIOVsNative }.count
        let otherRaces = result.devices.filter { $0.verdict.isRace && $0.verdict != .raceVFIOVsNative }.count
        let problems = result.devices.filter { !$0.verdict.isRace && $0.verdict != .deterministic }.count
        let deterministic = result.devices.filter { $0.verdict == .deterministic }.count
        let traces = result.traces.count == 1 ? "1 trace" : "\(result.traces.count) traces"
        return "bindrace: \(traces), \(result.eventCount) events, \(result.devices.count) devices: \(races) vfio-vs-native race\(races == 1 ? "" : "s"), \(otherRaces) other race\(otherRaces == 1 ? "" : "s"), \(problems) other finding\(problems == 1 ? "" : "s"), \(deterministic) deterministic"
    }
}
