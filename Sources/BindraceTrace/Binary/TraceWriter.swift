#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Writes a binary trace chunk by chunk.
///
/// Events collect in memory until a chunk is full, `flush()` is called, a
/// snapshot is written, or the trace is finished; then the chunk (preceded by a
/// strings chunk defining the strings it introduced) goes to the sink in one
/// write. Given the same calls, the output is the same bytes: that is what
/// makes binary → JSONL → binary byte-identical.
public struct TraceWriter<Sink: ByteSink> {
    public private(set) var sink: Sink
    public let header: TraceHeader
    private var strings = StringInterner()
    private var pending: [RawEvent] = []
    private var sequence: UInt32 = 0
    private var eventCount: UInt64 = 0
    private var buffer: [UInt8] = []
    private var finished = false

    public init(sink: Sink, eventsPerChunk: Int = TraceFormat.defaultEventsPerChunk) throws {
        precondition((1...TraceFormat.maxEventsPerChunk).contains(eventsPerChunk), "events per chunk out of range")
        self.sink = sink
        self.header = TraceHeader(eventsPerChunk: eventsPerChunk)
        pending.reserveCapacity(eventsPerChunk)
        try header.encoded().withUnsafeBytes { try self.sink.write($0) }
    }

    /// Events appended so far.
    public var count: UInt64 { eventCount + UInt64(pending.count) }

    public mutating func append(_ event: Event) throws {
        let raw = event.raw(strings: &strings)
        try append(raw: raw)
    }

    /// Interns a string for use in a raw record appended later.
    public mutating func intern(_ text: String) -> StringID { strings.intern(text) }

    /// Appends a record whose string ids came from `intern`.
    public mutating func append(raw: RawEvent) throws {
        precondition(!finished, "trace already finished")
        pending.append(raw)
        if pending.count == header.eventsPerChunk { try flush() }
    }

    /// Ends the current chunk of events (if any) and hands it to the sink.
    public mutating func flush() throws {
        guard !pending.isEmpty else { return }
        try writeStrings()
        let events = pending
        let recordSize = header.recordSize
        try writeChunk(.events, payloadLength: 8 + events.count * recordSize) { p in
            p.storeBytes(of: UInt32(events.count).littleEndian, toByteOffset: 0, as: UInt32.self)
            p.storeBytes(of: UInt32(0), toByteOffset: 4, as: UInt32.self)
            var offset = 8
            for event in events {
                event.store(to: p.baseAddress! + offset)
                offset += recordSize
            }
        }
        eventCount += UInt64(pending.count)
        pending.removeAll(keepingCapacity: true)
    }

    /// Writes an environment snapshot, after the events appended so far.
    public mutating func write(_ snapshot: Snapshot) throws {
        try flush()
        let json = try SnapshotCoding.encode(snapshot)
        try writeChunk(.snapshot, payloadLength: json.count) { p in p.copyBytes(from: json) }
    }

    /// Flushes and writes the end chunk. A trace without one is readable, but
    /// readers warn that the capture did not finish.
    public mutating func finish() throws {
        guard !finished else { return }
        try flush()
        try writeStrings()
        let chunks = sequence
        let total = eventCount
        let stringCount = UInt32(strings.count)
        try writeChunk(.end, payloadLength: 16) { p in
            p.storeBytes(of: total.littleEndian, toByteOffset: 0, as: UInt64.self)
            p.storeBytes(of: chunks.littleEndian, toByteOffset: 8, as: UInt32.self)
            p.storeBytes(of: stringCount.littleEndian, toByteOffset: 12, as: UInt32.self)
        }
        finished = true
    }

    private mutating func writeStrings() throws {
        guard !strings.pending.isEmpty else { return }
        let (firstID, texts) = strings.takePending()
        let payloadLength = 8 + texts.reduce(0) { $0 + 4 + $1.utf8.count }
        precondition(payloadLength <= TraceFormat.maxPayloadLength, "strings chunk over the format limit")
        try writeChunk(.strings, payloadLength: payloadLength) { p in
            p.storeBytes(of: firstID.littleEndian, toByteOffset: 0, as: UInt32.self)
            p.storeBytes(of: UInt32(texts.count).littleEndian, toByteOffset: 4, as: UInt32.self)
            var offset = 8
            for text in texts {
                let utf8 = Array(text.utf8)
                p.storeBytes(of: UInt32(utf8.count).littleEndian, toByteOffset: offset, as: UInt32.self)
                offset += 4
                UnsafeMutableRawBufferPointer(rebasing: p[offset..<(offset + utf8.count)]).copyBytes(from: utf8)
                offset += utf8.count
            }
        }
    }

    private mutating func writeChunk(
        _ type: ChunkType, payloadLength: Int, fill: (UnsafeMutableRawBufferPointer) throws -> Void
    ) throws {
        let padded = (payloadLength + 7) & ~7
        let total = TraceFormat.chunkHeaderSize + padded
        if buffer.count < total { buffer = [UInt8](repeating: 0, count: total) }
        let sequence = self.sequence
        try buffer.withUnsafeMutableBytes { whole in
            let chunk = UnsafeMutableRawBufferPointer(rebasing: whole[0..<total])
            let payload = UnsafeMutableRawBufferPointer(rebasing: chunk[TraceFormat.chunkHeaderSize..<total])
            payload.initializeMemory(as: UInt8.self, repeating: 0)
            try fill(payload)
            let checksum = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: payload[0..<payloadLength]))
            ChunkHeader(type: type, payloadLength: UInt64(payloadLength), sequence: sequence, payloadChecksum: checksum)
                .store(to: chunk)
            try self.sink.write(UnsafeRawBufferPointer(chunk))
        }
        self.sequence += 1
    }
}
