@testable import BindraceReplay
import Testing

/// Clocks as values: the operations the clock stage asks of a store.
@Suite struct InlineClocksTests {
    @Test func joinTakesEachEntrysMaximumAndTicksCountOneSlot() {
        var store = InlineClocks()
        let a = store.addSlot(), b = store.addSlot()
        var x = InlineClocks.zero, y = InlineClocks.zero
        store.tick(&x, slot: a)
        store.tick(&x, slot: a)
        store.tick(&y, slot: b)
        let handOff = store.retain(x)
        #expect(store.tick(&x, slot: a) == 3, "a tick returns the slot's new count")
        #expect(store.entry(handOff, a) == 2, "a hand-off is a copy")
        store.join(&y, handOff)
        #expect(store.entry(y, a) == 2 && store.entry(y, b) == 1)
        store.fold(&y, x)
        #expect(store.entry(y, a) == 3 && store.entry(y, b) == 1)
        #expect(store.entry(y, 15) == 0 && store.entry(y, -1) == 0 && store.entry(y, 16) == 0)
    }

    @Test func stampsAreCopiedInWholeVectorsOfEight() {
        var store = InlineClocks()
        for _ in 0..<9 { _ = store.addSlot() }
        var x = InlineClocks.zero
        #expect(store.tick(&x, slot: 8) == 1)
        store.tick(&x, slot: 0)
        #expect(x[1] == 0 && x[7] == 0 && x[9] == 0, "a tick changes its own entry only")
        var out = PlainBuffer<UInt32>(capacity: 64)
        out.reserve(32)
        store.copyVectors(x, into: &out)
        #expect(store.vectorWidth == 16)
        #expect(out.count == 16)
        #expect(out[0] == 1 && out[8] == 1 && out[15] == 0)

        var narrow = InlineClocks()
        _ = narrow.addSlot()
        var z = InlineClocks.zero
        narrow.tick(&z, slot: 0)
        var small = PlainBuffer<UInt32>(capacity: 16)
        small.reserve(8)
        narrow.copyVectors(z, into: &small)
        #expect(narrow.vectorWidth == 8 && small.count == 8 && small[0] == 1)
    }

    /// What the clock stage does at a 17th slot: every clock becomes a row
    /// of an arena as wide, reading the same entries.
    @Test func clocksMovedToAnArenaReadTheSame() {
        var store = InlineClocks()
        for _ in 0..<16 { _ = store.addSlot() }
        var x = InlineClocks.zero
        for slot in 0..<16 where slot % 3 == 0 { for _ in 0...slot { store.tick(&x, slot: Int32(slot)) } }
        var arena = ClockArena(stride: 32)
        arena.widen(to: store.width)
        let row = withUnsafeBytes(of: x) { arena.allocate(copyingVectors: $0.baseAddress!.assumingMemoryBound(to: UInt32.self), lanes: 2) }
        for slot in Int32(0)..<16 { #expect(arena.entry(row, slot) == store.entry(x, slot)) }
        let extra = arena.addSlot()
        #expect(extra == 16 && arena.entry(row, extra) == 0)
    }
}
