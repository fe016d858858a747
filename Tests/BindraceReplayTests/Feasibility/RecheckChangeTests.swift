@testable import BindraceReplay
import Testing

/// Re-check descriptions as keys: equal exactly when their words are, in
/// order and number, as the arrays they replaced.
@Suite struct RecheckChangeTests {
    static func change(_ words: [UInt64]) -> RecheckChange? {
        var change = RecheckChange(words[0])
        for w in words.dropFirst() { guard change.append(w) else { return nil } }
        return change
    }

    @Test func equalExactlyWhenTheWordsAre() {
        let lists: [[UInt64]] = [[1], [1, 0], [1, 0, 0], [2], [1, 2], [2, 1], [1, 2, 3], [1, 2, 3, 4, 5, 6, 7, 8], [3, 1 << 63]]
        for a in lists {
            for b in lists {
                let x = Self.change(a)!, y = Self.change(b)!
                #expect((x == y) == (a == b), "\(a) \(b)")
                if a == b { #expect(x.hashValue == y.hashValue) }
            }
        }
        // As a dictionary key, one entry per distinct list.
        let keyed = Dictionary(lists.map { (Self.change($0)!, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(keyed.count == lists.count)
    }

    @Test func eightWordsAtMost() {
        var change = RecheckChange(1)
        for w in 2...8 as ClosedRange<UInt64> {
            let fitted = change.append(w)
            #expect(fitted)
        }
        let ninth = change.append(9)
        #expect(!ninth)
        #expect(change == Self.change([1, 2, 3, 4, 5, 6, 7, 8]))
    }
}
