/// One traced event with its task context.
public struct Event: Hashable, Sendable {
    /// CLOCK_MONOTONIC nanoseconds (bpf_ktime_get_ns).
    public var timestamp: UInt64
    public var cpu: UInt16
    /// Thread group id (what userspace calls the pid).
    public var pid: UInt32
    /// Kernel task id (what userspace calls the tid).
    public var tid: UInt32
    /// The task's comm when the event happened.
    public var comm: String
    public var payload: Payload

    public init(timestamp: UInt64, cpu: UInt16 = 0, pid: UInt32, tid: UInt32? = nil, comm: String, payload: Payload) {
        self.timestamp = timestamp
        self.cpu = cpu
        self.pid = pid
        self.tid = tid ?? pid
        self.comm = comm
        self.payload = payload
    }

    public var kind: EventKind { payload.kind }
}
