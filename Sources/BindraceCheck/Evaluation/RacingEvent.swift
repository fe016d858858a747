import BindraceReplay

/// One of the events that decide a race, as a violation quotes it, so a CI
/// log points at the trace lines to read.
public struct RacingEvent: Hashable, Sendable, Codable {
    /// The trace it is in, when the analysis was of one trace (merged
    /// results do not say which boot an explanation came from).
    public var trace: String?
    /// JSONL line or binary chunk offset.
    public var location: Int?
    public var time: String
    public var task: String
    public var what: String
    /// Its part in the race, e.g. "binds to e1000 if it comes first".
    public var role: String

    public init(point: Explanation.Point, trace: String?) {
        self.trace = trace
        location = point.event.location
        time = point.event.timeText
        task = point.event.taskText
        what = point.event.what
        role = point.role
    }

    /// `TRACE:LINE t=…s pid … (comm): what — role` for JSONL, `TRACE: offset
    /// N` (the chunk holding the event) for a binary trace.
    public var text: String {
        var place = trace ?? ""
        if let location {
            let binary = place.hasSuffix(".brt")
            if place.isEmpty { place = "at \(location)" } else { place += binary ? ": offset \(location)" : ":\(location)" }
        }
        return "\(place.isEmpty ? "" : place + " ")t=\(time) \(task): \(what) — \(role)"
    }
}
