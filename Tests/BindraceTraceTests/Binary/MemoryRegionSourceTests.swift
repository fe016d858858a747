@testable import BindraceTrace
import Testing

@Suite struct MemoryRegionSourceTests {
    static func trace() throws -> [UInt8] {
        var random = RandomTrace(seed: 21)
        return try TraceBytes.binary(random.steps(count: 40), eventsPerChunk: 4)
    }

    static func expectSameInput(_ bytes: [UInt8], encoding: TraceEncoding, _ comment: String = "",
                                sourceLocation: SourceLocation = #_sourceLocation) {
        for path in ReadTranscript.Path.allCases {
            let streamed = ReadTranscript.input(MemoryByteSource(bytes), encoding: encoding, path: path)
            let inPlace = bytes.withUnsafeBytes { ReadTranscript.input(MemoryRegionSource($0), encoding: encoding, path: path) }
            #expect(inPlace == streamed, "\(path) \(comment)", sourceLocation: sourceLocation)
        }
    }

    @Test func readsLikeACopiedSourceAtEveryCut() throws {
        let bytes = try Self.trace()
        for length in 0...bytes.count {
            Self.expectSameInput(Array(bytes[..<length]), encoding: .binary, "prefix \(length)")
        }
    }

    @Test func readsLikeACopiedSourceWithEveryFlippedByte() throws {
        let bytes = try Self.trace()
        for offset in bytes.indices {
            var damaged = bytes
            damaged[offset] ^= 0xA5
            Self.expectSameInput(damaged, encoding: .binary, "flip at \(offset)")
        }
    }

    @Test func readsJSONLLikeACopiedSource() throws {
        let jsonl = try TraceBytes.convert(try Self.trace(), from: .binary, to: .jsonl)
        Self.expectSameInput(jsonl, encoding: .jsonl)
        var lines = jsonl.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        lines[5] = Array("{\"not\": json".utf8)
        let damaged: [UInt8] = Array(lines.joined(separator: [0x0A]))
        Self.expectSameInput(damaged, encoding: .jsonl, "bad line")
        for length in stride(from: 0, through: jsonl.count, by: 97) {
            Self.expectSameInput(Array(jsonl[..<length]), encoding: .jsonl, "prefix \(length)")
        }
    }

    /// Lines and diagnostics of a JSONL reader with a line limit of `limit` bytes.
    static func jsonlLines(_ source: some ByteSource, limit: Int) throws -> ([Int], [TraceDiagnostic]) {
        var reader = try JSONLTraceReader(source: source, lineLimit: limit)
        var lines: [Int] = []
        while let item = try reader.next() {
            if case .event(_, let line) = item { lines.append(line) }
        }
        return (lines, reader.diagnostics)
    }

    /// The longest line is a limit of the format, not of how much the source
    /// hands over at once: a streaming read brings in far more than the limit.
    @Test func lineLimitIsTheSameInMemory() throws {
        var random = RandomTrace(seed: 22)
        var writer = try JSONLTraceWriter(sink: MemoryByteSink())
        for event in random.events(count: 2) { try writer.write(event) }
        let lines = writer.sink.bytes.split(separator: 0x0A).map(Array.init)
        let limit = lines.map(\.count).max()! + 10
        for (length, damaged) in [(limit, false), (limit + 1, true), (3 * limit, true)] {
            let blank = [UInt8](repeating: 0x20, count: length)
            let bytes = Array((lines[0...1] + [blank] + lines[2...]).joined(separator: [0x0A]))
            let streamed = try Self.jsonlLines(MemoryByteSource(bytes), limit: limit)
            let inPlace = try bytes.withUnsafeBytes { try Self.jsonlLines(MemoryRegionSource($0), limit: limit) }
            #expect(streamed.0 == inPlace.0 && streamed.1 == inPlace.1, "blank line of \(length) bytes")
            #expect(streamed.0 == [2, 4], "blank line of \(length) bytes")
            #expect(streamed.1.contains { $0.message == "line longer than \(limit) bytes; skipped" } == damaged, "\(length)")
        }
    }

    @Test func emptyRegionIsAnEmptyTrace() {
        let read = ReadTranscript.reader(MemoryRegionSource(UnsafeRawBufferPointer(start: nil, count: 0)), path: .visit)
        #expect(read == ReadTranscript.reader(MemoryByteSource([]), path: .next))
        #expect(read.failure != nil)
    }

    @Test func readingStreamsTheRestAndContiguousBytesFollow() throws {
        let bytes: [UInt8] = Array(0..<100)
        try bytes.withUnsafeBytes { region in
            var source = MemoryRegionSource(region)
            var buffer = [UInt8](repeating: 0, count: 30)
            var seen: [UInt8] = []
            while true {
                let n = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
                if n == 0 { break }
                seen += buffer[..<n]
                #expect(Array(source.contiguousBytes) == Array(bytes[seen.count...]))
            }
            #expect(seen == bytes)
            #expect(source.contiguousBytes.isEmpty)
        }
    }
}
