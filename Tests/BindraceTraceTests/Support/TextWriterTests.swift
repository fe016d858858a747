@testable import BindraceTrace
import Testing

@Suite struct TextWriterTests {
    @Test func decimalsAreWhatStringWrites() {
        var values: [UInt64] = [0, 1, 9, 10, 99, 100, 4_194_304, UInt64(UInt32.max), UInt64.max, UInt64.max - 1]
        var random = RandomTrace.SplitMix(state: 3)
        for _ in 0..<2_000 { values.append(random.next() >> (random.next() % 64)) }
        for v in values {
            #expect(TextWriter.text(capacity: TextWriter.decimalDigits) { $0.append(decimal: v) } == String(v))
        }
    }

    @Test func hexDigitsArePaddedLowercase() {
        for v: UInt16 in [0, 0xA, 0x100E, 0xFFFF, 0x8086, 0x00ff] {
            let padded = String(repeating: "0", count: 4 - String(v, radix: 16).count) + String(v, radix: 16)
            #expect(TextWriter.text(capacity: 4) { $0.append(hex4: v) } == padded)
        }
    }

    /// Parts of every kind, in any order, give their concatenation; the
    /// capacity may be larger than what is written.
    @Test func partsInOrderGiveTheirConcatenation() {
        let texts = ["", "pid ", " (", "modprobe", "é—日本\u{1F600}", String(repeating: "x", count: 40)]
        var random = RandomTrace.SplitMix(state: 9)
        for _ in 0..<500 {
            var expected = ""
            var steps: [(inout TextWriter) -> Void] = []
            var capacity = 0
            for _ in 0..<Int(random.next() % 8) {
                switch random.next() % 4 {
                case 0:
                    let t = texts[Int(random.next() % UInt64(texts.count))]
                    expected += t
                    capacity += t.utf8.count
                    steps.append { $0.append(t) }
                case 1:
                    let v = random.next() >> (random.next() % 64)
                    expected += String(v)
                    capacity += TextWriter.decimalDigits
                    steps.append { $0.append(decimal: v) }
                case 2:
                    let v = UInt16(truncatingIfNeeded: random.next())
                    let hex = String(v, radix: 16)
                    expected += String(repeating: "0", count: 4 - hex.count) + hex
                    capacity += 4
                    steps.append { $0.append(hex4: v) }
                default:
                    expected += ":"
                    capacity += 1
                    steps.append { $0.append(byte: UInt8(ascii: ":")) }
                }
            }
            let text = TextWriter.text(capacity: capacity + Int(random.next() % 3)) { writer in
                for step in steps { step(&writer) }
            }
            #expect(text == expected)
            #expect(Array(text.utf8) == Array(expected.utf8))
        }
    }
}
