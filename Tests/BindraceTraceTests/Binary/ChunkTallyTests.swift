@testable import BindraceTrace
import Testing

/// Records counted chunk by chunk, then combined in file order, give what
/// one pass over all of them gives: the reader may take a chunk's tally
/// from another thread.
@Suite struct ChunkTallyTests {
    /// Records of `stride` bytes with these kind bytes and timestamps.
    static func records(_ items: [(kind: UInt8, timestamp: UInt64)], stride: Int = RawEvent.size) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: items.count * stride)
        bytes.withUnsafeMutableBytes { p in
            for (i, item) in items.enumerated() {
                p.storeBytes(of: item.timestamp.littleEndian, toByteOffset: i * stride + RecordView.Offset.timestamp, as: UInt64.self)
                p.storeBytes(of: item.kind, toByteOffset: i * stride + RecordView.Offset.kind, as: UInt8.self)
            }
        }
        return bytes
    }

    static let unknownKind: UInt8 = 0xEE
    static let knownKind = EventKind.moduleLoad.rawValue

    /// The counts of one pass over every record, as the reader made them before tallies.
    static func onePass(_ items: [(kind: UInt8, timestamp: UInt64)]) -> (known: Int, wentBack: Int, unknown: [UInt8: Int]) {
        var last: UInt64 = 0, back = 0, known = 0
        var unknown: [UInt8: Int] = [:]
        for item in items {
            if EventKind(rawValue: item.kind) != nil {
                if item.timestamp < last { back += 1 }
                last = item.timestamp
                known += 1
            } else {
                unknown[item.kind, default: 0] += 1
            }
        }
        return (known, back, unknown)
    }

    @Test func aChunkCountsItsKnownRecordsUnknownKindsAndTimestampsGoingBack() {
        let items: [(kind: UInt8, timestamp: UInt64)] = [
            (Self.unknownKind, 1), (Self.knownKind, 50), (Self.knownKind, 40), (Self.unknownKind, 0), (Self.knownKind, 45), (Self.knownKind, 45),
        ]
        let bytes = Self.records(items)
        let tally = bytes.withUnsafeBytes { ChunkTally(records: $0.baseAddress!, count: items.count, stride: RawEvent.size) }
        #expect(tally.known == 4)
        #expect(tally.firstTimestamp == 50)
        #expect(tally.lastTimestamp == 45)
        #expect(tally.wentBack == 1)
        #expect(tally.unknownKinds == [Self.unknownKind: 2])
        #expect(tally.wentBack(after: 51) == 2)
        #expect(tally.wentBack(after: 50) == 1)
    }

    @Test func aChunkOfUnknownKindsOnlyComparesNothing() {
        let bytes = Self.records([(Self.unknownKind, 5), (Self.unknownKind + 1, 1)], stride: 64)
        let tally = bytes.withUnsafeBytes { ChunkTally(records: $0.baseAddress!, count: 2, stride: 64) }
        #expect(tally.known == 0)
        #expect(tally.wentBack(after: .max) == 0)
        #expect(tally.unknownKinds == [Self.unknownKind: 1, Self.unknownKind + 1: 1])
    }

    /// A reader's visitor that counted the records of unknown kinds as it
    /// read them: the rest counted from that gives the reader's own tally,
    /// through the pass that looks at no kind when there are none.
    @Test(arguments: 1...40)
    func aCountOfUnknownKindsGivesTheReadersTally(seed: Int) {
        var rng = RandomTrace.SplitMix(state: UInt64(seed))
        func next(_ bound: UInt64) -> UInt64 { UInt64.random(in: 0..<bound, using: &rng) }
        let count = 1 + Int(next(50))
        // Half the seeds without unknown kinds, to take the pass that skips the kinds.
        let unknownRate: UInt64 = seed % 2 == 0 ? 0 : 4
        let items: [(kind: UInt8, timestamp: UInt64)] = (0..<count).map { _ in
            (unknownRate > 0 && next(unknownRate) == 0 ? Self.unknownKind : Self.knownKind, next(30))
        }
        let stride = seed % 3 == 0 ? 64 : RawEvent.size
        let bytes = Self.records(items, stride: stride)
        let unknown = items.count { EventKind(rawValue: $0.kind) == nil }
        bytes.withUnsafeBytes { p in
            let counted = ChunkTally(records: p.baseAddress!, count: count, stride: stride, unknown: unknown)
            let own = ChunkTally(records: p.baseAddress!, count: count, stride: stride)
            #expect(counted == own, "seed \(seed): \(unknown) unknown of \(count)")
        }
    }

    @Test(arguments: 1...40)
    func chunksCombinedInOrderGiveOnePassesCounts(seed: Int) {
        var rng = RandomTrace.SplitMix(state: UInt64(seed))
        func next(_ bound: UInt64) -> UInt64 { UInt64.random(in: 0..<bound, using: &rng) }
        let count = Int(next(60))
        let items: [(kind: UInt8, timestamp: UInt64)] = (0..<count).map { _ in
            (next(5) == 0 ? Self.unknownKind : Self.knownKind, next(20))
        }
        let bytes = Self.records(items)
        // Cut into chunks at random places, each counted on its own, combined as the reader does.
        var cuts = [0]
        while cuts.last! < count { cuts.append(min(count, cuts.last! + 1 + Int(next(9)))) }
        var last: UInt64 = 0, back = 0, known = 0
        var unknown: [UInt8: Int] = [:]
        bytes.withUnsafeBytes { p in
            for (start, end) in zip(cuts, cuts.dropFirst()) {
                let tally = ChunkTally(records: p.baseAddress! + start * RawEvent.size, count: end - start, stride: RawEvent.size)
                back += tally.wentBack(after: last)
                if tally.known > 0 { last = tally.lastTimestamp }
                known += tally.known
                for (k, n) in tally.unknownKinds { unknown[k, default: 0] += n }
            }
        }
        let expected = Self.onePass(items)
        #expect(known == expected.known)
        #expect(back == expected.wentBack)
        #expect(unknown == expected.unknown)
    }
}
