import BindraceReplay
import BindraceReport
import Testing
import Foundation

@Suite struct ReportRenderingTests {
    static func device(_ name: String, _ verdict: Verdict, winners: [String?], observed: String? = nil) -> DeviceResult {
        DeviceResult(device: name, ids: "8086:100e", candidates: winners.compactMap { $0 }, observedWinner: observed,
                     observedPerTrace: ["a.jsonl": observed], feasibleWinners: winners, verdict: verdict, provenAcrossBoots: false,
                     unexplained: nil, explanation: nil, suggestions: [], assumptions: [], truncated: false)
    }

    static let result = AnalysisResult(
        traces: ["a.jsonl"],
        devices: [
            device("0000:00:02.0", .raceVFIOVsNative, winners: ["vfio-pci", "e1000"], observed: "vfio-pci"),
            device("0000:00:03.0", .deterministic, winners: ["e1000"], observed: "e1000"),
            device("0000:00:04.0\u{1b}[31m", .overrideTooLate, winners: ["e1000"], observed: "e1000"),
        ],
        warnings: ["probe really_probe was not attached"], eventCount: 42)

    @Test func textListsMostSevereFirstAndSummarises() {
        let text = TextReport.render(Self.result)
        let race = text.range(of: "0000:00:02.0")!.lowerBound
        let late = text.range(of: "0000:00:04.0")!.lowerBound
        #expect(race < late)
        #expect(text.contains("RACE vfio vs native"))
        #expect(!text.contains("0000:00:03.0"), "deterministic native devices are hidden by default")
        #expect(TextReport.render(Self.result, options: ReportOptions(showAll: true)).contains("0000:00:03.0"))
        #expect(text.hasSuffix("1 vfio-vs-native race, 0 other races, 1 other finding, 1 deterministic\n"))
        #expect(text.contains("warnings:\n  - probe really_probe was not attached"))
    }

    @Test func traceStringsCannotDriveTheTerminal() {
        let text = TextReport.render(Self.result)
        #expect(!text.contains("\u{1b}"))
        #expect(text.contains("\\x1b[31m"))
    }

    @Test func jsonHasTheDocumentedKeysInOrder() {
        let json = JSONReport.render(Self.result)
        let keys = ["\"device\"", "\"ids\"", "\"candidates\"", "\"observed_winner\"", "\"observed_per_trace\"", "\"feasible_winners\"",
                    "\"verdict\"", "\"proven_across_boots\"", "\"unexplained\"", "\"explanation\"", "\"suggestions\"", "\"assumptions\"", "\"truncated\""]
        var last = json.startIndex
        for key in keys {
            guard let r = json.range(of: key, range: last..<json.endIndex) else {
                Issue.record("missing or out of order: \(key)")
                return
            }
            last = r.upperBound
        }
        #expect(json.hasPrefix("{\n  \"schema\": \"bindrace-report/1\""))
        #expect(json.contains("\"warnings\": [\n    \"probe really_probe was not attached\"\n  ]"))
        #expect(json.contains("\"race-vfio-vs-native\": 1"))
        #expect(json.contains("\\u001b[31m"))
        #expect(!json.contains("\u{1b}"))
    }

    @Test func jsonUnboundWinnerIsNull() {
        let r = AnalysisResult(traces: ["a"], devices: [Self.device("0000:00:02.0", .raceBoundVsUnbound, winners: [nil, "vfio-pci"])],
                               warnings: [], eventCount: 1)
        let json = JSONReport.render(r)
        #expect(json.contains("\"feasible_winners\": [\n        null,\n        \"vfio-pci\"\n      ]"))
        #expect(json.contains("\"observed_winner\": null"))
    }

    @Test func jsonIsStable() {
        #expect(JSONReport.render(Self.result) == JSONReport.render(Self.result))
    }
}
