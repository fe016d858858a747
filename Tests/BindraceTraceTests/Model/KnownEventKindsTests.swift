@testable import BindraceTrace
import Testing

/// The kind set's two forms (four words for the per-record loops, 256
/// flags for the reader's tally) say the same as the kinds themselves.
@Suite struct KnownEventKindsTests {
    @Test func bothFormsHoldExactlyTheKindsThisVersionKnows() {
        var known = 0
        for byte in 0..<256 {
            let kind = EventKind(rawValue: UInt8(byte))
            #expect(KnownEventKinds.all.contains(UInt8(byte)) == (kind != nil), "words, byte \(byte)")
            #expect(KnownEventKinds.flags[byte] == (kind != nil), "flags, byte \(byte)")
            if kind != nil { known += 1 }
        }
        #expect(known == EventKind.allCases.count)
    }

    /// A word is picked by the byte's top two bits, and a bit by the rest:
    /// kinds at either edge of the first two words, and no byte else.
    @Test func aSetHoldsOnlyItsKindsAcrossWordEdges() {
        let kinds: [EventKind] = [.processFork, .asyncSynchronize, .workQueued, .lost]
        #expect(kinds.map(\.rawValue) == [1, 63, 64, 81])
        let set = KnownEventKinds(kinds)
        for byte in 0..<256 {
            #expect(set.contains(UInt8(byte)) == kinds.contains { $0.rawValue == UInt8(byte) }, "byte \(byte)")
        }
    }
}
