import BindraceReplay
import BindraceTrace

/// Reads a trace once for both the analysis and the timeline: the same as
/// `TraceRecorder.record`, with happens-before edges recorded and every event
/// also kept per task for drawing.
public enum TraceReading {
    public static func recordWithTimeline<Source: ByteSource>(
        name: String, input: inout TraceInput<Source>
    ) -> (facts: TraceFacts, timeline: TraceTimeline, failure: TraceError?) {
        var recorder = TraceRecorder(name: name, recordsEdges: true)
        var timeline = TimelineRecorder(name: name)
        var failure: TraceError?
        do {
            while let item = try input.next() {
                switch item {
                case .events(let chunk):
                    recorder.consume(chunk, strings: input.strings)
                    timeline.consume(chunk, strings: input.strings)
                case .snapshot(let snapshot, _, _):
                    recorder.consume(snapshot: snapshot)
                }
            }
        } catch {
            failure = error
        }
        var diagnostics = input.diagnostics
        if let failure {
            diagnostics.append(TraceDiagnostic(severity: .damage, offset: failure.offset, line: failure.line, message: failure.message))
        }
        let facts = recorder.finish(diagnostics: diagnostics)
        return (facts, timeline.finish(edges: facts.edges), failure)
    }
}
