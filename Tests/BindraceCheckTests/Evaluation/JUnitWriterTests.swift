import BindraceCheck
import BindraceReplay
import Testing

@Suite struct JUnitWriterTests {
    @Test func failuresAreCountedAndEscaped() throws {
        let d = EvaluatorTests.device("0000:01:00.0", feasible: ["vfio-pci", "a<b&\u{1}"], observed: "vfio-pci", verdict: .raceVFIOVsNative)
        let report = try EvaluatorTests.check("expect:\n  - select: {all: true}\n    deterministic: true\n", [d])
        let xml = JUnitWriter.render([report])
        #expect(xml.contains("tests=\"1\" failures=\"1\""))
        #expect(xml.contains("a&lt;b&amp;\u{FFFD}"))
        #expect(!xml.contains("\u{1}"))
    }
}
