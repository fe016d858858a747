@testable import BindraceTrace
import PropertyBased
import Testing

@Suite struct TraceReaderVisitTests {
    /// `next()` through a streaming source, then `visitNext` through a
    /// streaming and an in-memory source: all three must read the same.
    static func expectSameReads(_ bytes: [UInt8], _ comment: @autoclosure () -> String = "",
                                sourceLocation: SourceLocation = #_sourceLocation) {
        let next = ReadTranscript.reader(MemoryByteSource(bytes), path: .next)
        let visit = ReadTranscript.reader(MemoryByteSource(bytes), path: .visit)
        let inPlace = bytes.withUnsafeBytes { ReadTranscript.reader(MemoryRegionSource($0), path: .visit) }
        #expect(visit == next, "\(comment())", sourceLocation: sourceLocation)
        #expect(inPlace == next, "\(comment())", sourceLocation: sourceLocation)
    }

    @Test func randomTracesVisitAsTheyRead() async throws {
        await propertyCheck(count: 100, input: Gen.uint64(), Gen.int(in: 0...200), Gen.int(in: 1...40)) { seed, count, perChunk in
            var random = RandomTrace(seed: seed)
            let bytes = try! TraceBytes.binary(random.steps(count: count), eventsPerChunk: perChunk)
            Self.expectSameReads(bytes)
            let visited = ReadTranscript.reader(MemoryByteSource(bytes), path: .visit)
            #expect(visited.diagnostics.isEmpty)
        }
    }

    @Test func everyPrefixVisitsAsItReads() throws {
        var random = RandomTrace(seed: 7)
        let bytes = try TraceBytes.binary(random.steps(count: 40), eventsPerChunk: 4)
        for length in 0...bytes.count {
            Self.expectSameReads(Array(bytes[..<length]), "prefix \(length)")
        }
    }

    @Test func everyFlippedByteVisitsAsItReads() throws {
        var random = RandomTrace(seed: 8)
        let bytes = try TraceBytes.binary(random.steps(count: 40), eventsPerChunk: 4)
        for offset in bytes.indices {
            var damaged = bytes
            damaged[offset] ^= 0x5A
            Self.expectSameReads(damaged, "flip at \(offset)")
        }
    }

    @Test func plantedDamageVisitsAsItReads() throws {
        let bytes = try TraceDamageTests.trace()
        var surgery = ChunkSurgery(bytes)
        let events = surgery.chunks.firstIndex { $0.type == .events }!
        let strings = surgery.chunks.firstIndex { $0.type == .strings }!
        var variants: [[UInt8]] = []
        var lying = surgery
        lying.chunks[events].payload[0] += 1  // one record more than it holds
        variants.append(lying.bytes())
        var short = surgery
        short.chunks[events].payload = [1, 0, 0]
        variants.append(short.bytes())
        var missing = surgery
        missing.chunks.remove(at: strings)
        variants.append(missing.bytes())
        var renumbered = surgery
        renumbered.chunks[events].sequence = 0
        variants.append(renumbered.bytes())
        surgery.chunks.insert(.init(type: .unknown(ChunkType.code("ZZZZ")), payload: [1, 2, 3]), at: 2)
        variants.append(surgery.bytes())
        let cut = ChunkSurgery(bytes).offsets[3]
        variants.append(Array(bytes[..<cut]) + [UInt8](repeating: 0xAB, count: 64) + Array(bytes[cut...]))
        for (n, variant) in variants.enumerated() {
            let read = ReadTranscript.reader(MemoryByteSource(variant), path: .next)
            #expect(!read.diagnostics.isEmpty, "variant \(n)")
            Self.expectSameReads(variant, "variant \(n)")
        }
    }

    /// Events with kind bytes this version does not know, planted at `records`.
    static func traceWithUnknownKinds(at records: [Int: UInt8]) throws -> [UInt8] {
        var surgery = ChunkSurgery(try TraceDamageTests.trace())
        let events = surgery.chunks.firstIndex { $0.type == .events }!
        for (record, kind) in records {
            surgery.chunks[events].payload[8 + record * RawEvent.size + 22] = kind
        }
        return surgery.bytes()
    }

    @Test func unknownKindsAreHandedOverButNotCounted() throws {
        let bytes = try Self.traceWithUnknownKinds(at: [1: 200, 3: 7])
        Self.expectSameReads(bytes)
        var reader = try TraceReader(source: MemoryByteSource(bytes))
        var stored = 0
        var unknown = 0
        while try reader.visitNext({ visit in
            guard case .events(let records) = visit else { return }
            stored += records.count
            unknown += (0..<records.count).count(where: { EventKind(rawValue: records.kindByte(at: $0)) == nil })
        }) {}
        #expect(stored == TraceDamageTests.events.count)
        #expect(unknown == 2)
        #expect(reader.statistics.events == UInt64(TraceDamageTests.events.count - 2))
        #expect(reader.diagnostics.map(\.message).contains { $0.contains("unknown kind 7") })
        #expect(reader.diagnostics.map(\.message).contains { $0.contains("unknown kind 200") })
        #expect(!reader.hasDamage)
    }

