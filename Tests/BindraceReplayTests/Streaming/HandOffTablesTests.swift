@testable import BindraceReplay
import BindraceSynth
import Testing

/// The bounded tables of hand-offs keep the recent ones and give back what they drop.
@Suite struct HandOffTablesTests {
    @Test func ringForgetsASeqnumOnlyWhenItsSlotIsReused() {
        var ring = SeqnumRing(capacity: 4)
        #expect(ring.insert(10, 1) == nil)
        #expect(ring.insert(11, 2) == nil)
        #expect(ring.insert(14, 3) == 1)  // 14 takes 10's slot
        #expect(ring.remove(10) == nil)
        #expect(ring.remove(11) == 2)
        #expect(ring.remove(11) == nil)
        #expect(ring.remove(14) == 3)
    }

    /// What the clock stage asks the cache for ahead of a send.
    @Test func ringNamesTheRowALaterInsertDrops() {
        var ring = SeqnumRing(capacity: 4)
        #expect(ring.upcomingDrop(after: 9, ahead: 1) == -2)  // nothing held yet
        _ = ring.insert(10, 1)
        _ = ring.insert(11, 2)
        #expect(ring.upcomingDrop(after: 12, ahead: 2) == 1)  // 14 will take 10's slot
        #expect(ring.upcomingDrop(after: 12, ahead: 3) == 2)
        #expect(ring.upcomingDrop(after: 12, ahead: 1) == -2)
        #expect(ring.insert(14, 3) == 1)
        _ = ring.remove(11)
        #expect(ring.upcomingDrop(after: 13, ahead: 2) == -2)  // 11 was taken: 15 drops nothing
    }

    @Test func mapEvictsTheOldestFirst() {
        var map = BoundedRowMap<UInt32>(limit: 2)
        #expect(map.insert(1, 10).isEmpty)
        #expect(map.insert(2, 20).isEmpty)
        // Re-inserting 1 makes 2 the oldest.
        #expect(map.remove(1) == 10)
        #expect(map.insert(1, 11).isEmpty)
        #expect(map.insert(3, 30) == [20])
        #expect(map.remove(2) == nil)
        #expect(map.remove(1) == 11)
    }

    @Test func finishedUdevEventsKeepTheLatestFour() {
        var finished = FinishedUdevEvents()
        for k in 0..<6 { _ = finished.append(3, UInt64(100 + k), Int32(k)) }
        #expect(finished.count(3) == 4)
        #expect((0..<4).map { finished.seqnum(3, $0) } == [102, 103, 104, 105])
        #expect(finished.count(2) == 0)
    }
}

/// The pid table against a plain dictionary with the same eviction rule.
@Suite struct PidRowMapTests {
    @Test func behavesLikeABoundedDictionary() {
        var map = PidRowMap(limit: 64)
        var model: [UInt32: Int32] = [:]
        var order: [UInt32] = []
        var rng = SplitMix64(seed: 9)
        var nextRow: Int32 = 0
        for _ in 0..<20_000 {
            let pid = UInt32(rng.next() % 300)
            if rng.next() % 3 == 0 {
                #expect(map.remove(pid) == model.removeValue(forKey: pid))
                order.removeAll { $0 == pid }
            } else {
                if let old = model.removeValue(forKey: pid) {
                    #expect(map.remove(pid) == old)
                    order.removeAll { $0 == pid }
                }
                var evicted: [Int32] = []
                map.insert(pid, nextRow) { evicted.append($0) }
                model[pid] = nextRow
                order.append(pid)
                var expected: [Int32] = []
                while model.count > 64 {
                    let oldest = order.removeFirst()
                    if let r = model.removeValue(forKey: oldest) { expected.append(r) }
                }
                nextRow += 1
                #expect(Set(evicted) == Set(expected))
            }
            #expect(map.count == model.count)
        }
    }

    /// Exits mostly waited for never reach the bound, so nothing pops the
    /// queue; it must still not grow with the trace. Pids span the paged
    /// range and beyond.
    @Test func queueStaysBoundedWhenEntriesAreTakenOut() {
        var map = PidRowMap(limit: 4096)
        var rng = SplitMix64(seed: 4)
        var live: [UInt32] = []
        var pid: UInt32 = 300
        for step in 0..<200_000 {
            pid = pid &+ UInt32(1 + rng.next() % 40)
            if pid >= 5_000_000 { pid = 300 }
            if map.remove(pid) != nil { live.removeAll { $0 == pid } }
            map.insert(pid, Int32(step)) { _ in Issue.record("nothing is over the bound") }
            live.append(pid)
            if live.count > 8 {
                let taken = live.removeFirst()
                #expect(map.remove(taken) != nil)
            }
            // Compacted past twice the entries and 4,096; up to two removed since.
            #expect(map.queued <= 2 * (map.count + 2) + 4096)
        }
        for taken in live { #expect(map.remove(taken) != nil) }
        #expect(map.count == 0)
    }

    @Test func keyedMapQueueStaysBoundedWhenEntriesAreTakenOut() {
        var map = BoundedRowMap<UInt64>(limit: 6)
        for key in 0..<UInt64(100_000) {
            #expect(map.insert(key, Int32(key % 1000)).isEmpty)
            if key >= 4 { #expect(map.remove(key - 4) == Int32((key - 4) % 1000)) }
            // Compacted past twice the entries and 4,096; up to two removed since.
            #expect(map.queued <= 2 * (map.count + 2) + 4096)
        }
        // After the queue was compacted, the oldest entry left is still the first evicted.
        #expect(map.insert(100_000, 0).isEmpty)
        #expect(map.insert(100_001, 1).isEmpty)
        #expect(map.insert(100_002, 2) == [Int32(99_996 % 1000)])
    }
}
