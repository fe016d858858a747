import BindraceTrace

extension TraceRecorder {
    /// Reads a whole trace. A reader error that stops the reading is
    /// rethrown; what was read before it is kept in `partial` by the caller's
    /// recorder, so a damaged trace still gets its valid part analysed.
    public mutating func read<Source: ByteSource>(_ input: inout TraceInput<Source>) throws(TraceError) {
        while let item = try input.next() {
            switch item {
            case .events(let chunk): consume(chunk, strings: input.strings)
            case .snapshot(let snapshot, _, _): consume(snapshot: snapshot)
            }
        }
    }

    /// Records a trace from its bytes' reader in one go.
    public static func record<Source: ByteSource>(name: String, input: inout TraceInput<Source>, recordsEdges: Bool = false) -> (TraceFacts, TraceError?) {
        record(name: name, input: &input, recordsEdges: recordsEdges, clocks: .compact)
    }

    /// The same with a choice of clock core (`.plain`: the reference).
    public static func record<Source: ByteSource>(name: String, input: inout TraceInput<Source>, recordsEdges: Bool = false,
                                                  clocks: ClockPolicy) -> (TraceFacts, TraceError?) {
        var recorder = TraceRecorder(name: name, recordsEdges: recordsEdges, clocks: clocks)
        var failure: TraceError?
        do {
            try recorder.read(&input)
        } catch {
            failure = error
        }
        var diagnostics = input.diagnostics
        if let failure {
            diagnostics.append(TraceDiagnostic(severity: .damage, offset: failure.offset, line: failure.line, message: failure.message))
        }
        return (recorder.finish(diagnostics: diagnostics), failure)
    }
}
