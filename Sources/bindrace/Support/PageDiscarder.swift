/// When the pages of a mapped trace that both stages have read are given
/// back to the kernel (`MappedFile.discard`), and by which thread.
///
/// A trace is read once, front to back: pages kept resident after that
/// would make the process's memory grow with the trace. Giving them back
/// is kernel work (unmapping, TLB shootdowns) that perf put at about 3% of
/// the step stage's thread on the 100M-event trace. On two threads it is
/// idle work: the side that would wait for the other gives back what is
/// pending (`discardPending`), and the step stage does it itself only once
/// `limit` bytes are pending, which bounds the memory when neither side
/// waits. Ranges are claimed under a lock and given back outside it, so
/// the two threads never give back the same pages and never wait on each
/// other's `madvise`.
final class PageDiscarder: @unchecked Sendable {
    /// Pages are given back in spans of at least this many bytes, each
    /// ending on an `alignment` boundary. Spans of 64 MB kept 48 MB more of
    /// the file resident (peak RSS 94 MB against 46 MB on a race-free
    /// 100M-event trace), and the calls 16 MB spans take more did not show
    /// in the time.
    static let step = 16 << 20
    static let alignment = 1 << 21
    /// Pending bytes past which `reached` gives back pages itself.
    let limit: Int
    private let giveBack: (_ start: Int, _ end: Int) -> Void
    private let monitor = Monitor()
    /// Both stages have read everything before this offset.
    private var consumed = 0
    /// Pages before this offset are given back, or being given back.
    private var claimed = 0

    /// `giveBack(start, end)` lets go of the file's bytes in `start..<end`.
    init(limit: Int = 32 << 20, giveBack: @escaping (_ start: Int, _ end: Int) -> Void) {
        self.limit = max(limit, Self.step)
        self.giveBack = giveBack
    }

    /// Gives back a mapped file's pages.
    convenience init(_ file: MappedFile, limit: Int = 32 << 20) {
        self.init(limit: limit) { file.discard(from: $0, to: $1) }
    }

    /// Both stages have read everything before `offset`. Gives back pages
    /// itself only once `limit` bytes are pending.
    func reached(_ offset: Int) {
        let due = monitor.withLock {
            consumed = max(consumed, offset)
            return consumed - claimed >= limit
        }
        if due { discardPending() }
    }

    /// On one thread: both stages have read everything before `offset`, and
    /// whatever whole `step` is pending is given back now.
    func discard(before offset: Int) {
        monitor.withLock { consumed = max(consumed, offset) }
        discardPending()
    }

    /// Gives back what is pending, if a whole `step` is; false otherwise
    /// (nothing to do: the caller may wait).
    @discardableResult
    func discardPending() -> Bool {
        let range: (Int, Int)? = monitor.withLock {
            let end = consumed & ~(Self.alignment - 1)
            guard end - claimed >= Self.step else { return nil }
            defer { claimed = end }
            return (claimed, end)
        }
        guard let (start, end) = range else { return false }
        giveBack(start, end)
        return true
    }
}
