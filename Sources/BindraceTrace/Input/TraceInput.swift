/// Reads either form of trace as the same stream of chunks of raw events and
/// snapshots, with one string table. JSONL events are grouped into chunks where
/// the binary form would put its boundaries (full chunk, `flush` line,
/// snapshot, end), so both forms yield the same items.
public struct TraceInput<Source: ByteSource> {
    private enum Reader {
        case binary(TraceReader<Source>)
        case jsonl(JSONLTraceReader<Source>, JSONLChunker)
    }

    private var reader: Reader
    public let encoding: TraceEncoding

    public init(source: Source, encoding: TraceEncoding) throws(TraceError) {
        self.encoding = encoding
        switch encoding {
        case .binary: reader = .binary(try TraceReader(source: source))
        case .jsonl:
            let jsonl = try JSONLTraceReader(source: source)
            reader = .jsonl(jsonl, JSONLChunker(eventsPerChunk: jsonl.eventsPerChunk))
        }
    }

    public var eventsPerChunk: Int {
        switch reader {
        case .binary(let r): r.header.eventsPerChunk
        case .jsonl(let r, _): r.eventsPerChunk
        }
    }

    public var strings: StringTable {
        switch reader {
        case .binary(let r): r.strings
        case .jsonl(_, let c): c.table
        }
    }

    public var diagnostics: [TraceDiagnostic] {
        switch reader {
        case .binary(let r): r.diagnostics
        case .jsonl(let r, _): r.diagnostics
        }
    }

    public var hasDamage: Bool { diagnostics.contains { $0.severity == .damage } }

    /// Binary-only facts (chunks, end chunk); nil for JSONL.
    public var binaryStatistics: TraceStatistics? {
        if case .binary(let r) = reader { return r.statistics }
        return nil
    }

    public mutating func next() throws(TraceError) -> TraceItem? {
        switch reader {
        case .binary(var r):
            defer { reader = .binary(r) }
            return try r.next()
        case .jsonl(var r, var chunker):
            defer { reader = .jsonl(r, chunker) }
            return try chunker.next(from: &r)
        }
    }
}

/// Groups JSONL events into chunks and keeps the string table for them.
struct JSONLChunker {
    let eventsPerChunk: Int
    private var interner = StringInterner()
    private(set) var table = StringTable()
    private var events: [RawEvent] = []
    private var lines: [Int] = []
    private var chunkLine = 0
    private var chunkIndex = 0
    private var held: TraceItem?
    private var ended = false

    init(eventsPerChunk: Int) { self.eventsPerChunk = eventsPerChunk }

    mutating func next<Source>(from reader: inout JSONLTraceReader<Source>) throws(TraceError) -> TraceItem? {
        if let item = held {
            held = nil
            return item
        }
        while !ended {
            guard let item = try reader.next() else {
                ended = true
                return takeChunk()
            }
            switch item {
            case .event(let event, let line):
                if events.isEmpty { chunkLine = line }
                events.append(event.raw(strings: &interner))
                lines.append(line)
                for text in interner.takePending().strings { table.append(text) }
                if events.count == eventsPerChunk, let chunk = takeChunk() { return chunk }
            case .flush:
                if let chunk = takeChunk() { return chunk }
            case .snapshot(let snapshot, let line):
                let chunk = takeChunk()
                let item = TraceItem.snapshot(snapshot, chunk: chunkIndex, offset: line)
                chunkIndex += 1
                if let chunk {
                    held = item
                    return chunk
                }
                return item
            }
        }
        return nil
    }

    private mutating func takeChunk() -> TraceItem? {
        guard !events.isEmpty else { return nil }
        defer {
            events.removeAll(keepingCapacity: true)
            lines.removeAll(keepingCapacity: true)
            chunkIndex += 1
        }
        return .events(EventChunk(index: chunkIndex, offset: chunkLine, events: events, lines: lines))
    }
}
