import BindraceTrace
import Testing

@Suite struct JSONLTraceReaderTests {
    static let header = #"{"format":"bindrace-trace","version":"1.0"}"#

    static func read(_ text: String) throws -> (events: [Event], snapshots: [Snapshot], diagnostics: [TraceDiagnostic]) {
        try TraceBytes.read(Array(text.utf8), encoding: .jsonl)
    }

    @Test func handWrittenLinesUseDefaults() throws {
        let read = try Self.read("""
            \(Self.header)
            # a comment, then a blank line

            {"t":5,"pid":42,"kind":"dynamic_id_added","driver":"vfio-pci","id":{"vendor":"8086","device":"100e"}}
            {"t":6,"pid":42,"tid":43,"comm":"modprobe","kind":"probe_end","device":"0000:00:02.0","driver":"e1000","result":-517}
            """)
        #expect(read.diagnostics.isEmpty)
        #expect(read.events == [
            Event(timestamp: 5, pid: 42, comm: "", payload: .dynamicIDAdded(driver: "vfio-pci", id: PCIMatchID(vendor: 0x8086, device: 0x100e))),
            Event(timestamp: 6, pid: 42, tid: 43, comm: "modprobe", payload: .probeEnd(device: "0000:00:02.0", driver: "e1000", result: -517)),
        ])
    }

    @Test func badLinesAreNamedAndSkipped() throws {
        let read = try Self.read("""
            \(Self.header)
            {"t":1,"pid":1,"kind":"module_load","module":"e1000"}
            {"t":2,"pid":1,"kind":"module_load","modlue":"e1000"}
            {"t":3,"pid":1,"kind":"probe_strat","device":"x","driver":"y"}
            {"t":4,"pid":1,"kind":"module_load","module":42}
            {"t":5,"pid":-1,"kind":"module_load","module":"x"}
            this is not json
            {"t":6,"pid":1,"kind":"uevent","action":"explode","devpath":"/d","seqnum":1}
            [1,2,3]
            {"t":7,"pid":1,"kind":"device_add","device":"0000:00:02.0","pci":{"vendor":"12345","device":"100e"}}
            {"t":8,"pid":1,"kind":"module_load","module":"vfio_pci"}
            """)
        #expect(read.events.map(\.timestamp) == [1, 8])
        let lines = read.diagnostics.filter { $0.severity == .damage }.compactMap(\.line)
        #expect(lines == [3, 4, 5, 6, 7, 8, 9, 10])
        let messages = read.diagnostics.map(\.message)
        #expect(messages[0].contains("unknown key 'modlue'"))
        #expect(messages[1].contains("unknown event kind 'probe_strat'"))
        #expect(messages[2].contains("'module'"))
        #expect(messages[3].contains("'pid'"))
        #expect(messages[4].contains("not valid JSON"))
        #expect(messages[5].contains("explode"))
        #expect(messages[6].contains("not a JSON object"))
        #expect(messages[7].contains("12345"))
    }

    /// The JSON parser's own errors are enum dumps; what reaches the user
    /// is the field, what is wrong with it, and where on the line.
    @Test func malformedValuesAreSaidInWords() throws {
        let read = try Self.read(#"""
            \#(Self.header)
            {"t":1,"pid":1,"tid":1-2,"kind":"module_load","module":"a"}
            {"t":2,"pid":1,"tid":99999999999999999999999,"kind":"module_load","module":"a"}
            {"t":3,"pid":1,"comm":"a\qb","kind":"module_load","module":"a"}
            {"t":4,"pid":1,"comm":"a	b","kind":"module_load","module":"a"}
            {"t":5,"pid":-7,"kind":"module_load","module":"a"}
            {"t":6,"pid":1,"kind":"module_load","module":"ok"}
            """#)
        #expect(read.events.map(\.timestamp) == [6])
        let messages = read.diagnostics.filter { $0.severity == .damage }.map(\.message)
        #expect(messages.count == 5)
        guard messages.count == 5 else { return }
        #expect(messages[0].hasPrefix("'tid': unexpected '-' in number at column "))
        #expect(messages[1].hasPrefix("'tid': 99999999999999999999999 is not a non-negative 32-bit integer"))
        #expect(messages[2].hasPrefix(#"'comm': invalid escape '\q' at column "#))
        #expect(messages[3].hasPrefix("'comm': control character byte 0x09 in a string at column "))
        #expect(messages[4].hasPrefix("'pid': -7 is not a non-negative 32-bit integer"))
        for message in messages {
            #expect(!message.contains("Optional(") && !message.contains("JSONError") && !message.contains("ascii:"), "\(message)")
        }
    }

    @Test func headerIsRequired() throws {
        #expect(throws: TraceError.self) { try Self.read(#"{"t":1,"pid":1,"kind":"module_load","module":"e1000"}"#) }
        #expect(throws: TraceError.self) { try Self.read("") }
        #expect(throws: TraceError.self) { try Self.read(#"{"format":"bindrace-trace","version":"2.0"}"#) }
        do {
            _ = try Self.read("\n\n{\"format\":\"something-else\",\"version\":\"1.0\"}")
            Issue.record("accepted a foreign header")
        } catch let error as TraceError {
            #expect(error.line == 3)
        }
    }

    @Test func invalidUTF8LineIsDamageNotACrash() throws {
        var bytes = Array((Self.header + "\n").utf8)
        bytes += Array(#"{"t":1,"pid":1,"kind":"module_load","module":""#.utf8) + [0xFF, 0xFE] + Array("\"}\n".utf8)
        bytes += Array(#"{"t":2,"pid":1,"kind":"module_load","module":"ok"}"#.utf8)
        let read = try TraceBytes.read(bytes, encoding: .jsonl)
        #expect(read.events.map(\.timestamp) == [2])
        #expect(read.diagnostics.first?.line == 2)
    }

    @Test func outOfOrderTimestampsWarnWithTheFirstLine() throws {
        let read = try Self.read("""
            \(Self.header)
            {"t":10,"pid":1,"kind":"marker","label":"a"}
            {"t":9,"pid":1,"kind":"marker","label":"b"}
            """)
        #expect(read.events.count == 2)
        #expect(read.diagnostics.map(\.severity) == [.warning])
        #expect(read.diagnostics.first?.line == 3)
    }

    @Test func writerEscapesEverythingOntoOneLine() throws {
        var writer = try JSONLTraceWriter(sink: MemoryByteSink())
        try writer.write(Event(timestamp: 1, pid: 1, comm: "a\nb\"c\\\u{1}", payload: .marker(label: "\u{7f}", value: 0)))
        let text = String(decoding: writer.sink.bytes, as: UTF8.self)
        #expect(text.split(separator: "\n").count == 2)
        #expect(text.contains(#""comm":"a\nb\"c\\\u0001""#))
        #expect(try TraceBytes.read(writer.sink.bytes, encoding: .jsonl).events.first?.comm == "a\nb\"c\\\u{1}")
    }

    @Test func flushLinesSetChunkBoundaries() throws {
        let text = """
            \(Self.header)
            {"t":1,"pid":1,"kind":"marker","label":"a"}
            {"flush":true}
            {"t":2,"pid":1,"kind":"marker","label":"b"}
            {"snapshot":{"kernel_release":"6.1.0-x"}}
            {"t":3,"pid":1,"kind":"marker","label":"c"}
            """
        var input = try TraceInput(source: MemoryByteSource(Array(text.utf8)), encoding: .jsonl)
        var shape: [String] = []
        while let item = try input.next() {
            switch item {
            case .events(let chunk): shape.append("events(\(chunk.events.count))@\(chunk.offset)")
            case .snapshot(let s, _, let line): shape.append("snapshot(\(s.kernelRelease))@\(line)")
            }
        }
        #expect(shape == ["events(1)@2", "events(1)@4", "snapshot(6.1.0-x)@5", "events(1)@6"])
    }
}

@Suite struct JSONLLineNumberTests {
    @Test func eachEventKeepsItsLine() throws {
        let text = """
            {"format":"bindrace-trace","version":"1.0"}
            {"t":1,"pid":1,"kind":"marker","label":"a"}
            # comment

            {"t":2,"pid":1,"kind":"marker","label":"b"}
            """
        var input = try TraceInput(source: MemoryByteSource(Array(text.utf8)), encoding: .jsonl)
        guard case .events(let chunk)? = try input.next() else {
            Issue.record("no events")
            return
        }
        #expect(chunk.lines == [2, 5])
        #expect(chunk.location(of: 1) == 5)
    }
}
