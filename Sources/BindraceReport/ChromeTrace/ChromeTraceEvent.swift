/// One entry of the Chrome trace event format's `traceEvents` array
/// (the JSON that chrome://tracing and ui.perfetto.dev open).
public struct ChromeTraceEvent: Hashable, Sendable {
    public var name: String
    public var category: String
    /// Phase: B/E (slice begin/end), X (complete), i (instant), s/f (flow), M (metadata).
    public var phase: String
    /// Nanoseconds; written as microseconds with three decimals.
    public var timestamp: UInt64
    /// For X.
    public var duration: UInt64?
    public var pid: UInt32
    public var tid: UInt32
    /// Flow id.
    public var id: Int?
    public var args: [(String, String)]
    /// Extra members written as they are (`"s":"t"`, `"bp":"e"`, sort indices).
    public var extra: [(String, String)]

    public init(name: String, category: String, phase: String, timestamp: UInt64, duration: UInt64? = nil,
                pid: UInt32, tid: UInt32, id: Int? = nil, args: [(String, String)] = [], extra: [(String, String)] = []) {
        self.name = name
        self.category = category
        self.phase = phase
        self.timestamp = timestamp
        self.duration = duration
        self.pid = pid
        self.tid = tid
        self.id = id
        self.args = args
        self.extra = extra
    }

    public static func == (a: Self, b: Self) -> Bool { a.json == b.json }
    public func hash(into hasher: inout Hasher) { hasher.combine(json) }

    /// `9413900.000`: microseconds, exact to the nanosecond.
    static func micros(_ ns: UInt64) -> String {
        let frac = String(ns % 1000)
        return "\(ns / 1000).\(String(repeating: "0", count: 3 - frac.count))\(frac)"
    }

    /// The event as one line of JSON; strings are escaped like the JSON report's.
    public var json: String {
        var out = "{\"name\":"
        JSONOutput.writeString(name, to: &out)
        out += ",\"cat\":"
        JSONOutput.writeString(category, to: &out)
        out += ",\"ph\":\"\(phase)\",\"ts\":\(Self.micros(timestamp))"
        if let duration { out += ",\"dur\":\(Self.micros(duration))" }
        out += ",\"pid\":\(pid),\"tid\":\(tid)"
        if let id { out += ",\"id\":\(id)" }
        for (k, v) in extra { out += ",\"\(k)\":\(v)" }
        if !args.isEmpty {
            out += ",\"args\":{"
            for (i, (k, v)) in args.enumerated() {
                if i > 0 { out += "," }
                JSONOutput.writeString(k, to: &out)
                out += ":"
                JSONOutput.writeString(v, to: &out)
            }
            out += "}"
        }
        return out + "}"
    }
}
