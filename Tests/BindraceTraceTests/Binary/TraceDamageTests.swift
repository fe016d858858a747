@testable import BindraceTrace
import Testing

@Suite struct TraceDamageTests {
    static let events: [Event] = (0..<20).map { (i: Int) -> Event in
        let payload: Payload = i % 2 == 0
            ? .moduleLoad(module: "mod\(i)")
            : .probeEnd(device: "0000:00:0\(i % 4).0", driver: "drv\(i % 3)", result: 0)
        return Event(timestamp: UInt64(1000 + i), cpu: UInt16(i % 2), pid: UInt32(100 + i % 3), comm: "modprobe-\(i % 5)", payload: payload)
    }

    static func trace() throws -> [UInt8] {
        var steps: [RandomTrace.Step] = [.snapshot(Snapshot(kernelRelease: "6.1.0-test"))]
        steps += events.map { .event($0) }
        return try TraceBytes.binary(steps, eventsPerChunk: 4)
    }

    /// Events of the chunks that lie wholly inside the first `length` bytes.
    static func intactEvents(_ bytes: [UInt8], prefix length: Int) -> Int {
        let surgery = ChunkSurgery(bytes)
        var count = 0
        for (chunk, offset) in zip(surgery.chunks, surgery.offsets) where chunk.type == .events {
            let end = offset + TraceFormat.chunkHeaderSize + ((chunk.payload.count + 7) & ~7)
            if end <= length { count += chunk.payload.withUnsafeBytes { Int($0.loadUnaligned(as: UInt32.self)) } }
        }
        return count
    }

    @Test func everyPrefixRecoversItsIntactChunks() throws {
        let bytes = try Self.trace()
        let boundaries = Set(ChunkSurgery(bytes).offsets + [bytes.count])
        for length in 0...bytes.count {
            let prefix = Array(bytes[0..<length])
            guard length >= TraceFormat.headerSize else {
                #expect(throws: TraceError.self) { try TraceBytes.read(prefix) }
                continue
            }
            let read = try TraceBytes.read(prefix)
            let expected = Self.intactEvents(bytes, prefix: length)
            #expect(read.events == Array(Self.events.prefix(expected)), "prefix \(length)")
            let damage = read.diagnostics.filter { $0.severity == .damage }
            if boundaries.contains(length) || length == TraceFormat.headerSize {
                #expect(damage.isEmpty, "prefix \(length): \(damage)")
            } else {
                #expect(damage.count == 1, "prefix \(length): \(damage)")
                // The loss names the chunk header where the cut chunk starts.
                let cutChunk = ChunkSurgery(bytes).offsets.last { $0 <= length }
                #expect(damage.first?.offset == cutChunk, "prefix \(length)")
            }
            if length < bytes.count {
                #expect(read.diagnostics.contains { $0.message.contains("no end chunk") })
            }
        }
    }

    @Test func everyFlippedByteLosesAtMostItsChunk() throws {
        let bytes = try Self.trace()
        let surgery = ChunkSurgery(bytes)
        for offset in 0..<bytes.count {
            var damaged = bytes
            damaged[offset] ^= 0x5A
            if offset < 8 {
                #expect(throws: TraceError.self) { try TraceBytes.read(damaged) }
                continue
            }
            let read = try TraceBytes.read(damaged)
            // At most one chunk of events (4) goes; placeholders may replace strings.
            #expect(read.events.count >= Self.events.count - 4, "flip at \(offset)")
            let owner = surgery.offsets.last { $0 <= offset }
            let inPadding = owner.map { start in
                let chunk = surgery.chunks[surgery.offsets.firstIndex(of: start)!]
                return offset >= start + TraceFormat.chunkHeaderSize + chunk.payload.count
            } ?? false
            if inPadding {
                #expect(read.events == Self.events, "flip in padding at \(offset)")
            } else {
                #expect(read.diagnostics.contains { $0.severity == .damage }, "flip at \(offset) went unnoticed")
            }
            if offset >= TraceFormat.headerSize, let owner, !inPadding {
                #expect(read.diagnostics.contains { $0.severity == .damage && $0.offset == owner }, "flip at \(offset) not located at \(owner): \(read.diagnostics)")
            }
        }
    }

