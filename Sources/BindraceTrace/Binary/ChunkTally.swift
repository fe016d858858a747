/// What the reader counts of an events chunk's records for its statistics
/// and warnings: known events, unknown kinds, timestamps that go back.
/// Counted chunk by chunk, so that the reader's visitor can count a chunk
/// as it reads it (`TraceReader.visitNext(counting:)`), with the same
/// result as one pass over the whole trace: a timestamp going back across
/// chunks is found by comparing a chunk's first known timestamp with the
/// last one before it.
public struct ChunkTally: Equatable, Sendable {
    /// Records of known kinds.
    public internal(set) var known = 0
    /// The first and last known records' timestamps (meaningful when `known > 0`).
    public internal(set) var firstTimestamp: UInt64 = 0
    public internal(set) var lastTimestamp: UInt64 = 0
    /// Known records whose timestamp is below the known record's before them, within the chunk.
    public internal(set) var wentBack = 0
    /// Records of kinds this version does not know, by kind byte.
    public internal(set) var unknownKinds: [UInt8: Int] = [:]

    /// Counts `count` records of `stride` bytes from `base`.
    public init(records base: UnsafeRawPointer, count: Int, stride: Int) {
        let known = KnownEventKinds.flags
        var record = base
        // Up to the first known record: nothing to compare with before it.
        var unknown = 0
        while unknown < count && !known[Int(RecordView(record).kindByte)] {
            unknown += 1
            record += stride
        }
        if unknown < count {
            let first = RecordView(record).timestamp
            var last = first
            var back = 0
            // No call in the loop: one (to note the rare unknown kind) left
            // too few registers for the common case's values, and one spilled.
            for _ in unknown..<count {
                let view = RecordView(record)
                if known[Int(view.kindByte)] {
                    let timestamp = view.timestamp
                    if timestamp < last { back += 1 }
                    last = timestamp
                } else {
                    unknown += 1
                }
                record += stride
            }
            firstTimestamp = first
            lastTimestamp = last
            wentBack = back
        }
        self.known = count - unknown
        if unknown > 0 { noteUnknownKinds(base, count: count, stride: stride) }
    }

    /// The count of records whose reader counted those of unknown kinds as
    /// it read them (`unknown`; the clock stage of the streaming replay
    /// looks up every record's kind anyway). With none, the timestamps are
    /// compared in a pass that looks at no kind: a third of the other's
    /// instructions a record. With some, the records are counted as `init`
    /// counts them.
    public init(records base: UnsafeRawPointer, count: Int, stride: Int, unknown: Int) {
        guard unknown == 0, count > 0 else {
            self.init(records: base, count: count, stride: stride)
            return
        }
        self.init(allKnown: base, count: count, stride: stride)
    }

    private init(allKnown base: UnsafeRawPointer, count: Int, stride: Int) {
        var record = base
        let first = RecordView(record).timestamp
        var last = first
        var back = 0
        for _ in 1..<count {
            record += stride
            let timestamp = RecordView(record).timestamp
            if timestamp < last { back &+= 1 }
            last = timestamp
        }
        known = count
        firstTimestamp = first
        lastTimestamp = last
        wentBack = back
    }

    /// Which unknown kinds, in a second pass (rare).
    private mutating func noteUnknownKinds(_ base: UnsafeRawPointer, count: Int, stride: Int) {
        let known = KnownEventKinds.flags
        for i in 0..<count {
            let kind = RecordView(base + i * stride).kindByte
            if !known[Int(kind)] { unknownKinds[kind, default: 0] += 1 }
        }
    }

    /// Timestamps going back in this chunk, its first known one compared
    /// with `previous`, the last known timestamp before the chunk.
    public func wentBack(after previous: UInt64) -> Int {
        known > 0 && firstTimestamp < previous ? wentBack + 1 : wentBack
    }
}
