@testable import BindraceTrace

/// Everything a reader makes of a trace, in a form tests compare: the items
/// (events of known kinds only), the diagnostics, the statistics, the strings,
/// and the error that stopped it, if any.
struct ReadTranscript: Equatable {
    enum Item: Equatable {
        case events(chunk: Int, offset: Int, events: [RawEvent], locations: [Int])
        case snapshot(Snapshot, chunk: Int, offset: Int)
    }

    /// How the items are taken.
    enum Path: CaseIterable {
        case next
        case visit
    }

    var items: [Item] = []
    var diagnostics: [TraceDiagnostic] = []
    var statistics: TraceStatistics?
    var strings: [String] = []
    var failure: TraceError?

    var events: [RawEvent] {
        items.flatMap { item -> [RawEvent] in
            if case .events(_, _, let events, _) = item { return events }
            return []
        }
    }

    /// Read with `TraceReader`.
    static func reader<Source: ByteSource>(_ source: Source, path: Path) -> ReadTranscript {
        transcribe(path: path, open: { () throws(TraceError) in try TraceReader(source: source) }, statistics: { $0.statistics })
    }

    /// Read with `TraceInput`, in either encoding.
    static func input<Source: ByteSource>(_ source: Source, encoding: TraceEncoding, path: Path) -> ReadTranscript {
        transcribe(path: path, open: { () throws(TraceError) in try TraceInput(source: source, encoding: encoding) },
                   statistics: { $0.binaryStatistics })
    }

    private static func transcribe<Reader: TraceItemReader>(
        path: Path, open: () throws(TraceError) -> Reader, statistics: (Reader) -> TraceStatistics?
    ) -> ReadTranscript {
        var transcript = ReadTranscript()
        var reader: Reader
        do {
            reader = try open()
        } catch {
            transcript.failure = error
            return transcript
        }
        do {
            switch path {
            case .next:
                while let item = try reader.next() { transcript.items.append(Item(item)) }
            case .visit:
                while try reader.visitNext({ transcript.items.append(Item($0)) }) {}
            }
        } catch {
            transcript.failure = error
        }
        transcript.diagnostics = reader.diagnostics
        transcript.statistics = statistics(reader)
        transcript.strings = reader.strings.strings
        return transcript
    }
}

extension ReadTranscript.Item {
    init(_ item: TraceItem) {
        switch item {
        case .events(let chunk):
            self = .events(chunk: chunk.index, offset: chunk.offset, events: chunk.events,
                           locations: chunk.events.indices.map { chunk.location(of: $0) })
        case .snapshot(let snapshot, let chunk, let offset):
            self = .snapshot(snapshot, chunk: chunk, offset: offset)
        }
    }

    /// What a visitor keeps: records of known kinds, as the reader's contract asks.
    init(_ visit: TraceVisit) {
        switch visit {
        case .events(let records):
            let known = (0..<records.count).filter { records[$0].kind != nil }
            self = .events(chunk: records.chunk, offset: records.offset, events: known.map { records[$0] },
                           locations: known.map { records.location(of: $0) })
        case .snapshot(let snapshot, let chunk, let offset):
            self = .snapshot(snapshot, chunk: chunk, offset: offset)
        }
    }
}
