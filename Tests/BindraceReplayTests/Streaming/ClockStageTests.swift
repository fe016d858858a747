@testable import BindraceReplay
@testable import BindraceTrace
import BindraceSynth
import Testing

/// The clock stage counts a chunk's records for the reader as it reads
/// them (`ClockStage.consume`): the count is the one the reader makes itself.
@Suite struct ClockStageTests {
    /// Events of a few tasks, some of kinds this version does not know,
    /// timestamps now and then going back; in chunks of random sizes.
    @Test(arguments: 1...24)
    func theStagesCountOfAChunkIsTheReaders(seed: Int) {
        var rng = SplitMix64(seed: UInt64(seed))
        func next(_ bound: UInt64) -> UInt64 { UInt64.random(in: 0..<bound, using: &rng) }
        let kinds: [UInt8] = [EventKind.moduleLoad, .probeStart, .probeEnd, .bound, .unbound, .deviceAdd, .processExec].map(\.rawValue)
        let count = 1 + Int(next(300))
        // Unknown kinds in every other seed; timestamps going back in every third.
        let unknownRate: UInt64 = seed % 2 == 0 ? 0 : 7
        var clock: UInt64 = 1_000
        let events: [RawEvent] = (0..<count).map { _ in
            clock = seed % 3 == 0 && next(9) == 0 ? clock - min(clock, next(50)) : clock + next(20)
            let kind = unknownRate > 0 && next(unknownRate) == 0 ? UInt8(0xE0 + next(16)) : kinds[Int(next(UInt64(kinds.count)))]
            let task = UInt32(100 + next(4))
            return RawEvent(timestamp: clock, pid: task, tid: task, kindByte: kind)
        }
        var bytes = [UInt8](repeating: 0, count: count * RawEvent.size)
        bytes.withUnsafeMutableBytes { p in
            for (i, event) in events.enumerated() { event.store(to: p.baseAddress! + i * RawEvent.size) }
        }
        var stage = ClockStage()
        var batch = ClockedBatch()
        var start = 0
        bytes.withUnsafeBytes { p in
            while start < count {
                let end = min(count, start + 1 + Int(next(80)))
                let base = p.baseAddress! + start * RawEvent.size
                let records = EventRecords(chunk: 0, offset: 0, count: end - start, base: base, stride: RawEvent.size, strings: StringTable())
                let counted = stage.consume(records, into: &batch)
                #expect(counted == ChunkTally(records: base, count: end - start, stride: RawEvent.size), "seed \(seed), records \(start)..<\(end)")
                batch.clear()
                start = end
            }
        }
        #expect(stage.eventsConsumed == events.count { $0.kind != nil })
    }
}
