/// Hands out pids the way the kernel does: increasing, wrapping at pid_max,
/// never one that is still alive. Many short-lived tasks are the point.
struct PIDAllocator {
    static let pidMax: UInt32 = 4_194_304
    private var next: UInt32
    private var live = Set<UInt32>()

    init(first: UInt32) { next = first }

    mutating func allocate() -> UInt32 {
        while live.contains(next) || next < 300 { advance() }
        let pid = next
        live.insert(pid)
        advance()
        return pid
    }

    mutating func release(_ pid: UInt32) { live.remove(pid) }

    private mutating func advance() {
        next = next + 1 >= PIDAllocator.pidMax ? 300 : next + 1
    }
}
