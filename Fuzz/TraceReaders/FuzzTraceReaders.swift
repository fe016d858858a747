import BindraceTrace

// libFuzzer entry point: every input is read as both a binary and a JSONL
// trace, and every item is converted the way `inspect` and `convert` would.
// A crash, a hang or an unbounded allocation here is a bug; diagnostics are not.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTraceReaders(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for encoding in TraceEncoding.allCases {
        guard var input = try? TraceInput(source: MemoryByteSource(bytes), encoding: encoding) else { continue }
        while let item = try? input.next() {
            if case .events(let chunk) = item {
                let strings = input.strings
                for raw in chunk.events {
                    if let event = Event(raw: raw, strings: strings) {
                        var interner = StringInterner()
                        _ = event.raw(strings: &interner)
                    }
                }
            }
        }
        _ = input.diagnostics.map { $0.rendered(file: "fuzz") }
    }
    // The same input read in place and visited, the path that hands out
    // pointers into it.
    let region = UnsafeRawBufferPointer(start: data, count: size)
    for encoding in TraceEncoding.allCases {
        guard var input = try? TraceInput(source: MemoryRegionSource(region), encoding: encoding) else { continue }
        while (try? input.visitNext({ visit in
            guard case .events(let records) = visit else { return }
            for i in 0..<records.count where records.isKnown(at: i) {
                _ = Event(raw: records[i], strings: records.strings)
            }
        })) == true {}
    }
    // Round trip whatever parsed, to exercise the writers on odd strings.
    if var input = try? TraceInput(source: MemoryByteSource(bytes), encoding: .jsonl) {
        _ = try? TraceConversion.toBinary(&input, sink: MemoryByteSink())
    }
    return 0
}
