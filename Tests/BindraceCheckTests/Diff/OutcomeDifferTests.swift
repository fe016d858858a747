import BindraceCheck
import BindraceReplay
import Testing

@Suite struct OutcomeDifferTests {
    @Test func reportsFeasibleAndVerdictChangesWithWhy() {
        let before = EvaluatorTests.device(feasible: ["vfio-pci"], observed: "vfio-pci", verdict: .deterministic).result
        let after = EvaluatorTests.device(feasible: ["vfio-pci", "nova_core"], observed: "vfio-pci", verdict: .raceVFIOVsNative).result
        let changes = OutcomeDiffer.diff(
            before: AnalysisResult(traces: ["a"], devices: [before], warnings: [], eventCount: 0),
            after: AnalysisResult(traces: ["b"], devices: [after], warnings: [], eventCount: 0))
        #expect(changes.count == 1)
        #expect(changes[0].kinds == ["feasible", "verdict"])
        #expect(changes[0].why.contains { $0.contains("nova_core") })
        #expect(OutcomeDiffer.diff(
            before: AnalysisResult(traces: ["a"], devices: [before], warnings: [], eventCount: 0),
            after: AnalysisResult(traces: ["b"], devices: [before], warnings: [], eventCount: 0)).isEmpty)
    }
}
