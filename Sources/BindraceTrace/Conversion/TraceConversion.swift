/// Converts between the two forms, keeping chunk boundaries, so that binary →
/// JSONL → binary reproduces the original bytes.
public enum TraceConversion {
    public struct Outcome: Sendable {
        public var events = 0
        public var snapshots = 0
        /// Records of known kinds whose fields this version cannot represent
        /// (an enum value from a newer writer); dropped.
        public var undecodable = 0
    }

    public static func toBinary<Source, Sink: ByteSink>(
        _ input: inout TraceInput<Source>, sink: Sink
    ) throws -> (Sink, Outcome) {
        var writer = try TraceWriter(sink: sink, eventsPerChunk: input.eventsPerChunk)
        var outcome = Outcome()
        while let item = try input.next() {
            switch item {
            case .events(let chunk):
                let strings = input.strings
                for raw in chunk.events {
                    guard let event = Event(raw: raw, strings: strings) else {
                        outcome.undecodable += 1
                        continue
                    }
                    try writer.append(event)
                    outcome.events += 1
                }
                // A full chunk flushed itself; a short one ended early on purpose.
                try writer.flush()
            case .snapshot(let snapshot, _, _):
                try writer.write(snapshot)
                outcome.snapshots += 1
            }
        }
        try writer.finish()
        return (writer.sink, outcome)
    }

    public static func toJSONL<Source, Sink: ByteSink>(
        _ input: inout TraceInput<Source>, sink: Sink
    ) throws -> (Sink, Outcome) {
        var writer = try JSONLTraceWriter(sink: sink, eventsPerChunk: input.eventsPerChunk)
        var outcome = Outcome()
        // A short chunk followed by more events needs an explicit flush line;
        // before a snapshot or at the end the boundary is implied.
        var shortChunkEnded = false
        while let item = try input.next() {
            switch item {
            case .events(let chunk):
                if shortChunkEnded { try writer.writeFlush() }
                let strings = input.strings
                for raw in chunk.events {
                    guard let event = Event(raw: raw, strings: strings) else {
                        outcome.undecodable += 1
                        continue
                    }
                    try writer.write(event)
                    outcome.events += 1
                }
                shortChunkEnded = chunk.events.count < input.eventsPerChunk
            case .snapshot(let snapshot, _, _):
                try writer.write(snapshot)
                outcome.snapshots += 1
                shortChunkEnded = false
            }
        }
        return (writer.sink, outcome)
    }
}
