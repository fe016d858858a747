import PropertyBased
import Testing
@testable import BindraceMatch

/// The trie gives what testing every pattern one by one gives, in kmod's
/// order, whatever patterns share prefixes and wherever their wildcards are.
@Suite struct AliasIndexTests {
    /// Pattern pieces: literal bytes that share prefixes, and wildcards.
    static let pieces = ["a", "b", "ab", "ba", "*", "?", "[ab]", "[!a]", "c"]
    static let keyBytes: [UInt8] = Array("abc".utf8)

    @Test func lookupsAgreeWithALinearScan() async {
        let patterns = Gen.int(in: 0...(Self.pieces.count - 1)).array(of: 0...5).array(of: 1...40)
        let keys = Gen.int(in: 0...(Self.keyBytes.count - 1)).array(of: 0...6).array(of: 1...20)
        await propertyCheck(count: 300, input: patterns, keys) { patterns, keys in
            var index = AliasIndex()
            for (n, pieces) in patterns.enumerated() {
                let pattern = pieces.map { Self.pieces[$0] }.joined()
                let entry = AliasEntry(pattern: pattern, glob: KmodGlob(normalized: pattern), module: "m\(n)",
                                       origin: Origin(file: "f", line: n + 1))
                index.insert(entry, priority: UInt32(n % 5))
            }
            for key in keys.map({ $0.map { Self.keyBytes[$0] } }) {
                #expect(index.lookup(key) == index.linearScan(key), "key \(String(decoding: key, as: UTF8.self))")
            }
        }
    }

    @Test func itemsEndingAtOneNodeKeepTheirOrder() {
        var index = AliasIndex()
        for (n, pattern) in ["ab*", "a*", "ab*", "ab?", "b", "ab*"].enumerated() {
            index.insert(AliasEntry(pattern: pattern, glob: KmodGlob(normalized: pattern), module: "m\(n)",
                                    origin: Origin(file: "f", line: n + 1)), priority: 1)
        }
        #expect(index.matchingItems(Array("abc".utf8)).sorted() == [0, 1, 2, 3, 5])
        #expect(index.matchingItems(Array("abc".utf8)).filter { [0, 2, 5].contains($0) } == [0, 2, 5])
        #expect(index.matchingItems(Array("b".utf8)) == [4])
        #expect(index.matchingItems(Array("".utf8)).isEmpty)
    }
}
