@testable import bindrace
@testable import BindraceReplay
import Foundation
import Testing

/// The queue between the two stages: every batch arrives, in order, and a
/// reader that outruns the step stage is woken once per half queue drained,
/// not once per batch.
@Suite struct BatchQueueTests {
    private static func run(batches: Int, depth: Int, consumerDelay: TimeInterval, producerDelay: TimeInterval)
        -> (received: [Int], resumes: Int, waited: (reader: Double, steps: Double)) {
        let queue = BatchQueue(depth: depth)
        let producer = Thread {
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
}
