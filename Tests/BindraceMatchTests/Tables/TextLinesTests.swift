import PropertyBased
import Testing
@testable import BindraceMatch

@Suite struct TextLinesTests {
    /// Pieces the random texts are made of: blanks, both line ends, and
    /// characters Swift joins with what comes before (a combining accent)
    /// or takes as one Character across a line end (`\r\n`).
    static let pieces = ["a", "b", "#", "é", "\u{301}", " ", "\t", "\r", "\n", "\r\n", "alias", "pci:v*"]

    static func text(_ indices: [Int]) -> String { indices.map { pieces[$0] }.joined() }

    /// Lines as bytes between newlines, the piece after a final newline dropped.
    static func referenceLines(_ text: String) -> [String] {
        var lines = Array(text.utf8).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    static func referenceFields(_ line: String) -> [String] {
        Array(line.utf8).split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func linesAndFieldsSplitOnBytes() async {
        await propertyCheck(count: 500, input: Gen.int(in: 0...(Self.pieces.count - 1)).array(of: 0...40)) { indices in
            let text = Self.text(indices)
            let lines = TextLines(text: text).map { (number: $0.number, text: String($0.text)) }
            let expected = Self.referenceLines(text)
            #expect(lines.map(\.text) == expected, "text \(text.debugDescription)")
            #expect(lines.map(\.number) == Array(1..<(expected.count + 1)))
            for (line, want) in zip(TextLines(text: text), expected) {
                #expect(TextLines.fields(line.text).map(String.init) == Self.referenceFields(want), "line \(want.debugDescription)")
            }
        }
    }

    @Test func crlfFilesSplitIntoLines() {
        let lines = TextLines(text: "alias a x\r\nalias b y\r\n").map { String($0.text) }
        #expect(lines == ["alias a x\r", "alias b y\r"])
        #expect(TextLines.fields("alias b y\r"[...]) == ["alias", "b", "y"])
    }

    @Test func emptyAndBlankLines() {
        #expect(Array(TextLines(text: "")).isEmpty)
        #expect(TextLines(text: "\n").map { String($0.text) } == [""])
        #expect(TextLines(text: "a\n\nb").map { $0.number } == [1, 2, 3])
        #expect(TextLines(text: "a\n\n").map { String($0.text) } == ["a", ""])
        #expect(TextLines.fields(" \t \r"[...]).isEmpty)
    }

    /// A modules.alias with CRLF line ends reads as the same entries, and an
    /// error names the line it is on.
    @Test func aliasFileWithCRLF() throws {
        let unix = try ModulesAliasFile.parse("alias pci:v00001234d* first\n# note\nalias usb:v* second\n", file: "modules.alias")
        let dos = try ModulesAliasFile.parse("alias pci:v00001234d* first\r\n# note\r\nalias usb:v* second\r\n", file: "modules.alias")
        #expect(dos.entries.map(\.pattern) == unix.entries.map(\.pattern))
        #expect(dos.entries.map(\.module) == ["first", "second"])
        #expect(throws: MatchInputError.self) { try ModulesAliasFile.parse("alias a b\r\nalias c\r\n", file: "modules.alias") }
        do {
            _ = try ModulesAliasFile.parse("alias a b\r\nalias c\r\n", file: "modules.alias")
        } catch {
            #expect(error.line == 2)
        }
    }
}
