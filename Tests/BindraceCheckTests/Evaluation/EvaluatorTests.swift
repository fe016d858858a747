import BindraceCheck
import BindraceReplay
import BindraceTrace
import Testing

@Suite struct EvaluatorTests {
    static func device(_ name: String = "0000:01:00.0", feasible: [String?], observed: String?, verdict: Verdict,
                       pci: PCIDeviceIDs = PCIDeviceIDs(vendor: 0x10de, device: 0x1db4, classCode: 0x030000)) -> DeviceFacts {
        DeviceFacts(result: DeviceResult(
            device: name, ids: "10de:1db4", candidates: feasible.compactMap { $0 }, observedWinner: observed,
            observedPerTrace: ["t.jsonl": observed], feasibleWinners: feasible, verdict: verdict, provenAcrossBoots: false,
            unexplained: nil, explanation: nil, suggestions: [], assumptions: [], truncated: false), pci: pci)
    }

    static func check(_ yaml: String, _ devices: [DeviceFacts]) throws -> CheckReport {
        let file = try ExpectationParser.parse(yaml, path: "e.yaml")
        let result = AnalysisResult(traces: ["t.jsonl"], devices: devices.map(\.result), warnings: [], eventCount: 0)
        return Evaluator.check(file, result: result, devices: devices)
    }

    @Test func aPolicyFailsWhenSomeOrderingEndsOnANativeDriver() throws {
        let racing = Self.device(feasible: ["vfio-pci", "nouveau"], observed: "vfio-pci", verdict: .raceVFIOVsNative)
        let report = try Self.check("policies:\n  - select: {vendor: 10de, class: \"03\"}\n    ends-on: vfio\n", [racing])
        #expect(!report.passed)
        #expect(report.violations.first?.expectation == "e.yaml:3")
        #expect(report.violations.first?.found.contains("nouveau") == true)
        let fine = Self.device(feasible: ["vfio-pci"], observed: "vfio-pci", verdict: .deterministic)
        #expect(try Self.check("policies:\n  - select: {vendor: 10de, class: \"03\"}\n    ends-on: vfio\n", [fine]).passed)
    }

    @Test func classSelectorsUseTheMask() throws {
        let audio = Self.device(feasible: ["snd_hda_intel"], observed: "snd_hda_intel", verdict: .deterministic,
                                pci: PCIDeviceIDs(vendor: 0x10de, device: 0x10f8, classCode: 0x040300))
        let report = try Self.check("policies:\n  - select: {class: \"03\"}\n    ends-on: vfio\n", [audio])
        #expect(report.passed)
        #expect(report.cases.first?.device == nil)
    }

    @Test func deterministicAndAllowRaces() throws {
        let racing = Self.device(feasible: ["vfio-pci", "e1000"], observed: "vfio-pci", verdict: .raceVFIOVsNative)
        #expect(try !Self.check("expect:\n  - select: {all: true}\n    deterministic: true\n", [racing]).passed)
        #expect(try Self.check("expect:\n  - select: {all: true}\n    allow-races: [race-vfio-vs-native]\n", [racing]).passed)
        #expect(try !Self.check("expect:\n  - select: {all: true}\n    allow-races: [race-vfio-vs-vfio]\n", [racing]).passed)
        #expect(try Self.check("expect:\n  - select: {all: true}\n    winner: vfio-pci\n", [racing]).passed)
        #expect(try !Self.check("expect:\n  - select: {all: true}\n    never: e1000\n", [racing]).passed)
        #expect(try !Self.check("expect:\n  - select: {all: true}\n    feasible-subset-of: [vfio]\n", [racing]).passed)
    }

    @Test func aBDFRuleThatSelectsNothingFails() throws {
        let other = Self.device("0000:02:00.0", feasible: ["e1000"], observed: "e1000", verdict: .deterministic)
        let report = try Self.check("expect:\n  - select: {bdf: \"0000:01:00.0\"}\n    winner: vfio-pci\n", [other])
        #expect(report.violations.count == 1)
        #expect(report.violations[0].found.contains("no device"))
    }

    @Test func truncatedExplorationFailsClosed() throws {
        var d = Self.device(feasible: ["vfio-pci"], observed: "vfio-pci", verdict: .deterministic)
        d.result.truncated = true
        #expect(try !Self.check("expect:\n  - select: {all: true}\n    never: nouveau\n", [d]).passed)
    }
}
