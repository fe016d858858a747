@testable import BindraceTrace
import Testing

@Suite struct JoinedTextTests {
    @Test func equalsConcatenation() {
        let cases: [[String]] = [
            [],
            [""],
            ["", "", ""],
            ["pid ", "311", " (", "modprobe", ")"],
            // Past the 15 bytes a string holds inline, and across it.
            ["0123456789", "abcde"],
            ["0123456789", "abcdef"],
            [String(repeating: "x", count: 300), "", "y"],
            // Bytes as they are: no normalisation, whatever the scripts.
            ["e\u{301}", "—", "日本", "\u{1F600}", "é"],
        ]
        for parts in cases {
            let joined = JoinedText.join(parts)
            #expect(joined == parts.joined())
            #expect(Array(joined.utf8) == parts.flatMap { Array($0.utf8) })
        }
    }

    @Test func takesSubstringsMadeStrings() {
        let line = "driver_register vfio-pci (sync)"
        let parts = line.split(separator: " ").map(String.init)
        #expect(JoinedText.join(parts[0], "+", parts[1], "+", parts[2]) == "driver_register+vfio-pci+(sync)")
    }
}
