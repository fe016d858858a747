import BindraceReplay

/// The `--format json` document. Its schema is documented in
/// docs/replay.md ("JSON report"); keys never change meaning, new keys may
/// be added.
public enum JSONReport {
    public static let schema = "bindrace-report/1"

    public static func document(_ result: AnalysisResult) -> JSONOutput {
        var counts: [(String, JSONOutput)] = []
        for verdict in Verdict.allCases {
            counts.append((verdict.rawValue, .int(Int64(result.devices.filter { $0.verdict == verdict }.count))))
        }
        return .object([
            ("schema", .string(schema)),
            ("traces", .array(result.traces.map(JSONOutput.string))),
            ("events", .int(Int64(result.eventCount))),
            ("summary", .object(counts)),
            ("warnings", .array(result.warnings.map(JSONOutput.string))),
            ("devices", .array(result.devices.filter(\.matters).map(device))),
        ])
    }

    public static func render(_ result: AnalysisResult) -> String { document(result).rendered() }

    static func device(_ d: DeviceResult) -> JSONOutput {
        .object([
            ("device", .string(d.device)),
            ("ids", .string(d.ids)),
            ("candidates", .array(d.candidates.map(JSONOutput.string))),
            ("observed_winner", .optional(d.observedWinner)),
            ("observed_per_trace", .object(d.observedPerTrace.sorted { $0.key < $1.key }.map { ($0.key, .optional($0.value)) })),
            ("feasible_winners", .array(d.feasibleWinners.map(JSONOutput.optional))),
            ("verdict", .string(d.verdict.rawValue)),
            ("proven_across_boots", .bool(d.provenAcrossBoots)),
            ("unexplained", .optional(d.unexplained)),
            ("explanation", d.explanation.map(explanation) ?? .null),
            ("suggestions", .array(d.suggestions.map { s in
                .object([
                    ("kind", .string(s.kind)),
                    ("text", .string(s.text)),
                    ("rechecked_winners", .array(s.recheckedWinners.map(JSONOutput.optional))),
                ])
            })),
            ("assumptions", .array(d.assumptions.map(JSONOutput.string))),
            ("truncated", .bool(d.truncated)),
        ])
    }

    static func explanation(_ e: Explanation) -> JSONOutput {
        .object([
            ("summary", .string(e.summary)),
            ("events", .array(e.points.map { p in
                .object([
                    ("time_ns", .int(Int64(clamping: p.event.timestamp))),
                    ("pid", .int(Int64(p.event.pid))),
                    ("tid", .int(Int64(p.event.tid))),
                    ("comm", .string(p.event.comm)),
                    ("kind", .string(p.event.kind.name)),
                    ("what", .string(p.event.what)),
                    ("role", .string(p.role)),
                    ("event_index", .int(Int64(p.event.index))),
                ])
            })),
            ("reason", .string(e.reason)),
        ])
    }
}
