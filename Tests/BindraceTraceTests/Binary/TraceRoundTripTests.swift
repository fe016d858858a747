import BindraceTrace
import PropertyBased
import Testing

@Suite struct TraceRoundTripTests {
    @Test func binaryReadsBackWhatWasWritten() async throws {
        await propertyCheck(count: 200, input: Gen.uint64(), Gen.int(in: 0...150)) { seed, count in
            var random = RandomTrace(seed: seed)
            let steps = random.steps(count: count)
            let bytes = try! TraceBytes.binary(steps)
            let read = try! TraceBytes.read(bytes)
            #expect(read.events == steps.compactMap { if case .event(let e) = $0 { e } else { nil } })
            #expect(read.snapshots == steps.compactMap { if case .snapshot(let s) = $0 { s } else { nil } })
            #expect(read.diagnostics.isEmpty)
        }
    }

    @Test func binaryToJSONLToBinaryIsByteIdentical() async throws {
        await propertyCheck(count: 200, input: Gen.uint64(), Gen.int(in: 0...150), Gen.int(in: 1...40)) { seed, count, perChunk in
            var random = RandomTrace(seed: seed)
            let original = try! TraceBytes.binary(random.steps(count: count), eventsPerChunk: perChunk)
            let jsonl = try! TraceBytes.convert(original, from: .binary, to: .jsonl)
            let back = try! TraceBytes.convert(jsonl, from: .jsonl, to: .binary)
            #expect(back == original)
            // And the JSONL form is itself stable.
            #expect(try! TraceBytes.convert(back, from: .binary, to: .jsonl) == jsonl)
        }
    }

    @Test func jsonlEventsSurviveTheBinaryForm() async throws {
        await propertyCheck(count: 100, input: Gen.uint64(), Gen.int(in: 0...60)) { seed, count in
            var random = RandomTrace(seed: seed)
            let events = random.events(count: count)
            var writer = try! JSONLTraceWriter(sink: MemoryByteSink())
            for event in events { try! writer.write(event) }
            let binary = try! TraceBytes.convert(writer.sink.bytes, from: .jsonl, to: .binary)
            #expect(try! TraceBytes.read(binary).events == events)
            #expect(try! TraceBytes.read(writer.sink.bytes, encoding: .jsonl).events == events)
        }
    }

    @Test func writerIsDeterministic() throws {
        var a = RandomTrace(seed: 7), b = RandomTrace(seed: 7)
        #expect(try TraceBytes.binary(a.steps(count: 100)) == TraceBytes.binary(b.steps(count: 100)))
    }

    @Test func chunkBoundariesFollowTheWriterCalls() throws {
        let event = Event(timestamp: 1, pid: 1, comm: "init", payload: .moduleLoad(module: "e1000"))
        let bytes = try TraceBytes.binary([.event(event), .event(event), .flush, .event(event)], eventsPerChunk: 2)
        var input = try TraceInput(source: MemoryByteSource(bytes), encoding: .binary)
        var sizes: [Int] = []
        while let item = try input.next() {
            if case .events(let chunk) = item { sizes.append(chunk.events.count) }
        }
        #expect(sizes == [2, 1])
    }
}
