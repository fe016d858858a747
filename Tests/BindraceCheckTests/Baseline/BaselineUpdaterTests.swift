import BindraceCheck
import BindraceReplay
import Testing

@Suite struct BaselineUpdaterTests {
    @Test func generatedFilesReadBackAndPass() throws {
        let d = EvaluatorTests.device(feasible: ["vfio-pci"], observed: "vfio-pci", verdict: .deterministic)
        let text = BaselineGenerator.file(devices: [d], traces: ["../t.jsonl"])
        let file = try ExpectationParser.parse(text, path: "b.yaml")
        #expect(file.traces == ["../t.jsonl"])
        #expect(file.rules.count == 1)
        #expect(try EvaluatorTests.check(text, [d]).passed)
        let racing = EvaluatorTests.device(feasible: ["vfio-pci", "nouveau"], observed: "vfio-pci", verdict: .raceVFIOVsNative)
        #expect(try !EvaluatorTests.check(text, [racing]).passed)
    }

    @Test func updateKeepsPoliciesAndComments() throws {
        let d = EvaluatorTests.device(feasible: ["vfio-pci"], observed: "vfio-pci", verdict: .deterministic)
        var text = BaselineGenerator.file(devices: [d], traces: ["t.jsonl"])
        text = text.replacingOccurrences(of: "policies: []\n", with: "# my policy\npolicies:\n  - select: {all: true}\n    never: nouveau\n")
        text = text.replacingOccurrences(of: "  - select: {bdf: \"0000:01:00.0\"", with: "  # reviewed by the lead\n  - select: {bdf: \"0000:01:00.0\"")
        text += "# trailing note\n"
        let racing = EvaluatorTests.device(feasible: ["vfio-pci", "e1000"], observed: "e1000", verdict: .raceVFIOVsNative)
        let updated = try BaselineUpdater.update(existing: text, path: "b.yaml", devices: [racing], traces: ["t2.jsonl"]).text
        #expect(updated.contains("# my policy\npolicies:\n  - select: {all: true}\n    never: nouveau\n"))
        #expect(updated.contains("  # reviewed by the lead\n  - select: {bdf: \"0000:01:00.0\""))
        #expect(updated.contains("allow-races: [race-vfio-vs-native]"))
        #expect(!updated.contains("deterministic: true"))
        #expect(updated.contains("t2.jsonl"))
        #expect(updated.hasSuffix("# trailing note\n"))
        #expect(try ExpectationParser.parse(updated, path: "b.yaml").rules.count == 2)
    }

    @Test func updateRefusesAnUnmarkedBaselineSection() {
        let d = EvaluatorTests.device(feasible: ["vfio-pci"], observed: "vfio-pci", verdict: .deterministic)
        #expect(throws: ExpectationError.self) {
            try BaselineUpdater.update(existing: "baseline:\n  - select: {all: true}\n    winner: a\n", path: "b.yaml", devices: [d], traces: [])
        }
    }
}
