@testable import BindraceReplay
import Testing

/// Rows shared copy-on-write: a holder never sees another holder's changes.
@Suite struct ClockArenaTests {
    @Test func sharedRowsAreCopiedBeforeAChange() {
        var arena = ClockArena(stride: 2, rows: 2)
        let a = arena.addSlot(), b = arena.addSlot()
        var task: Int32 = -1
        arena.tick(&task, slot: a)
        let handOff = arena.retain(task)
        arena.tick(&task, slot: a)
        #expect(arena.entry(handOff, a) == 1)
        #expect(arena.entry(task, a) == 2)
        var other: Int32 = -1
        arena.tick(&other, slot: b)
        arena.join(&other, handOff)
        #expect(arena.entry(other, a) == 1 && arena.entry(other, b) == 1)
        #expect(arena.entry(handOff, b) == 0)
    }

    @Test func joiningWhatIsKnownKeepsSharing() {
        var arena = ClockArena()
        let s = arena.addSlot()
        var x: Int32 = -1
        arena.tick(&x, slot: s)
        var y = arena.retain(x)
        let before = arena.liveRows
        arena.join(&y, x)
        #expect(y == x)
        #expect(arena.liveRows == before)
    }

    @Test func releasedRowsComeBackZeroed() {
        var arena = ClockArena(stride: 2, rows: 1)
        let s = arena.addSlot()
        var x: Int32 = -1
        arena.tick(&x, slot: s)
        arena.release(x)
        #expect(arena.liveRows == 0)
        let fresh = arena.allocate()
        #expect(arena.entry(fresh, s) == 0)
    }

    @Test func aJoinThatCopiesWhileTheBufferGrowsReadsTheNewBuffer() {
        // Two rows fill the buffer; the join must copy its shared destination,
        // which grows the buffer under the source row it is reading.
        var arena = ClockArena(stride: 2, rows: 2)
        let a = arena.addSlot(), b = arena.addSlot()
        var source: Int32 = -1
        arena.tick(&source, slot: a)
        arena.tick(&source, slot: a)
        var destination: Int32 = -1
        arena.tick(&destination, slot: b)
        let held = arena.retain(destination)
        arena.join(&destination, source)
        #expect(arena.entry(destination, a) == 2 && arena.entry(destination, b) == 1)
        #expect(arena.entry(held, a) == 0 && arena.entry(held, b) == 1)
        #expect(arena.entry(source, a) == 2)
    }

    @Test func growingKeepsEveryRow() {
        var arena = ClockArena(stride: 1, rows: 1)
        var rows: [Int32] = []
        for i in 0..<40 {
            let slot = arena.addSlot()
            var r: Int32 = -1
            for _ in 0...i { arena.tick(&r, slot: slot) }
            rows.append(r)
        }
        for (i, r) in rows.enumerated() { #expect(arena.entry(r, Int32(i)) == UInt32(i + 1)) }
    }

    @Test func joinsTakeEntryByEntryMaxima() {
        // Widths that end inside, and exactly at, a vector of eight entries.
        for width in [3, 8, 9, 16, 21] {
            var arena = ClockArena()
            let slots = (0..<width).map { _ in arena.addSlot() }
            var rng = SystemRandomNumberGenerator()
            var rows: [Int32] = []
            for _ in 0..<6 {
                var r: Int32 = -1
                for s in slots { for _ in 0..<Int.random(in: 0...3, using: &rng) { arena.tick(&r, slot: s) } }
                rows.append(r)
            }
            for a in rows {
                for b in rows {
                    var joined = arena.retain(a)
                    let before = slots.map { arena.entry(a, $0) }
                    arena.join(&joined, b)
                    for (k, s) in slots.enumerated() {
                        #expect(arena.entry(joined, s) == max(before[k], arena.entry(b, s)), "width \(width) slot \(k)")
                        // The source and the shared original are untouched.
                        #expect(arena.entry(a, s) == before[k])
                    }
                    // Learning nothing keeps the row shared.
                    if slots.allSatisfy({ arena.entry(b, $0) <= before[slots.firstIndex(of: $0)!] }) { #expect(joined == a) }
                    arena.release(joined)
                }
            }
        }
    }
}
