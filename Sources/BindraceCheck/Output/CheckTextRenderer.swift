import BindraceTrace

/// The human form of a check: each violation in a few lines, then a count.
/// Strings from traces are untrusted (device and driver names come from the
/// traced kernel): everything is made terminal-safe before it is printed.
public enum CheckTextRenderer {
    public static func render(_ report: CheckReport) -> String {
        var out = ""
        for v in report.violations {
            let device = v.device.isEmpty ? "(no device)" : v.device + (v.ids.isEmpty ? "" : " [\(v.ids)]")
            out += "FAIL \(device): \(v.assertion)  (\(v.expectation), rule \(v.rule))".terminalSafe + "\n"
            out += "  found: \(v.found)".terminalSafe + "\n"
            if let explanation = v.explanation { out += "  why: \(explanation)".terminalSafe + "\n" }
            if !v.racingEvents.isEmpty {
                out += "  racing events:\n"
                for e in v.racingEvents { out += "    \(e.text)".terminalSafe + "\n" }
            }
        }
        for w in report.warnings { out += "warning: \(w)".terminalSafe + "\n" }
        let devices = Set(report.cases.compactMap(\.device)).count
        let failed = report.cases.filter { !$0.passed }.count
        out += "\(report.traces.joined(separator: ", ")) against \(report.expectationFile): ".terminalSafe
        out += "\(report.cases.count) checks on \(devices) devices, \(report.violations.count) violations in \(failed) checks\n"
        return out
    }
}
