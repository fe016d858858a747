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
