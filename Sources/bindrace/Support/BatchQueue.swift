import BindraceReplay

/// Batches in flight between the two stages, bounded, and emptied ones
/// handed back for reuse.
final class BatchQueue: @unchecked Sendable {
    private let monitor = Monitor()
    private var full: [ClockedBatch] = []
    private var empty: [ClockedBatch] = []
    private var closed = false
    private let depth: Int

    init(depth: Int) { self.depth = depth }

    func push(_ batch: ClockedBatch) {
        monitor.lock()
        while full.count >= depth { monitor.wait() }
        full.append(batch)
        monitor.broadcast()
        monitor.unlock()
    }

    func close() {
        monitor.withLock {
            closed = true
            monitor.broadcast()
        }
    }

    /// The next batch in order; nil once closed and drained.
    func pop() -> ClockedBatch? {
        monitor.lock()
        defer { monitor.unlock() }
        while full.isEmpty && !closed { monitor.wait() }
        guard !full.isEmpty else { return nil }
        let batch = full.removeFirst()
        monitor.broadcast()
        return batch
    }

    func recycle(_ batch: ClockedBatch) {
        monitor.withLock { if empty.count < depth + 2 { empty.append(batch) } }
    }

    func fresh() -> ClockedBatch {
        monitor.withLock { empty.popLast() } ?? ClockedBatch()
    }
}
