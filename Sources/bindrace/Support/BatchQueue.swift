import BindraceReplay

/// Batches in flight between the two stages, bounded, and emptied ones
/// handed back for reuse.
///
/// A side that waits is woken only when the other has made room for
/// several batches: the reader, finding the queue full, sleeps until half
/// of it is consumed; the step stage, finding it empty, until two batches
/// are in (or the reader is done). With stages of nearly equal speed, a
/// wake-up per batch cost a futex call on one side and a reschedule on the
/// other every few thousand records.
final class BatchQueue: @unchecked Sendable {
    private let monitor = Monitor()
    private var full: [ClockedBatch] = []
    private var empty: [ClockedBatch] = []
    private var closed = false
    private var producerWaiting = false
    private var consumerWaiting = false
    /// Times the reader went back to work after waiting for room.
    private var producerResumes = 0
    private let depth: Int
    /// The reader resumes once no more than this many are in flight.
    private let resumeProducerAt: Int
    /// The step stage resumes once this many are in.
    private let resumeConsumerAt: Int

    init(depth: Int) {
        self.depth = max(1, depth)
        resumeProducerAt = self.depth / 2
        resumeConsumerAt = min(2, self.depth)
    }

    func push(_ batch: ClockedBatch) {
        monitor.lock()
        if full.count >= depth {
            while full.count >= depth {
                producerWaiting = true
                monitor.wait()
            }
            producerResumes += 1
        }
        full.append(batch)
        if consumerWaiting && full.count >= resumeConsumerAt {
            consumerWaiting = false
            monitor.broadcast()
        }
        monitor.unlock()
    }

    func close() {
        monitor.withLock {
            closed = true
            consumerWaiting = false
            monitor.broadcast()
        }
    }

    /// The next batch in order; nil once closed and drained.
    func pop() -> ClockedBatch? {
        monitor.lock()
        defer { monitor.unlock() }
        if full.isEmpty && !closed {
            // Empty: wait for a few, not for the next one.
            while full.count < resumeConsumerAt && !closed {
                consumerWaiting = true
                monitor.wait()
            }
        }
        guard !full.isEmpty else { return nil }
        let batch = full.removeFirst()
        if producerWaiting && full.count <= resumeProducerAt {
            producerWaiting = false
            monitor.broadcast()
        }
        return batch
    }

    /// How often the reader, having found the queue full, resumed (for tests).
    var readerResumes: Int { monitor.withLock { producerResumes } }

    func recycle(_ batch: ClockedBatch) {
        monitor.withLock { if empty.count < depth + 2 { empty.append(batch) } }
    }

    func fresh() -> ClockedBatch {
        monitor.withLock { empty.popLast() } ?? ClockedBatch()
    }
}
