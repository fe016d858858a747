@testable import BindraceReplay
import Testing

@Suite struct ShapeTableTests {
    static func key(_ words: [UInt64]) -> PlainBuffer<UInt64> {
        var b = PlainBuffer<UInt64>()
        for w in words { b.append(w) }
        return b
    }

    @Test func findsWhatWasInsertedAndNothingElse() {
        var table = ShapeTable()
        for n in 0..<5000 { table.insert([UInt64(n), 7, UInt64(n % 3)], UInt8(n % 11)) }
        for n in 0..<5000 { #expect(table.find(Self.key([UInt64(n), 7, UInt64(n % 3)])) == UInt8(n % 11)) }
        #expect(table.find(Self.key([1, 7])) == nil)
        #expect(table.find(Self.key([1, 7, 2])) == nil)
        #expect(table.count == 5000)
    }
}
