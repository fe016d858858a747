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
}