    /// A visitor that counts the records it reads: with its counts the
    /// reader makes what it makes with its own (statistics, warnings of
    /// unknown kinds and timestamps going back); it takes them as given,
    /// and a visitor that gives none leaves the counting to it.
    @Test func aVisitorsCountsTakeTheReadersPlace() throws {
        var surgery = ChunkSurgery(try Self.traceWithUnknownKinds(at: [1: 200, 3: 7]))
        // A timestamp going back within an events chunk.
        let events = surgery.chunks.firstIndex { $0.type == .events }!
        surgery.chunks[events].payload.replaceSubrange((8 + 2 * RawEvent.size)..<(8 + 2 * RawEvent.size + 8),
                                                       with: withUnsafeBytes(of: UInt64(1).littleEndian, Array.init))
        let bytes = surgery.bytes()
        func read(_ count: (EventRecords) -> ChunkTally?) throws -> (TraceStatistics, [String]) {
            var reader = try TraceReader(source: MemoryByteSource(bytes))
            while try reader.visitNext(counting: { visit in
                guard case .events(let records) = visit else { return nil }
                return count(records)
            }) {}
            return (reader.statistics, reader.diagnostics.map(\.message))
        }
        let own = try read { _ in nil }
        #expect(own.1.contains { $0.contains("unknown kind 200") })
        #expect(own.1.contains { $0.contains("earlier than the event before") })
        let counted = try read { records in
            let unknown = (0..<records.count).count { EventKind(rawValue: records.kindByte(at: $0)) == nil }
            return ChunkTally(records: records.base, count: records.count, stride: records.stride, unknown: unknown)
        }
        #expect(counted.0 == own.0)
        #expect(counted.1 == own.1)
        // Taken as given: a count of nothing known leaves the events uncounted.
        let none = try read { records in ChunkTally(records: records.base, count: 0, stride: records.stride) }
        #expect(none.0.events == 0)
        #expect(own.0.events == UInt64(TraceDamageTests.events.count - 2))
    }

    /// A newer writer's longer records: this version reads their first 48 bytes.
    @Test func longerRecordsAreSteppedOver() throws {
        let bytes = try TraceDamageTests.trace()
        var surgery = ChunkSurgery(bytes)
        let recordSize = RawEvent.size + 16
        var header = TraceHeader(eventsPerChunk: 4)
        header.recordSize = recordSize
        surgery.header = header.encoded()
        for i in surgery.chunks.indices where surgery.chunks[i].type == .events {
            let payload = surgery.chunks[i].payload
            var widened = Array(payload[0..<8])
            for record in stride(from: 8, to: payload.count, by: RawEvent.size) {
                widened += payload[record..<(record + RawEvent.size)] + [UInt8](repeating: 0xEE, count: 16)
            }
            surgery.chunks[i].payload = widened
        }
        let wide = surgery.bytes()
        Self.expectSameReads(wide)
        var reader = try TraceReader(source: MemoryByteSource(wide))
        var strides: Set<Int> = []
        while try reader.visitNext({ if case .events(let records) = $0 { strides.insert(records.stride) } }) {}
        #expect(strides == [recordSize])
        #expect(try TraceBytes.read(wide).events == TraceDamageTests.events)
    }

    @Test func memoryRegionRecordsAreReadInPlace() throws {
        let bytes = try TraceDamageTests.trace()
        try bytes.withUnsafeBytes { region in
            var reader = try TraceReader(source: MemoryRegionSource(region))
            var chunks = 0
            while try reader.visitNext({ visit in
                guard case .events(let records) = visit else { return }
                chunks += 1
                let first = records.base - region.baseAddress!
                #expect(first == records.offset + TraceFormat.chunkHeaderSize + 8)
            }) {}
            #expect(chunks == 5)
        }
    }

    @Test func stringsOfAChunkAreDefinedWhenItIsVisited() throws {
        var random = RandomTrace(seed: 11)
        let events = random.events(count: 60)
        var reader = try TraceReader(source: MemoryByteSource(try TraceBytes.binary(events, eventsPerChunk: 8)))
        var decoded: [Event] = []
        while try reader.visitNext({ visit in
            guard case .events(let records) = visit else { return }
            for i in 0..<records.count {
                decoded.append(Event(raw: records[i], strings: records.strings)!)
            }
        }) {}
        #expect(decoded == events)
    }

    struct Refusal: Error {}

    @Test func aVisitorsErrorComesOutAndReadingCanGoOn() throws {
        let bytes = try TraceDamageTests.trace()
        let expected = ReadTranscript.reader(MemoryByteSource(bytes), path: .next)
        var reader = try TraceReader(source: MemoryByteSource(bytes))
        var items: [ReadTranscript.Item] = []
        var refusals = 0
        while true {
            do {
                guard try reader.visitNext({ visit in
                    items.append(ReadTranscript.Item(visit))
                    if items.count == 2 { throw Refusal() }
                }) else { break }
            } catch is Refusal {
                refusals += 1
            }
        }
        #expect(refusals == 1)
        #expect(items == expected.items)
        #expect(reader.diagnostics == expected.diagnostics)
        #expect(reader.statistics == expected.statistics)
    }

    @Test func aVisitorThrowingTraceErrorKeepsTheTypedForm() throws(TraceError) {
        var reader = try TraceReader(source: MemoryByteSource(try! TraceDamageTests.trace()))
        var chunks = 0
        do {
            while try reader.visitNext({ (visit) throws(TraceError) in
                if case .events = visit { chunks += 1 }
                if chunks == 3 { throw TraceError(message: "enough") }
            }) {}
            Issue.record("the visitor's error was lost")
        } catch {
            #expect(error.message == "enough")
        }
        #expect(chunks == 3)
    }
}
