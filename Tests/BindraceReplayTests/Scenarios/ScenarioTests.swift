import BindraceReplay
import BindraceTrace
import Testing

/// Every scenario in traces/scenarios and every real capture in traces/vm
/// gives its expected verdicts, and the replay of each trace's observed order
/// reproduces its observed binding.
@Suite struct ScenarioTests {
    @Test func thereAreScenarios() {
        #expect(ScenarioFiles.names(in: "scenarios").count >= 10, "scenarios found in \(ScenarioFiles.directory)")
        #expect(ScenarioFiles.names(in: "vm").count >= 5, "real captures found in \(ScenarioFiles.directory)")
    }

    @Test(arguments: ScenarioFiles.names())
    func scenarioGivesItsExpectedResult(_ name: String) throws {
        let expected = try ScenarioFiles.expected(name)
        let traces = try expected.traces.map { try ScenarioFiles.facts($0, of: name) }
        for trace in traces {
            #expect(trace.diagnostics.isEmpty, "\(trace.name): \(trace.diagnostics)")
        }
        let result = ReplayAnalyzer.analyze(traces)
        for (device, want) in expected.devices {
            guard let got = result.devices.first(where: { $0.device == device }) else {
                Issue.record("\(name): no result for \(device)")
                continue
            }
            #expect(got.verdict.rawValue == want.verdict, "\(name) \(device): \(got)")
            if traces.count == 1 {
                #expect(got.observedWinner == want.observed_winner, "\(name) \(device)")
            }
            if let winners = want.feasible_winners {
                #expect(Set(got.feasibleWinners) == Set(winners), "\(name) \(device)")
            }
            if let proven = want.proven_across_boots { #expect(got.provenAcrossBoots == proven, "\(name) \(device)") }
            if let kinds = want.suggestion_kinds { #expect(got.suggestions.map(\.kind) == kinds, "\(name) \(device): \(got.suggestions)") }
            if got.verdict.isRace { #expect(got.explanation?.points.count == 2, "\(name) \(device): a race names two events") }
            if want.explanation == true { #expect(got.explanation != nil, "\(name) \(device)") }
        }
        // The observed binding is reproduced for every device of every trace.
        for device in result.devices {
            #expect(device.unexplained == nil, "\(name) \(device.device): \(device.unexplained ?? "")")
        }
        #expect((result.hasVFIONativeRace ? 1 : 0) == expected.exit, "\(name): exit status")
    }
}
