/// Writes the JSONL form: a header line, then one object per line.
public struct JSONLTraceWriter<Sink: ByteSink> {
    public private(set) var sink: Sink
    private var line: [UInt8] = []

    public init(sink: Sink, eventsPerChunk: Int = TraceFormat.defaultEventsPerChunk) throws {
        self.sink = sink
        try emit(.object([
            ("format", .string(JSONLLine.format)),
            ("version", .string("\(TraceFormat.majorVersion).\(TraceFormat.minorVersion)")),
            ("events_per_chunk", .uint(UInt64(eventsPerChunk))),
        ]))
    }

    public mutating func write(_ event: Event) throws {
        var members: [(String, JSONValue)] = [
            ("t", .uint(event.timestamp)), ("cpu", .uint(UInt64(event.cpu))),
            ("pid", .uint(UInt64(event.pid))), ("tid", .uint(UInt64(event.tid))),
            ("comm", .string(event.comm)), ("kind", .string(event.kind.name)),
        ]
        members += event.payload.jsonFields()
        try emit(.object(members))
    }

    public mutating func write(_ snapshot: Snapshot) throws {
        try emit(.object([("snapshot", .raw(try SnapshotCoding.encode(snapshot)))]))
    }

    /// Marks where the binary form ends a chunk early.
    public mutating func writeFlush() throws {
        try emit(.object([("flush", .bool(true))]))
    }

    private mutating func emit(_ value: JSONValue) throws {
        line.removeAll(keepingCapacity: true)
        value.write(to: &line)
        line.append(0x0A)
        try line.withUnsafeBytes { try sink.write($0) }
    }
}
