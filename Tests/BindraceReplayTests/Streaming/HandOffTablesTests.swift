@testable import BindraceReplay
import BindraceSynth
import Testing

/// The bounded tables of hand-offs keep the recent ones and give back what they drop.
@Suite struct HandOffTablesTests {
    @Test func ringForgetsASeqnumOnlyWhenItsSlotIsReused() {
        var ring = SeqnumRing<Int32>(capacity: 4, empty: -1)
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
        var ring = SeqnumRing<Int32>(capacity: 4, empty: -1)
        #expect(ring.upcomingDrop(after: 9, ahead: 1) == nil)  // nothing held yet
        _ = ring.insert(10, 1)
        _ = ring.insert(11, 2)
        #expect(ring.upcomingDrop(after: 12, ahead: 2) == 1)  // 14 will take 10's slot
        #expect(ring.upcomingDrop(after: 12, ahead: 3) == 2)
        #expect(ring.upcomingDrop(after: 12, ahead: 1) == nil)
        #expect(ring.insert(14, 3) == 1)
        _ = ring.remove(11)
        #expect(ring.upcomingDrop(after: 13, ahead: 2) == nil)  // 11 was taken: 15 drops nothing
    }

    @Test func mapEvictsTheOldestFirst() {
        var map = BoundedRowMap<UInt32, Int32>(limit: 2)
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
        var arena = ClockArena()
        let slot = arena.addSlot()
        var finished = FinishedUdevEvents<ClockArena>()
        var rows: [Int32] = []
        for k in 0..<6 {
            var row: Int32 = -1
            for _ in 0...k { arena.tick(&row, slot: slot) }
            rows.append(row)
            #expect(finished.finish(3, UInt64(100 + k), held: arena.retain(row), row, store: &arena) == (k == 0))
        }
        #expect(finished.count(3) == 4)
        #expect((0..<4).map { finished.seqnum(3, $0) } == [102, 103, 104, 105])
        #expect((0..<4).map { finished.clock(3, $0) } == Array(rows[2...]))
        #expect(finished.count(2) == 0)
        // The two pushed out were given back: each row is held by its maker alone.
        for row in rows[..<2] { arena.release(row) }
        #expect(arena.liveRows == 4 + (finished.joinedBefore(3, 106).map { rows.contains($0) ? 0 : 1 } ?? 0))
    }

    /// Entries exist for the devpaths held, not for every string id: past
    /// the limit the oldest devpath is forgotten and its entry serves the next.
    @Test func finishedUdevEventsHoldEntriesOnlyForTheDevpathsKept() {
        var arena = ClockArena()
        _ = arena.addSlot()
        var finished = FinishedUdevEvents<ClockArena>()
        let limit = FinishedUdevEvents<ClockArena>.devpathLimit
        for d in 0..<(limit + 100) {
            let devpath = 1_000 + d * 37
            var clock: Int32 = -1
            arena.tick(&clock, slot: 0)
            #expect(finished.finish(devpath, UInt64(d), held: arena.retain(clock), clock, store: &arena))
            arena.release(clock)
            finished.trim(store: &arena)
        }
        #expect(finished.entriesHeld <= limit + 1)
        #expect(finished.count(1_000) == 0, "the oldest was forgotten")
        #expect(finished.count(1_000 + (limit + 99) * 37) == 1)
        #expect(finished.joinedBefore(1_000 + (limit + 99) * 37, UInt64(limit + 100)) != nil)
        // Each devpath kept holds its event's row and its join's, shared.
        #expect(arena.liveRows <= limit + 1)
    }

    /// The tables as the clock stage moves its clocks: held values converted,
    /// what was given back not, the order of eviction kept.
    @Test func tablesMovedToAnotherValueKeepWhatTheyHold() {
        var ring = SeqnumRing<Int32>(capacity: 4, empty: -1)
        _ = ring.insert(10, 1)
        _ = ring.insert(11, 2)
        _ = ring.remove(10)
        var movedRing = ring.mapped(empty: "") { "r\($0)" }
        #expect(movedRing.remove(10) == nil)
        #expect(movedRing.remove(11) == "r2")

        var map = PidRowMap<Int32>(limit: 2)
        _ = map.insert(5, 50)
        _ = map.insert(6, 60)
        _ = map.remove(5)
        _ = map.insert(7, 70)
        var converted: [Int32] = []
        var movedMap = map.mapped(empty: "") { converted.append($0); return "p\($0)" }
        #expect(Set(converted) == [60, 70])
        #expect(movedMap.insert(8, "p80").values == ["p60"], "6 is still the oldest")
        #expect(movedMap.remove(7) == "p70")

        var keyed = BoundedRowMap<UInt64, Int32>(limit: 2)
        _ = keyed.insert(1, 10)
        _ = keyed.insert(2, 20)
        var movedKeyed = keyed.mapped { Int64($0) * 2 }
        #expect(movedKeyed.insert(3, 60) == [20])
        #expect(movedKeyed.remove(2) == 40)
    }
}

/// The pid table against a plain dictionary with the same eviction rule.
@Suite struct PidRowMapTests {
    /// Bounds of several sizes, down to a single entry.
    @Test(arguments: [64, 9, 4, 1])
    func behavesLikeABoundedDictionary(limit: Int) {
        var map = PidRowMap<Int32>(limit: limit)
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
                let evicted = map.insert(pid, nextRow).values
                model[pid] = nextRow
                order.append(pid)
                var expected: [Int32] = []
                while model.count > limit {
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
        var map = PidRowMap<Int32>(limit: 4096)
        var rng = SplitMix64(seed: 4)
        var live: [UInt32] = []
        var pid: UInt32 = 300
        for step in 0..<200_000 {
            pid = pid &+ UInt32(1 + rng.next() % 40)
            if pid >= 5_000_000 { pid = 300 }
            if map.remove(pid) != nil { live.removeAll { $0 == pid } }
            #expect(map.insert(pid, Int32(step)).values.isEmpty, "nothing is over the bound")
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
        var map = BoundedRowMap<UInt64, Int32>(limit: 6)
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
