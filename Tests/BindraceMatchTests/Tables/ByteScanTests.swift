import PropertyBased
import Testing
@testable import BindraceMatch

/// The word-at-a-time searches find what a byte-at-a-time search finds,
/// wherever the byte falls against the words' edges and whatever control
/// or non-ASCII bytes come before or after it.
@Suite struct ByteScanTests {
    /// Bytes from a small alphabet with every kind that matters nearby:
    /// blanks, a newline, other control bytes, the three alias specials,
    /// bytes past 0x7F (their borrows) and plain letters.
    static let alphabet: [UInt8] = [0x20, 0x09, 0x0D, 0x0A, 0x00, 0x01, 0x0B, 0x1F, 0x21, UInt8(ascii: "-"), UInt8(ascii: "["),
                                    UInt8(ascii: "]"), 0x80, 0xA0, 0xFF, UInt8(ascii: "a"), UInt8(ascii: "z")]
    static let texts = Gen.int(in: 0...(alphabet.count - 1)).array(of: 0...40).map { $0.map { alphabet[$0] } }

    @Test func newlinesAreFoundWhereTheyAre() async {
        await propertyCheck(count: 400, input: Self.texts, Gen.int(in: 0...40)) { text, start in
            let from = min(start, text.count)
            let expected = text[from...].firstIndex(of: 0x0A) ?? text.count
            text.withUnsafeBufferPointer { #expect(ByteScan.newline(in: $0, from: from) == expected, "\(text) from \(from)") }
        }
    }

    @Test func blanksAreFoundWhereTheyAre() async {
        await propertyCheck(count: 400, input: Self.texts, Gen.int(in: 0...40), Gen.int(in: 0...40)) { text, a, b in
            let from = min(a, b, text.count), to = min(max(a, b), text.count)
            let expected = text[from..<to].firstIndex(where: TextLines.isBlank) ?? to
            let nonBlank = text[from..<to].firstIndex { !TextLines.isBlank($0) } ?? to
            text.withUnsafeBufferPointer { bytes in
                #expect(ByteScan.blank(in: bytes, from: from, to: to) == expected, "\(text) \(from)..<\(to)")
                #expect(ByteScan.nonBlank(in: bytes, from: from, to: to) == nonBlank, "\(text) \(from)..<\(to)")
            }
        }
    }

    @Test func theFirstOfThreeBytesIsFound() async {
        let specials: [UInt8] = [UInt8(ascii: "-"), UInt8(ascii: "]"), UInt8(ascii: "[")]
        await propertyCheck(count: 400, input: Self.texts, Gen.int(in: 0...40)) { text, start in
            let from = min(start, text.count)
            let expected = text[from...].firstIndex(where: specials.contains) ?? text.count
            text.withUnsafeBufferPointer {
                #expect(ByteScan.first(specials[0], specials[1], specials[2], in: $0, from: from) == expected, "\(text) from \(from)")
            }
        }
    }

    @Test func asciiIsTellable() async {
        await propertyCheck(count: 400, input: Self.texts) { text in
            text.withUnsafeBufferPointer { #expect(ByteScan.isASCII($0) == text.allSatisfy { $0 < 0x80 }, "\(text)") }
        }
    }
}
