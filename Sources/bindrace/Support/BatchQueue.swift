import BindraceReplay
import Dispatch

/// Batches in flight between the two stages, bounded, and emptied ones
/// handed back for reuse.
///
/// A side that waits is woken only when the other has made room for
/// several batches: the reader, finding the queue full, sleeps until half
/// of it is consumed; the step stage, finding it empty, until two batches
/// are in (or the reader is done). With stages of nearly equal speed, a
/// wake-up per batch cost a futex call on one side and a reschedule on the
/// other every few thousand records.
///
/// A side that would wait first does the queue's idle work, if any, one
/// piece at a time, looking at the queue between pieces (the stages take
/// turns at being the slower, every few milliseconds; the idle work is the
/// reader's checksums, verified ahead of it: `ChecksumsAhead`).
///
/// It also keeps the wall time each side spent waiting (idle work
/// included), which says which stage bounded the run and whether the queue
/// was deep enough to absorb their bursts.
final class BatchQueue: @unchecked Sendable {
    private let monitor = Monitor()
    private var full: [ClockedBatch] = []
    private var empty: [ClockedBatch] = []
    private var closed = false
    private var producerWaiting = false
    private var consumerWaiting = false
    /// Times the reader went back to work after waiting for room.
    private var producerResumes = 0
    private var producerWaitNanoseconds: UInt64 = 0
    private var consumerWaitNanoseconds: UInt64 = 0
    private let depth: Int
    /// The reader resumes once no more than this many are in flight.
    private let resumeProducerAt: Int
    /// The step stage resumes once this many are in.
    private let resumeConsumerAt: Int

    /// A piece of work for a side that would otherwise wait; false when
    /// there was none.
    private let idleWork: (@Sendable () -> Bool)?

    init(depth: Int, idleWork: (@Sendable () -> Bool)? = nil) {
        self.idleWork = idleWork
        self.depth = max(1, depth)
        resumeProducerAt = self.depth / 2
        resumeConsumerAt = min(2, self.depth)
    }

    func push(_ batch: ClockedBatch) {
        monitor.lock()
        if full.count >= depth {
            let start = DispatchTime.now().uptimeNanoseconds
            idleThenWait(while: { full.count >= depth }, marking: { producerWaiting = true })
            producerResumes += 1
            producerWaitNanoseconds += DispatchTime.now().uptimeNanoseconds - start
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
            let start = DispatchTime.now().uptimeNanoseconds
            // Empty: wait for a few, not for the next one.
            idleThenWait(while: { full.count < resumeConsumerAt && !closed }, marking: { consumerWaiting = true })
            consumerWaitNanoseconds += DispatchTime.now().uptimeNanoseconds - start
        }
        guard !full.isEmpty else { return nil }
        let batch = full.removeFirst()
        if producerWaiting && full.count <= resumeProducerAt {
            producerWaiting = false
            monitor.broadcast()
        }
        return batch
    }

    /// While `blocked` (the lock held), does idle work piece by piece, then
    /// waits (`marking` says which side waits, for the other to wake it).
    /// After each piece, and after each wake-up, the queue is looked at
    /// again: the lock was let go meanwhile.
    private func idleThenWait(while blocked: () -> Bool, marking: () -> Void) {
        var tryIdle = true
        while blocked() {
            if tryIdle {
                tryIdle = idle()
                continue
            }
            marking()
            monitor.wait()
            tryIdle = true
        }
    }

    /// One piece of idle work, outside the lock (called with it held, and
    /// returns with it held, the queue possibly changed meanwhile); false
    /// when there was none.
    private func idle() -> Bool {
        guard let idleWork else { return false }
        monitor.unlock()
        let worked = idleWork()
        monitor.lock()
        return worked
    }

    /// How often the reader, having found the queue full, resumed (for tests).
    var readerResumes: Int { monitor.withLock { producerResumes } }

    /// Wall seconds the reader spent waiting for room, and the step stage for batches.
    var waited: (reader: Double, steps: Double) {
        monitor.withLock { (Double(producerWaitNanoseconds) / 1e9, Double(consumerWaitNanoseconds) / 1e9) }
    }

    func recycle(_ batch: ClockedBatch) {
        monitor.withLock { if empty.count < depth + 2 { empty.append(batch) } }
    }

    func fresh() -> ClockedBatch {
        monitor.withLock { empty.popLast() } ?? ClockedBatch()
    }
}
