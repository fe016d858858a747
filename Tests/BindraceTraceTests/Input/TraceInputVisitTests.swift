@testable import BindraceTrace
import PropertyBased
import Testing

@Suite struct TraceInputVisitTests {
    @Test func bothEncodingsVisitAsTheyRead() async throws {
        await propertyCheck(count: 60, input: Gen.uint64(), Gen.int(in: 0...120), Gen.int(in: 1...20)) { seed, count, perChunk in
            var random = RandomTrace(seed: seed)
            let binary = try! TraceBytes.binary(random.steps(count: count), eventsPerChunk: perChunk)
            let jsonl = try! TraceBytes.convert(binary, from: .binary, to: .jsonl)
            for (bytes, encoding) in [(binary, TraceEncoding.binary), (jsonl, .jsonl)] {
                let next = ReadTranscript.input(MemoryByteSource(bytes), encoding: encoding, path: .next)
                let visit = ReadTranscript.input(MemoryByteSource(bytes), encoding: encoding, path: .visit)
                #expect(visit == next, "\(encoding)")
            }
            // The binary input forwards to the binary reader.
            #expect(ReadTranscript.input(MemoryByteSource(binary), encoding: .binary, path: .visit)
                    .items == ReadTranscript.reader(MemoryByteSource(binary), path: .visit).items)
        }
    }

    @Test func jsonlRecordsCiteTheirLinesAndStrings() throws {
        var random = RandomTrace(seed: 31)
        let events = random.events(count: 30)
        var writer = try JSONLTraceWriter(sink: MemoryByteSink())
        for event in events { try writer.write(event) }
        var input = try TraceInput(source: MemoryByteSource(writer.sink.bytes), encoding: .jsonl)
        var decoded: [Event] = []
        var lines: [Int] = []
        while try input.visitNext({ visit in
            guard case .events(let records) = visit else { return }
            #expect(records.stride == RawEvent.size)
            for i in 0..<records.count {
                decoded.append(Event(raw: records[i], strings: records.strings)!)
                lines.append(records.location(of: i))
            }
        }) {}
        #expect(decoded == events)
        #expect(lines == Array(2..<(2 + events.count)))
    }
}
