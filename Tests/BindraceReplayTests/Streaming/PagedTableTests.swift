@testable import BindraceReplay
import BindraceSynth
import Testing

/// The paged tid table against a dictionary, and its pages following the live keys.
@Suite struct PagedTableTests {
    @Test func readsWhatWasWrittenAndTheDefaultElsewhere() {
        var table = PagedTable<Int32>(defaultValue: -1)
        var model: [UInt32: Int32] = [:]
        var rng = SplitMix64(seed: 11)
        for step in 0..<50_000 {
            let key = UInt32(rng.next() % UInt64(PagedTable<Int32>.keyLimit))
            let value: Int32 = rng.next() % 3 == 0 ? -1 : Int32(step)
            table.set(key, value)
            model[key] = value == -1 ? nil : value
            let probe = UInt32(rng.next() % UInt64(PagedTable<Int32>.keyLimit))
            #expect(table[probe] == model[probe] ?? -1)
            #expect(table[key] == model[key] ?? -1)
        }
        for (key, value) in model { #expect(table[key] == value) }
    }

    /// Tids handed out in increasing order, each task short-lived: the
    /// pages held stay few however far the tids go.
    @Test func pagesFollowTheLiveKeys() {
        var table = PagedTable(defaultValue: TaskSteps())
        var live: [UInt32] = [1, 2]
        for tid in live { table.set(tid, TaskSteps(open: OpenStep(place: .global, handle: 1), loadingModule: -1)) }
        var most = 0
        for tid in UInt32(300)..<UInt32(1_500_000) {
            table.set(tid, TaskSteps(open: OpenStep(), loadingModule: Int32(tid % 7)))
            live.append(tid)
            if live.count > 10 { table.set(live.remove(at: 2), TaskSteps()) }
            most = max(most, table.pagesHeld)
        }
        // Page 0 (tids 1 and 2), the two the newest tids can span, and the
        // pages emptied since the last sweep (two writes a tid, a sweep
        // every 65,536 writes: 32,768 tids, eight pages and a part).
        #expect(most <= 1 + 2 + 9)
        #expect(table[1].open.place == .global)
        #expect(table[1_499_999].loadingModule == Int32(1_499_999 % 7))
        #expect(table[300] == TaskSteps())
        for tid in live { table.set(tid, TaskSteps()) }
        table.sweep()
        #expect(table.pagesHeld == 0)
        #expect(table.bytes == 0)
    }

    /// Keys past the kernel's pid range (a foreign or corrupt trace's) are
    /// held apart, and a default value there holds nothing.
    @Test func keysPastThePagedRangeAreHeldApart() {
        var table = PagedTable<Int32>(defaultValue: -1)
        let limit = PagedTable<Int32>.keyLimit
        let far: [UInt32] = [limit, limit + 1, 1 << 30, UInt32.max]
        for (n, key) in far.enumerated() { table.set(key, Int32(n)) }
        table.set(limit - 1, 9)
        #expect(far.enumerated().allSatisfy { table[$0.element] == Int32($0.offset) })
        #expect(table[limit + 2] == -1)
        #expect(table[limit - 1] == 9)
        #expect(table.farCount == far.count)
        #expect(table.pagesHeld == 1)
        for key in far { table.set(key, -1) }
        #expect(table.farCount == 0)
        #expect(table[UInt32.max] == -1)
    }
}
