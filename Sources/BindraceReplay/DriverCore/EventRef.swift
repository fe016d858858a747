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
        TextWriter.text(capacity: 9 + 2 * TextWriter.decimalDigits + comm.utf8.count) { text in
            text.append("pid ")
            text.append(decimal: UInt64(pid))
            if tid != pid {
                text.append(byte: UInt8(ascii: "/"))
                text.append(decimal: UInt64(tid))
            }
            text.append(" (")
            text.append(comm)
            text.append(byte: UInt8(ascii: ")"))
        }
    }

    public var timeText: String {
        let seconds = timestamp / 1_000_000_000
        let micros = (timestamp % 1_000_000_000) / 1000
        return TextWriter.text(capacity: TextWriter.decimalDigits + 8) { text in
            text.append(decimal: seconds)
            text.append(byte: UInt8(ascii: "."))
            // Six digits, zeros first.
            var scale: UInt64 = 100_000
            while scale > 1 && micros < scale {
                text.append(byte: UInt8(ascii: "0"))
                scale /= 10
            }
            text.append(decimal: micros)
            text.append(byte: UInt8(ascii: "s"))
        }
    }
}
