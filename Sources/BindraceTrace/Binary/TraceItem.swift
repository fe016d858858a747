/// What a reader yields, in file order.
public enum TraceItem: Sendable {
    case events(EventChunk)
    case snapshot(Snapshot, chunk: Int, offset: Int)
}

/// The events of one intact chunk.
public struct EventChunk: Sendable {
    /// The chunk's sequence number.
    public var index: Int
    /// Byte offset of the chunk header in the file (or the first line, for JSONL).
    public var offset: Int
    /// Records of kinds this version knows, in file order.
    public var events: [RawEvent]
    /// For JSONL: each event's line, so messages can cite it. Empty for binary.
    public var lines: [Int] = []

    public init(index: Int, offset: Int, events: [RawEvent], lines: [Int] = []) {
        self.index = index
        self.offset = offset
        self.events = events
        self.lines = lines
    }

    /// Where event `i` of the chunk is: its JSONL line, or the chunk's offset.
    public func location(of i: Int) -> Int { i < lines.count ? lines[i] : offset }
}
