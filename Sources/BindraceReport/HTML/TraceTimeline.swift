import BindraceReplay
import BindraceTrace

/// One event as the timeline draws it.
public struct TimelineEvent: Hashable, Sendable {
    /// Position in the trace's event stream (the same as `EventRef.index`).
    public var index: Int
    public var timestamp: UInt64
    /// Index into `TraceTimeline.lanes`.
    public var lane: Int
    public var kind: EventKind
    /// One line describing it, e.g. `probe_start 0000:00:02.0 e1000`.
    public var label: String
    /// The device the event is about, if any.
    public var device: String?
    /// The driver it names, if any.
    public var driver: String?
    /// probe_end / driver_register_end / sysfs results.
    public var result: Int32?
    /// async_run/work cookie, when the kind has one.
    public var cookie: UInt64?
    public var isAsync: Bool
}

/// One task (tid) of a trace, drawn as one lane.
public struct TimelineLane: Hashable, Sendable {
    public enum Role: String, Hashable, Sendable {
        case modprobe, udev, kworker, initTask = "init", shell, other
    }
    public var pid: UInt32
    public var tid: UInt32
    /// The last command name (after exec), and every name it had.
    public var comm: String
    public var comms: [String]
    /// Indices into `TraceTimeline.events`, in trace order.
    public var events: [Int]

    public var role: Role {
        let c = comm
        if c.hasPrefix("modprobe") || c.hasPrefix("insmod") { return .modprobe }
        if c.hasPrefix("systemd-udevd") || c.hasPrefix("(udev-worker)") || c.hasPrefix("udevd") || c.hasPrefix("udevadm") { return .udev }
        if c.hasPrefix("kworker") || c.hasPrefix("async") { return .kworker }
        if pid <= 1 || c.hasPrefix("swapper") || c == "init" || c == "systemd" { return .initTask }
        if c == "sh" || c == "bash" || c == "dash" { return .shell }
        return .other
    }

    /// `modprobe 311` or `modprobe 311/312` for a thread.
    public var title: String { "\(comm) \(pid)\(tid != pid ? "/\(tid)" : "")" }
}

/// A span on one lane: a driver registration or a probe.
public struct TimelineSlice: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable { case driverRegister = "register", probe }
    public var kind: Kind
    public var lane: Int
    /// Event indices; `end` is nil when the trace never shows the end.
    public var start: Int
    public var end: Int?
    public var driver: String
    public var device: String?
    public var result: Int32?
}

/// Every event of one trace, grouped by task, with the happens-before edges
/// between tasks: what the HTML timeline and the Chrome trace export draw.
public struct TraceTimeline: Sendable {
    public var name: String
    /// Indexed by trace position: `events[i].index == i`.
    public var events: [TimelineEvent]
    public var lanes: [TimelineLane]
    /// Cross-task happens-before edges (event index → event index).
    public var edges: [HBEdge]
    public var slices: [TimelineSlice]

    public init(name: String, events: [TimelineEvent], lanes: [TimelineLane], edges: [HBEdge], slices: [TimelineSlice]) {
        self.name = name
        self.events = events
        self.lanes = lanes
        self.edges = edges
        self.slices = slices
    }

    public var startTime: UInt64 { events.first.map { _ in events.map(\.timestamp).min()! } ?? 0 }
    public var endTime: UInt64 { events.map(\.timestamp).max() ?? 0 }

    /// The event an explanation quotes, if it is in this trace.
    public func event(for ref: EventRef) -> TimelineEvent? {
        guard ref.index >= 0, ref.index < events.count else { return nil }
        let e = events[ref.index]
        guard e.timestamp == ref.timestamp, lanes[e.lane].tid == ref.tid else { return nil }
        return e
    }

    /// The lane of an event index.
    public func lane(ofEvent index: Int) -> Int? {
        index >= 0 && index < events.count ? events[index].lane : nil
    }
}