    @Test func absurdDeclaredLengthIsRefusedAndReadingGoesOn() throws {
        var surgery = ChunkSurgery(try Self.trace())
        let victim = surgery.chunks.firstIndex { $0.type == .events }!
        surgery.chunks[victim].declaredLength = 1 << 40
        let read = try TraceBytes.read(surgery.bytes())
        #expect(read.diagnostics.contains { $0.severity == .damage && $0.message.contains("1099511627776") && $0.message.contains("limit") })
        #expect(read.events.count == Self.events.count - 4)
    }

    @Test func unknownChunkTypeIsSkippedWithAWarning() throws {
        var surgery = ChunkSurgery(try Self.trace())
        surgery.chunks.insert(.init(type: .unknown(ChunkType.code("ZZZZ")), payload: [1, 2, 3]), at: 2)
        let read = try TraceBytes.read(surgery.bytes())
        #expect(read.events == Self.events)
        #expect(read.diagnostics.map(\.severity) == [.warning])
        #expect(read.diagnostics.first?.message.contains("ZZZZ") == true)
    }

    @Test func invalidUTF8IsShownNotFatal() throws {
        var surgery = ChunkSurgery(try Self.trace())
        let strings = surgery.chunks.firstIndex { $0.type == .strings }!
        // The first string's bytes become 0xff 0xfe.
        var payload = surgery.chunks[strings].payload
        let length = payload.withUnsafeBytes { Int($0.loadUnaligned(fromByteOffset: 8, as: UInt32.self)) }
        #expect(length >= 2)
        payload[12] = 0xFF
        payload[13] = 0xFE
        surgery.chunks[strings].payload = payload
        let read = try TraceBytes.read(surgery.bytes())
        #expect(read.events.count == Self.events.count)
        #expect(read.diagnostics.contains { $0.severity == .warning && $0.message.contains("UTF-8") })
        #expect(read.events.contains { $0.comm.contains("\u{FFFD}") })
    }

    @Test func missingStringsChunkLeavesPlaceholders() throws {
        var surgery = ChunkSurgery(try Self.trace())
        let strings = surgery.chunks.firstIndex { $0.type == .strings }!
        surgery.chunks[strings].payload[0] ^= 1  // checksum no longer matches
        var bytes = surgery.bytes()
        let offset = surgery.offsets[strings] + 20
        bytes[offset] ^= 0xFF  // payload checksum field
        let read = try TraceBytes.read(bytes)
        #expect(read.events.count == Self.events.count)
        #expect(read.events.contains { $0.comm.hasPrefix("<lost string") || $0.comm.hasPrefix("<unknown string") })
    }

    @Test func outOfOrderTimestampsAreKeptWithAWarning() throws {
        let events = [3, 1, 2].map { Event(timestamp: UInt64($0), pid: 1, comm: "x", payload: .marker(label: "m", value: UInt64($0))) }
        let read = try TraceBytes.read(try TraceBytes.binary(events))
        #expect(read.events == events)
        #expect(read.diagnostics.count == 1)
        #expect(read.diagnostics.first?.severity == .warning)
        #expect(read.diagnostics.first?.message.contains("file order") == true)
    }

    @Test func notATraceAndNewerVersionsAreErrors() throws {
        #expect(throws: TraceError.self) { try TraceBytes.read(Array("hello, this is not a trace at all".utf8)) }
        var bytes = try Self.trace()
        var header = TraceHeader()
        header.majorVersion = 2
        bytes.replaceSubrange(0..<32, with: header.encoded())
        do {
            _ = try TraceBytes.read(bytes)
            Issue.record("version 2 was accepted")
        } catch let error as TraceError {
            #expect(error.message.contains("version 2.0"))
        }
    }

    @Test func garbageBetweenChunksIsSkipped() throws {
        let bytes = try Self.trace()
        let surgery = ChunkSurgery(bytes)
        let cut = surgery.offsets[3]
        let garbage = [UInt8](repeating: 0xAB, count: 64)
        let read = try TraceBytes.read(Array(bytes[..<cut]) + garbage + Array(bytes[cut...]))
        #expect(read.events == Self.events)
        let damage = read.diagnostics.filter { $0.severity == .damage }
        #expect(damage.count == 1)
        #expect(damage.first?.offset == cut)
        #expect(damage.first?.message.contains("64 bytes skipped") == true)
    }
}
