@testable import bindrace
@testable import BindraceReplay
import Foundation
import Testing

/// The queue between the two stages: every batch arrives, in order, and a
/// reader that outruns the step stage is woken once per half queue drained,
/// not once per batch.
@Suite struct BatchQueueTests {
    private static func run(batches: Int, depth: Int, consumerDelay: TimeInterval, producerDelay: TimeInterval,
                            idleWork: (@Sendable () -> Bool)? = nil)
        -> (received: [Int], resumes: Int, waited: (reader: Double, steps: Double)) {
        let queue = BatchQueue(depth: depth, idleWork: idleWork)
        let producer = Thread {
            IdleLedger.markReader()
            for n in 0..<batches {
                var batch = queue.fresh()
                batch.eventsConsumed = n
                queue.push(batch)
                if producerDelay > 0 { Thread.sleep(forTimeInterval: producerDelay) }
            }
            queue.close()
        }
        producer.start()
        var received: [Int] = []
        while var batch = queue.pop() {
            received.append(batch.eventsConsumed)
            if consumerDelay > 0 { Thread.sleep(forTimeInterval: consumerDelay) }
            batch.clear()
            queue.recycle(batch)
        }
        return (received, queue.readerResumes, queue.waited)
    }

    @Test func aFastReaderIsWokenOncePerHalfQueue() {
        let (received, resumes, _) = Self.run(batches: 64, depth: 8, consumerDelay: 0.002, producerDelay: 0)
        #expect(received == Array(0..<64))
        // Woken at every pop, it would resume some 56 times; at half the queue, 64 / 4.
        #expect(resumes >= 1 && resumes <= 64 / 4 + 2, "resumed \(resumes) times")
    }

    @Test func aSlowReaderStillDeliversEverythingAndTheEnd() {
        // The step stage waits for two batches; the last one alone must still come, and then nil.
        let (received, _, _) = Self.run(batches: 7, depth: 8, consumerDelay: 0, producerDelay: 0.002)
        #expect(received == Array(0..<7))
        let (one, _, _) = Self.run(batches: 1, depth: 8, consumerDelay: 0, producerDelay: 0)
        #expect(one == [0])
    }

    @Test func theSideThatWaitsIsTheOneAhead() {
        // A slow step stage: the reader waits for room (56 of 64 batches at 2 ms
        // each, less what it overlaps), the step stage hardly at all.
        let slowSteps = Self.run(batches: 64, depth: 8, consumerDelay: 0.002, producerDelay: 0).waited
        #expect(slowSteps.reader > 0.05, "reader waited \(slowSteps.reader) s")
        #expect(slowSteps.steps < slowSteps.reader)
        // A slow reader: the step stage waits for batches.
        let slowReader = Self.run(batches: 32, depth: 8, consumerDelay: 0, producerDelay: 0.002).waited
        #expect(slowReader.steps > 0.03, "step stage waited \(slowReader.steps) s")
        #expect(slowReader.reader == 0)
    }

    /// Idle work, counted by which thread did it.
    final class IdleLedger: @unchecked Sendable {
        /// The thread `run` reads on, marked when it starts.
        private static let readerKey: pthread_key_t = {
            var key = pthread_key_t()
            pthread_key_create(&key, nil)
            return key
        }()
        static func markReader() { pthread_setspecific(readerKey, UnsafeRawPointer(bitPattern: 1)) }
        static var onReader: Bool { pthread_getspecific(readerKey) != nil }

        private let lock = NSLock()
        private var left: Int
        /// Pieces done on the reader's thread (`run`'s producer) and on the step stage's.
        private(set) var byReader = 0, bySteps = 0
        init(pieces: Int) { left = pieces }
        /// A millisecond's work, while there is some left.
        func piece() -> Bool {
            lock.lock()
            guard left > 0 else {
                lock.unlock()
                return false
            }
            left -= 1
            if IdleLedger.onReader { byReader += 1 } else { bySteps += 1 }
            lock.unlock()
            Thread.sleep(forTimeInterval: 0.001)
            return true
        }
        var done: Int { lock.lock(); defer { lock.unlock() }; return byReader + bySteps }
    }

    /// A side that would wait does idle work first, and still sees every
    /// batch, in order, and the end.
    @Test func aWaitingSideDoesTheIdleWorkFirst() {
        // A slow reader: the step stage, waiting, does all of it.
        let forSteps = IdleLedger(pieces: 40)
        let slowReader = Self.run(batches: 48, depth: 8, consumerDelay: 0, producerDelay: 0.002, idleWork: { forSteps.piece() })
        #expect(slowReader.received == Array(0..<48))
        #expect(forSteps.done == 40 && forSteps.bySteps == 40, "the step stage's thread: \(forSteps.bySteps) of \(forSteps.done)")
        // A slow step stage: the reader, waiting for room, does it.
        let forReader = IdleLedger(pieces: 40)
        let slowSteps = Self.run(batches: 64, depth: 8, consumerDelay: 0.002, producerDelay: 0, idleWork: { forReader.piece() })
        #expect(slowSteps.received == Array(0..<64))
        // Mostly: the step stage does a piece whenever it finds the queue
        // empty, as at the start, before the first two batches are in.
        #expect(forReader.done == 40 && forReader.byReader >= 20, "the reader's thread: \(forReader.byReader) of \(forReader.done)")
    }
}
