/// Reads either form of trace as the same stream of chunks of raw events and
/// snapshots, with one string table. JSONL events are grouped into chunks where
/// the binary form would put its boundaries (full chunk, `flush` line,
/// snapshot, end), so both forms yield the same items.
public struct TraceInput<Source: ByteSource>: TraceItemReader {
    // Set by `encoding`: `binary`, or `jsonl` with its `chunker`. Optionals
    // rather than an enum so the reader is mutated in place: a reader taken
    // out of an enum payload shares its buffers with the copy left behind,
    // and each growth of them would copy them whole.
    private var binary: TraceReader<Source>?
    private var jsonl: JSONLTraceReader<Source>?
    private var chunker: JSONLChunker?
    public let encoding: TraceEncoding

    public init(source: Source, encoding: TraceEncoding) throws(TraceError) {
        self.encoding = encoding
        switch encoding {
        case .binary: binary = try TraceReader(source: source)
        case .jsonl:
            let jsonl = try JSONLTraceReader(source: source)
            self.jsonl = jsonl
            chunker = JSONLChunker(eventsPerChunk: jsonl.eventsPerChunk)
        }
    }

    /// Binary only: chunks whose payload checksum another thread has verified (`ChecksumsAhead`).
    public var verifiedChecksums: (any VerifiedChecksums)? {
        get { binary?.verifiedChecksums }
        set { binary?.verifiedChecksums = newValue }
    }

    public var eventsPerChunk: Int { binary?.header.eventsPerChunk ?? jsonl!.eventsPerChunk }

    /// Binary only: the bytes of a record (the header's record size).
    public var recordSize: Int? { binary?.header.recordSize }

    public var strings: StringTable { binary?.strings ?? chunker!.table }

    public var diagnostics: [TraceDiagnostic] { binary?.diagnostics ?? jsonl!.diagnostics }

    /// Binary-only facts (chunks, end chunk); nil for JSONL.
    public var binaryStatistics: TraceStatistics? { binary?.statistics }

    public mutating func next() throws(TraceError) -> TraceItem? {
        if binary != nil { return try binary!.next() }
        return try chunker!.next(from: &jsonl!)
    }

    /// `TraceItemReader.visitNext(catching:)` for either encoding: binary
    /// records are read in place; JSONL events are stored as binary records
    /// for the visit.
    public mutating func visitNext<E: Error>(catching body: (TraceVisit) throws(E) -> Void) throws(TraceError) -> (found: Bool, failure: E?) {
        if binary != nil { return try binary!.visitNext(catching: body) }
        guard let item = try next() else { return (false, nil) }
        do throws(E) {
            switch item {
            case .events(let chunk): try Self.visitStored(chunk, strings: strings, body)
            case .snapshot(let snapshot, let chunk, let offset): try body(.snapshot(snapshot, chunk: chunk, offset: offset))
            }
            return (true, nil)
        } catch {
            return (true, error)
        }
    }

    /// `TraceReader.visitNext(counting:)` for either encoding: a binary
    /// trace's reader takes the visitor's count of an events chunk's
    /// records; JSONL events were counted as their lines were read, and
    /// the visitor's count is not needed.
    public mutating func visitNext(counting body: (TraceVisit) -> ChunkTally?) throws(TraceError) -> Bool {
        if binary != nil { return try binary!.visitNext(counting: body) }
        return try visitNext(catching: { (visit: TraceVisit) throws(Never) in _ = body(visit) }).found
    }

    private static func visitStored<E: Error>(_ chunk: EventChunk, strings: StringTable, _ body: (TraceVisit) throws(E) -> Void) throws(E) {
        var stored = [UInt8](repeating: 0, count: chunk.events.count * RawEvent.size)
        stored.withUnsafeMutableBytes { p in
            for (i, event) in chunk.events.enumerated() { event.store(to: p.baseAddress! + i * RawEvent.size) }
        }
        try stored.withUnsafeBufferPointer { (p) throws(E) in
            try chunk.lines.withUnsafeBufferPointer { (lines) throws(E) in
                // A chunk always holds an event, so there is a first record to point at.
                let records = EventRecords(chunk: chunk.index, offset: chunk.offset, count: chunk.events.count,
                                           base: UnsafeRawPointer(p.baseAddress!), stride: RawEvent.size, strings: strings, lines: lines)
                try body(.events(records))
            }
        }
    }
}
