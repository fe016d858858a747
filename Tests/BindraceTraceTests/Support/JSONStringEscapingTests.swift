import Foundation
@testable import BindraceTrace
import Testing

@Suite struct JSONStringEscapingTests {
    private func bytes(_ s: String) -> String {
        var out: [UInt8] = []
        JSONStringEscaping.append(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private func text(_ s: String) -> String {
        var out = ""
        JSONStringEscaping.append(s, to: &out)
        return out
    }

    @Test func plainNamesAreCopied() {
        #expect(bytes("vfio-pci") == "\"vfio-pci\"")
        #expect(text("0000:00:03.0") == "\"0000:00:03.0\"")
    }

    @Test func rfc8259Escapes() {
        #expect(bytes("a\"b\\c\nd\re\tf") == #""a\"b\\c\nd\re\tf""#)
        #expect(bytes("\u{0}\u{1b}[31m") == #""\u0000\u001b[31m""#)
    }

    @Test func c1ControlsDelAndLineSeparatorsAreEscaped() {
        #expect(bytes("\u{7f}\u{85}\u{9f}") == #""\u007f\u0085\u009f""#)
        #expect(bytes("a\u{2028}b\u{2029}") == #""a\u2028b\u2029""#)
    }

    @Test func otherUnicodeIsWrittenAsItself() {
        #expect(bytes("é\u{a0}🙂") == "\"é\u{a0}🙂\"")
    }

    @Test func bothFormsAgreeAndRoundTrip() throws {
        var rng = RandomTrace.SplitMix(state: 5)
        let alphabet: [Unicode.Scalar] = ["a", "\"", "\\", "\n", "\u{0}", "\u{1f}", "\u{7f}", "\u{85}", "\u{a0}", "é", "\u{2028}", "\u{2029}", "🙂", "/"]
        for _ in 0..<500 {
            var s = String.UnicodeScalarView()
            for _ in 0..<Int(rng.next() % 12) { s.append(alphabet[Int(rng.next() % UInt64(alphabet.count))]) }
            let original = String(s)
            let written = bytes(original)
            #expect(written == text(original))
            #expect(!written.contains("\n"))
            let decoded = try JSONDecoder().decode(String.self, from: Data(written.utf8))
            #expect(decoded == original)
        }
    }
}
