import BindraceTrace

/// An event as explanations quote it: where it is, which task did it, and
/// what it did.
public struct EventRef: Hashable, Sendable {
    /// Position in the trace's event stream (0-based).
    public var index: Int
    /// 1-based JSONL line or binary chunk offset of the chunk holding it, when known.
    public var location: Int?
    public var timestamp: UInt64
    public var pid: UInt32
    public var tid: UInt32
    public var comm: String
    public var kind: EventKind
    /// What it did, e.g. `dynamic_id_added vfio-pci 8086:100e`.
    public var what: String

    public init(index: Int, location: Int? = nil, timestamp: UInt64, pid: UInt32, tid: UInt32, comm: String, kind: EventKind, what: String) {
        self.index = index
        self.location = location
        self.timestamp = timestamp
        self.pid = pid
        self.tid = tid
        self.comm = comm
        self.kind = kind
        self.what = what
    }

    /// `t=1.000200s pid 311 (modprobe)`.
    public var taskText: String {
        tid != pid
            ? JoinedText.join("pid ", String(pid), "/", String(tid), " (", comm, ")")
            : JoinedText.join("pid ", String(pid), " (", comm, ")")
    }

    public var timeText: String {
        let seconds = timestamp / 1_000_000_000
        let micros = (timestamp % 1_000_000_000) / 1000
        let frac = String(micros)
        return JoinedText.join(String(seconds), ".", String(repeating: "0", count: 6 - frac.count), frac, "s")
    }
}
